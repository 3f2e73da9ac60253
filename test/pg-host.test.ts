// The `tsfdw` Postgres extension's host behaviour with a probe guest built for the test (a v2
// component, plus a copy that requires host ^0.2.0): datum conversion for every supported column
// type, quals/sorts/limit as the guest sees them, report-* levels, report-error, Vault (absent and
// present), query-setting, stats into wrappers_fdw_stats, INSERT/UPDATE/DELETE through rowid_column,
// IMPORT FOREIGN SCHEMA (v2, and the v1 refusal), the host-version check, quals with values the
// host cannot convert, a wrong cell count (HV008), end-scan errors (statement end vs a re-scan
// with a changed parameter) and tsfdw_last_timing().
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot } from "../tools/paths.js";
import { ensureLocalPostgresHost, startThrowawayPostgres, type ThrowawayPostgres } from "../tools/pg/index.js";

const PROBE_WORLD = [
  "package test:probe-fdw;",
  "",
  "world probe {",
  "    import supabase:wrappers/http@0.2.0;",
  "    import supabase:wrappers/stats@0.2.0;",
  "    import supabase:wrappers/utils@0.2.0;",
  "    export supabase:wrappers/routines@0.2.0;",
  "}",
  "",
].join("\n");

function probeSource(hostVersion: string): string {
  const sdk = JSON.stringify(join(repoRoot, "sdk", "index.js"));
  return [
    'import http from "supabase:wrappers/http@0.2.0";',
    'import stats from "supabase:wrappers/stats@0.2.0";',
    'import utils from "supabase:wrappers/utils@0.2.0";',
    'import type { Context, Row, Cell, ImportForeignSchemaStmt } from "supabase:wrappers/types@0.2.0";',
    "import { buildRequest, defineRoutinesV2, pushRow, readColumns, readOptions, type ColumnInfo } from " + sdk + ";",
    "",
    "const SAMPLE: Record<string, unknown> = { b: true, i2: 2, i4: 4, i8: 8, f4: 1.5, f8: 2.25, n: 3.5, t: 'text',",
    "  d: '2024-01-15', ts: '2024-01-15T10:30:00Z', tstz: '2024-01-15T10:30:00.25Z', j: { a: [1, 2] }, u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' };",
    "let columns: ColumnInfo[] = [];",
    "let left = 0;",
    "let action = 'rows';",
    "let info = '';",
    "let endScans = 0;",
    "const str = (c: Cell | null) => utils.cellToString(c);",
    "",
    "function describe(ctx: Context): string {",
    "  const quals = ctx.getQuals().map((q) => q.deparse());",
    "  const sorts = ctx.getSorts().map((s) => s.deparse());",
    "  const limit = ctx.getLimit();",
    "  return [quals.join(' and '), sorts.join(', '), limit ? limit.deparse() : 'no limit', ctx.getColumns().map((c) => c.name() + '#' + c.num()).join(',')].join(' | ');",
    "}",
    "",
    "export const routines = defineRoutinesV2({ name: 'probe', hostVersion: " + JSON.stringify(hostVersion) + " }, {",
    "  beginScan(ctx: Context) {",
    "    const t = readOptions(ctx, 'table');",
    "    const s = readOptions(ctx, 'server');",
    "    action = t.get('action') ?? 'rows';",
    "    left = Number(t.get('rows') ?? '1');",
    // `qual-*` tables have a column of a type `type-oid()` refuses (time)
    "    columns = action.startsWith('qual-') ? [] : readColumns(ctx);",
    "    info = '';",
    "    if (action === 'report') { utils.reportInfo('probe info'); utils.reportNotice('probe notice'); utils.reportWarning('probe warning'); }",
    "    if (action === 'report-error') utils.reportError('probe report-error');",
    "    if (action === 'stats') { stats.incStats('ProbeFdw', { tag: 'rows-out' }, 3); stats.setMetadata('ProbeFdw', '{\"k\": \"v\"}'); info = stats.getMetadata('ProbeFdw') ?? 'none'; }",
    "    if (action === 'vault') info = utils.getVaultSecret(s.get('api_key_id') ?? '') ?? 'null';",
    "    if (action === 'vault-name') info = utils.getVaultSecretByName(s.get('api_key_name') ?? '') ?? 'null';",
    "    if (action === 'setting') info = utils.querySetting('app.probe') ?? 'none';",
    "    if (action === 'describe') info = describe(ctx);",
    "    if (action === 'fail') throw new Error('probe failure in begin-scan');",
    "    if (action === 'qual-value') for (const q of ctx.getQuals()) q.value();",
    "    if (action === 'qual-deparse') utils.reportNotice('quals: ' + ctx.getQuals().map((q) => q.deparse()).join(' and '));",
    "    if (action === 'http') info = String(http.get(buildRequest('get', t.get('url') ?? '')).body.length);",
    "  },",
    "  iterScan(_ctx: Context, row: Row) {",
    "    if (left <= 0) return null;",
    "    left--;",
    "    if (action === 'wrong-count') return 0;",
    "    pushRow(row, columns, action === 'rows' || action.startsWith('end-fail') ? SAMPLE : { ...SAMPLE, t: info });",
    "    return 0;",
    "  },",
    "  reScan() {},",
    "  endScan() {",
    "    endScans++;",
    "    if (action === 'end-fail' || (action === 'end-fail-once' && endScans === 1)) throw new Error('probe failure in end-scan');",
    "  },",
    "  beginModify(ctx: Context) { readOptions(ctx, 'table').get('rowid_column'); },",
    "  insert(_ctx: Context, row: Row) { utils.reportNotice('insert ' + row.cols().join(',') + ' = ' + row.cells().map(str).join(',')); },",
    "  update(_ctx: Context, rowid: Cell, row: Row) { utils.reportNotice('update ' + str(rowid) + ' set ' + row.cols().join(',') + ' = ' + row.cells().map(str).join(',')); },",
    "  delete(_ctx: Context, rowid: Cell) { utils.reportNotice('delete ' + str(rowid)); },",
    "  endModify() {},",
    "  importForeignSchema(ctx: Context, stmt: ImportForeignSchemaStmt) {",
    "    const suffix = ctx.getOptions({ tag: 'import-schema' }).get('suffix') ?? '';",
    "    return ['create foreign table if not exists ' + stmt.localSchema + '.imported' + suffix + ' (i4 integer, t text) server ' + stmt.serverName + \" options (action 'rows')\"];",
    "  },",
    "});",
    "",
  ].join("\n");
}

