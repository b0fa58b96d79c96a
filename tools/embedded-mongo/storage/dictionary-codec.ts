import { types } from 'node:util';
import type { DeflateRaw, InflateRaw } from 'node:zlib';
import { constants, createDeflateRaw, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How much of a collection's sample documents its dictionary keeps (the tail). Deflate reads the whole
 * dictionary again for every document, so its size sets the cost of a write. `npm run bench:compression`
 * (2,000 members, idle machine), the four brands' events: 4.26–4.43× smaller in 20.7–25.5 µs a document
 * with 8 KB, 3.88–4.34× in 14.3–18.9 µs with 4 KB, 3.83–4.06× in 12.5–16.3 µs with 2 KB; members 8.82×,
 * 8.07×, 7.28×. 4 KB: about a third less time a write for a few per cent more bytes.
 */
export const DICTIONARY_BYTES = 4 * 1024;

const DEFLATE_LEVEL = 1;

/**
 * `reuseStreams: false` makes codecs that open their streams after it (at their first document) use the
 * one-call functions instead (`bench:store-writes` compares the two).
 */
export const codecSettings = { reuseStreams: true };

/**
 * The part of node's zlib object a reused stream drives: its native handle compresses a whole input in one
 * synchronous call into a buffer we own, and `reset` makes it ready for the next document with the same
 * dictionary, set again by node. `zlib.deflateRawSync` builds a new stream per call instead: a native
 * object, zlib's state (for deflate about 256 KB by zlib's own formula) and a 16 KB output chunk each time, which was about half
 * of the store's compression time with 100,000 members, and each inflated result was a view keeping its
 * whole 16 KB chunk alive.
 */
interface NativeZlib {
  writeSync(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void;
  reset(): void;
  onerror: (errno: number, code: string, message: string) => void;
}

/** One zlib stream kept open and reset after each document; null where node's zlib object is not as expected. */
class ReusedStream {
  private error: Error | undefined;
  private output: Buffer = Buffer.allocUnsafe(16 * 1024);

  private constructor(
    private readonly handle: NativeZlib,
    /** node's `[availOutAfter, availInAfter]` after each `writeSync`. */
    private readonly state: Uint32Array,
  ) {
    handle.onerror = (_errno, code, message) => {
      this.error = Object.assign(new Error(message), { code });
    };
  }

  static open(engine: DeflateRaw | InflateRaw): ReusedStream | null {
    const { _handle: handle, _writeState: state } = engine as unknown as {
      _handle?: Partial<NativeZlib>;
      _writeState?: unknown;
    };
    const usable =
      typeof handle?.writeSync === 'function' &&
      typeof handle.reset === 'function' &&
      // Not `instanceof`: node's array may come from another realm than the caller's (a test's vm context).
      types.isUint32Array(state) &&
      state.length === 2;
    return usable ? new ReusedStream(handle as NativeZlib, state) : null;
  }

  /**
   * The whole output for `input`, in a buffer of this stream's, valid until the next call. `expected`: how
   * many bytes the output may take (more is made room for).
   */
  run(input: Uint8Array, expected: number): Buffer {
    if (this.output.length < expected + 1) this.output = Buffer.allocUnsafe(expected + 1);
    for (;;) {
      this.handle.writeSync(constants.Z_FINISH, input, 0, input.length, this.output, 0, this.output.length);
      const error = this.error;
      this.error = undefined;
      this.handle.reset();
      if (error) throw error;
      const [outputLeft, inputLeft] = this.state;
      // Room left over means the stream ended within the buffer; none, that the buffer was too small.
      if (inputLeft === 0 && outputLeft > 0) return this.output.subarray(0, this.output.length - outputLeft);
      this.output = Buffer.allocUnsafe(this.output.length * 2);
    }
  }
}

/**
 * Deflates and inflates one collection's documents against its dictionary (`compressionDictionary`). Each
 * direction keeps one zlib stream for all documents; where node's zlib object lacks what that needs, or a
 * first round trip through it does not give the document back, it compresses with `deflateRawSync` and
 * `inflateRawSync` like before, producing the same format either way.
 */
export class DictionaryCodec {
  private streams: { deflater: ReusedStream; inflater: ReusedStream } | null | undefined;

  constructor(readonly dictionary: Buffer) {}

  /** `bson` deflated, valid until the next call (the caller copies it where it keeps it). */
  deflate(bson: Uint8Array): Buffer {
    const streams = (this.streams ??= this.openStreams());
    // A document that does not compress takes at most a few bytes more (zlib's deflateBound).
    return streams
      ? streams.deflater.run(bson, bson.length + 64)
      : deflateRawSync(bson, { dictionary: this.dictionary, level: DEFLATE_LEVEL });
  }

  /** The `size` bytes of BSON that `stored` deflates, in a buffer of their own. */
  inflate(stored: Uint8Array, size: number): Buffer {
    const streams = (this.streams ??= this.openStreams());
    if (!streams) return inflateRawSync(stored, { dictionary: this.dictionary });
    const bson = streams.inflater.run(stored, size);
    if (bson.length !== size)
      throw new Error(`stored document inflated to ${bson.length} bytes, not ${size}`);
    // Copied into a buffer of its own: a decoded document may keep its bytes for as long as it is held.
    const own = Buffer.allocUnsafeSlow(size);
    bson.copy(own);
    return own;
  }

  /** Whether documents go through reused streams (false: the one-call functions). */
  get reusesStreams(): boolean {
    return (this.streams ??= this.openStreams()) !== null;
  }

  /**
   * Opens both reused streams and checks them with a round trip of the dictionary itself against the
   * one-call functions; null when node's zlib object is not what this was written against.
   */
  private openStreams(): { deflater: ReusedStream; inflater: ReusedStream } | null {
    const { dictionary } = this;
    if (!codecSettings.reuseStreams) return null;
    const deflater = ReusedStream.open(createDeflateRaw({ dictionary, level: DEFLATE_LEVEL }));
    const inflater = ReusedStream.open(createInflateRaw({ dictionary }));
    if (!deflater || !inflater) return null;
    try {
      const packed = Buffer.from(deflater.run(dictionary, dictionary.length + 64));
      const works =
        inflateRawSync(packed, { dictionary }).equals(dictionary) &&
        inflater.run(packed, dictionary.length).equals(dictionary);
      return works ? { deflater, inflater } : null;
    } catch {
      return null;
    }
  }
}

/**
 * A deflate dictionary from sample documents of one collection: field names and common values recur in
 * every document, so each compresses to a fraction of its size against the dictionary (4–9× measured on the
 * product's events, orders, accounts and members) where it alone would not (1.4–3.3×).
 */
export function compressionDictionary(
  samples: Iterable<Uint8Array>,
  dictionaryBytes = DICTIONARY_BYTES,
): DictionaryCodec {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const sample of samples) {
    parts.push(sample);
    length += sample.length;
    if (length >= dictionaryBytes) break;
  }
  const joined = Buffer.concat(parts);
  return new DictionaryCodec(Buffer.from(joined.subarray(Math.max(0, joined.length - dictionaryBytes))));
}
