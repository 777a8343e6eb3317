import { LINE_SCANNER_WASM } from './lineScannerBinary';

interface ScannerExports {
  memory: WebAssembly.Memory;
  NBYTES: WebAssembly.Global;
  FLAGS: WebAssembly.Global;
  INPUT: WebAssembly.Global;
  setNeedle(index: number, offset: number, length: number): void;
  buildIndex(count: number): void;
  reset(): void;
  scan(length: number): number;
}

const MAX_NEEDLES = 512;
const MAX_NEEDLE_BYTES = 16 * 1024;
/** Longest needle kept; a prefix of a needle is still a valid (if weaker) filter. */
const MAX_NEEDLE_LENGTH = 64;
/** Bytes scanned per call: the scanner has room for one flag byte per newline of up to 64 KB. */
const PIECE = 64 * 1024;

let compiled: WebAssembly.Module | null | undefined;
/** Needle lists are the matcher's, one per tool and reused: a run that switches tools encodes each list once. */
const encodings = new WeakMap<readonly string[], Encoded>();

/** `bytes`: the needles as lower-cased UTF-8, or null when the scanner cannot honour them (see `setNeedles`). */
interface Encoded {
  key: string;
  bytes: Uint8Array[] | null;
}

function encodeNeedles(needles: readonly string[]): Encoded {
  const cached = encodings.get(needles);
  if (cached !== undefined) return cached;
  let encoded: Uint8Array[] | null = needles.map((n) => Buffer.from(n.toLowerCase(), 'utf8').subarray(0, MAX_NEEDLE_LENGTH));
  const total = encoded.reduce((sum, b) => sum + b.length, 0);
  if (
    needles.length === 0 ||
    needles.length > MAX_NEEDLES ||
    total > MAX_NEEDLE_BYTES ||
    encoded.some((b) => b.length < 3) ||
    needles.some((n) => [...n].some((c) => c > '\x7f' && c.toLowerCase() !== c.toUpperCase()))
  ) {
    encoded = null;
  }
  const result = { key: needles.join('\u0000'), bytes: encoded };
  encodings.set(needles, result);
  return result;
}

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(LINE_SCANNER_WASM, 'base64'));
    } catch {
      compiled = null; // no WebAssembly here: the engine gates every line with its regex instead
    }
  }
  return compiled;
}

/** A line (by its newline) contains one of the needles. */
export const LINE_HIT = 1;
/** A line holds only text, colour sequences and a carriage return right before its newline. */
export const LINE_PLAIN = 2;

/** One byte of LINE_HIT | LINE_PLAIN per newline of the chunk. */
export interface ScanResult {
  flags: Uint8Array;
  lines: number;
}

/**
 * Finds, in raw terminal bytes, the lines whose visible text contains one of the needles (case-insensitive for
 * ASCII). One instance per output stream: it keeps escape-sequence and line state across chunks.
 */
export class LineScanner {
  private readonly exports: ScannerExports;
  private bytes: Uint8Array;
  private needlesKey = '';

  private constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as ScannerExports;
    this.bytes = new Uint8Array(this.exports.memory.buffer);
  }

  static create(): LineScanner | undefined {
    const m = module();
    return m ? new LineScanner(new WebAssembly.Instance(m, {})) : undefined;
  }

  /**
   * Loads the needles. Returns false when they cannot be used (one shorter than 3 bytes, or a letter outside ASCII
   * that has another case): the caller must then treat every line as a candidate. A list is encoded once and
   * remembered by identity, so it must not be changed after it is passed here.
   */
  setNeedles(needles: readonly string[]): boolean {
    const { key, bytes: encoded } = encodeNeedles(needles);
    if (key === this.needlesKey) return true;
    if (!encoded) {
      this.needlesKey = '';
      return false;
    }
    const base = this.exports.NBYTES.value as number;
    let offset = 0;
    encoded.forEach((b, index) => {
      this.view().set(b, base + offset);
      this.exports.setNeedle(index, offset, b.length);
      offset += b.length;
    });
    this.exports.buildIndex(encoded.length);
    this.needlesKey = key;
    return true;
  }

  reset(): void {
    this.exports.reset();
  }

  scan(chunk: Uint8Array): ScanResult {
    const input = this.exports.INPUT.value as number;
    const flagsAt = this.exports.FLAGS.value as number;
    this.ensureMemory(input + Math.min(chunk.length, PIECE));
    if (chunk.length <= PIECE) {
      const view = this.view();
      view.set(chunk, input);
      const lines = this.exports.scan(chunk.length);
      return { flags: view.slice(flagsAt, flagsAt + lines), lines };
    }
    const parts: Uint8Array[] = [];
    let lines = 0;
    for (let start = 0; start < chunk.length; start += PIECE) {
      const view = this.view();
      view.set(chunk.subarray(start, Math.min(chunk.length, start + PIECE)), input);
      const count = this.exports.scan(Math.min(PIECE, chunk.length - start));
      parts.push(view.slice(flagsAt, flagsAt + count));
      lines += count;
    }
    const flags = new Uint8Array(lines);
    let at = 0;
    for (const p of parts) {
      flags.set(p, at);
      at += p.length;
    }
    return { flags, lines };
  }

  private view(): Uint8Array {
    if (this.bytes.buffer !== this.exports.memory.buffer) this.bytes = new Uint8Array(this.exports.memory.buffer);
    return this.bytes;
  }

  private ensureMemory(bytes: number): void {
    const memory = this.exports.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  }
}
