import type { Catalog } from './catalog.js';
import { valuesAtPath } from './value-keys.js';

/**
 * Removes documents whose TTL index date has expired, on a timer like the server's TTL monitor.
 * As on the server, only single-field indexes count, only Date values (or the earliest Date in an
 * array) expire, and removal is eventual: a document may outlive its expiry by one interval.
 */
export function startTtlMonitor(catalog: Catalog, intervalMs: number): { stop(): void } {
  const sweep = () => {
    const now = Date.now();
    for (const db of catalog.databases.values()) {
      for (const collection of db.values()) {
        for (const index of collection.indexes.values()) {
          const ttlSeconds = index.spec.expireAfterSeconds;
          if (typeof ttlSeconds !== 'number' || index.fieldNames.length !== 1) continue;
          const parts = index.fieldNames[0].split('.');
          const cutoff = now - ttlSeconds * 1000;
          for (const [id, doc] of [...collection.entries()]) {
            const dates = valuesAtPath(doc, parts).filter((value): value is Date => value instanceof Date);
            if (dates.length > 0 && Math.min(...dates.map((date) => date.getTime())) <= cutoff)
              collection.remove(id);
          }
        }
      }
    }
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
