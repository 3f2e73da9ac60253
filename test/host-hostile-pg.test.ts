// The hosts' own limits through SQL on the local Postgres host (the `tsfdw` extension), against
// hostile loopback servers: statement_timeout, pg_cancel_backend and pg_terminate_backend stop a
// query waiting on a silent server, sleeping, backing off before a retry or computing forever; the
// session (or, after terminate, a new one) works and no backend is left running. Plus HTTP
// timeouts, redirects that must not carry credentials to another origin, gzip bombs, oversized
// bodies, invalid UTF-8, URL userinfo never in errors or the server log, the guest memory limit,
// capped messages, error locations and the validation of the tsfdw_* server options.
// Outcomes only, never timings: every psql run has a generous guard, so a hang fails the test.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ensureLocalPostgresHost, PG_BINDIR, startThrowawayPostgres, type ThrowawayPostgres } from "../tools/pg/index.js";
import { run, type RunResult } from "../tools/pg/proc.js";
import { buildHostileFixture, SECRET_PASSWORD, SECRET_TOKEN, startHostile, type Hostile } from "./support/host-hostile-servers.js";

const GUARD_MS = 120_000;
const COLUMNS = "(status int, url text, body text, bytes bigint, headers jsonb)";

/** psql in one session, killed by the guard if it runs longer than GUARD_MS. */
function psql(pg: ThrowawayPostgres, sql: string, opts: { onErrorStop?: boolean; verbose?: boolean } = {}): Promise<RunResult> {
  const args = ["-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", String(pg.port), "-U", "postgres", "-d", "postgres"];
  args.push("-v", `ON_ERROR_STOP=${opts.onErrorStop === false ? 0 : 1}`);
  if (opts.verbose) args.push("-v", "VERBOSITY=verbose");
  return run(join(PG_BINDIR, "psql"), [...args, "-f", "-"], {
    input: sql,
    env: { ...process.env, PGCONNECT_TIMEOUT: "10", PGOPTIONS: "" },
    timeoutMs: GUARD_MS,
  });
}