// A minimal v1 guest (supabase:wrappers/routines@0.1.0), for the v1 IMPORT FOREIGN SCHEMA refusal.
const V1_PROBE_WORLD = ["package test:probe-fdw;", "", "world probe {", "    export supabase:wrappers/routines@0.1.0;", "}", ""].join("\n");

function v1ProbeSource(): string {
  const sdk = JSON.stringify(join(repoRoot, "sdk", "index.js"));
  return ["import { defineRoutines } from " + sdk + ";", "", "export const routines = defineRoutines({ name: 'probe-v1', hostVersion: '^0.1.0' }, {});", ""].join("\n");
}

async function buildProbe(root: string, name: string, world: string, source: string): Promise<string> {
  const dir = join(root, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "wit"), { recursive: true });
  cpSync(join(repoRoot, "wit", "deps"), join(dir, "wit", "deps"), { recursive: true });
  writeFileSync(join(dir, "wit", "world.wit"), world);
  writeFileSync(join(dir, "fdw.json"), JSON.stringify({ name: `test:${name}`, version: "0.0.1", world: "probe", output: `${name}.wasm`, wit: "wit" }));
  writeFileSync(join(dir, "src", "index.ts"), source);
  const out = join(root, `${name}-out`);
  await build(parseBuildArgs([dir, "--out", out]));
  return join(out, `${name}.wasm`);
}

const TABLE_COLUMNS =
  "(b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, n numeric, t text, d date, ts timestamp, tstz timestamptz, j jsonb, u uuid)";

