import type { StoredDocument } from './stored-document.js';
import { encodeIndexedValue } from './value-keys.js';
import type { IndexedValue } from './value-keys.js';

/**
 * The classes of values a range query can ask for: `$gt`/`$gte`/`$lt`/`$lte` compare only values of the
 * bound's own type (MongoDB's type bracketing), so a range is always inside one class.
 */
export enum RangeClass {
  Number = 1,
  String = 2,
  Date = 3,
}

/** A value's place in its class's order: numbers and dates as numbers, strings as themselves. */
export interface RangePoint {
  class: RangeClass;
  value: number | string;
}

export interface RangeBound extends RangePoint {
  inclusive: boolean;
}

/** A range within one class; a missing bound is open at that end of the class. */
export interface KeyRange {
  class: RangeClass;
  lower?: RangeBound;
  upper?: RangeBound;
}

function numberOf(value: object): number | undefined {
  const type = (value as { _bsontype?: unknown })._bsontype;
  return type === 'Int32' || type === 'Double' || type === 'Long' ? Number(value.toString()) : undefined;
}

/**
 * Where a value sits in range order, or undefined when no range can match it: values of other types (null,
 * missing, documents, ObjectIds, booleans) are never inside a number, string or date range. NaN and invalid
 * dates keep their class with a NaN value: they have no place in the order, but the query engine lets an
 * inclusive bound match them, so a range read offers them to the filter like a scan would.
 */
export function rangePointOf(value: unknown): RangePoint | undefined {
  if (typeof value === 'number') return { class: RangeClass.Number, value };
  if (typeof value === 'string') return { class: RangeClass.String, value };
  if (value instanceof Date) return { class: RangeClass.Date, value: value.getTime() };
  if (value !== null && typeof value === 'object') {
    const number = numberOf(value);
    if (number !== undefined) return { class: RangeClass.Number, value: number };
  }
  return undefined;
}

/**
 * The range point of one field's key encoding (value-keys.ts): numbers `n…`, strings `s<length>:…`, dates
 * `d<ms>`; undefined for any other type (no range holds it); null when the encoding is a number or string
 * that does not read back (a decimal beyond a double, say), which only the document can place.
 */
function pointOfEncoding(encoding: string): RangePoint | undefined | null {
  switch (encoding[0]) {
    case 'n': {
      const value = Number(encoding.slice(1));
      return Number.isNaN(value) && encoding !== 'nNaN' ? null : { class: RangeClass.Number, value };
    }
    case 's': {
      const colon = encoding.indexOf(':');
      const value = encoding.slice(colon + 1);
      return colon > 1 && Number(encoding.slice(1, colon)) === value.length
        ? { class: RangeClass.String, value }
        : null;
    }
    case 'd':
      return { class: RangeClass.Date, value: Number(encoding.slice(1)) };
    default:
      return undefined;
  }
}

function unordered(point: RangePoint): boolean {
  return typeof point.value === 'number' && Number.isNaN(point.value);
}

interface Entry extends RangePoint {
  record: StoredDocument;
}

