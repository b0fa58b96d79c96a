import { testKeyPrefix } from '../../../test/test-key-prefix.js';
import { createNotificationChannel } from './create-notification-channel.js';
import { MemoryNotificationChannel } from './memory-notification-channel.js';
import type { NotificationChannel } from './notification-channel.js';

/* What the notification port promises, on the in-process channel always and on Redis when REDIS_URL is set. */
const redisUrl = process.env.REDIS_URL;
const backends: [string, () => NotificationChannel][] = [
  ['in-process channel', () => new MemoryNotificationChannel()],
];
if (redisUrl) {
  const keyPrefix = testKeyPrefix('notifications');
  backends.push(['Redis pub/sub', () => createNotificationChannel({ url: redisUrl, keyPrefix })]);
}

function nextMessage(channel: NotificationChannel, topic: string): Promise<string> {
  return new Promise((resolve) => {
    const off = channel.subscribe(topic, (message) => {
      void off.then((unsubscribe) => unsubscribe());
      resolve(message);
    });
  });
}

describe.each(backends)('%s', (_label, open) => {
  let channel: NotificationChannel;
  beforeEach(() => (channel = open()));
  afterEach(() => channel.close());

  it('delivers a message published after the subscription to every subscriber of the topic', async () => {
    const received: string[] = [];
    const first = nextMessage(channel, 'model');
    const unsubscribe = await channel.subscribe('model', (m) => received.push(m));
    await new Promise((r) => setTimeout(r, 20)); // the first subscription is in place before publishing
    await channel.publish('model', 'v2');
    expect(await first).toBe('v2');
    await unsubscribe();
    expect(received).toEqual(['v2']);
  });

  it('keeps topics apart and stops delivering after unsubscribing', async () => {
    const other: string[] = [];
    const unsubscribeOther = await channel.subscribe('other', (m) => other.push(m));
    const received = nextMessage(channel, 'model');
    await new Promise((r) => setTimeout(r, 20));
    await unsubscribeOther();
    await channel.publish('other', 'not for model');
    await channel.publish('model', 'v3');
    expect(await received).toBe('v3');
    expect(other).toEqual([]);
  });
});
