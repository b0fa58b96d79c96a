import type { Model } from 'mongoose';
import { duplicateKeyIndexes } from '../../shared/db/duplicate-keys.js';

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
    return new Set(duplicateKeyIndexes(error));
  }
}
