import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { CliArgumentError, parseCliArguments } from './mongo-embedded-arguments.js';
import { embeddedOnly, useTemporaryDirectory } from '../tools/embedded-mongo/conformance/test-fixture.js';

const CLI = resolve(__dirname, 'mongo-embedded.ts');

function startCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: 'pipe' });
}

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolveLine(line);
    });
    child.once('exit', (code) => reject(new Error(`cli exited with ${String(code)} before printing`)));
  });
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolveCode) => child.once('exit', (code) => resolveCode(code)));
}

describe('cli arguments', () => {
  it('parses --port and --dbpath in both spellings', () => {
    expect(parseCliArguments(['--port', '27018', '--dbpath', '/tmp/x'])).toEqual({
      port: 27018,
      dbPath: '/tmp/x',
    });
    expect(parseCliArguments(['--port=0', '--timings'])).toEqual({ port: 0, timings: true });
  });

  it('names the bad argument', () => {
    expect(() => parseCliArguments(['--port', 'abc'])).toThrow(/--port must be an integer/);
    expect(() => parseCliArguments(['--port', '70000'])).toThrow(CliArgumentError);
    expect(() => parseCliArguments(['--dbpath'])).toThrow(/--dbpath needs a value/);
    expect(() => parseCliArguments(['--verbose'])).toThrow(/unknown argument '--verbose'/);
  });
});

embeddedOnly('cli process (embedded store)', () => {
  const snapshots = useTemporaryDirectory('embedded-mongo-cli-');

  it('prints the URI first, serves, and snapshots on SIGTERM', async () => {
    const child = startCli(['--port', '0', '--dbpath', snapshots.path]);
    const exited = exitCode(child);
    try {
      const uri = await firstLine(child);
      expect(uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
      const client = await MongoClient.connect(uri);
      await client.db('cli').collection('c').insertOne({ a: 1 });
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(await readdir(snapshots.path)).toEqual(['cli.bson']);
  });

  it('exits with status 2 and a usage line on bad arguments', async () => {
    const child = startCli(['--port', 'nope']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain("--port must be an integer between 0 and 65535, got 'nope'");
    expect(stderr).toContain('usage:');
  });
});
