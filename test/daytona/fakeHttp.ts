/** Small HTTP helpers for the fake Daytona server: routing by pattern, JSON bodies, Daytona-shaped errors. */
import type * as http from 'node:http';

export type Params = Record<string, string>;
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, params: Params, url: URL) => Promise<void> | void;

export interface Route {
  method: string;
  /** e.g. "/sandbox/:id/start"; the route's key for request counting is "METHOD pattern". */
  pattern: string;
  handler: Handler;
}

export function route(method: string, pattern: string, handler: Handler): Route {
  return { method, pattern, handler };
}

/** The route matching a path (relative to the router's prefix) and its parameters. */
export function match(routes: readonly Route[], method: string, path: string): { route: Route; params: Params } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const r of routes) {
    if (r.method !== method) continue;
    const want = r.pattern.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params: Params = {};
    const ok = want.every((w, i) => {
      if (w.startsWith(':')) {
        params[w.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return w === parts[i];
    });
    if (ok) return { route: r, params };
  }
  return undefined;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The error body Daytona's services answer with: { message, statusCode, code, source }. */
export function sendError(res: http.ServerResponse, status: number, message: string, code = 'ERROR', source = 'DAYTONA_API'): void {
  sendJson(res, status, { message, statusCode: status, code, source });
}

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readJson<T>(req: http.IncomingMessage): Promise<T> {
  const body = await readBody(req);
  return (body.length > 0 ? JSON.parse(body.toString('utf8')) : {}) as T;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Splits a command line the way the daemon's /process/execute does: words and quotes, no shell operators. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      inWord = true;
    } else if (c === '"') {
      for (i++; i < line.length && line[i] !== '"'; i++) word += line[i] === '\\' && i + 1 < line.length ? line[++i] : line[i];
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
