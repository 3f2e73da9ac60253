// The `tsfdw` Postgres extension's host behaviour with a probe guest built for the test (a v2
// component, plus a copy that requires host ^0.2.0): datum conversion for every supported column
// type, quals/sorts/limit as the guest sees them, report-* levels, report-error, Vault (absent and
// present), query-setting, stats into wrappers_fdw_stats, INSERT/UPDATE/DELETE through rowid_column,
// IMPORT FOREIGN SCHEMA (v2, and the v1 refusal), and the host-version check.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { distDir, repoRoot } from "../tools/paths.js";
import { ensureLocalPostgresHost, startThrowawayPostgres, type ThrowawayPostgres } from "../tools/pg/index.js";

const PROBE_WORLD = [
  "package test:probe-fdw;",
  "",
  "world probe {",
  "    import supabase:wrappers/stats@0.2.0;",
  "    import supabase:wrappers/utils@0.2.0;",
  "    export supabase:wrappers/routines@0.2.0;",
  "}",
  "",
].join("\n");

function probeSource(hostVersion: string): string {
  const sdk = JSON.stringify(join(repoRoot, "sdk", "index.js"));
  return [
    'import stats from "supabase:wrappers/stats@0.2.0";',
    'import utils from "supabase:wrappers/utils@0.2.0";',
    'import type { Context, Row, Cell, ImportForeignSchemaStmt } from "supabase:wrappers/types@0.2.0";',
    "import { defineRoutinesV2, pushRow, readColumns, readOptions, type ColumnInfo } from " + sdk + ";",
    "",
    "const SAMPLE: Record<string, unknown> = { b: true, i2: 2, i4: 4, i8: 8, f4: 1.5, f8: 2.25, n: 3.5, t: 'text',",
    "  d: '2024-01-15', ts: '2024-01-15T10:30:00Z', tstz: '2024-01-15T10:30:00.25Z', j: { a: [1, 2] }, u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' };",
    "let columns: ColumnInfo[] = [];",
    "let left = 0;",
    "let action = 'rows';",
    "let info = '';",
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
    "    columns = readColumns(ctx);",
    "    info = '';",
    "    if (action === 'report') { utils.reportInfo('probe info'); utils.reportNotice('probe notice'); utils.reportWarning('probe warning'); }",
    "    if (action === 'report-error') utils.reportError('probe report-error');",
    "    if (action === 'stats') { stats.incStats('ProbeFdw', { tag: 'rows-out' }, 3); stats.setMetadata('ProbeFdw', '{\"k\": \"v\"}'); info = stats.getMetadata('ProbeFdw') ?? 'none'; }",
    "    if (action === 'vault') info = utils.getVaultSecret(s.get('api_key_id') ?? '') ?? 'null';",
    "    if (action === 'vault-name') info = utils.getVaultSecretByName(s.get('api_key_name') ?? '') ?? 'null';",
    "    if (action === 'setting') info = utils.querySetting('app.probe') ?? 'none';",
    "    if (action === 'describe') info = describe(ctx);",
    "    if (action === 'fail') throw new Error('probe failure in begin-scan');",
    "  },",
    "  iterScan(_ctx: Context, row: Row) {",
    "    if (left <= 0) return null;",
    "    left--;",
    "    pushRow(row, columns, action === 'rows' ? SAMPLE : { ...SAMPLE, t: info });",
    "    return 0;",
    "  },",
    "  reScan() {},",
    "  endScan() {},",
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

async function buildProbe(root: string, name: string, hostVersion: string): Promise<string> {
  const dir = join(root, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "wit"), { recursive: true });
  cpSync(join(repoRoot, "wit", "deps"), join(dir, "wit", "deps"), { recursive: true });
  writeFileSync(join(dir, "wit", "world.wit"), PROBE_WORLD);
  writeFileSync(join(dir, "fdw.json"), JSON.stringify({ name: `test:${name}`, version: "0.0.1", world: "probe", output: `${name}.wasm`, wit: "wit" }));
  writeFileSync(join(dir, "src", "index.ts"), probeSource(hostVersion));
  const out = join(root, `${name}-out`);
  await build(parseBuildArgs([dir, "--out", out]));
  return join(out, `${name}.wasm`);
}

const TABLE_COLUMNS =
  "(b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision, n numeric, t text, d date, ts timestamp, tstz timestamptz, j jsonb, u uuid)";

describe("tsfdw extension host behaviour (probe guest)", { timeout: 90 * 60_000 }, () => {
  let root: string;
  let pg: ThrowawayPostgres;
  const q = async (sql: string, onErrorStop = true) => pg.psql(sql, { fieldSeparator: "\t", onErrorStop });

  before(async () => {
    await ensureLocalPostgresHost();
    root = mkdtempSync(join(tmpdir(), "tsfdw-pg-probe-"));
    const probe = await buildProbe(root, "probe", "^0.1.0");
    const future = await buildProbe(root, "future", "^0.2.0");
    pg = await startThrowawayPostgres();
    const probeInPg = pg.copyIn(probe);
    const futureInPg = pg.copyIn(future);
    const v1InPg = pg.copyIn(join(distDir, "github_events_fdw.wasm"));
    const r = await q(`
      create extension tsfdw;
      create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;
      create server probe foreign data wrapper wasm_wrapper options (
        fdw_package_url 'file://${probeInPg}', fdw_package_name 'test:probe', fdw_package_version '0.0.1',
        api_key_id 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', api_key_name 'gh');
      create server future foreign data wrapper wasm_wrapper options (
        fdw_package_url 'file://${futureInPg}', fdw_package_name 'test:future', fdw_package_version '0.0.1');
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
    `);
    assert.equal(r.code, 0, r.stderr);
  });

  after(async () => {
    await pg?.stop();
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
});
