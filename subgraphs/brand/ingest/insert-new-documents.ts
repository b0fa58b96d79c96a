import type { Model } from 'mongoose';

interface WriteError {
  index: number;
  code: number;
}

const DUPLICATE_KEY = 11000;

/**
 * Inserts documents whose `_id` may already be taken (an unordered insertMany: the others still go in).
 * Returns the indexes of the documents refused as duplicates; any other failure is thrown.
 */
export async function insertNewDocuments<T>(model: Model<T>, docs: readonly T[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await model.insertMany(docs as T[], { ordered: false, lean: true });
    return new Set();
  } catch (error) {
    const found = (error as { writeErrors?: WriteError[] | WriteError }).writeErrors;
    const list = Array.isArray(found) ? found : found ? [found] : [];
    if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    return new Set(list.map((e) => e.index));
  }
}
