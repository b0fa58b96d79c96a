import { setTimeout as sleep } from 'node:timers/promises';
import type { TestFederation } from '../federation-harness.js';
import { startTestFederation } from '../federation-harness.js';
import { dataOf, errorCodes } from '../federation/graphql-responses.js';

const MEMBER = 'M000001';
const DAY_MS = 86_400_000;

/**
 * `npm run train`'s job against a running federation: the profile subgraph polls only once an hour here, so a
 * new version reaching it is the notification's doing (Redis pub/sub with REDIS_URL, in-process without).
 */
// Each test trains the model on the stores (tens of seconds on a loaded machine): they get three minutes.
jest.setTimeout(180_000);

describe('a new model version reaches a running profile subgraph', () => {
  let fed: TestFederation;
  let admin: string;
  let member: string;

  // Seeding and training share two cores with other runs: the setup may take minutes, the tests do not.
  beforeAll(async () => {
    fed = await startTestFederation({ members: 120, modelPollMs: 3_600_000 });
    admin = await fed.token({ role: 'admin' });
    member = await fed.token({ role: 'member', memberId: MEMBER });
  }, 240_000);

  afterAll(async () => {
    await fed?.stop();
  });

  async function servedVersion(): Promise<string | null> {
    const { body } = await fed.query('{ intelligenceModel { version } }', { token: admin });
    expect(body.errors).toBeUndefined();
    return dataOf<{ intelligenceModel: { version: string } | null }>(body).intelligenceModel?.version ?? null;
  }

  /** Asks until the version is served; a generous bound, so only a version that never arrives fails. */
  async function untilServed(version: string): Promise<void> {
    for (let attempt = 0; attempt < 300 && (await servedVersion()) !== version; attempt++) await sleep(100);
    expect(await servedVersion()).toBe(version);
  }

  it('answers MODEL_NOT_TRAINED before the first training, and the fields once it is announced', async () => {
    expect(await servedVersion()).toBeNull();
    const before = await fed.query('{ me { profile { tier { code } segment { label } } } }', {
      token: member,
    });
    expect(errorCodes(before.body)).toEqual(['MODEL_NOT_TRAINED']);

    const first = await fed.train({ seed: 42 });
    expect(first.changed).toBe(true);
    await untilServed(first.model.version);
    const after = await fed.query('{ me { profile { segment { label } } } }', { token: member });
    expect(after.body.errors).toBeUndefined();
  });

  it('is deterministic: the same stores, time and seed give the version already current', async () => {
    const current = await servedVersion();
    const again = await fed.train({ seed: 42 });
    expect(again.changed).toBe(false);
    expect(again.model.version).toBe(current);
  });

  it('switches to a version trained later without a restart', async () => {
    const previous = await servedVersion();
    const later = await fed.train({ seed: 42, now: new Date(fed.now.getTime() + 7 * DAY_MS) });
    expect(later.changed).toBe(true);
    expect(later.model.version).not.toBe(previous);
    await untilServed(later.model.version);
    const { body } = await fed.query('{ me { profile { intelligenceVersion lifetimeValue { asOf } } } }', {
      token: member,
    });
    expect(
      dataOf<{ me: { profile: { intelligenceVersion: string; lifetimeValue: { asOf: string } } } }>(body).me
        .profile,
    ).toEqual({ intelligenceVersion: later.model.version, lifetimeValue: { asOf: later.model.asOf } });
  });
});
