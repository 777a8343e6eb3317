import { lowerAscii } from '../literalSet';
import { assignBuckets } from './needleBuckets';
import { TERMINAL_WASM } from './terminalBinary';

interface TerminalExports {
  memory: WebAssembly.Memory;
  NBYTES: WebAssembly.Global;
  NOFF: WebAssembly.Global;
  NLEN: WebAssembly.Global;
  NBUCKET: WebAssembly.Global;
  RECORDS: WebAssembly.Global;
  MAX_RECORDS: WebAssembly.Global;
  FOUND: WebAssembly.Global;
  INPUT: WebAssembly.Global;
  TAIL: WebAssembly.Global;
  configure(rows: number, lineUnits: number, tail: number, sequence: number): number;
  reset(): void;
  resize(rows: number): void;
  clearIndex(): void;
  buildIndex(count: number): void;
  write(length: number): number;
  research(from: number, to: number): void;
  flush(): void;
  end(): void;
  records(): number;
  consumedUnits(): number;
  hasPending(): number;
  tailNextIndex(): number;
  tailCount(): number;
}

/** Record flags (see assembly/terminal.ts). */
export const enum RowFlag {
  Partial = 1,
  Hit = 2,
  Echo = 4,
  Wide = 8,
  Many = 16,
}

const RECORD_INTS = 8;
const MAX_NEEDLES = 512;
const MAX_NEEDLE_BYTES = 16 * 1024;
/** Longest needle kept; a prefix of a needle is still a valid (if weaker) filter. */
const MAX_NEEDLE_LENGTH = 64;
/** Bytes passed per call (the size of the module's input area). */
const PIECE = 64 * 1024;
/** Rows longer than this, or screens taller, are left to the JavaScript model (memory is laid out per row). */
const MAX_WASM_LINE_LENGTH = 16 * 1024;
const MAX_WASM_SCREEN_ROWS = 500;

/** Node's Buffer methods behind toString('utf8' | 'latin1', start, end), not in its type declarations. */
interface SliceMethods {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

let compiled: WebAssembly.Module | null | undefined;
/** A needle list laid out as the module reads it: the bytes back to back, each needle's offset and length. */
interface EncodedNeedles {
  count: number;
  bytes: Uint8Array;
  /** Little-endian u16 per needle, as bytes (copied as they are). */
  offsets: Uint8Array;
  lengths: Uint8Array;
  /** The block filter's bucket of each needle (see needleBuckets.ts). */
  buckets: Uint8Array;
}

/**
 * Needle lists are the matcher's, one per tool and engine: a run that switches tools encodes each list once (by
 * identity), and the next build's engine finds the same lists by content (placing the needles takes milliseconds).
 */
const encodings = new WeakMap<readonly string[], EncodedNeedles | null>();
const encodingsByContent = new Map<string, EncodedNeedles | null>();
const MAX_KEPT_ENCODINGS = 64;

/** The needles as UTF-8 (ASCII letters lower-cased), or null when the search cannot honour them (see `setNeedles`). */
function encodeNeedles(needles: readonly string[]): EncodedNeedles | null {
  let encoded = encodings.get(needles);
  if (encoded === undefined) {
    const key = needles.join('\n');
    encoded = encodingsByContent.get(key);
    if (encoded === undefined) {
      encoded = encodeNew(needles);
      if (encodingsByContent.size >= MAX_KEPT_ENCODINGS) encodingsByContent.delete(encodingsByContent.keys().next().value!);
      encodingsByContent.set(key, encoded);
    }
    encodings.set(needles, encoded);
  }
  return encoded;
}

function encodeNew(needles: readonly string[]): EncodedNeedles | null {
  const parts = needles.map((n) => Buffer.from(lowerAscii(n), 'utf8').subarray(0, MAX_NEEDLE_LENGTH));
  const total = parts.reduce((sum, b) => sum + b.length, 0);
  let encoded: EncodedNeedles | null = null;
  if (
    needles.length > 0 &&
    needles.length <= MAX_NEEDLES &&
    total <= MAX_NEEDLE_BYTES &&
    parts.every((b) => b.length >= 3)
  ) {
    const offsets = Buffer.alloc(parts.length * 2);
    let offset = 0;
    parts.forEach((b, index) => {
      offsets.writeUInt16LE(offset, index * 2);
      offset += b.length;
    });
    encoded = {
      count: parts.length,
      bytes: Buffer.concat(parts),
      offsets,
      lengths: Uint8Array.from(parts, (b) => b.length),
      buckets: assignBuckets(parts),
    };
  }
  return encoded;
}

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(TERMINAL_WASM, 'base64'));
    } catch {
      compiled = null; // no WebAssembly here: the engine uses the JavaScript terminal model
    }
  }
  return compiled;
}

