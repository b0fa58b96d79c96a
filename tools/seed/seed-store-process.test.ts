import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from '../../subgraphs/shared/config/environment.js';
import { startSeedStore } from './seed-store-process.js';

/** The seed hears of a store that died under it (its writes would otherwise wait for a server that is gone). */
describe('the seed store process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'seed-store-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('tells of an exit it did not ask for, and not of a stop', async () => {
    const env = { ...readEnvironment({}), mongodbUri: undefined, mongoDataDir: dataDir };
    const died: (number | string)[] = [];
    const stopped = await startSeedStore(env, (how) => died.push(how));
    await stopped.stop();
    expect(died).toEqual([]);

    let told: (how: number | string) => void = () => undefined;
    const toldOf = new Promise<number | string>((resolve) => (told = resolve));
    const killed = await startSeedStore(env, (how) => told(how));
    expect(killed.pid).toEqual(expect.any(Number));
    process.kill(killed.pid!, 'SIGKILL');
    expect(await toldOf).toBe('SIGKILL');
  }, 60_000);
});
