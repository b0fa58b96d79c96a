import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SUPERVISOR_GONE_EXIT_MS } from '../../subgraphs/shared/supervised-process.js';
import { DEMO_MEMBER_ID } from '../../tools/seed/demo-population.js';

// `npm start` as a user runs it (scripts/dev.ts): a supervisor that starts the store, the subgraphs and the
// gateway as three processes, on a small demo population and free ports.
const root = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));

interface Started {
  supervisor: ChildProcess;
  output: () => string;
  gatewayUrl: string;
  token: string;
  servicePids: number[];
}

function startSupervisor(): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MONGO_DATA_DIR: join(dataDir, 'mongo'),
    POPULATION_MODEL_PATH: join(dataDir, 'population.json'),
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  delete env.MONGODB_URI; // the embedded store is what `npm start` runs on a fresh clone
  delete env.REDIS_URL; // services then share the in-process stream: nothing leaks into a shared Redis
  const supervisor = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/dev.ts', '--members', '30', '--ephemeral-ports'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  supervisor.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  supervisor.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolvePromise, reject) => {
    const onExit = (code: number | null) => reject(new Error(`npm start exited (${code}):\n${output}`));
    supervisor.once('exit', onExit);
    const poll = setInterval(() => {
      if (!output.includes('Press Ctrl-C to stop.')) return;
      clearInterval(poll);
      supervisor.off('exit', onExit);
      resolvePromise({
        supervisor,
        output: () => output,
        gatewayUrl: /Gateway:\s+(\S+)/.exec(output)![1],
        token: /Dev token for \S+ \(.*\):\n(\S+)/.exec(output)![1],
        servicePids: /\(pids: ([\d, ]+)\)/.exec(output)![1].split(', ').map(Number),
      });
    }, 100);
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntilGone(pids: number[], withinMs: number): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

async function askForTheDemoMember(started: Started): Promise<unknown> {
  const response = await fetch(started.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${started.token}` },
    body: JSON.stringify({ query: '{ me { id profile { tier { code } } } }' }),
  });
  return response.json();
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  let started: Started | undefined;
  afterEach(async () => {
    if (started && started.supervisor.exitCode === null) started.supervisor.kill('SIGKILL');
    if (started) await waitUntilGone(started.servicePids, 20_000);
    started = undefined;
  });

  it('seeds an empty store, serves the graph from three processes, and stops them all on SIGINT', async () => {
    started = await startSupervisor();
    expect(started.output()).toContain('The store is empty: seeding 30 demo members');
    expect(started.output()).toContain('Processes:    store, subgraphs, gateway');
    expect(new Set([...started.servicePids, started.supervisor.pid]).size).toBe(4);
    expect(started.servicePids.every(alive)).toBe(true);

    const body = (await askForTheDemoMember(started)) as { data: { me: { id: string } } };
    expect(body.data.me.id).toBe(DEMO_MEMBER_ID);

    const exited = new Promise<number | null>((r) => started!.supervisor.once('exit', (code) => r(code)));
    started.supervisor.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await waitUntilGone(started.servicePids, 5_000)).toEqual([]);
    // The store wrote its snapshot on the way out: the next start reuses it.
    expect(readdirSync(join(dataDir, 'mongo')).some((file) => file.endsWith('.bson'))).toBe(true);
  }, 240_000);

  it('reuses stored data, and its services stop by themselves when the supervisor is killed', async () => {
    expect(existsSync(join(dataDir, 'population.json'))).toBe(true);
    started = await startSupervisor();
    expect(started.output()).not.toContain('The store is empty');
    const body = (await askForTheDemoMember(started)) as { data: { me: { id: string } } };
    expect(body.data.me.id).toBe(DEMO_MEMBER_ID);

    started.supervisor.kill('SIGKILL'); // no chance to stop anything: the services notice it is gone
    // Each stops in order, or exits regardless after SUPERVISOR_GONE_EXIT_MS.
    const left = await waitUntilGone(started.servicePids, SUPERVISOR_GONE_EXIT_MS + 15_000);
    const names = ['store', 'subgraphs', 'gateway'];
    expect(left.map((pid) => names[started!.servicePids.indexOf(pid)])).toEqual([]);
  }, 240_000);
});
