// End to end on the production engine inside real Postgres: Debian's Postgres 15 with the `tsfdw`
// pgrx extension (host/pg: supabase-wrappers framework + tsfdw-host on wasmtime 36, installed also
// under the name `wrappers`), a throwaway Supabase-like cluster, the mock GitHub API, and the
// seed's SQL (examples/seed.sql) character for character but for the fdw_package_url value; a
// separate `alter server` then points api_url at the mock.
//
// The first run installs Postgres/cargo-pgrx and builds the extension (many minutes on 2 cores);
// later runs reuse the caches under ~/.cache/tsfdw.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startMockGitHub, type GitHubEvent, type MockGitHub } from "../mock/github/server.js";
import { distDir, repoRoot } from "../tools/paths.js";
import { ensureLocalPostgresHost, startThrowawayPostgres, type ThrowawayPostgres } from "../tools/pg/index.js";
import { SEED_SQL_FILE, SUPABASE_PRELUDE, SUPABASE_SETTINGS, seedSql, sqlLiteral } from "../tools/pg/seed.js";

const FDW_DIR = join(repoRoot, "fdw", "github-events");
const WASM_NAME = "github_events_fdw.wasm";

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** dist/ component when newer than its sources, else a fresh `tsfdw build` into a temp dir. */
function componentPath(): { path: string; cleanup: () => void } {
  const dist = join(distDir, WASM_NAME);
  const sources = Math.max(newestMtime(join(FDW_DIR, "src")), newestMtime(join(repoRoot, "sdk")), statSync(join(FDW_DIR, "fdw.json")).mtimeMs);
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) return { path: dist, cleanup: () => {} };
  const out = mkdtempSync(join(tmpdir(), "tsfdw-pg-e2e-build-"));
  const r = spawnSync(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "build", FDW_DIR, "--out", out], { encoding: "utf8" });
  assert.equal(r.status, 0, `tsfdw build failed:\n${r.stdout}\n${r.stderr}`);
  return { path: join(out, WASM_NAME), cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

const SEED_QUERY = seedSql("file:///unused.wasm").query;

/** sha256 of examples/seed.sql below its comment header: the seed README's statements, unedited. */
const SEED_STATEMENTS_SHA256 = "3a168fdae37adf942cf868c51e3113f272491341aeecef66eefc05264795b9e8";

/** "2026-01-15T12:00:00Z" → psql's timestamp text "2026-01-15 12:00:00". */
function pgTimestamp(rfc3339: string): string {
  return rfc3339.replace("T", " ").replace(/(\.\d+)?Z$/, "");
}

function expectedRow(e: GitHubEvent): string {
  return [e.id, e.type, e.actor.login, e.repo.name, pgTimestamp(e.created_at)].join("\t");
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.length > 0);
}

