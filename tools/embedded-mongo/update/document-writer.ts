import type { Document } from 'bson';
import { isPlainDocument } from '../storage/value-keys.js';

type Container = Document | unknown[];

/** Thrown when a document needs something the native update leaves to the query engine. */
export class EngineNeeded extends Error {
  constructor() {
    super('the query engine applies this update');
  }
}

/** Why a path cannot exist in the document: it continues below `element` (named `elementName`). */
export interface BlockedPath {
  field: string;
  elementName: string;
  element: unknown;
}

export interface Location {
  /** The value at the path; undefined when the field (or a parent) is absent. */
  value: unknown;
  /** The field's container is an array (the path's last part is an index). */
  inArray: boolean;
  /** An array was crossed on the way to the field. */
  throughArray: boolean;
  /** Set when the path runs into a scalar, or names a non-numeric field of an array. */
  blocked?: BlockedPath;
}

/** Arrays are padded with nulls up to a written index, within the limit the server sets. */
const MAX_PADDING = 1_500_000;

/**
 * The array position a path segment names: -1 when it is not a number. A number with leading zeros is
 * left to the query engine rather than guessing how the server reads it.
 */
function arrayIndex(part: string): number {
  const length = part.length;
  for (let i = 0; i < length; i += 1) {
    const code = part.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
  }
  if (length > 1 && part.charCodeAt(0) === 48) throw new EngineNeeded();
  return Number(part);
}

/** Own field of a document; inherited members (`toString`...) are functions, never BSON values. */
function fieldOf(doc: Document, part: string): unknown {
  const value = doc[part];
  return typeof value === 'function' ? undefined : value;
}

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isPlainDocument(value);
}

/**
 * Builds the updated version of a stored document without touching it: the containers on written paths
 * are copied (once each, shallowly), everything else is shared with the original. Stored documents are
 * never mutated, so sharing unchanged subtrees between versions is safe and spares a deep copy of the
 * whole document on every update.
 */
export class DocumentWriter {
  private root: Document | undefined;
  /** Containers this writer created or copied: the only ones it may mutate. */
  private readonly fresh = new Set<object>();

  constructor(private readonly original: Document) {}

  /** True once anything was written or removed. */
  get changed(): boolean {
    return this.root !== undefined;
  }

  /** The document as updated so far. */
  get current(): Document {
    return this.root ?? this.original;
  }

  locate(parts: readonly string[]): Location {
    let container: Container = this.current;
    let throughArray = false;
    const last = parts.length - 1;
    for (let i = 0; ; i += 1) {
      const part = parts[i];
      let child: unknown;
      const inArray = Array.isArray(container);
      if (inArray) {
        throughArray = true;
        const index = arrayIndex(part);
        if (index < 0) {
          const blocked = { field: part, elementName: parts[i - 1], element: container };
          return { value: undefined, inArray, throughArray, blocked };
        }
        child = (container as unknown[])[index];
      } else {
        child = fieldOf(container as Document, part);
      }
      if (i === last) return { value: child, inArray, throughArray };
      if (child === undefined) return { value: undefined, inArray: false, throughArray };
      if (!isContainer(child)) {
        const blocked = { field: parts[i + 1], elementName: part, element: child };
        return { value: undefined, inArray: false, throughArray, blocked };
      }
      container = child;
    }
  }

  /** Sets the value at a path that `locate` found viable, creating missing documents on the way. */
  write(parts: readonly string[], value: unknown): void {
    const parent = this.parentForWrite(parts);
    const last = parts[parts.length - 1];
    if (Array.isArray(parent)) {
      const index = arrayIndex(last);
      if (index - parent.length > MAX_PADDING) throw new EngineNeeded();
      while (parent.length < index) parent.push(null);
      parent[index] = value;
    } else {
      parent[last] = value;
    }
  }

  /** Removes the field at a path that exists; an array element becomes null, as on the server. */
  remove(parts: readonly string[]): void {
    const parent = this.parentForWrite(parts);
    const last = parts[parts.length - 1];
    if (Array.isArray(parent)) parent[arrayIndex(last)] = null;
    else delete parent[last];
  }

  private parentForWrite(parts: readonly string[]): Container {
    if (!this.root) {
      this.root = { ...this.original };
      this.fresh.add(this.root);
    }
    let container: Container = this.root;
    for (let i = 0; i < parts.length - 1; i += 1) {
      const part = parts[i];
      const index: number = Array.isArray(container) ? arrayIndex(part) : -1;
      const child: unknown =
        index >= 0 ? (container as unknown[])[index] : fieldOf(container as Document, part);
      if (child !== undefined && this.fresh.has(child as object)) {
        container = child as Container;
        continue;
      }
      let next: Container;
      if (child === undefined) next = {};
      else if (Array.isArray(child)) next = child.slice();
      else next = { ...(child as Document) };
      this.fresh.add(next);
      if (index >= 0) {
        const array = container as unknown[];
        if (index - array.length > MAX_PADDING) throw new EngineNeeded();
        while (array.length < index) array.push(null);
        array[index] = next;
      } else {
        (container as Document)[part] = next;
      }
      container = next;
    }
    return container;
  }
}
