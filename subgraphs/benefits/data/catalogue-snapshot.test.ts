import { MemoryNotificationChannel } from '../../shared/notifications/memory-notification-channel.js';
import type { BenefitDocument, BenefitModel } from './catalogue-model.js';
import { CATALOGUE_CHANGED_TOPIC, CatalogueSnapshot } from './catalogue-snapshot.js';

/** A benefits collection of one document whose title the test changes, as a write behind the service would. */
function catalogueStore() {
  const store = { title: 'Popcorn', fail: false };
  const Benefit = {
    find: () => ({
      sort: () => ({
        lean: () => ({
          exec: async (): Promise<BenefitDocument[]> => {
            if (store.fail) throw new Error('store unreachable');
            return [{ _id: 'SL-POPCORN', title: store.title } as BenefitDocument];
          },
        }),
      }),
    }),
  } as unknown as BenefitModel;
  return { store, Benefit };
}

const titleOf = async (snapshot: CatalogueSnapshot) => (await snapshot.current()).benefits[0].title;

describe('the catalogue held in memory', () => {
  it('reads the store once, until the time limit, however many requests ask', async () => {
    let now = 0;
    const { store, Benefit } = catalogueStore();
    const snapshot = new CatalogueSnapshot(Benefit, { ttlMs: 1_000, now: () => now });
    expect(await Promise.all([titleOf(snapshot), titleOf(snapshot)])).toEqual(['Popcorn', 'Popcorn']);
    store.title = 'Caramel popcorn';
    now = 999;
    expect(await titleOf(snapshot)).toBe('Popcorn');
    now = 1_000;
    expect(await titleOf(snapshot)).toBe('Caramel popcorn');
    expect(snapshot.reads).toBe(2);
  });

  it('is read again on the next request after a change here or an announced one', async () => {
    const notifications = new MemoryNotificationChannel();
    const { store, Benefit } = catalogueStore();
    const here = new CatalogueSnapshot(Benefit, { notifications });
    const elsewhere = new CatalogueSnapshot(Benefit, { notifications });
    elsewhere.start();
    await new Promise((resolve) => setImmediate(resolve)); // subscribed
    expect([await titleOf(here), await titleOf(elsewhere)]).toEqual(['Popcorn', 'Popcorn']);
    store.title = 'Caramel popcorn';
    await here.changed('renamed');
    expect(await titleOf(here)).toBe('Caramel popcorn');
    await new Promise((resolve) => setImmediate(resolve)); // the announcement is delivered on a later tick
    expect(await titleOf(elsewhere)).toBe('Caramel popcorn');
    await elsewhere.stop();
    store.title = 'Salted popcorn';
    await notifications.publish(CATALOGUE_CHANGED_TOPIC, 'after stop');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await titleOf(elsewhere)).toBe('Caramel popcorn');
  });

  it('keeps no failed read: the next request asks the store again', async () => {
    const { store, Benefit } = catalogueStore();
    const snapshot = new CatalogueSnapshot(Benefit);
    store.fail = true;
    await expect(snapshot.current()).rejects.toThrow('store unreachable');
    store.fail = false;
    expect(await titleOf(snapshot)).toBe('Popcorn');
  });

  it('hands out a catalogue no request can change', async () => {
    const { Benefit } = catalogueStore();
    const { benefits } = await new CatalogueSnapshot(Benefit).current();
    expect(() => {
      (benefits[0] as { title: string }).title = 'changed';
    }).toThrow(TypeError);
  });
});