describe("tsfdw extension host behaviour (probe guest)", { timeout: 90 * 60_000 }, () => {
  let root: string;
  let pg: ThrowawayPostgres;
  let web: Server | undefined;
  const BODY = "x".repeat(1000);
  const q = async (sql: string, onErrorStop = true) => pg.psql(sql, { fieldSeparator: "\t", onErrorStop });

  before(async () => {
    await ensureLocalPostgresHost();
    root = mkdtempSync(join(tmpdir(), "tsfdw-pg-probe-"));
    const probe = await buildProbe(root, "probe", PROBE_WORLD, probeSource("^0.1.0"));
    const future = await buildProbe(root, "future-host", PROBE_WORLD, probeSource("^0.2.0"));
    const v1 = await buildProbe(root, "v1", V1_PROBE_WORLD, v1ProbeSource());
    pg = await startThrowawayPostgres();
    const server = createServer((_req, res) => res.end(BODY));
    web = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const webUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/body`;
    const probeInPg = pg.copyIn(probe);
    const futureInPg = pg.copyIn(future);
    const v1InPg = pg.copyIn(v1);
    const r = await q(`
      create extension tsfdw;
      create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;
      create server probe foreign data wrapper wasm_wrapper options (
        fdw_package_url 'file://${probeInPg}', fdw_package_name 'test:probe', fdw_package_version '0.0.1',
        api_key_id 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', api_key_name 'gh');
      create server future foreign data wrapper wasm_wrapper options (
        fdw_package_url 'file://${futureInPg}', fdw_package_name 'test:future-host', fdw_package_version '0.0.1');
      create server v1 foreign data wrapper wasm_wrapper options (
        fdw_package_url 'file://${v1InPg}', fdw_package_name 'x:y', fdw_package_version '0.1.0');
      create schema p;
      create foreign table p.rows ${TABLE_COLUMNS} server probe options (action 'rows', rows '2', rowid_column 'i8');
      create foreign table p.describe ${TABLE_COLUMNS} server probe options (action 'describe');
      create foreign table p.report ${TABLE_COLUMNS} server probe options (action 'report');
      create foreign table p.report_error ${TABLE_COLUMNS} server probe options (action 'report-error');
      create foreign table p.stats ${TABLE_COLUMNS} server probe options (action 'stats');
      create foreign table p.vault ${TABLE_COLUMNS} server probe options (action 'vault');
      create foreign table p.vault_name ${TABLE_COLUMNS} server probe options (action 'vault-name');
      create foreign table p.setting ${TABLE_COLUMNS} server probe options (action 'setting');
      create foreign table p.fail ${TABLE_COLUMNS} server probe options (action 'fail');
      create foreign table p.future (t text) server future options (action 'rows');
      create foreign table p.untyped (t varchar) server probe options (action 'rows');
      create foreign table p.qual_value (t text, tm time) server probe options (action 'qual-value', rows '0');
      create foreign table p.qual_deparse (t text, tm time) server probe options (action 'qual-deparse', rows '0');
      create foreign table p.wrong_count (i4 integer) server probe options (action 'wrong-count');
      create foreign table p.end_fail (i4 integer, t text) server probe options (action 'end-fail');
      create foreign table p.end_fail_once (i4 integer, t text) server probe options (action 'end-fail-once');
      create foreign table p.http (t text) server probe options (action 'http', url '${webUrl}');
    `);
    assert.equal(r.code, 0, r.stderr);
  });

  after(async () => {
    await pg?.stop();
    await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("converts every supported cell type into the right Postgres value", async () => {
    const r = await q("select b, i2, i4, i8, f4, f8, n, t, d, ts, tstz, j, u from p.rows;");
    assert.equal(r.code, 0, r.stderr);
    const row = ["t", "2", "4", "8", "1.5", "2.25", "3.5", "text", "2024-01-15", "2024-01-15 10:30:00", "2024-01-15 10:30:00.25+00", '{"a": [1, 2]}', "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"].join("\t");
    assert.deepEqual(r.stdout.trim().split("\n"), [row, row]);
    const types = await q("select pg_typeof(i8)::text, pg_typeof(n)::text, pg_typeof(j)::text from p.rows limit 1;");
    assert.equal(types.stdout.trim(), "bigint\tnumeric\tjsonb");
  });

  it("the guest sees quals, sorts, limit and columns as the contract describes", async () => {
    const r = await q("select t from p.describe where i4 = 4 and i8 in (8, 9) and j->>'x' is null order by d desc, i2 limit 1 offset 0;");
    assert.equal(r.code, 0, r.stderr);
    // Postgres orders the restriction clauses (cheapest first); columns: target list, then ORDER BY, then WHERE-only
    assert.equal(r.stdout.trim(), "i8 = 8 or i8 = 9 and i4 = 4 | d desc nulls first, i2 asc nulls last | limit 1 offset 0 | t#8,d#9,i2#2,i8#4,j#12,i4#3");
  });

  it("report-info/notice/warning reach the client at their levels; report-error aborts with DETAIL Wrappers", async () => {
    const r = await q("set client_min_messages = notice;\nselect i4 from p.report;\n\\set VERBOSITY verbose\nselect i4 from p.report_error;\nselect 'alive';", false);
    assert.match(r.stderr, /INFO: {2}probe info/);
    assert.match(r.stderr, /NOTICE: {2}probe notice/);
    assert.match(r.stderr, /WARNING: {2}probe warning/);
    assert.match(r.stderr, /ERROR: {2}HV000: probe report-error\nDETAIL: {2}Wrappers/);
    assert.deepEqual(r.stdout.trim().split("\n"), ["4", "alive"]);
  });

  it("a guest error is `guest fdw error: …` and the session goes on", async () => {
    const r = await q("select i4 from p.fail;\nselect 'alive';", false);
    assert.match(r.stderr, /ERROR: {2}guest fdw error: probe failure in begin-scan/);
    assert.equal(r.stdout.trim(), "alive");
  });

  it("Vault: a clear error without the vault schema, lookups by id and by name with it", async () => {
    let r = await q("select t from p.vault;\nselect 'alive';", false);
    assert.match(r.stderr, /ERROR: {2}query vault failed "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11": Vault is not available/);
    assert.equal(r.stdout.trim(), "alive");
    r = await q(`
      create schema vault;
      create table vault.secrets (id uuid primary key, name text, secret text);
      create view vault.decrypted_secrets as select id, name, secret as decrypted_secret from vault.secrets;
      insert into vault.secrets values ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'gh', 'tok-by-id-and-name');
      select t from p.vault;
      select t from p.vault_name;
      delete from vault.secrets;
      select t from p.vault_name;
      select 'alive';`, false);
    assert.deepEqual(r.stdout.trim().split("\n"), ["tok-by-id-and-name", "tok-by-id-and-name", "alive"], r.stderr);
    assert.match(r.stderr, /ERROR: {2}query vault failed "gh"/);
  });

  it("query-setting reads session settings", async () => {
    const r = await q("select t from p.setting;\nselect set_config('app.probe', 'v1', false);\nselect t from p.setting;");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), ["none", "v1", "v1"]);
  });

  it("stats land in wrappers_fdw_stats", async () => {
    const r = await q("select t from p.stats;\nselect fdw_name, rows_out, metadata from wrappers_fdw_stats;");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), ['{"k":"v"}', 'ProbeFdw\t3\t{"k": "v"}']);
  });

  it("INSERT/UPDATE/DELETE go through rowid_column", async () => {
    const r = await q(`
      insert into p.rows (i4, t, d, j) values (7, 'new', '2024-02-01', '{"x":1}');
      update p.rows set t = 'changed', i4 = 5 where i8 = 8;
      delete from p.rows where i8 = 8;`);
    assert.equal(r.code, 0, r.stderr);
    const notices = r.stderr.split("\n").flatMap((l) => /NOTICE: {2}(.*)$/.exec(l)?.slice(1) ?? []);
    assert.deepEqual(notices, [
      "insert b,i2,i4,i8,f4,f8,n,t,d,ts,tstz,j,u = null,null,7,null,null,null,null,'new','2024-02-01',null,null,JsonB(Object {\"x\": Number(1)}),null",
      "update 8 set i4,t = 5,'changed'",
      "update 8 set i4,t = 5,'changed'",
      "delete 8",
      "delete 8",
    ].map((s) => s));
  });

  it("IMPORT FOREIGN SCHEMA runs the v2 guest's statements; a v1 guest refuses", async () => {
    const r = await q(`
      create schema imp;
      import foreign schema remote from server probe into imp options (suffix '_x');
      select i4, t from imp.imported_x;
      import foreign schema remote from server v1 into imp;
      select 'alive';`, false);
    assert.deepEqual(r.stdout.trim().split("\n"), ["4\ttext", "alive"], r.stderr);
    assert.match(r.stderr, /ERROR: {2}guest fdw error: import foreign schema not implemented/);
  });

  it("host version 0.1.5 is checked against the guest's requirement", async () => {
    const r = await q("select t from p.future;\nselect 'alive';", false);
    assert.match(r.stderr, /ERROR: {2}guest fdw error: host version 0\.1\.5 not match requirement \^0\.2\.0/);
    assert.equal(r.stdout.trim(), "alive");
  });

  it("type-oid() on an unsupported column type is an ERROR, not a crash", async () => {
    const r = await q("select t from p.untyped;\nselect 'alive';", false);
    assert.match(r.stderr, /ERROR: {2}not implemented: column type oid not supported/);
    assert.equal(r.stdout.trim(), "alive");
    assert.doesNotMatch(pg.log(), /terminated by signal|PANIC/);
  });

  it("a qual value the host cannot convert is still listed: value() is an ERROR, deparse() works", async () => {
    let r = await q("\\set VERBOSITY verbose\nselect t from p.qual_value where tm = '12:00';\nselect 'alive';", false);
    assert.match(r.stderr, /ERROR: {2}XX000: convert cell failed: values of type time cannot be passed to a Wasm FDW/);
    assert.equal(r.stdout.trim(), "alive");
    r = await q("set client_min_messages = notice;\nselect t from p.qual_deparse where tm = '12:00' and t = 'x';");
    assert.equal(r.code, 0, r.stderr);
    const quals = /NOTICE: {2}quals: (.*)/.exec(r.stderr)?.[1]?.split(" and ").sort();
    assert.deepEqual(quals, ["t = 'x'", "tm = '12:00:00'"], r.stderr);
  });

  it("a wrong number of cells is HV008 `target column number not match`", async () => {
    const r = await q("\\set VERBOSITY verbose\nselect i4 from p.wrong_count;\nselect 'alive';", false);
    assert.match(r.stderr, /ERROR: {2}HV008: target column number not match/);
    assert.equal(r.stdout.trim(), "alive");
  });

  it("an end-scan error ends the statement with an ERROR, but not a re-scan with a changed parameter", async () => {
    let r = await q("select t from p.end_fail;\nselect 'alive';", false);
    assert.match(r.stderr, /ERROR: {2}guest fdw error: probe failure in end-scan/);
    assert.equal(r.stdout.trim(), "alive");
    // the correlated sub-select re-scans the foreign table with a new parameter value per outer row:
    // end-scan (its error ignored, as on Supabase) then begin-scan on the same instance
    r = await q("select o.v, coalesce((select x.t from p.end_fail_once x where x.i4 = o.v), '-') from (values (4), (5), (4)) o(v);");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), ["4\ttext", "5\t-", "4\ttext"]);
  });

  it("tsfdw_last_timing() gives the phases of the backend's most recent foreign scan", async () => {
    const r = await q(`
      select tsfdw_last_timing() is null;
      select count(*) from p.rows;
      select tsfdw_last_timing();
      select i4 from p.rows limit 1;
      select tsfdw_last_timing();
      select t from p.http;
      select tsfdw_last_timing();`);
    assert.equal(r.code, 0, r.stderr);
    const [none, count, first, i4, second, body, third, ...rest] = r.stdout.trim().split("\n");
    assert.deepEqual([none, count, i4, body, rest], ["t", "2", "4", "1000", []]);
    const timings = [first, second, third].map((line) => JSON.parse(line ?? "") as Record<string, unknown>);
    const keys = ["begin_scan_ms", "compile_ms", "compile_source", "end_scan_ms", "http_bytes", "http_ms", "http_requests",
      "init_ms", "instantiate_ms", "iter_scan_ms", "rows"];
    for (const t of timings) {
      assert.deepEqual(Object.keys(t).sort(), keys);
      for (const k of keys.filter((k) => k.endsWith("_ms"))) assert.ok(typeof t[k] === "number" && t[k] >= 0, `${k}: ${String(t[k])}`);
    }
    const [a, b, c] = timings as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    // an earlier backend compiled the probe already: the disk cache (or a compile), then memory
    assert.ok(a.compile_source === "disk" || a.compile_source === "compiled", String(a.compile_source));
    assert.equal(b.compile_source, "memory");
    assert.equal(a.rows, 2);
    assert.equal(b.rows, 1, "Postgres stops pulling at the LIMIT");
    assert.deepEqual([a.http_requests, a.http_bytes, a.http_ms], [0, 0, 0]);
    assert.deepEqual([c.http_requests, c.http_bytes, c.rows], [1, 1000, 1]);
    assert.ok((c.http_ms as number) > 0);
  });
});