function comparePoints(a: RangePoint, b: RangePoint): number {
  if (a.class !== b.class) return a.class - b.class;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** How many of the sorted `entries` stand before `point` (those equal to it too, when `equalBefore`). */
function positionOf(entries: readonly Entry[], point: RangePoint, equalBefore: boolean): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const cmp = comparePoints(entries[mid], point);
    if (cmp < 0 || (cmp === 0 && equalBefore)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The positions `[from, to)` of the sorted `entries` inside `range`. */
function span(entries: readonly Entry[], range: KeyRange): [number, number] {
  const start: RangePoint = range.lower ?? {
    class: range.class,
    value: range.class === RangeClass.String ? '' : -Infinity,
  };
  const from = positionOf(entries, start, range.lower ? !range.lower.inclusive : false);
  const to = range.upper
    ? positionOf(entries, range.upper, range.upper.inclusive)
    : positionOf(entries, { class: range.class + 1, value: -Infinity }, false);
  return [from, Math.max(from, to)];
}

/**
 * The entries of one group of an index (one value of its equality prefix) in range order. Writes go to a
 * small sorted `recent` array and removals of older entries are only marked, so a write costs a binary
 * search and a short copy; both are merged into `settled` once they grow past about four times the square
 * root of the group's size, which keeps the merge's cost per write small however large the group is.
 */
/** Equal values read before a group starts keeping each record's entries (`OrderedGroup.byRecord`). */
const LONG_RUN = 64;

function entriesOf(byRecord: Map<StoredDocument, Entry[]>, record: StoredDocument): Entry[] {
  let entries = byRecord.get(record);
  if (!entries) byRecord.set(record, (entries = []));
  return entries;
}

class OrderedGroup {
  private settled: Entry[] = [];
  private recent: Entry[] = [];
  private readonly removed = new Set<Entry>();
  /** Entries with a NaN value, outside the order. */
  private readonly strays: Entry[] = [];
  /**
   * Each record's live ordered entries, kept once a search met a long run of equal values (events received in
   * the same millisecond, say), where finding one record's entry by its value alone would read the whole run.
   */
  private byRecord: Map<StoredDocument, Entry[]> | undefined;

  get size(): number {
    return this.settled.length - this.removed.size + this.recent.length + this.strays.length;
  }

  private get mergeAfter(): number {
    return Math.max(256, Math.ceil(4 * Math.sqrt(this.settled.length)));
  }

  add(point: RangePoint, record: StoredDocument): void {
    const entry: Entry = { class: point.class, value: point.value, record };
    if (unordered(point)) {
      this.strays.push(entry);
      return;
    }
    this.recent.splice(positionOf(this.recent, point, true), 0, entry);
    if (this.byRecord) entriesOf(this.byRecord, record).push(entry);
    if (this.recent.length > this.mergeAfter) this.merge();
  }

  /** Adds an entry while the group is being loaded, in any order; `sort` must follow. */
  push(entry: Entry): void {
    if (unordered(entry)) this.strays.push(entry);
    else this.settled.push(entry);
  }

  sort(): void {
    this.settled.sort(comparePoints);
  }

  remove(point: RangePoint, record: StoredDocument): void {
    if (unordered(point)) {
      const at = this.strays.findIndex((entry) => entry.record === record && entry.class === point.class);
      if (at >= 0) this.strays.splice(at, 1);
      return;
    }
    const entry = this.take(point, record);
    if (!entry) return;
    const recentAt = this.recent.indexOf(entry);
    if (recentAt >= 0) {
      this.recent.splice(recentAt, 1);
      return;
    }
    this.removed.add(entry);
    if (this.removed.size > this.mergeAfter) this.merge();
  }

  /** `record`'s live ordered entry at `point` (recent or settled), no longer listed under `record`; or undefined. */
  private take(point: RangePoint, record: StoredDocument): Entry | undefined {
    if (!this.byRecord) {
      const found = this.findInRun(this.recent, point, record) ?? this.findInRun(this.settled, point, record);
      if (found !== 'long run') return found;
      this.byRecord = new Map();
      for (const entry of this.settled)
        if (!this.removed.has(entry)) entriesOf(this.byRecord, entry.record).push(entry);
      for (const entry of this.recent) entriesOf(this.byRecord, entry.record).push(entry);
    }
    const entries = this.byRecord.get(record);
    const at = entries?.findIndex((entry) => comparePoints(entry, point) === 0) ?? -1;
    if (at < 0) return undefined;
    const [entry] = entries!.splice(at, 1);
    if (entries!.length === 0) this.byRecord.delete(record);
    return entry;
  }

  /** `record`'s live entry at `point` in `entries`, undefined if none, `long run` past 64 equal values. */
  private findInRun(
    entries: readonly Entry[],
    point: RangePoint,
    record: StoredDocument,
  ): Entry | undefined | 'long run' {
    let read = 0;
    for (let i = positionOf(entries, point, false); i < entries.length; i += 1) {
      const entry = entries[i];
      if (comparePoints(entry, point) !== 0) break;
      if (entry.record === record && !this.removed.has(entry)) return entry;
      if (++read > LONG_RUN) return 'long run';
    }
    return undefined;
  }

  private merge(): void {
    const merged: Entry[] = [];
    let r = 0;
    for (const entry of this.settled) {
      if (this.removed.has(entry)) continue;
      while (r < this.recent.length && comparePoints(this.recent[r], entry) < 0)
        merged.push(this.recent[r++]);
      merged.push(entry);
    }
    while (r < this.recent.length) merged.push(this.recent[r++]);
    this.settled = merged;
    this.recent = [];
    this.removed.clear();
  }

  /** About how many entries lie in `range` (entries marked removed are still counted). */
  estimate(range: KeyRange): number {
    const [from, to] = span(this.settled, range);
    const [recentFrom, recentTo] = span(this.recent, range);
    return to - from + recentTo - recentFrom + this.strays.length;
  }

  /** Live entries with a place in the order (NaN values have none). */
  get orderedSize(): number {
    return this.settled.length - this.removed.size + this.recent.length;
  }

  /**
   * Every live entry in order, numbers before strings before dates as in BSON's order (`-1`: reversed). Read
   * it within one synchronous run: a write merges the arrays this walks.
   */
  *inOrder(direction: 1 | -1): Generator<StoredDocument> {
    const { settled, recent, removed } = this;
    if (direction === 1) {
      let r = 0;
      for (const entry of settled) {
        while (r < recent.length && comparePoints(recent[r], entry) < 0) yield recent[r++].record;
        if (!removed.has(entry)) yield entry.record;
      }
      while (r < recent.length) yield recent[r++].record;
      return;
    }
    let r = recent.length - 1;
    for (let i = settled.length - 1; i >= 0; i -= 1) {
      const entry = settled[i];
      while (r >= 0 && comparePoints(recent[r], entry) > 0) yield recent[r--].record;
      if (!removed.has(entry)) yield entry.record;
    }
    while (r >= 0) yield recent[r--].record;
  }

  /** Calls `visit` for every live entry in `range`, in range order, then for the class's NaN entries. */
  scan(range: KeyRange, visit: (record: StoredDocument) => void): void {
    const [from, to] = span(this.settled, range);
    const [recentFrom, recentTo] = span(this.recent, range);
    let r = recentFrom;
    for (let i = from; i < to; i += 1) {
      const entry = this.settled[i];
      while (r < recentTo && comparePoints(this.recent[r], entry) < 0) visit(this.recent[r++].record);
      if (!this.removed.has(entry)) visit(entry.record);
    }
    while (r < recentTo) visit(this.recent[r++].record);
    for (const entry of this.strays) if (entry.class === range.class) visit(entry.record);
  }
}

/** The full keys of one document: the raw values of each key combination (multikey documents have several). */
type KeyValues = Iterable<IndexedValue[]>;

/**
 * One index's entries ordered by the field after its first `prefixLength` fields, grouped by the values of
 * those fields: a query with equalities on the prefix and a range on the next field reads one group's
 * slice. Built on first use by a range query and kept current by the index from then on.
 */
export class OrderedKeys {
  private readonly groups = new Map<string, OrderedGroup>();

  constructor(readonly prefixLength: number) {}

  /** The group key of one key combination: the prefix's encoding as the equality lookups make it. */
  private groupOf(values: IndexedValue[]): string {
    let key = '';
    for (let i = 0; i < this.prefixLength; i += 1)
      key += i === 0 ? encodeIndexedValue(values[i]) : `|${encodeIndexedValue(values[i])}`;
    return key;
  }

  private *points(values: KeyValues): Generator<[string, RangePoint]> {
    for (const combination of values) {
      const point = rangePointOf(combination[this.prefixLength]);
      if (point) yield [this.groupOf(combination), point];
    }
  }

  /** Fills the structure from every record and its keys, sorting each group once. */
  load(records: Iterable<[StoredDocument, KeyValues]>): void {
    for (const [record, values] of records) {
      for (const [group, point] of this.points(values)) {
        let ordered = this.groups.get(group);
        if (!ordered) this.groups.set(group, (ordered = new OrderedGroup()));
        ordered.push({ class: point.class, value: point.value, record });
      }
    }
    for (const group of this.groups.values()) group.sort();
  }

  /**
   * Fills the structure from the index's own key maps, without reading a document: `keys` maps each encoded
   * key of the first `prefixLength + 1` fields to its documents, `isGroup` says whether a string is an encoded
   * key of the first `prefixLength` fields. False when a key's last field cannot be read back from its
   * encoding (the structure is then left empty, for `load` to fill from the documents).
   */
  loadFromKeys(
    keys: Iterable<[string, Iterable<StoredDocument>]>,
    isGroup: (key: string) => boolean,
  ): boolean {
    const found: [string, RangePoint, Iterable<StoredDocument>][] = [];
    for (const [key, records] of keys) {
      let split = -1;
      if (this.prefixLength > 0) {
        // Encodings are self-delimiting, so exactly one `|` ends an encoded key of the prefix.
        for (let at = key.indexOf('|'); at !== -1; at = key.indexOf('|', at + 1)) {
          if (isGroup(key.slice(0, at))) {
            split = at;
            break;
          }
        }
        if (split === -1) return false;
      }
      const point = pointOfEncoding(key.slice(split + 1));
      if (point === null) return false;
      if (point) found.push([this.prefixLength > 0 ? key.slice(0, split) : '', point, records]);
    }
    for (const [group, point, records] of found) {
      let ordered = this.groups.get(group);
      if (!ordered) this.groups.set(group, (ordered = new OrderedGroup()));
      for (const record of records) ordered.push({ class: point.class, value: point.value, record });
    }
    for (const group of this.groups.values()) group.sort();
    return true;
  }

  add(record: StoredDocument, values: KeyValues): void {
    for (const [group, point] of this.points(values)) {
      let ordered = this.groups.get(group);
      if (!ordered) this.groups.set(group, (ordered = new OrderedGroup()));
      ordered.add(point, record);
    }
  }

  remove(record: StoredDocument, values: KeyValues): void {
    for (const [group, point] of this.points(values)) {
      const ordered = this.groups.get(group);
      if (!ordered) continue;
      ordered.remove(point, record);
      if (ordered.size === 0) this.groups.delete(group);
    }
  }

  estimate(group: string, range: KeyRange): number {
    return this.groups.get(group)?.estimate(range) ?? 0;
  }

  scan(group: string, range: KeyRange, visit: (record: StoredDocument) => void): void {
    this.groups.get(group)?.scan(range, visit);
  }

  /**
   * A group's documents in the order of the field after the prefix, when every one of the group's `entries`
   * index entries has a place in that order (a number, string or date other than NaN); undefined when some
   * have none (null, missing, another type), which only a sort of the documents themselves can place.
   */
  inOrder(group: string, entries: number, direction: 1 | -1): Iterable<StoredDocument> | undefined {
    const ordered = this.groups.get(group);
    if (!ordered || ordered.size !== entries || ordered.orderedSize !== entries) return undefined;
    return ordered.inOrder(direction);
  }
}
