/**
 * asciicast recordings (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line, then one JSON array per
 * event. v2 events carry absolute seconds; v3 events carry the interval since the previous event. Event codes:
 * "o" output, "i" input, "r" resize ("COLSxROWS"), "m" marker, and "x" exit status (v3; Kirby also writes it in v2
 * files because a build's exit code is part of its verdict).
 */
export interface CastHeader {
  version: number;
  width?: number;
  height?: number;
  term?: { cols?: number; rows?: number };
  timestamp?: number;
  duration?: number;
  command?: string;
  env?: Record<string, string>;
  [key: string]: unknown;
}

export type CastEvent =
  | { kind: 'output'; time: number; data: string }
  | { kind: 'resize'; time: number; cols: number; rows: number }
  | { kind: 'exit'; time: number; code: number }
  | { kind: 'other'; time: number };

export class CastFormatError extends Error {}

/** Parses a header line; returns undefined if the text is not an asciicast header (then it is a raw log). */
export function parseCastHeader(line: string): CastHeader | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const header = value as CastHeader;
  if (header.version !== 2 && header.version !== 3) return undefined;
  return header;
}

export function castRows(header: CastHeader): number | undefined {
  return header.height ?? header.term?.rows;
}

/** Reads event lines of one recording, keeping v3's relative times absolute. */
export class CastEventReader {
  private time = 0;
  private lineNumber = 1;

  constructor(private readonly header: CastHeader) {}

  /** Parses one event line; blank lines and v3 comments give undefined. */
  read(line: string): CastEvent | undefined {
    this.lineNumber++;
    if (line.length === 0 || line.startsWith('#')) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new CastFormatError(`line ${this.lineNumber}: not JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(value) || value.length < 3 || typeof value[0] !== 'number' || typeof value[1] !== 'string') {
      throw new CastFormatError(`line ${this.lineNumber}: expected [time, code, data]`);
    }
    const stamp = value[0];
    this.time = this.header.version === 3 ? this.time + stamp : stamp;
    const time = this.time;
    const data = String(value[2]);
    switch (value[1]) {
      case 'o':
        return { kind: 'output', time, data };
      case 'r': {
        const m = /^(\d+)x(\d+)$/.exec(data);
        return m ? { kind: 'resize', time, cols: Number(m[1]), rows: Number(m[2]) } : { kind: 'other', time };
      }
      case 'x': {
        const code = Number.parseInt(data, 10);
        return Number.isFinite(code) ? { kind: 'exit', time, code } : { kind: 'other', time };
      }
      default:
        return { kind: 'other', time };
    }
  }
}

/** Serialises asciicast v2 lines (used by `kirby record`). */
export function castHeaderLine(header: CastHeader): string {
  return JSON.stringify(header);
}

export function castEventLine(time: number, code: string, data: string): string {
  return JSON.stringify([Math.round(time * 1e6) / 1e6, code, data]);
}
