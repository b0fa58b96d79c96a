import { parseArgs } from 'node:util';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** Parses a script's flags strictly; an unknown or malformed flag prints the usage and exits 2. */
export function readCliOptions<T extends OptionSpec>(spec: T, usage: string) {
  try {
    return parseArgs({
      options: { ...spec, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\nUsage: ${usage}`);
    process.exit(2);
  }
}

export function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer; got "${value}".`);
    process.exit(2);
  }
  return n;
}