async function until(what: string, cond: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + GUARD_MS;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const notKilled = (r: RunResult) => assert.notEqual(r.code, 128, `psql killed by the guard (a hang): ${r.stderr.slice(0, 1000)}`);

describe("host limits through SQL (tsfdw extension, hostile loopback servers)", { timeout: 60 * 60_000 }, () => {
  let root: string;
  let wasm: string;
  let pg: ThrowawayPostgres;
  let h: Hostile;
  const q = (sql: string, opts?: { onErrorStop?: boolean; verbose?: boolean }) => psql(pg, sql, opts);

  /** Backends of `app` still there (any state). */
  const backends = async (app: string) => {
    const r = await q(`select count(*) from pg_stat_activity where application_name = '${app}';`);
    assert.equal(r.code, 0, r.stderr);
    return Number(r.stdout.trim());
  };

  /** Run `sql` in its own session named `app`; when `ready` holds, run `action` on it from another session. */
  async function interrupt(app: string, sql: string, ready: () => boolean, action: "pg_cancel_backend" | "pg_terminate_backend"): Promise<RunResult> {
    const running = q(`set application_name = '${app}';\n${sql}`, { onErrorStop: false });
    await until(`${app} to reach the guest`, ready);
    const k = await q(`select ${action}(pid) from pg_stat_activity where application_name = '${app}';`);
    assert.equal(k.stdout.trim(), "t", k.stderr);
    const r = await running;
    notKilled(r);
    await until(`no backend of ${app} left`, async () => (await backends(app)) === 0);
    return r;
  }

  const seenPaths = () => h.seen.map((s) => s.path);

  before(async () => {
    await ensureLocalPostgresHost();
    root = mkdtempSync(join(tmpdir(), "tsfdw-host-hostile-pg-"));
    wasm = await buildHostileFixture(root);
    h = await startHostile();
    pg = await startThrowawayPostgres({ env: { TSFDW_HTTP_RETRY_BASE_MS: "1" } });
    const file = pg.copyIn(wasm);
    const pkg = `fdw_package_url 'file://${file}', fdw_package_name 'test:host-hostile-fdw', fdw_package_version '0.0.1'`;
    const t = (name: string, server: string, opts: Record<string, string>) =>
      `create foreign table h.${name} ${COLUMNS} server ${server} options (${Object.entries(opts).map(([k, v]) => `${k} '${v}'`).join(", ")});`;
    const userinfo = h.base.replace("http://", `http://user:${SECRET_PASSWORD}@`);
    const r = await q(`
      create extension tsfdw;
      create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;
      create server hostile foreign data wrapper wasm_wrapper options (${pkg}, api_key '${SECRET_TOKEN}');
      create server hostile_fast foreign data wrapper wasm_wrapper options (${pkg}, tsfdw_http_read_timeout_ms '300');
      create server hostile_small foreign data wrapper wasm_wrapper options (${pkg}, tsfdw_max_memory_mb '64', tsfdw_http_max_response_bytes '1000000');
      create schema h;
      ${t("silent", "hostile", { url: `${h.silent}/wait` })}
      ${t("silent_fast", "hostile_fast", { url: `${h.silent}/x` })}
      ${t("loop", "hostile", { action: "loop", notify: `${h.base}/ok?tag=loop` })}
      ${t("loop_cancel", "hostile", { action: "loop", notify: `${h.base}/ok?tag=loop-cancel` })}
      ${t("loop_terminate", "hostile", { action: "loop", notify: `${h.base}/ok?tag=loop-terminate` })}
      ${t("sleep", "hostile", { action: "sleep", ms: "3600000" })}
      ${t("redirect_port", "hostile", { url: `${h.base}/redirect?to=${encodeURIComponent(`${h.otherPort}/ok?tag=port`)}`, header_name: "x-api-key", header_value: SECRET_TOKEN })}
      ${t("redirect_host", "hostile", { url: `${h.base}/redirect?to=${encodeURIComponent(`${h.otherHost}/ok?tag=host`)}`, header_name: "x-api-key", header_value: SECRET_TOKEN })}
      ${t("redirect_same", "hostile", { url: `${h.base}/redirect?to=${encodeURIComponent("/ok?tag=same")}` })}
      ${t("gzip", "hostile", { url: `${h.base}/gzip` })}
      ${t("bomb", "hostile", { url: `${h.base}/bomb` })}
      ${t("big", "hostile_small", { url: `${h.base}/big?bytes=2000000` })}
      ${t("invalid_utf8", "hostile", { url: `${h.base}/invalid-utf8` })}
      ${t("userinfo", "hostile", { url: `${userinfo}/ok?tag=userinfo` })}
      ${t("userinfo_loop", "hostile", { url: `${userinfo}/loop` })}
      ${t("userinfo_silent", "hostile_fast", { url: `${h.silent.replace("http://", `http://user:${SECRET_PASSWORD}@`)}/x` })}
      ${t("alloc", "hostile_small", { action: "alloc" })}
      ${t("big_error", "hostile", { action: "big-error", size: "10000000" })}
      ${t("deep_json", "hostile", { action: "deep-json", depth: "200000" })}
    `);
    assert.equal(r.code, 0, r.stderr);
  });

  after(async () => {
    await pg?.stop();
    await h?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe("interrupts", () => {
    it("statement_timeout stops a query waiting on a server that never answers; the session goes on", async () => {
      const r = await q("set statement_timeout = '1s';\nselect status from h.silent;\nreset statement_timeout;\nselect 'alive';", { onErrorStop: false });
      notKilled(r);
      assert.match(r.stderr, /ERROR: {2}canceling statement due to statement timeout/);
      assert.equal(r.stdout.trim(), "alive");
    });

    it("pg_cancel_backend stops it too", async () => {
      const before = h.silentConnections();
      const r = await interrupt("hostile-cancel-http", "select status from h.silent;\nselect 'alive';", () => h.silentConnections() > before, "pg_cancel_backend");
      assert.match(r.stderr, /ERROR: {2}canceling statement due to user request/);
      assert.equal(r.stdout.trim(), "alive");
    });

    it("pg_terminate_backend ends the backend; a new session works", async () => {
      const before = h.silentConnections();
      const r = await interrupt("hostile-terminate-http", "select status from h.silent;", () => h.silentConnections() > before, "pg_terminate_backend");
      assert.match(r.stderr, /terminating connection due to administrator command/);
      const next = await q("select 'alive';");
      assert.equal(next.stdout.trim(), "alive", next.stderr);
    });

    it("a guest computing forever: statement_timeout, cancel and terminate stop it", async () => {
      let r = await q("set statement_timeout = '1s';\nselect status from h.loop;\nreset statement_timeout;\nselect 'alive';", { onErrorStop: false });
      notKilled(r);
      assert.match(r.stderr, /ERROR: {2}canceling statement due to statement timeout/);
      assert.equal(r.stdout.trim(), "alive");
      r = await interrupt("hostile-cancel-loop", "select status from h.loop_cancel;\nselect 'alive';", () => seenPaths().includes("/ok?tag=loop-cancel"), "pg_cancel_backend");
      assert.match(r.stderr, /ERROR: {2}canceling statement due to user request/);
      assert.equal(r.stdout.trim(), "alive");
      r = await interrupt("hostile-terminate-loop", "select status from h.loop_terminate;", () => seenPaths().includes("/ok?tag=loop-terminate"), "pg_terminate_backend");
      assert.match(r.stderr, /terminating connection due to administrator command/);
      assert.equal((await q("select 'alive';")).stdout.trim(), "alive");
    });

    it("time.sleep is interrupted by statement_timeout", async () => {
      const r = await q("set statement_timeout = '500ms';\nselect status from h.sleep;\nreset statement_timeout;\nselect 'alive';", { onErrorStop: false });
      notKilled(r);
      assert.match(r.stderr, /ERROR: {2}canceling statement due to statement timeout/);
      assert.equal(r.stdout.trim(), "alive");
    });

    it("the retry backoff is interrupted (a 503 forever, 1 h backoff, in a cluster of its own)", async () => {
      const slow = await startThrowawayPostgres({ env: { TSFDW_HTTP_RETRY_BASE_MS: "3600000" } });
      try {
        const file = slow.copyIn(wasm);
        const r = await psql(
          slow,
          `create extension tsfdw;
           create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;
           create server s foreign data wrapper wasm_wrapper options (fdw_package_url 'file://${file}', fdw_package_name 'test:host-hostile-fdw', fdw_package_version '0.0.1');
           create foreign table warm ${COLUMNS} server s options (url '${h.base}/ok?tag=warm');
           create foreign table unavailable ${COLUMNS} server s options (url '${h.base}/unavailable?tag=backoff');
           select status from warm;
           set statement_timeout = '5s';
           select status from unavailable;
           reset statement_timeout;
           select 'alive';`,
          { onErrorStop: false },
        );
        notKilled(r);
        assert.match(r.stderr, /ERROR: {2}canceling statement due to statement timeout/);
        // the warm-up query compiled the component first, so the timeout covers the request only
        assert.deepEqual(r.stdout.trim().split("\n"), ["200", "alive"]);
        // one attempt, then the wait for the first retry, which the timeout interrupted
        assert.equal(seenPaths().filter((p) => p === "/unavailable?tag=backoff").length, 1);
      } finally {
        await slow.stop();
      }
    });

    it("no backend crashed or was left behind", async () => {
      assert.doesNotMatch(pg.log(), /terminated by signal|PANIC|server process .* exited with exit code [^0]/);
      const r = await q("select count(*) from pg_stat_activity where backend_type = 'client backend' and state = 'active' and pid <> pg_backend_pid();");
      assert.equal(r.stdout.trim(), "0");
    });
  });

  describe("HTTP limits", () => {
    it("a read timeout is a guest-visible error naming URL, timeout and option (HV000, location begin_scan)", async () => {
      const r = await q("select status from h.silent_fast;\nselect 'alive';", { onErrorStop: false, verbose: true });
      notKilled(r);
      assert.match(r.stderr, new RegExp(`ERROR: {2}HV000: guest fdw error: error sending request for url \\(${h.silent}/x\\): read timeout: no data received for 300 ms \\(server option tsfdw_http_read_timeout_ms\\)`));
      assert.match(r.stderr, /LOCATION: {2}begin_scan, wasm_fdw\.rs:\d+/);
      assert.equal(r.stdout.trim(), "alive");
    });

    it("redirects to another port or host carry no credentials; the same origin keeps them", async () => {
      const r = await q("select status, url from h.redirect_port;\nselect status, url from h.redirect_host;\nselect status from h.redirect_same;");
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split("\n"), [`200|${h.otherPort}/ok?tag=port`, `200|${h.otherHost}/ok?tag=host`, "200"]);
      for (const tag of ["port", "host"]) {
        const got = h.seen.find((s) => s.path === `/ok?tag=${tag}`);
        assert.ok(got, tag);
        assert.equal(got.headers.authorization, undefined, tag);
        assert.equal(got.headers["x-api-key"], undefined, tag);
      }
      assert.equal(h.seen.find((s) => s.path === "/ok?tag=same")?.headers.authorization, `Bearer ${SECRET_TOKEN}`);
    });

    it("gzip is decoded; a gzip bomb and an oversized body are clean errors; the session goes on", async () => {
      const r = await q("select body from h.gzip;\nselect status from h.bomb;\nselect status from h.big;\nselect 'alive';", { onErrorStop: false });
      notKilled(r);
      assert.deepEqual(r.stdout.trim().split("\n"), ['{"gzip":"decoded"}', "alive"]);
      assert.match(r.stderr, /ERROR: {2}guest fdw error: gzip-decoded response body for url \(.*\/bomb\) exceeds 33554432 bytes \(server option tsfdw_http_max_decoded_bytes\)/);
      assert.match(r.stderr, /ERROR: {2}guest fdw error: response body for url \(.*\/big\?bytes=2000000\) exceeds 1000000 bytes \(server option tsfdw_http_max_response_bytes\)/);
    });

    it("invalid UTF-8 is an error naming the URL and the byte offset", async () => {
      const r = await q("select body from h.invalid_utf8;");
      assert.match(r.stderr, new RegExp(`ERROR: {2}guest fdw error: response body for url \\(${h.base}/invalid-utf8\\) is not valid UTF-8: invalid byte sequence at byte offset 12 \\(of 16 bytes\\)`));
    });

    it("a password in the URL is sent as basic auth and appears in no error and no log line", async () => {
      const r = await q("select url from h.userinfo;\nselect status from h.userinfo_loop;\nselect status from h.userinfo_silent;", { onErrorStop: false, verbose: true });
      notKilled(r);
      assert.equal(r.stdout.trim(), `${h.base}/ok?tag=userinfo`);
      assert.match(r.stderr, /too many redirects/);
      assert.match(r.stderr, /read timeout/);
      assert.equal(h.seen.find((s) => s.path === "/ok?tag=userinfo")?.headers.authorization, `Basic ${Buffer.from(`user:${SECRET_PASSWORD}`).toString("base64")}`);
      assert.doesNotMatch(r.stdout + r.stderr, new RegExp(SECRET_PASSWORD));
      assert.doesNotMatch(pg.log(), new RegExp(SECRET_PASSWORD));
    });
  });

  describe("guest memory, message sizes, options", () => {
    it("a guest that allocates without bound: a clean ERROR (54000), and the backend lives on", async () => {
      const r = await q("select status from h.alloc;\nselect 'alive';", { onErrorStop: false, verbose: true });
      notKilled(r);
      assert.match(r.stderr, /ERROR: {2}54000: guest memory limit exceeded: .* the limit is 64 MiB \(server option tsfdw_max_memory_mb\)/);
      assert.equal(r.stdout.trim(), "alive");
    });

    it("a 10 MB guest error is truncated in the ERROR and in the server log", async () => {
      const logBefore = pg.log().length;
      const r = await q("select status from h.big_error;");
      assert.match(r.stderr, /ERROR: {2}guest fdw error: E+… \[truncated: 10000000 bytes in all\]/);
      assert.ok(r.stderr.length < 20_000, `${r.stderr.length} bytes of error`);
      assert.ok(pg.log().length - logBefore < 40_000, `${pg.log().length - logBefore} bytes of log`);
    });

    it("deeply nested JSON: a short error, a backtrace of a few frames at most", async () => {
      const logBefore = pg.log().length;
      const r = await q("select status from h.deep_json;\nselect 'alive';", { onErrorStop: false, verbose: true });
      notKilled(r);
      assert.match(r.stderr, /ERROR: /);
      assert.ok(r.stderr.length < 20_000, `${r.stderr.length} bytes of error: ${r.stderr.slice(0, 400)}`);
      assert.ok(pg.log().length - logBefore < 40_000, `${pg.log().length - logBefore} bytes of log`);
      assert.equal(r.stdout.trim(), "alive");
    });

    it("the validator refuses invalid tsfdw_* option values (HV024) and accepts valid ones", async () => {
      const r = await q(
        "create server bad foreign data wrapper wasm_wrapper options (fdw_package_url 'file:///x.wasm', fdw_package_name 'a', fdw_package_version '1', tsfdw_http_timeout_ms 'soon');",
        { verbose: true },
      );
      assert.match(r.stderr, /ERROR: {2}HV024: invalid value 'soon' for server option tsfdw_http_timeout_ms: expected a whole number of milliseconds/);
      const ok = await q("alter server hostile_fast options (add tsfdw_http_timeout_ms '60000', add tsfdw_http_connect_timeout_ms '2000');");
      assert.equal(ok.code, 0, ok.stderr);
    });

    it("option errors name their callback: never an empty LOCATION", async () => {
      const r = await q(
        "create server nameless foreign data wrapper wasm_wrapper options (fdw_package_url 'file:///x.wasm', fdw_package_version '1');\nselect 'alive';",
        { onErrorStop: false, verbose: true },
      );
      assert.match(r.stderr, /ERROR: {2}HV00J: .*fdw_package_name/);
      assert.match(r.stderr, /LOCATION: {2}validator, wasm_fdw\.rs:\d+/);
      assert.doesNotMatch(r.stderr + pg.log(), /LOCATION: {2},/);
      assert.equal(r.stdout.trim(), "alive");
    });

    it("tsfdw.compile_cache = off compiles the component for every scan, as Supabase does", async () => {
      const sources = (setting: string) =>
        q(`set tsfdw.compile_cache = ${setting};
           select status from h.gzip; select tsfdw_last_timing()->>'compile_source';
           select status from h.gzip; select tsfdw_last_timing()->>'compile_source';
           select tsfdw_cache_info()->>'enabled';`);
      const off = await sources("off");
      assert.equal(off.code, 0, off.stderr);
      assert.deepEqual(off.stdout.trim().split("\n"), ["200", "compiled", "200", "compiled", "false"]);
      const on = await sources("on");
      assert.equal(on.code, 0, on.stderr);
      // the first scan of a new session finds it on disk or compiles it; the second in memory
      const lines = on.stdout.trim().split("\n");
      assert.deepEqual([lines[0], lines[2], lines[3], lines[4]], ["200", "200", "memory", "true"]);
      assert.ok(["compiled", "disk"].includes(lines[1] ?? ""), lines[1]);
    });
  });
});