export interface WasmTerminalOptions {
  screenRows: number;
  maxLineLength: number;
  tailLines: number;
  maxSequenceLength?: number;
}

/**
 * The WebAssembly terminal model (assembly/terminal.ts): bytes in, emitted rows out as records, each with the
 * needles its text holds. Rows are decoded only when asked for. One instance per output stream.
 */
export class WasmTerminal {
  private readonly exports: TerminalExports;
  private readonly memory: Buffer;
  private readonly records: Int32Array;
  /** Needle indexes found per record (u16). */
  readonly found: Uint16Array;
  private readonly input: number;
  private needles: readonly string[] | undefined;
  /** Whether the current needles are searched for (false: records carry no Hit flags). */
  searching = false;
  /** The needles rows are searched for (the list last given to setNeedles). */
  get needleList(): readonly string[] | undefined {
    return this.needles;
  }
  /** UTF-16 units of the stream before the current call. */
  private base = 0;
  /** Entries of the module's ring of recent rows (as it clamps the configured count). */
  private readonly tailCapacity: number;

  private constructor(instance: WebAssembly.Instance, options: WasmTerminalOptions) {
    // a plain copy: the exports object itself is in dictionary mode, so every call through it was a megamorphic load
    this.exports = { ...instance.exports } as unknown as TerminalExports;
    const e = this.exports;
    if (!e.configure(options.screenRows, options.maxLineLength, options.tailLines, options.maxSequenceLength ?? 4096)) {
      throw new Error('WebAssembly memory unavailable');
    }
    // laid out once: memory does not grow after configure()
    this.memory = Buffer.from(e.memory.buffer);
    this.records = new Int32Array(e.memory.buffer, e.RECORDS.value as number, (e.MAX_RECORDS.value as number) * RECORD_INTS);
    this.found = new Uint16Array(e.memory.buffer, e.FOUND.value as number, 32768);
    this.input = e.INPUT.value as number;
    this.tailCapacity = Math.min(1024, Math.max(1, options.tailLines));
  }

  /** Undefined when WebAssembly is unavailable or the options are beyond what the module lays out. */
  static create(options: WasmTerminalOptions): WasmTerminal | undefined {
    if (options.maxLineLength > MAX_WASM_LINE_LENGTH || options.screenRows > MAX_WASM_SCREEN_ROWS) return undefined;
    const m = module();
    if (!m) return undefined;
    try {
      return new WasmTerminal(new WebAssembly.Instance(m, {}), options);
    } catch {
      return undefined;
    }
  }

  /**
   * Loads the needles to search emitted rows for (skipped when the same list is already loaded). ASCII letters are
   * found in either case, every other byte as it is (the matcher's needles are made for that). When they cannot be
   * honoured (one shorter than 3 bytes, too many) the search is off: `searching` says which.
   */
  setNeedles(needles: readonly string[]): void {
    if (needles === this.needles) return;
    this.needles = needles;
    const encoded = encodeNeedles(needles);
    const e = this.exports;
    e.clearIndex();
    this.searching = encoded !== null;
    if (!encoded) return;
    // four copies, not four per needle: a build that switches tools does this tens of times per MB
    this.memory.set(encoded.bytes, e.NBYTES.value as number);
    this.memory.set(encoded.offsets, e.NOFF.value as number);
    this.memory.set(encoded.lengths, e.NLEN.value as number);
    this.memory.set(encoded.buckets, e.NBUCKET.value as number);
    e.buildIndex(encoded.count);
  }

