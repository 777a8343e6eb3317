/**
 * Streaming UTF-8 decoding. node-pty with `encoding: null`, pipes and sockets deliver Buffers cut at arbitrary byte
 * boundaries; TextDecoder in streaming mode keeps the bytes of a split character until the rest arrives.
 */
export class StreamDecoder {
  private readonly decoder = new TextDecoder('utf-8');

  write(chunk: string | Uint8Array): string {
    return typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
  }

  /** Returns whatever incomplete sequence is left (as U+FFFD) and resets. */
  end(): string {
    return this.decoder.decode();
  }
}
