/** Where a dev server says it listens, read from one visible line of its output. */
export interface ServerAddress {
  /** As printed, normalised to a host a browser on this machine can open (0.0.0.0 and [::] become localhost). */
  url: string;
  port: number;
  /** The line said it is the local address ("Local:", "Loopback:", a loopback host) rather than a LAN one. */
  local: boolean;
}

/** The ports dev servers use when they say nothing (probed in this order). */
export const USUAL_DEV_PORTS: readonly number[] = [3000, 5173, 8080, 80, 8000, 4200, 5000];

// http(s)://host:port — a port is required: a bare https://docs.example.org link is not a server of this build
const URL_WITH_PORT = /\bhttps?:\/\/(\[[0-9a-f:]*\]|[\w.-]+):(\d{2,5})(\/[^\s'"`)\]]*)?/gi;
// "listening on port 3000", "Server running on port 8080", "started on :4000"
const PORT_PHRASE = /\b(?:listening|running|started|serving|ready|available|bound)\b[^\n]{0,40}?(?:\bport\s*:?\s*|\bon\s+:)(\d{2,5})\b/i;
const LOCAL_HOST = /^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[::1?\]|\[::ffff:127\.0\.0\.1\])$/i;
const ANY_HOST = /^(?:0\.0\.0\.0|\[::\])$/;
const NETWORK_LABEL = /\bnetwork\b/i;

/**
 * The server address a line announces, if any. Only loopback and wildcard hosts count, or a host on a line labelled
 * "Network:" (Vite, Next): documentation links never carry a port, and other hosts are not this machine's server.
 * Cheap for lines that mention neither "://" nor "port": one indexOf each.
 */
export function serverAddressIn(line: string): ServerAddress | undefined {
  if (line.includes('://')) {
    URL_WITH_PORT.lastIndex = 0;
    for (let m = URL_WITH_PORT.exec(line); m; m = URL_WITH_PORT.exec(line)) {
      const host = m[1];
      const port = Number(m[2]);
      if (port < 1 || port > 65535) continue;
      const isLocal = LOCAL_HOST.test(host);
      if (!isLocal && !NETWORK_LABEL.test(line)) continue;
      const shownHost = ANY_HOST.test(host) ? 'localhost' : host;
      const scheme = m[0].slice(0, m[0].indexOf(':'));
      return { url: `${scheme.toLowerCase()}://${shownHost}:${port}${m[3] ?? '/'}`, port, local: isLocal };
    }
    return undefined;
  }
  if (!/port|on :/i.test(line)) return undefined;
  const phrase = PORT_PHRASE.exec(line);
  if (!phrase) return undefined;
  const port = Number(phrase[1]);
  return port >= 1 && port <= 65535 ? { url: `http://localhost:${port}/`, port, local: true } : undefined;
}

/**
 * Follows a dev server's lines until it has said where it listens: the first local address wins; a network address is
 * kept until a local one comes (Vite prints "Local:" first, others print the network address first).
 */
export class ServerAddressFinder {
  private found: ServerAddress | undefined;

  /** Feeds one line; true once a local address is known (the caller can stop feeding). */
  push(line: string): boolean {
    if (this.found?.local) return true;
    const address = serverAddressIn(line);
    if (address && (!this.found || address.local)) this.found = address;
    return this.found?.local ?? false;
  }

  get address(): ServerAddress | undefined {
    return this.found;
  }
}
