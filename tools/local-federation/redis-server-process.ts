import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeRedis, connectRedis } from '../../subgraphs/shared/redis-connection.js';

/** Whether a `redis-server` binary is on the PATH. */
export function redisServerInstalled(): boolean {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

/** A port nobody listens on right now (the OS picks it, then it is released for redis-server). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A redis-server of a test's (or a benchmark's) own, without persistence, that it can stop and start again
 * on the same port: a restart comes back empty, as a Redis without persistence does after a crash. It can
 * also freeze the server (SIGSTOP): connections stay open and nothing answers, as with a hung Redis.
 */
export class RedisServerProcess {
  private process: ChildProcess | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 10_000): Promise<void> {
    if (this.process) throw new Error('redis-server is already running');
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.process = child;
    child.once('exit', () => {
      if (this.process === child) this.process = null;
    });
    const probe = connectRedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        if (!this.process) throw new Error(`redis-server on port ${this.port} exited at start`);
        const pong = await probe.ping().catch(() => null);
        if (pong === 'PONG') return;
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer PING`);
        await sleep(50);
      }
    } finally {
      await closeRedis(probe);
    }
  }

  /** Freezes the server: it keeps its connections and answers nothing until `resume()`. */
  freeze(): void {
    if (!this.process?.kill('SIGSTOP')) throw new Error('redis-server is not running');
  }

  resume(): void {
    if (!this.process?.kill('SIGCONT')) throw new Error('redis-server is not running');
  }

  /** Stops the server without saving and waits for the process to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) {
      this.process = null;
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.process = null;
  }
}
