import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';

/** The header a private Daytona preview wants its token in (a browser cannot add it by itself). */
export const PREVIEW_TOKEN_HEADER = 'x-daytona-preview-token';

export interface PreviewProxy {
  /** http://127.0.0.1:<port>/ — open this in a browser on this machine. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A loopback proxy to a private sandbox preview: every request and WebSocket upgrade (dev servers' hot reload) is
 * forwarded with the preview token added, so the token never leaves this machine in a URL and needs no browser
 * extension. Written by hand because it is one header on a pipe: a proxy library would bring more than it saves.
 */
export async function startPreviewProxy(target: { url: string; token: string }): Promise<PreviewProxy> {
  const base = new URL(target.url);
  const client = base.protocol === 'https:' ? https : http;
  const forwardHeaders = (headers: http.IncomingHttpHeaders) => ({ ...headers, host: base.host, [PREVIEW_TOKEN_HEADER]: target.token });
  const targetPath = (path: string | undefined) => `${base.pathname.replace(/\/$/, '')}${path ?? '/'}`;

  const server = http.createServer((request, response) => {
    const upstream = client.request(
      { protocol: base.protocol, hostname: base.hostname, port: base.port, method: request.method, path: targetPath(request.url), headers: forwardHeaders(request.headers) },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', (e) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`Kirby could not reach the sandbox preview: ${e.message}\n`);
    });
    request.pipe(upstream);
  });

  server.on('upgrade', (request, socket: net.Socket, head) => {
    const upstream = client.request({
      protocol: base.protocol,
      hostname: base.hostname,
      port: base.port,
      method: request.method,
      path: targetPath(request.url),
      headers: forwardHeaders(request.headers),
    });
    upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
      const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
      const end = () => {
        socket.destroy();
        upstreamSocket.destroy();
      };
      socket.on('error', end);
      upstreamSocket.on('error', end);
    });
    upstream.on('response', (answer) => {
      socket.end(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\n\r\n`);
    });
    upstream.on('error', () => socket.destroy());
    upstream.end();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
