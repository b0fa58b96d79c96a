import type { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';
import { Socket, createServer } from 'node:net';
import { FailOpenRedis } from './fail-open-redis.js';

/**
 * An answer that reached the socket while this process was busy is read, not taken for a timeout: the
 * "command" here resolves when a socket receives bytes this test wrote to its other end before blocking the
 * event loop for ten times the timeout, so the bytes are waiting when the timer fires (no other process
 * has to be scheduled in time).
 */
describe('FailOpenRedis', () => {
  it('does not blame Redis for an answer that came while this process was busy', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = new Socket();
    await new Promise<void>((resolve) =>
      client.connect((server.address() as AddressInfo).port, '127.0.0.1', resolve),
    );
    const other = await accepted;
    const errors: Error[] = [];
    const redis = new FailOpenRedis({ status: 'ready' } as unknown as Redis, {
      timeoutMs: 50,
      coolDownMs: 1_000,
      onError: (error) => errors.push(error),
    });
    try {
      const answer = redis.run(
        'get',
        () =>
          new Promise<string>((resolve) => client.once('data', (data: Buffer) => resolve(data.toString()))),
        'fallback',
      );
      other.write('answered');
      const until = Date.now() + 500;
      while (Date.now() < until);
      expect(await answer).toBe('answered');
      expect(errors).toEqual([]);
    } finally {
      client.destroy();
      other.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
