/**
 * The pty host: the first process inside every local pty build. It runs the real command as its child and, after the
 * child exits, prints an exit marker and keeps the pty open until the reader acknowledges it.
 *
 * Why: node-pty loses the last KBs of output when the process at the other end exits right after writing (libuv
 * reads the hang-up before the data is drained; node-pty #726/#85/#72). Build tools print their verdict last. While
 * this host is alive the pty cannot hang up, and the reader acknowledges only after it has seen the marker, which
 * comes after every byte the child wrote — so nothing can be lost, whatever the timing.
 *
 * argv: <nonce> -- <file> [args…]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { ACK_PREFIX, MARKER_PREFIX } from './hostProtocol';

/** A safety net only: if the reader vanished, do not hang forever. Not the mechanism. */
const ACK_SAFETY_TIMEOUT_MS = 15_000;

function main(): void {
  const [nonce, separator, file, ...args] = process.argv.slice(2);
  if (!nonce || separator !== '--' || !file) {
    process.stderr.write('kirby pty host: usage: ptyHost <nonce> -- <file> [args…]\n');
    process.exit(2);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.KIRBY_PTY_HOST;

  // Ctrl+C reaches the whole foreground group; the host stays to report how the child ended.
  for (const signal of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.on(signal, () => undefined);

  const child = spawn(file, args, { stdio: 'inherit', env });
  let finished = false;
  const finish = (code: number, signal: string) => {
    if (finished) return;
    finished = true;
    fs.writeSync(1, `${MARKER_PREFIX}${nonce};${code};${signal}\x07`);
    awaitAck(nonce, code);
  };
  child.on('error', (err: NodeJS.ErrnoException) => {
    const reason = err.code === 'ENOENT' ? `command not found: ${file}` : err.message;
    fs.writeSync(2, `kirby: ${reason}\r\n`);
    finish(err.code === 'ENOENT' ? 127 : 126, '');
  });
  child.on('exit', (code, signal) => {
    const status = code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0);
    finish(status, signal ?? '');
  });
}

function awaitAck(nonce: string, code: number): void {
  const expected = ACK_PREFIX + nonce;
  let received = '';
  const done = () => process.exit(code);
  setTimeout(done, ACK_SAFETY_TIMEOUT_MS).unref();
  try {
    // raw: no echo of the acknowledgement, no line buffering
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
  } catch {
    // not a tty (tests through pipes): the acknowledgement still arrives as data
  }
  process.stdin.on('data', (data: Buffer) => {
    received = (received + data.toString('latin1')).slice(-expected.length * 4);
    if (received.includes(expected)) done();
  });
  process.stdin.on('end', done);
  process.stdin.resume();
}

if (require.main === module) main();
