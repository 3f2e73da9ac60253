// One mock API, two transports: a synchronous request handler answers the fake host in-process
// (hostHandler: the host's http calls are synchronous, so an in-process server could not answer
// them) and the runner or Postgres over loopback HTTP (serveHandler).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HttpHandler } from "./fake-host.js";

export interface MockRequest {
  /** Upper case: GET, POST, PUT, PATCH, DELETE. */
  method: string;
  /** Path and query, e.g. `/customers?page=2`. */
  path: string;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: string;
}

export interface MockResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with content-type application/json). */
  body?: unknown;
}

export type MockHandler = (req: MockRequest) => MockResponse;

function encode(res: MockResponse): { headers: [string, string][]; body: string } {
  const headers: [string, string][] = Object.entries(res.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]);
  if (res.body === undefined) return { headers, body: "" };
  if (typeof res.body === "string") return { headers, body: res.body };
  if (!headers.some(([k]) => k === "content-type")) headers.push(["content-type", "application/json"]);
  return { headers, body: JSON.stringify(res.body) };
}

/** The fake host's http handler for a mock: `fakeHttp.handler = hostHandler(api)`. */
export function hostHandler(handler: MockHandler): HttpHandler {
  return (req) => {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    for (const [k, v] of req.headers) headers[k] = v;
    const res = handler({ method: req.method.tag.toUpperCase(), path: url.pathname + url.search, headers, body: req.body });
    const { headers: h, body } = encode(res);
    return { url: req.url, statusCode: res.status, headers: h, body };
  };
}

export interface MockServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a mock on 127.0.0.1 (a free port unless given). */
export function serveHandler(handler: MockHandler, opts: { port?: number } = {}): Promise<MockServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let out: MockResponse;
      try {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        out = handler({ method: req.method ?? "GET", path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8") });
      } catch (e) {
        out = { status: 500, body: { error: `mock failed: ${e instanceof Error ? e.message : String(e)}` } };
      }
      const { headers, body } = encode(out);
      res.writeHead(out.status, Object.fromEntries(headers));
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
