import { runBenchScript } from './run-bench-script.js';

// `npm run bench:compression` with a small population: every collection it reports gets a line with the
// three dictionary sizes, each making the documents smaller in a positive time. It asserts no time.
const runBench = (args: string[]) => runBenchScript('scripts/bench-compression.ts', args);

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
