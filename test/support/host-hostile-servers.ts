// Hostile loopback HTTP servers for the hosts' own limits (test/host-hostile-*.test.ts): a server
// that accepts and never answers, one that drips its body, redirects to another port / host, a
// gzip bomb, oversized and invalid-UTF-8 bodies, a 503 forever. Every server records the requests
// it got (method, path, headers), so tests can check what the host sent.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { build, parseBuildArgs } from "../../tools/build/index.js";
import { repoRoot } from "../../tools/paths.js";
import { join } from "node:path";

export interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface Hostile {
  /** `http://<host>:<port>` of the main server. */
  base: string;
  /** Same routes on another port (127.0.0.1). */
  otherPort: string;
  /** Same routes on 127.0.0.2 (another host; the same port as `base` when it was free there). */
  otherHost: string;
  /** A TCP server that accepts connections and never sends a byte. */
  silent: string;
  /** Connections the silent server has accepted so far. */
  silentConnections(): number;
  /** Requests seen by every server, in order. */
  seen: Seen[];
  close(): Promise<void>;
}

/** A gzip body that decodes to `mib` MiB of zeros (about 1/1000 of that on the wire). */
export function gzipBomb(mib: number): Buffer {
  return gzipSync(Buffer.alloc(mib * 1024 * 1024), { level: 9 });
}

const BOMB = gzipBomb(64);

function route(base: () => Hostile, path: string, res: ServerResponse): void {
  const url = new URL(path, "http://x");
  const p = url.pathname;
  const to = url.searchParams.get("to") ?? "";
  if (p === "/ok") {
    res.setHeader("content-type", "application/json");
    res.end('{"ok":true}');
  } else if (p === "/redirect") {
    // 302 to `to` (a full URL or a path)
    res.statusCode = Number(url.searchParams.get("status") ?? "302");
    res.setHeader("location", to);
    res.end();
  } else if (p === "/loop") {
    res.statusCode = 302;
    res.setHeader("location", "/loop");
    res.end();
  } else if (p === "/gzip") {
    res.setHeader("content-type", "application/json");
    res.setHeader("content-encoding", "gzip");
    res.end(gzipSync(Buffer.from('{"gzip":"decoded"}')));
  } else if (p === "/bomb") {
    res.setHeader("content-type", "application/json");
    res.setHeader("content-encoding", "gzip");
    res.end(BOMB);
  } else if (p === "/big") {
    res.setHeader("content-type", "text/plain");
    res.end(Buffer.alloc(Number(url.searchParams.get("bytes") ?? "2000000"), "a"));
  } else if (p === "/huge-declared") {
    // says 10 GiB and sends nothing more: the host must refuse without reading
    res.writeHead(200, { "content-type": "text/plain", "content-length": String(10 * 1024 ** 3) });
    res.flushHeaders();
  } else if (p === "/invalid-utf8") {
    res.setHeader("content-type", "application/json");
    res.end(Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
  } else if (p === "/drip") {
    // headers at once, then one byte every 200 ms, forever (beats a read timeout above 200 ms)
    res.writeHead(200, { "content-type": "text/plain" });
    const timer = setInterval(() => res.write("x"), 200);
    res.on("close", () => clearInterval(timer));
  } else if (p === "/stall") {
    // headers and a little body, then silence
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("partial");
  } else if (p === "/unavailable") {
    res.statusCode = 503;
    res.end("try later");
  } else {
    res.statusCode = 404;
    res.end(`no route ${p} (base ${base().base})`);
  }
}

async function listen(server: Server | TcpServer, host: string, port = 0): Promise<number> {
  server.listen(port, host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([e]) => {
      throw e;
    }),
  ]);
  return (server.address() as AddressInfo).port;
}

/** Start the hostile servers on loopback. */
export async function startHostile(): Promise<Hostile> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let self: Hostile | undefined;
  const handler = (req: import("node:http").IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers });
    req.resume();
    route(() => self as Hostile, req.url ?? "/", res);
  };
  const track = (s: Server | TcpServer) => s.on("connection", (c: Socket) => {
    sockets.add(c);
    c.on("close", () => sockets.delete(c));
  });
  const main = track(createServer(handler)) as Server;
  const other = track(createServer(handler)) as Server;
  const otherHostServer = track(createServer(handler)) as Server;
  let silentCount = 0;
  const silentServer = track(createTcpServer(() => void silentCount++)) as TcpServer;
  const port = await listen(main, "127.0.0.1");
  const otherPort = await listen(other, "127.0.0.1");
  let hostPort: number;
  try {
    hostPort = await listen(otherHostServer, "127.0.0.2", port);
  } catch {
    hostPort = await listen(otherHostServer, "127.0.0.2");
  }
  const silentPort = await listen(silentServer, "127.0.0.1");
  self = {
    base: `http://127.0.0.1:${port}`,
    otherPort: `http://127.0.0.1:${otherPort}`,
    otherHost: `http://127.0.0.2:${hostPort}`,
    silent: `http://127.0.0.1:${silentPort}`,
    silentConnections: () => silentCount,
    seen,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([main, other, otherHostServer, silentServer].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
  return self;
}

/**
 * Build the fixture guest (test/fixtures/host-hostile-fdw) into `outDir`; returns the .wasm path.
 * With the quickjs engine: its heap grows the linear memory without bound, which is what the host's
 * memory limit is about (a micro guest's fixed arena fills first, a clean guest error of its own).
 */
export async function buildHostileFixture(outDir: string): Promise<string> {
  await build(parseBuildArgs([join(repoRoot, "test", "fixtures", "host-hostile-fdw"), "--out", outDir, "--engine", "quickjs"]));
  return join(outDir, "host_hostile_fdw.wasm");
}

/** A password and user that must never show up in any output. */
export const SECRET_PASSWORD = "pa55-SECRET-word";
export const SECRET_TOKEN = "tok-SECRET-4711";
