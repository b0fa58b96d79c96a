import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// `npm run bench:compression` with a small population: every collection it reports gets a line with the
// three dictionary sizes, each making the documents smaller in a positive time. It asserts no time.
const root = resolve(__dirname, '../..');

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-compression.ts', ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

test('npm run bench:compression prints each large collection at three dictionary sizes', async () => {
  const { code, stdout, stderr } = await runBench([
    '--members',
    '120',
    '--rounds',
    '1',
    '--min-documents',
    '300',
  ]);
  // stderr carries the seed's progress bar; it is shown only when the script fails.
  expect({ code, failure: code === 0 ? '' : stderr }).toEqual({ code: 0, failure: '' });
  const lines = stdout.split('\n').filter((line) => / documents, \d+ B each\): /.test(line));
  // The four brands' events at least.
  expect(lines.filter((line) => /_brand_\w+\.events /.test(line))).toHaveLength(4);
  for (const line of lines) {
    const cells = [...line.matchAll(/(\d) KB ([\d.]+)× ([\d.]+) µs/g)];
    expect(cells.map((cell) => cell[1])).toEqual(['8', '4', '2']);
    for (const [, , ratio, micros] of cells) {
      expect(Number(ratio)).toBeGreaterThan(1);
      expect(Number(micros)).toBeGreaterThan(0);
    }
  }
}, 120_000);

test('npm run bench:compression refuses a count that is not a positive integer', async () => {
  const { code, stderr } = await runBench(['--rounds', 'zero']);
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/rounds/);
});
