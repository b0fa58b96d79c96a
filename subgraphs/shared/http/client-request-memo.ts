import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';

/**
 * What the subgraph fetches of one client request share. The gateway asks a subgraph several times for one
 * client request (the root field, then `_entities` once the brands have answered), and signs one internal
 * token per client request; the fetches that carry the same token share the values memoised here (the
 * request's DataLoaders), so that the member document is read once per client request, not once per fetch.
 *
 * A mutation never shares: its fetch drops what the request had memoised and memoises nothing, so a fetch
 * after the write reads the store afresh. Entries expire a few seconds after they were opened (a client
 * request is long over by then) and the oldest go first when there are too many.
 */
export interface ClientRequestMemoOptions {
  /** How long the fetches of one client request may share what they read (default 10 s). */
  ttlMs?: number;
  /** At most this many client requests remembered (default 5,000). */
  maxRequests?: number;
  now?: () => number;
}

interface Entry {
  values: Map<string, unknown>;
  expiresAtMs: number;
}

/** One subgraph fetch's view: the client request's shared values, or its own when it writes or has no key. */
export class FetchMemo {
  private own: Map<string, unknown> | null = null;
  private sharing: boolean;

  constructor(
    private readonly memos: ClientRequestMemos,
    private readonly key: string | null,
  ) {
    this.sharing = key !== null;
  }

  /** The value memoised under `name` for this client request (created once with `create`). */
  get<T>(name: string, create: () => T): T {
    const values = this.sharing ? this.memos.valuesOf(this.key!) : (this.own ??= new Map());
    let value = values.get(name) as T | undefined;
    if (value === undefined) values.set(name, (value = create()));
    return value;
  }

  /**
   * This fetch writes (a mutation): the client request's memoised values are dropped and this fetch memoises
   * only for itself. Called again when the write is done, it drops what other fetches read meanwhile.
   */
  writes(): void {
    if (this.key !== null) this.memos.forget(this.key);
    this.sharing = false;
  }

  /** Whether this fetch shares its client request's values. */
  get shared(): boolean {
    return this.sharing;
  }
}

export class ClientRequestMemos {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxRequests: number;
  private readonly now: () => number;

  constructor(options: ClientRequestMemoOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10_000;
    this.maxRequests = options.maxRequests ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** The memo of one fetch, shared with the other fetches of the client request `key` (none without a key). */
  open(key: string | null): FetchMemo {
    return new FetchMemo(this, key);
  }

  /** How many client requests are remembered. */
  get size(): number {
    return this.entries.size;
  }

  /** @internal The shared values of `key`, opened now when absent. */
  valuesOf(key: string): Map<string, unknown> {
    const at = this.now();
    const known = this.entries.get(key);
    if (known && at < known.expiresAtMs) return known.values;
    this.sweep(at);
    const entry: Entry = { values: new Map(), expiresAtMs: at + this.ttlMs };
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.values;
  }

  /** @internal */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Entries are kept in the order they were opened, so the expired and the oldest are at the front. */
  private sweep(at: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAtMs > at && this.entries.size < this.maxRequests) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Tells a fetch's memo that the fetch is a mutation before any resolver runs (the context is built before
 * the operation is parsed), and again once it has answered.
 */
export function mutationsShareNothingPlugin<T extends { memo: FetchMemo }>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      let writes = false;
      return {
        async didResolveOperation({ operation, contextValue }) {
          writes = operation?.operation === OperationTypeNode.MUTATION;
          if (writes) contextValue.memo.writes();
        },
        async willSendResponse({ contextValue }) {
          if (writes) contextValue.memo.writes();
        },
      };
    },
  };
}
