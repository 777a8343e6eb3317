import * as vscode from 'vscode';

export interface PseudoterminalHost {
  /** Keystrokes typed into the terminal (Ctrl+C arrives as "\x03"). */
  input(data: string): void;
  resize(cols: number, rows: number): void;
  /** The user closed the terminal. */
  closed(): void;
}

/** What may wait for open(): a build that floods before the terminal exists must not hold its whole output. */
const MAX_PENDING_CHARS = 1 << 20;

/**
 * The terminal a build runs in. VS Code drops whatever is written before open(), so output waits until then;
 * text from pipes gets "\r\n" line ends (a pty already sends them).
 */
export class BuildPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  private pending: string[] | undefined = [];
  private pendingChars = 0;
  private droppedChars = 0;
  private lastWasCR = false;
  private closedByUs = false;
  dimensions: vscode.TerminalDimensions | undefined;

  constructor(private readonly host: PseudoterminalHost) {}

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    if (initialDimensions) this.setDimensions(initialDimensions);
    const pending = this.pending ?? [];
    this.pending = undefined;
    if (this.droppedChars > 0) this.writeEmitter.fire(dim(`[Kirby] ${this.droppedChars} characters of early output were not kept\r\n`));
    for (const text of pending) this.writeEmitter.fire(text);
  }

  close(): void {
    if (!this.closedByUs) this.host.closed();
  }

  handleInput(data: string): void {
    this.host.input(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.dimensions = dimensions;
    this.host.resize(dimensions.columns, dimensions.rows);
  }

  /** Output of the build, as it came (escape sequences and all). */
  write(text: string, convertLineEnds = false): void {
    if (text.length === 0) return;
    const out = convertLineEnds ? this.toCrlf(text) : text;
    if (this.pending) this.hold(out);
    else this.writeEmitter.fire(out);
  }

  /** A line from Kirby itself (dimmed so it is not mistaken for the tool's output). */
  note(text: string): void {
    this.write(`${dim(`[Kirby] ${text}`)}\r\n`);
  }

  /** Closes the terminal from our side (it then does not count as the user closing it). */
  exit(code?: number): void {
    this.closedByUs = true;
    this.closeEmitter.fire(code);
  }

  dispose(): void {
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  private hold(text: string): void {
    const pending = this.pending!;
    pending.push(text);
    this.pendingChars += text.length;
    while (this.pendingChars > MAX_PENDING_CHARS && pending.length > 1) {
      const dropped = pending.shift()!;
      this.pendingChars -= dropped.length;
      this.droppedChars += dropped.length;
    }
  }

  private toCrlf(text: string): string {
    let out = text.replace(/(?<!\r)\n/g, '\r\n');
    // a "\r" that ended the previous chunk already pairs with this chunk's leading "\n"
    if (this.lastWasCR && text.charCodeAt(0) === 10) out = out.slice(1);
    this.lastWasCR = text.charCodeAt(text.length - 1) === 13;
    return out;
  }
}

export function dim(text: string): string {
  return `\x1b[2m${text}\x1b[22m`;
}

export function red(text: string): string {
  return `\x1b[31m${text}\x1b[39m`;
}
