import * as fs from 'node:fs';

export function round(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

/** Writes one JSON object per line, to a stream, honouring back-pressure by buffering (output is small). */
export class JsonLineWriter {
  constructor(private readonly stream: NodeJS.WritableStream) {}

  write(value: object): void {
    this.stream.write(JSON.stringify(value) + '\n');
  }

  /** Resolves once everything written has reached its destination (files only; standard streams are left open). */
  close(): Promise<void> {
    const stream = this.stream as NodeJS.WritableStream & { path?: unknown };
    if (stream === process.stdout || stream === process.stderr || stream.path === undefined) return Promise.resolve();
    return new Promise((resolve) => stream.end(resolve));
  }

  static toFile(path: string): JsonLineWriter {
    return new JsonLineWriter(fs.createWriteStream(path, { flags: 'w' }));
  }
}
