import { startEmbeddedMongo } from '../index.js';
import type { EmbeddedMongoOptions } from '../index.js';

export interface TestMongo {
  uri: string;
  /** True when the suite runs against the embedded store (no `MONGODB_URI`). */
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The server a conformance test talks to: the real MongoDB named by `MONGODB_URI` when set, so the
 * same suite checks the store against the real thing, otherwise a fresh embedded store.
 */
export async function startTestMongo(options: EmbeddedMongoOptions = {}): Promise<TestMongo> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, embedded: false, stop: async () => undefined };
  const server = await startEmbeddedMongo(options);
  return { uri: server.uri, embedded: true, stop: () => server.stop() };
}

/** A database name no other test file or run uses, so suites never see each other's data. */
export function uniqueDbName(area: string): string {
  return `conformance_${area}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Every `stage` named anywhere in an explain plan (classic and slot-based engines nest them differently). */
export function planStages(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(planStages);
  if (plan === null || typeof plan !== 'object') return [];
  const own =
    typeof (plan as { stage?: unknown }).stage === 'string' ? [(plan as { stage: string }).stage] : [];
  return [...own, ...Object.values(plan).flatMap(planStages)];
}
