import { randomUUID } from 'node:crypto';
import { ExpiringMap } from './expiring-map.js';
import type { KeyValueCache } from './key-value-cache.js';

/**
 * How long a generation lives. The gateway's response cache keeps entries for at most an hour, so a
 * generation always outlives the responses stored under it: when it expires and a new one is drawn, no
 * response of the old one is left to be served.
 */
export const RESPONSE_GENERATION_TTL_SECONDS = 24 * 3600;
export const MAX_RESPONSE_CACHE_TTL_SECONDS = 3600;
/** How soon an advance the cache did not answer is tried again (and again, until it lands). */
export const ADVANCE_RETRY_MS = 250;
/** The generations a process holds after reading them (see `MemberResponseGenerationsOptions.holdMs`). */
const MAX_HELD = 100_000;

export interface MemberResponseGenerationsOptions {
  /** How soon an unconfirmed advance is tried again (default `ADVANCE_RETRY_MS`). */
  retryMs?: number;
  /**
   * How long a generation read from the cache is used again without asking the cache (default 0: always
   * asked). An advance made by another process then reaches this one within `holdMs`; this process's own
   * advances reach it at once.
   */
  holdMs?: number;
  now?: () => number;
}

const generationKey = (memberId: string): string => `response-generation:member:${memberId}`;
/** Changes that reach every member at once (a new model version, an operator's or partner's change). */
const PROGRAMME_KEY = 'response-generation:programme';

/**
 * A member's response generation: a random token that changes whenever something about the member changes
 * (an event applied, a consent or link changed, the wallet written), or something about every member (the
 * programme's generation: a new model version, any change made by staff, operators or partner services). The gateway keys a member's cached
 * responses by it, so advancing it makes every cached response of that member unreachable at once.
 *
 * Advancing deletes the token; the next reader draws a new one. A reader that cannot read one (absent, or
 * the cache did not answer) draws a fresh token, which matches no stored response: when the shared cache is
 * down, nothing cached is served. Every service that changes a member and the gateway must share the cache
 * (Redis; in-process only when they share the process).
 *
 * An advance the cache did not answer (this process's Redis call timed out, while the gateway's may not
 * have) would leave the old token readable, so it is kept and tried again every `ADVANCE_RETRY_MS` until
 * the cache answers: a change can then be served stale for as long as this process cannot reach Redis and
 * the gateway can, not for a whole time to live.
 *
 * The gateway holds what it read for up to a second (`holdMs`): a repeated read then costs no round trip to
 * the cache, and a change made elsewhere reaches its cached answers within that second.
 */
export class MemberResponseGenerations {
  /** Tokens whose deletion the cache did not confirm, to delete on the next try. */
  private readonly unconfirmed = new Set<string>();
  private retry: NodeJS.Timeout | undefined;
  private readonly retryMs: number;
  private readonly holdMs: number;
  private readonly now: () => number;
  /** Generations read less than `holdMs` ago, by key. */
  private readonly held: ExpiringMap<string>;

  constructor(
    private readonly cache: KeyValueCache,
    options: MemberResponseGenerationsOptions = {},
  ) {
    this.retryMs = options.retryMs ?? ADVANCE_RETRY_MS;
    this.holdMs = options.holdMs ?? 0;
    this.now = options.now ?? Date.now;
    this.held = new ExpiringMap(MAX_HELD, this.now);
  }

  /** The member's generation joined with the programme's: either advancing changes it. */
  async current(memberId: string): Promise<string> {
    const [member, programme] = await Promise.all([
      this.read(generationKey(memberId)),
      this.read(PROGRAMME_KEY),
    ]);
    return `${programme}/${member}`;
  }

  async advance(...memberIds: string[]): Promise<void> {
    if (memberIds.length > 0) await this.deleteTokens(memberIds.map(generationKey));
  }

  async advanceProgramme(): Promise<void> {
    await this.deleteTokens([PROGRAMME_KEY]);
  }

  /** Advances not confirmed yet (waiting for their next try). */
  get pendingAdvances(): number {
    return this.unconfirmed.size;
  }

  /** Stops trying the unconfirmed advances again (on shutdown). */
  close(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
  }

  private async deleteTokens(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.held.delete(key);
    if (await this.cache.deleteMany(keys)) return;
    for (const key of keys) this.unconfirmed.add(key);
    this.retry ??= setTimeout(() => void this.retryUnconfirmed(), this.retryMs).unref();
  }

  private async retryUnconfirmed(): Promise<void> {
    this.retry = undefined;
    const keys = [...this.unconfirmed];
    this.unconfirmed.clear();
    if (keys.length > 0) await this.deleteTokens(keys);
  }

  private async read(key: string): Promise<string> {
    const held = this.held.get(key);
    if (held) return held;
    const readAtMs = this.now();
    const existing = await this.cache.get(key);
    if (existing) {
      if (this.holdMs > 0) this.held.set(key, existing, readAtMs + this.holdMs);
      return existing;
    }
    // A drawn token is not held: the cache may not have taken it (it fails open), and while the cache
    // does not answer, nothing cached may be served.
    const drawn = randomUUID();
    await this.cache.set(key, drawn, { ttl: RESPONSE_GENERATION_TTL_SECONDS });
    return drawn;
  }
}
