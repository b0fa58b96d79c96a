/** Options of `npm run mongo:embedded`, validated in one place with messages that name the bad flag. */
export interface CliOptions {
  port: number;
  dbPath?: string;
  /** Record per-command server-side time, reported by serverStatus under `embeddedStore`. */
  timings?: boolean;
}

export const USAGE = 'usage: npm run mongo:embedded -- [--port <0-65535>] [--dbpath <directory>] [--timings]';

export class CliArgumentError extends Error {}

export function parseCliArguments(argv: readonly string[]): CliOptions | 'help' {
  const options: CliOptions = { port: 27017 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    if (name === '--help' || name === '-h') return 'help';
    if (name === '--timings' && inline === undefined) {
      options.timings = true;
      continue;
    }
    if (name !== '--port' && name !== '--dbpath' && name !== '--dbPath') {
      throw new CliArgumentError(`unknown argument '${flag}'`);
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || value.startsWith('--')) throw new CliArgumentError(`${name} needs a value`);
    if (name === '--port') {
      const port = Number(value);
      if (!/^\d+$/.test(value) || port > 65535) {
        throw new CliArgumentError(`--port must be an integer between 0 and 65535, got '${value}'`);
      }
      options.port = port;
    } else {
      if (value.trim().length === 0) throw new CliArgumentError(`${name} must be a directory path`);
      options.dbPath = value;
    }
  }
  return options;
}
