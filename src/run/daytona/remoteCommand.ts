/**
 * How a build runs in a Daytona PTY. The daemon's PTY starts an interactive login shell and takes no command, so the
 * runner types one line into it: `exec /bin/sh -c '<script>'`. The script prints a start marker (everything before it
 * — banner, prompt, the echo of the line — is dropped), runs the command through `/bin/sh -c` as the local pty does
 * (so its `exit` or `cd` stay its own), with SIGINT trapped in the wrapper only (so
 * after Ctrl+C it still reports), writes the exit code to a file in the sandbox (read back if the socket was lost when
 * the build ended) and prints the exit marker of the local pty host, which the ExitMarkerScanner already reads: seeing
 * it means every byte before it arrived.
 */
import * as os from 'node:os';
import { MARKER_PREFIX } from '../hostProtocol';
import type { ExitStatus, SpawnOptions } from '../types';
import { shellQuote } from './sync';

const START_PREFIX = '\x1b]7777;kirby-start;';

export function exitFilePath(stateDir: string, nonce: string): string {
  return `${stateDir}/exit-${nonce}`;
}

/** Where `script` keeps a copy of everything the command writes (read back to fill a gap after a reconnect). */
export function outputLogPath(stateDir: string, nonce: string): string {
  return `${stateDir}/out-${nonce}`;
}

const LOG_HEADER = Buffer.from('Script started');
const LOG_FOOTER = Buffer.from('\nScript done');

/**
 * The command's output as `script -f` logged it: without its header line and, once it ended, its footer line. The
 * bytes between are exactly those the terminal received (util-linux 2.38: checked byte for byte).
 */
export function scriptLogBody(log: Buffer): Buffer {
  let body = log;
  if (body.subarray(0, LOG_HEADER.length).equals(LOG_HEADER)) {
    const eol = body.indexOf(0x0a);
    body = eol < 0 ? Buffer.alloc(0) : body.subarray(eol + 1);
  }
  const footer = body.lastIndexOf(LOG_FOOTER);
  return footer >= 0 && body.indexOf(0x0a, footer + 1) >= body.length - 1 ? body.subarray(0, footer) : body;
}

/** The command as one POSIX shell line: a command line as given, or a program and its arguments quoted. */
export function commandAsShellLine(options: Pick<SpawnOptions, 'command' | 'args'>): string {
  return options.args ? [options.command, ...options.args].map(shellQuote).join(' ') : options.command;
}

export function wrapperScript(commandLine: string, nonce: string, stateDir: string): string {
  const octal = (text: string) => text.replace(/\x1b/g, '\\033').replace(/\x07/g, '\\007');
  return [
    `printf '${octal(START_PREFIX)}%s\\007' ${nonce}`,
    'trap true INT',
    `mkdir -p ${shellQuote(stateDir)}`,
    // through `script` when the sandbox has it: the terminal gets the same bytes, and a copy stays for a reconnect
    `if command -v script >/dev/null 2>&1; then script -qfec ${shellQuote(`/bin/sh -c ${shellQuote(commandLine)}`)} ${shellQuote(outputLogPath(stateDir, nonce))}; else /bin/sh -c ${shellQuote(commandLine)}; fi`,
    's=$?',
    `echo $s > ${shellQuote(exitFilePath(stateDir, nonce))}`,
    `printf '${octal(MARKER_PREFIX)}%s;%s;\\007' ${nonce} "$s"`,
    'exit $s',
  ].join('\n');
}

/** The line typed into the sandbox's shell. */
export function typedLine(script: string): string {
  return `exec /bin/sh -c ${shellQuote(script)}\r`;
}

/**
 * Drops everything before the start marker (keeping a short tail to show if the command never started) and passes
 * everything after it.
 */
export class StartGate {
  private readonly marker: Buffer;
  private held: Buffer = Buffer.alloc(0);
  private open = false;

  constructor(nonce: string) {
    this.marker = Buffer.from(`${START_PREFIX}${nonce}\x07`, 'latin1');
  }

  get started(): boolean {
    return this.open;
  }

  /** Bytes of the command's own output in this chunk (empty until the marker has been seen). */
  push(chunk: Uint8Array): Buffer {
    if (this.open) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = Buffer.concat([this.held, chunk]);
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      this.open = true;
      this.held = Buffer.alloc(0);
      return data.subarray(at + this.marker.length);
    }
    this.held = data.subarray(Math.max(0, data.length - PRE_START_TAIL));
    return Buffer.alloc(0);
  }

  /** What the shell printed before giving up, for a session that ended before the command started. */
  preStartTail(): Buffer {
    return this.held;
  }
}

const PRE_START_TAIL = 4096;

/** An exit code as a status, with the signal a shell's 128+N code stands for. */
export function statusFromCode(code: number): ExitStatus {
  if (code > 128 && code < 160) {
    const name = Object.entries(os.constants.signals).find(([, n]) => n === code - 128)?.[0];
    if (name) return { code, signal: name };
  }
  return { code };
}
