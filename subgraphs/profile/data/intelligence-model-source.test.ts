import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryNotificationChannel } from '../../shared/notifications/memory-notification-channel.js';
import type { IntelligenceModel } from '../domain/intelligence-model.js';
import { INTELLIGENCE_MODEL_TOPIC, IntelligenceModelSource } from './intelligence-model-source.js';
import type { IntelligenceStore } from './intelligence-store.js';

/** A store holding named versions, one of them current, that counts its reads. */
function fakeStore(initial: string | null) {
  const state = { current: initial, publishedAt: 1, reads: 0 };
  const store = {
    currentPublication: async () => {
      state.reads += 1;
      return state.current && { version: state.current, publishedAt: new Date(state.publishedAt) };
    },
    loadModel: async (version: string) => ({ version }) as IntelligenceModel,
  } as unknown as IntelligenceStore;
  return { store, state };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  expect(condition()).toBe(true);
}

describe('IntelligenceModelSource', () => {
  it('has no model before the first training, then the current one', async () => {
    const { store, state } = fakeStore(null);
    const source = new IntelligenceModelSource(store, null);
    await source.refresh();
    expect(source.current()).toBeNull();
    state.current = 'v1';
    await source.refresh();
    expect(source.current()?.version).toBe('v1');
  });

  it('switches on a notification, with no poll in sight', async () => {
    const { store, state } = fakeStore('v1');
    const channel = new MemoryNotificationChannel();
    const changes: string[] = [];
    const source = new IntelligenceModelSource(store, channel, {
      pollMs: 3_600_000,
      onChange: (v) => changes.push(v),
    });
    await source.refresh();
    source.start();
    await sleep(10); // the subscription is in place
    state.current = 'v2';
    await channel.publish(INTELLIGENCE_MODEL_TOPIC, 'v2');
    await until(() => source.current()?.version === 'v2');
    await source.stop();
    expect(changes).toEqual(['v1', 'v2']);
  });

  it('tells of every publication, also one that re-published the version in use (tiers evaluated again)', async () => {
    const { store, state } = fakeStore('v1');
    const channel = new MemoryNotificationChannel();
    const seen: string[] = [];
    const source = new IntelligenceModelSource(store, channel, {
      pollMs: 3_600_000,
      onChange: (v) => seen.push(`change ${v}`),
      onPublication: () => seen.push('publication'),
    });
    await source.refresh();
    source.start();
    await sleep(10); // the subscription is in place
    await source.refresh(); // nothing new: nothing told
    state.publishedAt = 2; // the same version, published again
    await channel.publish(INTELLIGENCE_MODEL_TOPIC, 'v1');
    await until(() => seen.length === 3);
    state.current = 'v2';
    state.publishedAt = 3;
    await channel.publish(INTELLIGENCE_MODEL_TOPIC, 'v2');
    await until(() => seen.length === 5);
    await source.stop();
    expect(seen).toEqual(['change v1', 'publication', 'publication', 'change v2', 'publication']);
  });

  it('finds a version whose notification was lost at the next poll', async () => {
    const { store, state } = fakeStore('v1');
    const source = new IntelligenceModelSource(store, new MemoryNotificationChannel(), { pollMs: 20 });
    await source.refresh();
    source.start();
    state.current = 'v2';
    await until(() => source.current()?.version === 'v2');
    await source.stop();
  });

  it('folds refreshes asked for while one runs into one more read, so none is lost', async () => {
    const { store, state } = fakeStore('v1');
    const source = new IntelligenceModelSource(store, null);
    const first = source.refresh();
    state.current = 'v2';
    const second = source.refresh();
    const third = source.refresh();
    await Promise.all([first, second, third]);
    expect(source.current()?.version).toBe('v2');
    expect(state.reads).toBe(2);
  });
});
