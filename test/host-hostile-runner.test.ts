// The hosts' own limits through the runner (both engines where it matters), against hostile
// loopback servers: HTTP timeouts, a statement deadline (`--statement-timeout-ms`) interrupting
// network waits, sleeps and guest loops, redirects that must not carry credentials to another
// origin, gzip bombs and oversized bodies, invalid UTF-8, URL userinfo never echoed, the guest
// memory limit, and capped error / notice / backtrace text. Outcomes only, never timings: every
// run has a generous guard, so a hang fails the test instead of hanging it.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runnerBin } from "../tools/paths.js";
import { buildHostileFixture, SECRET_PASSWORD, SECRET_TOKEN, startHostile, type Hostile } from "./support/host-hostile-servers.js";

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const GUARD_MS = 90_000;
const COLUMNS = ["status:int4", "url:text", "body:text", "bytes:int8", "headers:jsonb"].flatMap((c) => ["--column", c]);

/** The runner with a guard: killed (and reported by signal) if it runs longer than GUARD_MS. */
function runner(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(runnerBin, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TSFDW_HTTP_RETRY_BASE_MS: "1", ...env },
      timeout: GUARD_MS,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function rows(r: Run): Record<string, unknown>[] {
  assert.equal(r.signal, null, `runner killed by the guard: ${r.stderr}`);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

function failure(r: Run, pattern: RegExp): void {
  assert.equal(r.signal, null, `runner killed by the guard (hang): ${r.stderr.slice(0, 2000)}`);
  assert.equal(r.code, 1, `expected a failure, got: ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
  assert.match(r.stderr, pattern);
  assert.equal(r.stdout, "");
}

async function freeClosedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("host limits through the runner (hostile loopback servers)", { timeout: 30 * 60_000 }, () => {
  let root: string;
  let wasm: string;
  let h: Hostile;

  const scan = (table: Record<string, string>, server: Record<string, string> = {}, extra: string[] = [], env: Record<string, string> = {}) =>
    runner(
      [
        "scan",
        wasm,
        ...Object.entries(server).flatMap(([k, v]) => ["--server", `${k}=${v}`]),
        ...Object.entries(table).flatMap(([k, v]) => ["--table", `${k}=${v}`]),
        ...COLUMNS,
        "--format",
        "json",
        ...extra,
      ],
      env,
    );
  const seenAt = (prefix: string, path: string) => h.seen.filter((s) => s.path === path && (s.headers.host ?? "") === prefix.replace(/^http:\/\//, ""));

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "tsfdw-host-hostile-"));
    wasm = await buildHostileFixture(root);
    h = await startHostile();
  });

  after(async () => {
    await h?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe("timeouts", () => {
    it("a server that accepts and never answers: read timeout, naming URL, timeout, value and option", async () => {
      const r = await scan({ url: `${h.silent}/x` }, { tsfdw_http_read_timeout_ms: "300" });
      failure(r, new RegExp(`guest fdw error: error sending request for url \\(${h.silent}/x\\): read timeout: no data received for 300 ms \\(server option tsfdw_http_read_timeout_ms\\)`));
    });

    it("a body that stops: read timeout while reading the body", async () => {
      const r = await scan({ url: `${h.base}/stall` }, { tsfdw_http_read_timeout_ms: "300" });
      failure(r, new RegExp(`error reading response body for url \\(${h.base}/stall\\): read timeout: no data received for 300 ms`));
    });

    it("a slow-drip body: the overall timeout ends it", async () => {
      const r = await scan({ url: `${h.base}/drip` }, { tsfdw_http_read_timeout_ms: "5000", tsfdw_http_timeout_ms: "1500" });
      failure(r, /error reading response body for url \(.*\/drip\): timeout: the request did not complete within 1500 ms \(server option tsfdw_http_timeout_ms\)/);
    });

    it("invalid option values are refused, naming the option", async () => {
      const r = await scan({ url: `${h.base}/ok` }, { tsfdw_http_timeout_ms: "10s" });
      failure(r, /invalid value '10s' for server option tsfdw_http_timeout_ms: expected a whole number of milliseconds/);
    });
  });

  describe("interrupts (the runner's statement timeout)", () => {
    for (const engine of ["supabase", "strict"]) {
      it(`a guest that computes forever is interrupted (${engine})`, async () => {
        const r = await scan({ action: "loop" }, {}, ["--engine", engine, "--statement-timeout-ms", "1000"]);
        failure(r, /^error: canceling statement due to statement timeout$/m);
      });
    }

    it("a silent server (default 30 s read timeout) is interrupted while waiting", async () => {
      const r = await scan({ url: `${h.silent}/wait` }, {}, ["--statement-timeout-ms", "1000"]);
      failure(r, /^error: canceling statement due to statement timeout$/m);
    });

    it("time.sleep is interrupted", async () => {
      const r = await scan({ action: "sleep", ms: "3600000" }, {}, ["--statement-timeout-ms", "500"]);
      failure(r, /^error: canceling statement due to statement timeout$/m);
    });

    it("retry backoff is interrupted (503 forever, 1 h backoff)", async () => {
      const before = h.seen.filter((s) => s.path === "/unavailable").length;
      const r = await scan({ url: `${h.base}/unavailable` }, {}, ["--statement-timeout-ms", "1500"], { TSFDW_HTTP_RETRY_BASE_MS: "3600000" });
      failure(r, /^error: canceling statement due to statement timeout$/m);
      // one attempt, then the interrupted wait before the first retry
      assert.equal(h.seen.filter((s) => s.path === "/unavailable").length - before, 1);
    });
  });

  describe("redirects", () => {
    const withSecrets = { action: "http", header_name: "x-api-key", header_value: SECRET_TOKEN };
    it("same origin: the credentials go on (control)", async () => {
      const [row] = rows(await scan({ ...withSecrets, url: `${h.base}/redirect?to=/ok` }, { api_key: SECRET_TOKEN }));
      assert.equal(row?.["status"], 200);
      assert.equal(row?.["url"], `${h.base}/ok`);
      const got = seenAt(h.base, "/ok").at(-1);
      assert.equal(got?.headers.authorization, `Bearer ${SECRET_TOKEN}`);
      assert.equal(got?.headers["x-api-key"], SECRET_TOKEN);
    });

    for (const [what, target] of [
      ["another port", () => h.otherPort],
      ["another host (127.0.0.2)", () => h.otherHost],
    ] as const) {
      it(`to ${what}: no authorization or other credential header arrives there`, async () => {
        const to = target();
        const r = await scan({ ...withSecrets, url: `${h.base}/redirect?to=${encodeURIComponent(`${to}/ok`)}` }, { api_key: SECRET_TOKEN });
        const [row] = rows(r);
        assert.equal(row?.["status"], 200);
        assert.equal(row?.["url"], `${to}/ok`);
        const got = seenAt(to, "/ok").at(-1);
        assert.ok(got, `the redirect target ${to} got no request`);
        assert.equal(got.headers.authorization, undefined);
        assert.equal(got.headers["x-api-key"], undefined);
        assert.equal(got.headers.accept, "*/*");
        assert.doesNotMatch(JSON.stringify(got.headers), new RegExp(SECRET_TOKEN));
      });
    }

    it("303 turns POST into GET without a body; 307 keeps method and body", async () => {
      let [row] = rows(await scan({ url: `${h.base}/redirect?status=303&to=/ok`, method: "post", body: "payload" }));
      assert.equal(row?.["status"], 200);
      assert.equal(seenAt(h.base, "/ok").at(-1)?.method, "GET");
      [row] = rows(await scan({ url: `${h.base}/redirect?status=307&to=${encodeURIComponent(`${h.otherPort}/ok`)}`, method: "post", body: "payload" }, { api_key: SECRET_TOKEN }));
      const got = seenAt(h.otherPort, "/ok").at(-1);
      assert.equal(got?.method, "POST");
      assert.equal(got?.headers["content-length"], "7");
      assert.equal(got?.headers.authorization, undefined);
    });

    it("a redirect loop stops after 10 redirects", async () => {
      const before = seenAt(h.base, "/loop").length;
      const r = await scan({ url: `${h.base}/loop` });
      failure(r, new RegExp(`guest fdw error: error following redirect for url \\(${h.base}/loop\\): too many redirects`));
      assert.equal(seenAt(h.base, "/loop").length - before, 11);
    });
  });

  describe("bodies", () => {
    it("gzip is asked for and decoded; content-encoding is not passed on", async () => {
      const [row] = rows(await scan({ url: `${h.base}/gzip` }));
      assert.equal(row?.["body"], '{"gzip":"decoded"}');
      assert.equal((row?.["headers"] as Record<string, string>)["content-encoding"], undefined);
      assert.equal(seenAt(h.base, "/gzip").at(-1)?.headers["accept-encoding"], "gzip");
    });

    it("a gzip bomb stops at the decoded-size limit (default 32 MiB, and the server option)", async () => {
      failure(await scan({ url: `${h.base}/bomb` }), /gzip-decoded response body for url \(.*\/bomb\) exceeds 33554432 bytes \(server option tsfdw_http_max_decoded_bytes\)/);
      failure(await scan({ url: `${h.base}/bomb` }, { tsfdw_http_max_decoded_bytes: "1000000" }), /exceeds 1000000 bytes \(server option tsfdw_http_max_decoded_bytes\)/);
    });

    it("an oversized body is refused; one within the limit is not", async () => {
      failure(
        await scan({ url: `${h.base}/big?bytes=2000000` }, { tsfdw_http_max_response_bytes: "1000000" }),
        /response body for url \(.*\/big\?bytes=2000000\) exceeds 1000000 bytes \(server option tsfdw_http_max_response_bytes\)/,
      );
      const [row] = rows(await scan({ url: `${h.base}/big?bytes=1000000` }, { tsfdw_http_max_response_bytes: "1000000" }));
      assert.equal(row?.["bytes"], 1000000);
      failure(await scan({ url: `${h.base}/huge-declared` }), /exceeds 33554432 bytes \(server option tsfdw_http_max_response_bytes\)/);
    });

    it("invalid UTF-8 is an error naming the URL and the byte offset", async () => {
      failure(await scan({ url: `${h.base}/invalid-utf8` }), new RegExp(`response body for url \\(${h.base}/invalid-utf8\\) is not valid UTF-8: invalid byte sequence at byte offset 12 \\(of 16 bytes\\)`));
    });
  });

  describe("credentials in URLs", () => {
    it("userinfo is sent as basic auth and never shown (response.url, errors)", async () => {
      const at = h.base.replace("http://", `http://user:${SECRET_PASSWORD}@`);
      const r = await scan({ url: `${at}/ok` });
      const [row] = rows(r);
      assert.equal(row?.["url"], `${h.base}/ok`);
      assert.equal(seenAt(h.base, "/ok").at(-1)?.headers.authorization, `Basic ${Buffer.from(`user:${SECRET_PASSWORD}`).toString("base64")}`);
      const port = await freeClosedPort();
      const e = await scan({ url: `http://user:${SECRET_PASSWORD}@127.0.0.1:${port}/x` });
      failure(e, new RegExp(`error sending request for url \\(http://127\\.0\\.0\\.1:${port}/x\\)`));
      const t = await scan({ url: `${at}/loop` });
      failure(t, /too many redirects/);
      for (const out of [r, e, t]) assert.doesNotMatch(out.stdout + out.stderr, new RegExp(SECRET_PASSWORD));
    });
  });

  describe("guest memory and message sizes", () => {
    it("a guest that allocates without bound hits the memory limit with a clean error", async () => {
      const r = await scan({ action: "alloc" }, { tsfdw_max_memory_mb: "64" });
      failure(r, /error: guest memory limit exceeded: the guest tried to grow its linear memory from \d+ MiB to \d+ MiB; the limit is 64 MiB \(server option tsfdw_max_memory_mb\)/);
    });

    it("a 10 MB guest error message is truncated with a note", async () => {
      const r = await scan({ action: "big-error", size: "10000000" });
      failure(r, /guest fdw error: E+… \[truncated: \d+ bytes in all\]/);
      assert.ok(r.stderr.length < 20_000, `stderr is ${r.stderr.length} bytes`);
    });

    it("a 10 MB notice is truncated with a note", async () => {
      const r = await scan({ action: "big-notice", size: "10000000" });
      assert.equal(r.code, 0, r.stderr.slice(0, 500));
      assert.match(r.stderr, /NOTICE: N+… \[truncated: 10000000 bytes in all\]/);
      assert.ok(r.stderr.length < 20_000, `stderr is ${r.stderr.length} bytes`);
    });

    it("deeply nested JSON: a short error and a trimmed backtrace", async () => {
      const r = await scan({ action: "deep-json", depth: "200000" }, {}, [], { TSFDW_BACKTRACE: "1" });
      assert.equal(r.signal, null, "hang");
      assert.equal(r.code, 1, r.stdout.slice(0, 300));
      assert.ok(r.stderr.length < 20_000, `stderr is ${r.stderr.length} bytes: ${r.stderr.slice(0, 500)}`);
      if (/wasmtime error/.test(r.stderr)) assert.match(r.stderr, /detail: (.|\n)*more frames/);
    });
  });
});
