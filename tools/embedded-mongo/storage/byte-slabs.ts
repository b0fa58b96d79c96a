/**
 * Where stored documents' bytes live: copied end to end into large buffers (slabs) of the store's own, so a
 * document costs its encoded size plus three numbers, not a Buffer object of its own, and its bytes never
 * share memory with short-lived buffers (replies, network reads) that would keep them from being freed.
 *
 * Slabs are append-only. A replaced or removed document leaves dead bytes behind; once a full slab is more
 * than half dead, its live documents are copied into the current slab and the old one is dropped, so memory
 * stays within about twice the live data.
 */

/** One stored byte range; `slab` is undefined once it is freed. */
export interface SlabResident {
  slab: Slab | undefined;
  offset: number;
  length: number;
}

export class Slab {
  used = 0;
  live = 0;
  /** Everything ever placed here; those that moved or were freed no longer point at this slab. */
  readonly residents: SlabResident[] = [];
  constructor(readonly buffer: Buffer) {}
}

const SLAB_BYTES = 1 << 20;
/** A document at least this large gets a slab of its own instead of taking room in the shared one. */
const OWN_SLAB_BYTES = 64 * 1024;

export class ByteSlabs {
  private current = new Slab(Buffer.allocUnsafeSlow(SLAB_BYTES));
  /** Bytes held by slabs (live and dead) and by live documents. */
  allocatedBytes = SLAB_BYTES;
  liveBytes = 0;
  compactions = 0;

  /** Copies `bytes` into a slab and points `resident` at it. */
  place(resident: SlabResident, bytes: Uint8Array): void {
    const length = bytes.length;
    let slab: Slab;
    if (length >= OWN_SLAB_BYTES) {
      slab = new Slab(Buffer.allocUnsafeSlow(length));
      this.allocatedBytes += length;
    } else {
      if (this.current.used + length > this.current.buffer.length) {
        this.current = new Slab(Buffer.allocUnsafeSlow(SLAB_BYTES));
        this.allocatedBytes += SLAB_BYTES;
      }
      slab = this.current;
    }
    slab.buffer.set(bytes, slab.used);
    resident.slab = slab;
    resident.offset = slab.used;
    resident.length = length;
    slab.used += length;
    slab.live += length;
    slab.residents.push(resident);
    this.liveBytes += length;
  }

  /** The resident's bytes, as a view (no copy). */
  view(resident: SlabResident): Buffer {
    const slab = resident.slab;
    if (!slab) throw new Error('stored document bytes read after they were freed');
    return slab.buffer.subarray(resident.offset, resident.offset + resident.length);
  }

  /** Frees the resident's bytes; a mostly dead slab has its live documents moved out. */
  free(resident: SlabResident): void {
    const slab = resident.slab;
    if (!slab) return;
    resident.slab = undefined;
    slab.live -= resident.length;
    this.liveBytes -= resident.length;
    if (slab === this.current) return;
    if (slab.live === 0) {
      this.allocatedBytes -= slab.buffer.length;
      slab.residents.length = 0;
    } else if (slab.live * 2 < slab.used) {
      this.compact(slab);
    }
  }

  private compact(slab: Slab): void {
    this.compactions += 1;
    for (const resident of slab.residents) {
      if (resident.slab !== slab) continue;
      const bytes = slab.buffer.subarray(resident.offset, resident.offset + resident.length);
      this.liveBytes -= resident.length;
      this.place(resident, bytes);
    }
    slab.residents.length = 0;
    this.allocatedBytes -= slab.buffer.length;
  }
}
