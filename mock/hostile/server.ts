// A small configurable loopback HTTP server that misbehaves on purpose, for tests of guests and
// hosts against hostile APIs (issue 8): routes that never answer, Link headers that loop or lead
// to another origin, huge or deeply nested or malformed bodies, a BOM, invalid UTF-8, a 304, exact
// number texts, and bodies that echo the request's credentials back. Ready-made routes are in
// scenarios.ts; `node out/mock/hostile/cli.js` serves them all.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gzipSync } from "node:zlib";

/** A request as the server saw it (headers lowercased; values kept, so tests can look for leaks). */
export interface HostileRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The absolute URL of the request on this server. */
  href: string;
}

export type Body = string | Buffer;

/** What a route answers. Every field is optional: the default is 200 with an empty JSON array. */
export interface HostileRoute {
  status?: number;
  headers?: Readonly<Record<string, string>>;
  /** The body, or a function of the request (e.g. to echo its headers or link to itself). */
  body?: Body | ((req: HostileRequest) => Body);
  /** Headers computed from the request (merged over `headers`). */
  headersFor?: (req: HostileRequest) => Readonly<Record<string, string | undefined>>;
  /** Accept the request and never answer (the socket stays open until the server closes). */
  hang?: boolean;
  /** Send the headers, then never send the body. */
  hangAfterHeaders?: boolean;
  /** Answer after this many milliseconds. */
  delayMs?: number;
  /** gzip the body and say so (`content-encoding: gzip`). */
  gzip?: boolean;
  /** Write the body in chunks of this many bytes, one per `chunkDelayMs` (a slow drip). */
  chunkBytes?: number;
  chunkDelayMs?: number;
}

export interface HostileServerOptions {
  /** Loopback address to bind (default 127.0.0.1; any 127.x.y.z works on Linux). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Routes by exact path, or by first path segment (`/self-link` serves `/self-link/events` too). */
  routes?: Readonly<Record<string, HostileRoute>>;
  /** For paths no route matches (default: 404 `{"message":"Not Found"}`). */
  fallback?: HostileRoute;
}

export interface HostileServer {
  /** Base URL, e.g. http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Every request, oldest first. */
  readonly requests: HostileRequest[];
  /** Adds or replaces a route. */
  route(path: string, route: HostileRoute): void;
  /** Forgets the request log. */
  resetLog(): void;
  /** Closes the server and every open connection (hanging ones too). */
  close(): Promise<void>;
}

const NOT_FOUND: HostileRoute = { status: 404, body: '{"message":"Not Found"}' };

function pick(routes: Map<string, HostileRoute>, path: string): HostileRoute | undefined {
  const exact = routes.get(path);
  if (exact !== undefined) return exact;
  const first = /^\/[^/]*/.exec(path)?.[0];
  return first === undefined ? undefined : routes.get(first);
}

export async function startHostileServer(options: HostileServerOptions = {}): Promise<HostileServer> {
  const host = options.host ?? "127.0.0.1";
  const routes = new Map<string, HostileRoute>(Object.entries(options.routes ?? {}));
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let base = "";

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? "/", base);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const hreq: HostileRequest = { method: req.method ?? "GET", url: req.url ?? "/", path: u.pathname, query: Object.fromEntries(u.searchParams), headers, href: u.href };
    requests.push(hreq);
    const route = pick(routes, u.pathname) ?? options.fallback ?? NOT_FOUND;
    // Drain the request body so that keep-alive works.
    req.resume();
    if (route.hang) return;
    const answer = (): void => {
      let body: Buffer = Buffer.from(typeof route.body === "function" ? route.body(hreq) : (route.body ?? "[]"));
      const out: Record<string, string> = { "content-type": "application/json; charset=utf-8", ...route.headers };
      for (const [k, v] of Object.entries(route.headersFor?.(hreq) ?? {})) if (v !== undefined) out[k] = v;
      if (route.gzip) {
        body = gzipSync(body);
        out["content-encoding"] = "gzip";
      }
      const status = route.status ?? 200;
      if (route.hangAfterHeaders) {
        res.writeHead(status, { ...out, "content-length": String(body.length) });
        res.flushHeaders();
        return;
      }
      if (status !== 304 && status !== 204) out["content-length"] = String(body.length);
      res.writeHead(status, out);
      if (status === 304 || status === 204) {
        res.end();
        return;
      }
      const chunk = route.chunkBytes;
      if (chunk === undefined || chunk <= 0) {
        res.end(body);
        return;
      }
      let at = 0;
      const drip = (): void => {
        if (res.destroyed) return;
        res.write(body.subarray(at, at + chunk));
        at += chunk;
        if (at >= body.length) res.end();
        else later(route.chunkDelayMs ?? 100, drip);
      };
      drip();
    };
    if (route.delayMs !== undefined && route.delayMs > 0) later(route.delayMs, answer);
    else answer();
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
  return {
    url: base,
    host,
    port,
    requests,
    route(path, route) {
      routes.set(path, route);
    },
    resetLog() {
      requests.length = 0;
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
