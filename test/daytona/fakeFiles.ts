/** The fake daemon's file routes: bulk upload (multipart in), bulk download (multipart out), list, info, folder, delete. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import busboy from 'busboy';
import type * as http from 'node:http';
import { readJson, route, sendError, sendJson, type Route } from './fakeHttp';

/** Where a sandbox's files live on this machine: absolute sandbox paths are real paths inside `root`. */
export interface SandboxDisk {
  root: string;
  workDir: string;
}

/** A sandbox path as a real path, or undefined when it would leave the sandbox. */
export function resolveIn(disk: SandboxDisk, remote: string): string | undefined {
  const full = path.resolve(disk.workDir, remote);
  return full === disk.root || full.startsWith(disk.root + path.sep) ? full : undefined;
}

function fileInfo(full: string): Record<string, unknown> {
  const st = fs.statSync(full);
  const mode = (st.mode & 0o777).toString(8);
  return {
    name: path.basename(full),
    path: full,
    isDir: st.isDirectory(),
    size: st.size,
    mode,
    permissions: mode,
    owner: 'daytona',
    group: 'daytona',
    modTime: st.mtime.toISOString(),
    modifiedAt: st.mtime.toISOString(),
  };
}

export function fileRoutes(disk: () => SandboxDisk): Route[] {
  const pathParam = (res: http.ServerResponse, url: URL): string | undefined => {
    const full = resolveIn(disk(), url.searchParams.get('path') ?? '');
    if (!full) sendError(res, 400, 'path is outside the sandbox', 'INVALID_FILE_PATH', 'DAYTONA_DAEMON');
    return full;
  };
  return [
    route('POST', '/files/bulk-upload', (req, res) => receiveUpload(req, res, disk())),
    route('POST', '/files/bulk-download', async (req, res) => {
      const { paths } = await readJson<{ paths: string[] }>(req);
      sendDownload(res, disk(), paths);
    }),
    route('GET', '/files', (_req, res, _p, url) => {
      const full = pathParam(res, url);
      if (!full) return;
      if (!fs.existsSync(full)) return sendError(res, 404, `no such directory: ${url.searchParams.get('path')}`, 'FILE_NOT_FOUND', 'DAYTONA_DAEMON');
      sendJson(res, 200, fs.readdirSync(full).map((n) => fileInfo(path.join(full, n))));
    }),
    route('GET', '/files/info', (_req, res, _p, url) => {
      const full = pathParam(res, url);
      if (!full) return;
      if (!fs.existsSync(full)) return sendError(res, 404, `no such file: ${url.searchParams.get('path')}`, 'FILE_NOT_FOUND', 'DAYTONA_DAEMON');
      sendJson(res, 200, fileInfo(full));
    }),
    route('POST', '/files/folder', (_req, res, _p, url) => {
      const full = pathParam(res, url);
      if (!full) return;
      fs.mkdirSync(full, { recursive: true, mode: Number.parseInt(url.searchParams.get('mode') ?? '755', 8) });
      res.writeHead(201).end();
    }),
    route('DELETE', '/files', (_req, res, _p, url) => {
      const full = pathParam(res, url);
      if (!full) return;
      if (!fs.existsSync(full)) return sendError(res, 404, `no such file: ${url.searchParams.get('path')}`, 'FILE_NOT_FOUND', 'DAYTONA_DAEMON');
      fs.rmSync(full, { recursive: url.searchParams.get('recursive') === 'true', force: false });
      res.writeHead(204).end();
    }),
  ];
}

/** files[i].path fields name where files[i].file goes; files are written as they stream in. */
function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, disk: SandboxDisk): Promise<void> {
  return new Promise((resolve) => {
    const destinations = new Map<string, string>();
    const pending: Promise<void>[] = [];
    let failure: string | undefined;
    const bb = busboy({ headers: req.headers, limits: { fieldSize: 1 << 20, files: Infinity, fields: Infinity, parts: Infinity } });
    bb.on('field', (name, value) => destinations.set(name.replace(/\.path$/, ''), value));
    bb.on('file', (name, stream, info) => {
      const key = name.replace(/\.file$/, '');
      const full = resolveIn(disk, destinations.get(key) ?? info.filename ?? '');
      if (!full) {
        failure = `path is outside the sandbox: ${destinations.get(key) ?? info.filename}`;
        stream.resume();
        return;
      }
      fs.mkdirSync(path.dirname(full), { recursive: true });
      const out = fs.createWriteStream(full);
      pending.push(new Promise((done) => out.on('close', done)));
      stream.pipe(out);
    });
    bb.on('close', () => {
      void Promise.all(pending).then(() => {
        if (failure) sendError(res, 400, failure, 'INVALID_FILE_PATH', 'DAYTONA_DAEMON');
        else res.writeHead(200).end();
        resolve();
      });
    });
    req.pipe(bb);
  });
}

/** One multipart response: a "file" part per found path, an "error" part (JSON) per missing one. */
function sendDownload(res: http.ServerResponse, disk: SandboxDisk, paths: string[]): void {
  const boundary = `fake-${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const p of paths) {
    const full = resolveIn(disk, p);
    const found = full !== undefined && fs.existsSync(full) && fs.statSync(full).isFile();
    const body = found ? fs.readFileSync(full) : Buffer.from(JSON.stringify({ message: `file not found: ${p}`, statusCode: 404, code: 'FILE_NOT_FOUND' }));
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="${found ? 'file' : 'error'}"; filename="${p}"\r\n` +
      `Content-Type: ${found ? 'application/octet-stream' : 'application/json'}\r\nContent-Length: ${body.length}\r\n\r\n`;
    parts.push(Buffer.from(head), body, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const payload = Buffer.concat(parts);
  res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': payload.length });
  res.end(payload);
}