describe("local Postgres host (tsfdw extension) runs the seed verbatim", { timeout: 90 * 60_000 }, () => {
  let mock: MockGitHub;
  let pg: ThrowawayPostgres;
  let wasm: { path: string; cleanup: () => void };
  let wasmInPg: string;
  let firstPage: GitHubEvent[];

  const q = async (sql: string, onErrorStop = true) => pg.psql(sql, { fieldSeparator: "\t", onErrorStop });

  before(async () => {
    await ensureLocalPostgresHost();
    wasm = componentPath();
    mock = await startMockGitHub({ newest: "2026-01-15T12:00:00Z" });
    pg = await startThrowawayPostgres({ settings: SUPABASE_SETTINGS });
    wasmInPg = pg.copyIn(wasm.path);
    const seed = seedSql(`file://${wasmInPg}`);
    const r = await q(`${SUPABASE_PRELUDE}${seed.setup}alter server example_server options (set api_url ${sqlLiteral(mock.url)});`);
    assert.equal(r.code, 0, r.stderr);
    firstPage = mock.feed("/events");
  });

  after(async () => {
    await pg?.stop();
    await mock?.close();
    wasm?.cleanup();
  });

  it("examples/seed.sql holds the seed README's statements unedited; only fdw_package_url is replaced", () => {
    const text = readFileSync(SEED_SQL_FILE, "utf8");
    const statements = text.replace(/^(--[^\n]*\n)+/, "");
    assert.equal(createHash("sha256").update(statements).digest("hex"), SEED_STATEMENTS_SHA256);
    const seed = seedSql("file:///x/y.wasm", text);
    const changed = (seed.setup + seed.query).split("\n").filter((line, i) => line !== text.split("\n")[i]);
    assert.deepEqual(changed, ["fdw_package_url 'file:///x/y.wasm',"]);
    assert.match(statements, /^create extension if not exists wrappers with schema extensions;\n/);
  });

  it("wasm_fdw_meta() reports host version 0.1.5", async () => {
    const r = await q("select name, version from wasm_fdw_meta();");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "WasmFdw\t0.1.5");
  });

  it("the seed's query returns the mock's first 5 events", async () => {
    const r = await q(SEED_QUERY);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), firstPage.slice(0, 5).map(expectedRow));
  });

  it("the same query twice in one session (second one served by the compile cache)", async () => {
    const r = await q(`${SEED_QUERY}${SEED_QUERY}select (tsfdw_cache_info()->>'misses')::int, (tsfdw_cache_info()->>'hits')::int;`);
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.deepEqual(out.slice(0, 5), out.slice(5, 10));
    const [misses, hits] = out[10]!.split("\t").map(Number);
    assert.equal(misses, 0, "the component compiled in an earlier backend should come from the disk cache");
    assert.ok(hits! >= 1, `in-memory hits: ${hits}`);
  });

  it("LIMIT/OFFSET, WHERE on a column and on a jsonb expression, ORDER BY", async () => {
    const all = lines((await q("select id, type, actor->>'login' from github.events;")).stdout).map((l) => l.split("\t"));
    assert.ok(all.length >= 10, `rows: ${all.length}`);
    let r = await q("select id from github.events limit 3 offset 2;");
    assert.deepEqual(lines(r.stdout), all.slice(2, 5).map((c) => c[0]));
    const type = all[1]![1]!;
    r = await q(`select id from github.events where type = '${type}';`);
    assert.deepEqual(lines(r.stdout), all.filter((c) => c[1] === type).map((c) => c[0]));
    const login = all[0]![2]!;
    r = await q(`select id from github.events where actor->>'login' = '${login}';`);
    assert.deepEqual(lines(r.stdout), all.filter((c) => c[2] === login).map((c) => c[0]));
    r = await q("select count(*) from github.events;");
    assert.equal(r.stdout.trim(), String(all.length));
    r = await q("select id from github.events order by id limit 3;");
    assert.deepEqual(lines(r.stdout), all.map((c) => c[0]!).sort().slice(0, 3));
  });

  it("joins with a local table", async () => {
    const ids = firstPage.slice(0, 3).map((e) => e.id);
    const r = await q(`
      create temp table notes (event_id text primary key, note text);
      insert into notes values ('${ids[0]}', 'first'), ('${ids[2]}', 'third'), ('nope', 'missing');
      select n.note, e.type from notes n join github.events e on e.id = n.event_id order by n.note;`);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [`first\t${firstPage[0]!.type}`, `third\t${firstPage[2]!.type}`]);
  });

  it("EXPLAIN shows the Wrappers pushdown properties without scanning", async () => {
    mock.resetLog();
    const r = await q("explain select id from github.events where type = 'PushEvent' order by created_at limit 3;");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Foreign Scan on events/);
    assert.match(r.stdout, /Wrappers: quals = \[Qual \{ field: "type", operator: "=", value: Cell\(String\("PushEvent"\)\)/);
    assert.match(r.stdout, /Wrappers: limit = Some\(Limit \{ count: 3, offset: 0 \}\)/);
    assert.equal(mock.requests.length, 0, "plain EXPLAIN must not call the API");
  });

  it("errors are Postgres ERRORs and the session survives them", async () => {
    const sql = `
      create server missing_file foreign data wrapper wasm_wrapper options (
        fdw_package_url 'file:///nonexistent/x.wasm', fdw_package_name 'x:y', fdw_package_version '0.1.0');
      create foreign table missing_ft (id text) server missing_file options (object 'events');
      select 'after-create';
      select * from missing_ft;
      select 'alive-1';
      create foreign table github.nope (id text) server example_server options (object 'repos/nobody/nothing/events', rowid_column 'id');
      select * from github.nope;
      select 'alive-2';
      insert into github.events (id) values ('1');
      select 'alive-3';
      update github.events set type = 'x' where id = '${firstPage[0]!.id}';
      select 'alive-4';
      delete from github.events where id = '${firstPage[0]!.id}';
      select 'alive-5';
      create server no_name foreign data wrapper wasm_wrapper options (fdw_package_url 'file:///x.wasm', fdw_package_version '0.1.0');
      select 'alive-6';
      create server no_checksum foreign data wrapper wasm_wrapper options (
        fdw_package_url 'https://example.invalid/x.wasm', fdw_package_name 'x:y', fdw_package_version '0.1.0');
      select 'alive-7';
      ${SEED_QUERY}`;
    const r = await q(sql, false);
    const out = lines(r.stdout);
    for (let i = 1; i <= 7; i++) assert.ok(out.includes(`alive-${i}`), `alive-${i} missing:\n${r.stdout}\n${r.stderr}`);
    assert.deepEqual(out.slice(-5), firstPage.slice(0, 5).map(expectedRow));
    const errors = lines(r.stderr).filter((l) => /ERROR:/.test(l));
    assert.equal(errors.length, 7, r.stderr);
    assert.match(errors[0]!, /ERROR:\s+invalid WebAssembly component/);
    assert.match(errors[1]!, /ERROR:\s+guest fdw error: .*404/);
    for (const e of errors.slice(2, 5)) assert.match(e, /ERROR:\s+guest fdw error: .*read-only/i);
    assert.match(errors[5]!, /required option `fdw_package_name` is not specified/);
    assert.match(errors[6]!, /required option `fdw_package_checksum` is not specified/);
    assert.doesNotMatch(pg.log(), /server process .* was terminated|PANIC/);
  });

  it("http(s) packages: wrong checksum is refused, the right one downloads and caches", async () => {
    const bytes = readFileSync(wasm.path);
    const sha = createHash("sha256").update(bytes).digest("hex");
    let hits = 0;
    const server: Server = createServer((req, res) => {
      hits++;
      if (req.url === "/pkg.wasm") {
        res.writeHead(200, { "content-type": "application/wasm" });
        res.end(bytes);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pkg.wasm`;
    try {
      const table = (s: string) => `create foreign table ${s}_ev (id text) server ${s} options (object 'events');`;
      const r = await q(
        `
        create server bad_sum foreign data wrapper wasm_wrapper options (fdw_package_url '${url}',
          fdw_package_name 'x:y', fdw_package_version '0.1.0', fdw_package_checksum '${"0".repeat(64)}', api_url '${mock.url}');
        ${table("bad_sum")}
        select id from bad_sum_ev limit 1;
        select 'alive';
        create server good_sum foreign data wrapper wasm_wrapper options (fdw_package_url '${url}',
          fdw_package_name 'x:y', fdw_package_version '0.1.1', fdw_package_checksum '${sha}', api_url '${mock.url}');
        ${table("good_sum")}
        select id from good_sum_ev limit 1;
        select id from good_sum_ev limit 1;`,
        false,
      );
      assert.match(r.stderr, /ERROR:\s+guest fdw error: component verification failed/);
      const out = lines(r.stdout);
      assert.deepEqual(out, ["alive", firstPage[0]!.id, firstPage[0]!.id], r.stderr);
      assert.equal(hits, 2, "one download per server; the second query uses the download cache");
    } finally {
      server.close();
    }
  });
});
