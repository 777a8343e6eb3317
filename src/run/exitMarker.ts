import { MARKER_PREFIX } from './hostProtocol';
import type { ExitStatus } from './types';

/**
 * Finds the pty host's exit marker in the output stream and cuts it out. Bytes that might be the start of a marker
 * split across chunks are held back until the next chunk decides; everything before the marker is passed on.
 */
export class ExitMarkerScanner {
  private readonly marker: Buffer;
  private carry: Buffer = Buffer.alloc(0);
  private found: ExitStatus | undefined;

  constructor(nonce: string) {
    this.marker = Buffer.from(`${MARKER_PREFIX}${nonce};`, 'latin1');
  }

  get status(): ExitStatus | undefined {
    return this.found;
  }

  /** Returns the bytes to pass on (possibly empty). After the marker is complete, everything else is dropped. */
  push(chunk: Buffer): Buffer {
    if (this.found) return EMPTY;
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = EMPTY;
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      const end = data.indexOf(0x07, at + this.marker.length);
      if (end < 0) {
        this.carry = data.subarray(at);
        return data.subarray(0, at);
      }
      const [code, signal] = data.subarray(at + this.marker.length, end).toString('latin1').split(';');
      this.found = { code: Number.parseInt(code, 10), signal: signal ? signal : undefined };
      return data.subarray(0, at);
    }
    const keep = this.partialMarkerSuffix(data);
    if (keep > 0) {
      this.carry = Buffer.from(data.subarray(data.length - keep));
      return data.subarray(0, data.length - keep);
    }
    return data;
  }

  /** Whatever was held back, when the stream ended without a (complete) marker. */
  flush(): Buffer {
    const rest = this.carry;
    this.carry = EMPTY;
    return rest;
  }

  /** Length of the longest suffix of `data` that is a proper prefix of the marker (0 in the common case). */
  private partialMarkerSuffix(data: Buffer): number {
    const escAt = data.lastIndexOf(0x1b, Math.max(0, data.length - 1));
    if (escAt < 0 || data.length - escAt >= this.marker.length) return 0;
    for (let start = escAt; start < data.length; start++) {
      if (data[start] !== 0x1b) continue;
      const len = data.length - start;
      if (this.marker.subarray(0, len).equals(data.subarray(start))) return len;
    }
    return 0;
  }
}

const EMPTY = Buffer.alloc(0);
