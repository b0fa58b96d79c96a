import type { Document } from 'bson';
import { compare } from 'mingo/util';

type SortKey = number | string | Date;

/** The value at a dotted path through plain sub-documents; undefined when it is missing, an array or null. */
function simpleValue(doc: Document, path: readonly string[]): SortKey | undefined {
  let value: unknown = doc;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date)
      return undefined;
    value = (value as Document)[key];
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' || value instanceof Date) return value;
  return undefined;
}

const kindOf = (value: SortKey): string => (value instanceof Date ? 'date' : typeof value);

/**
 * The first `keep` documents of `docs` in `sort` order (ties in their order in `docs`, as a stable sort
 * leaves them), without sorting them all: a bounded heap, so a relay reading the oldest 200 of half a million
 * waiting documents compares each once or a few times. Only for keys every document has as one simple type
 * per field (finite numbers, strings or dates, no arrays or nulls on the way), where the order is plain
 * comparison; returns undefined otherwise, and the caller sorts as usual.
 */
export function topSorted(docs: readonly Document[], sort: Document, keep: number): Document[] | undefined {
  const fields = Object.entries(sort).map(([field, direction]) => ({
    path: field.split('.'),
    direction: direction as number,
  }));
  const keys: SortKey[][] = new Array(docs.length);
  const kinds: (string | undefined)[] = fields.map(() => undefined);
  for (let i = 0; i < docs.length; i++) {
    const row: SortKey[] = new Array(fields.length);
    for (let f = 0; f < fields.length; f++) {
      const value = simpleValue(docs[i], fields[f].path);
      if (value === undefined) return undefined;
      const kind = kindOf(value);
      if (kinds[f] === undefined) kinds[f] = kind;
      else if (kinds[f] !== kind) return undefined;
      row[f] = value;
    }
    keys[i] = row;
  }
  /** Negative when document a comes before document b. */
  const order = (a: number, b: number): number => {
    for (let f = 0; f < fields.length; f++) {
      const c = compare(keys[a][f], keys[b][f]);
      if (c !== 0) return c * fields[f].direction;
    }
    return a - b;
  };
  // A max-heap (by `order`) of the best `keep` seen so far: its root is the one to drop first.
  const heap: number[] = [];
  const siftDown = (from: number): void => {
    for (let i = from; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && order(heap[left], heap[largest]) > 0) largest = left;
      if (right < heap.length && order(heap[right], heap[largest]) > 0) largest = right;
      if (largest === i) return;
      [heap[i], heap[largest]] = [heap[largest], heap[i]];
      i = largest;
    }
  };
  for (let i = 0; i < docs.length; i++) {
    if (heap.length < keep) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0;) {
        const parent = (c - 1) >> 1;
        if (order(heap[c], heap[parent]) <= 0) break;
        [heap[c], heap[parent]] = [heap[parent], heap[c]];
        c = parent;
      }
    } else if (order(i, heap[0]) < 0) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort(order).map((i) => docs[i]);
}
