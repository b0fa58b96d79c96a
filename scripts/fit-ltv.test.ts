import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const fitLtv = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/fit-ltv.ts', ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('npm run fit:ltv', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fit-ltv-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits both models on the committed sample and prints parameters, log-likelihoods and a summary', async () => {
    const { code, stdout } = await fitLtv(['--csv', 'tools/samples/ltv-sample.csv']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Read 2,000 customers .* \(time unit: weeks\); 939 with repeat purchases/);
    expect(stdout).toMatch(/r = [\d.]+ {3}alpha = [\d.]+ {3}a = [\d.]+ {3}b = [\d.]+/);
    expect(stdout).toMatch(/p = [\d.]+ {3}q = [\d.]+ {3}gamma = [\d.]+/);
    expect(stdout.match(/log-likelihood -[\d.]+ {3}\(converged/g)).toHaveLength(2);
    expect(stdout).toMatch(/Done in [\d.]+ s: 2000 customers, 939 repeat buyers, no bad rows\./);
  });

  it('names the line and column of every bad row and fits nothing', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(
      path,
      'customer_id,frequency,recency,T,monetary_value\nC1,2,3,10,500\nC2,x,3,10,5\nC3,2,11,10,5\n',
    );
    const { code, stderr, stdout } = await fitLtv(['--csv', path]);
    expect(code).toBe(1);
    expect(stderr).toContain('2 bad rows; nothing fitted.');
    expect(stderr).toContain('line 3, column "frequency": "x" is not a number');
    expect(stderr).toContain('line 4, column "recency": recency must not exceed T');
    expect(stdout).toBe('');
  });

  it('explains a bad header, a missing file and bad flags', async () => {
    const header = join(dir, 'header.csv');
    writeFileSync(header, 'id,freq,recency,T\n');
    expect((await fitLtv(['--csv', header])).stderr).toContain(
      'line 1: missing columns "frequency", "monetary_value"',
    );
    expect((await fitLtv(['--csv', join(dir, 'none.csv')])).stderr).toContain('Cannot read');
    const unit = await fitLtv(['--csv', header, '--unit', 'months']);
    expect(unit.code).toBe(2);
    expect(unit.stderr).toContain('--unit must be weeks or days');
  });
});
