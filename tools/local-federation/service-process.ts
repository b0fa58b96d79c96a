import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../subgraphs/shared/config/paths.js';
import type { ReadyMessage } from '../../subgraphs/shared/supervised-process.js';
import { isReadyMessage } from '../../subgraphs/shared/supervised-process.js';

export interface ServiceProcessOptions {
  /** Prefixes every line the service writes. */
  name: string;
  /** The TypeScript entry point, run through tsx (or its compiled file, with `compiledDir`). */
  entry: string;
  /**
   * Where `npm run build` wrote the compiled JavaScript (tsconfig.build.json's `outDir`): the service then
   * runs the entry's `.js` there with plain node, as production does (no tsx, no source-map stack traces).
   */
  compiledDir?: string;
  args?: string[];
  /** Options for node itself (`--cpu-prof`, say), before the entry. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where the prefixed lines go; default: this process's stdout. */
  write?: (line: string) => void;
}

export interface ServiceProcess {
  name: string;
  pid: number | undefined;
  /** What the service announced once listening. */
  ready: Promise<ReadyMessage>;
  /** Settles with the exit code (or the signal's name) whenever the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs: number): Promise<void>;
}

/**
 * Runs one service as a child process with an IPC channel: it announces readiness over the channel, its
 * output is prefixed with its name (its JSON log lines shortened to level, message and fields), and it stops
 * by itself should this process die. It runs in its own process group, so a Ctrl-C reaches only the
 * supervisor, which stops the services in order (the gateway first, the store last).
 */
export function startServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const compiled = options.compiledDir ? compiledEntry(options.entry, options.compiledDir) : null;
  const child: ChildProcess = fork(compiled ?? options.entry, options.args ?? [], {
    execArgv: [...(compiled ? [] : ['--import', 'tsx']), ...(options.nodeArgs ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const prefix = `[${options.name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream)
      createInterface({ input: stream }).on('line', (line) => write(`${prefix} ${readableLogLine(line)}`));
  }
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    child.on('message', (message) => {
      if (isReadyMessage(message)) resolve(message);
    });
    void exited.then((how) => reject(new Error(`${options.name} exited (${how}) before it was ready`)));
  });
  ready.catch(() => undefined);
  return {
    name: options.name,
    pid: child.pid,
    ready,
    exited,
    stop: async (graceMs) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The compiled file of a TypeScript entry point of this project: `<compiledDir>/<its path>.js`. */
export function compiledEntry(entry: string, compiledDir: string): string {
  const path = relative(projectRoot(), entry);
  if (path.startsWith('..') || !path.endsWith('.ts'))
    throw new Error(`${entry} is not a TypeScript file of this project`);
  return join(compiledDir, path.replace(/\.ts$/, '.js'));
}

/** A pino JSON line as `level message key=value …`; any other line as it is. */
export function readableLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { level, msg, time: _time, pid: _pid, hostname: _host, service: _service, ...fields } = entry;
    if (typeof msg !== 'string') return line;
    const rest = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    return `${String(level ?? 'info')} ${msg}${rest ? ` ${rest}` : ''}`;
  } catch {
    return line; // Not JSON after all: shown as written.
  }
}
