/** MongoDB's code for a write refused because its unique key (`_id` or a unique index) is taken. */
export const DUPLICATE_KEY = 11000;

/**
 * The positions an unordered bulk write (insertMany, bulkWrite) refused as duplicate keys, read from the
 * error it threw; the other operations went through. Any other failure is thrown again, as it is.
 */
export function duplicateKeyIndexes(error: unknown): number[] {
  const found = (error as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(found) ? found : found ? [found] : []) as { code: number; index: number }[];
  if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw error;
  return list.map((e) => e.index);
}