  resize(rows: number): void {
    this.exports.resize(rows);
  }

  /**
   * Feeds bytes; `batch(count)` is called after each call into the module with the records it produced (valid
   * until the next call). `before()` runs before each call (needles may change between batches).
   */
  write(chunk: Uint8Array, batch: (count: number) => void, before: () => void): void {
    const e = this.exports;
    let at = 0;
    while (at < chunk.length) {
      const piece = Math.min(PIECE, chunk.length - at);
      this.memory.set(piece === chunk.length ? chunk : chunk.subarray(at, at + piece), this.input);
      let done = 0;
      while (done < piece) {
        // a call that stopped early (records full): the rest of the piece goes in again from the chunk
        if (done > 0) this.memory.set(chunk.subarray(at + done, at + piece), this.input);
        before();
        const consumed = e.write(piece - done);
        const count = e.records();
        if (count > 0) batch(count);
        this.base += e.consumedUnits();
        done += consumed;
      }
      at += piece;
    }
  }

  /** Emits every row not emitted yet (partial lines after an idle interval). */
  flush(batch: (count: number) => void): void {
    this.exports.flush();
    const count = this.exports.records();
    if (count > 0) batch(count);
  }

  /** End of stream: what is pending is emitted, a dangling escape sequence dropped. */
  end(batch: (count: number) => void): void {
    this.exports.end();
    const count = this.exports.records();
    if (count > 0) batch(count);
  }

  /** UTF-16 units of the stream consumed so far. */
  get consumed(): number {
    return this.base;
  }

  get hasPending(): boolean {
    return this.exports.hasPending() !== 0;
  }

  flags(index: number): number {
    return this.records[index * RECORD_INTS];
  }

  /** The row's visible text. */
  text(index: number): string {
    const r = index * RECORD_INTS;
    return this.decode(this.records[r + 1], this.records[r + 2], (this.records[r] & RowFlag.Wide) !== 0);
  }

  /** Stream offset (UTF-16 units) at which the row was emitted. */
  offset(index: number): number {
    return this.base + this.records[index * RECORD_INTS + 3];
  }

  /** The row above it at the time, as the matcher may read it. */
  above(index: number): string {
    const r = index * RECORD_INTS;
    const len = this.records[r + 5];
    return len === 0 ? '' : this.decode(this.records[r + 4], len, true);
  }

  foundStart(index: number): number {
    return this.records[index * RECORD_INTS + 6];
  }

  foundCount(index: number): number {
    return this.records[index * RECORD_INTS + 7];
  }

  /** The last `count` emitted rows, oldest first. */
  recentLines(count: number): string[] {
    const e = this.exports;
    const size = e.tailCount();
    const n = Math.min(count, size);
    const next = e.tailNextIndex();
    const entries = new Uint32Array(this.memory.buffer, e.TAIL.value as number, 2048);
    const cap = this.tailCapacity;
    const out: string[] = [];
    for (let k = n; k > 0; k--) {
      const slot = (next - k + cap) % cap;
      out.push(this.decode(entries[slot * 2], entries[slot * 2 + 1], true));
    }
    return out;
  }

  /**
   * Searches records [from, count) of the last batch again, with the needles loaded since (the tool changed while
   * they were being read): their verdicts then hold for the new tool.
   */
  research(from: number, count: number): void {
    if (from < count) this.exports.research(from, count);
  }

  private decode(address: number, length: number, wide: boolean): string {
    // the slice methods skip toString's argument handling: this runs once per row read
    const memory = this.memory as unknown as SliceMethods;
    return wide ? memory.utf8Slice(address, address + length) : memory.latin1Slice(address, address + length);
  }
}
