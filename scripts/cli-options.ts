import { parseArgs } from 'node:util';

type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** The spec of flags that each take a string value, by name. */
export const stringFlags = (...names: string[]): OptionSpec =>
  Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));

/**
 * Parses a script's flags strictly; an unknown or malformed flag prints the usage and exits 2, `--help` prints
 * it and exits 0.
 */
export function readCliOptions<T extends OptionSpec>(spec: T, usage: string) {
  const values = parseStrictly(spec, usage);
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}

function parseStrictly<T extends OptionSpec>(spec: T, usage: string) {
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

/**
 * Reads a script's counts (`--name N`, each a positive integer defaulting to `defaults[name]`) and the other
 * flags in `others`; an unknown or malformed flag prints the usage and exits 2.
 */
export function readCountOptions<K extends string>(
  defaults: Record<K, number>,
  usage: string,
  others: OptionSpec = {},
): { counts: Record<K, number>; flags: Record<string, string | boolean | undefined> } {
  const names = Object.keys(defaults) as K[];
  const flags = readCliOptions({ ...stringFlags(...names), ...others }, usage) as Record<
    string,
    string | boolean | undefined
  >;
  const counts = Object.fromEntries(
    names.map((name) => [name, positiveInteger(flags[name] as string | undefined, name, defaults[name])]),
  ) as Record<K, number>;
  return { counts, flags };
}

/** Prints `message` and the usage, and exits 2: for a flag that is missing or does not fit. */
export const usageFailure =
  (usage: string) =>
  (message: string): never => {
    console.error(`${message}\nUsage: ${usage}`);
    process.exit(2);
  };
