import type { LineAssemblerOptions, LineSink } from '../../src/core/lineAssembler';
import { RowFlag, WasmTerminal } from '../../src/core/wasm/terminal';

/**
 * The WebAssembly terminal model behind the JavaScript LineAssembler's interface, so the assembler's edge-case tests
 * run against both models: strings in (as UTF-8), rows out to the same sink.
 */
export class WasmLineAssembler {
  private readonly terminal: WasmTerminal;
  private readonly batch: (count: number) => void;

  constructor(sink: LineSink, options: LineAssemblerOptions = {}) {
    const screenRows = Math.max(1, options.screenRows ?? 30);
    const terminal = WasmTerminal.create({
      screenRows: Math.max(screenRows, 60),
      maxLineLength: options.maxLineLength ?? 4096,
      tailLines: 50,
      maxSequenceLength: options.maxSequenceLength,
    });
    if (!terminal) throw new Error('WebAssembly is unavailable');
    terminal.resize(screenRows);
    this.terminal = terminal;
    this.batch = (count) => {
      for (let k = 0; k < count; k++) {
        sink(terminal.text(k), terminal.offset(k), (terminal.flags(k) & RowFlag.Partial) !== 0);
      }
    };
  }

  get offset(): number {
    return this.terminal.consumed;
  }

  get hasPending(): boolean {
    return this.terminal.hasPending;
  }

  write(chunk: string): void {
    this.terminal.write(Buffer.from(chunk, 'utf8'), this.batch, () => {});
  }

  flushPartial(): void {
    this.terminal.flush(this.batch);
  }

  end(): void {
    this.terminal.end(this.batch);
  }

  resize(rows: number): void {
    this.terminal.resize(rows);
  }
}
