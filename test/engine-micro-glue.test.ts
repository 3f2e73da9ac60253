// The micro engine's glue on both wasmtime engines (wasmtime 36 = Supabase, and the strict
// current wasmtime): every import and export, every value shape, s64 extremes, throws, out of
// memory, deep recursion, borrowed handles. Guests are inline ES5 scripts speaking the JS <-> glue
// contract (engines/micro/README.md) directly, so a failure points at the glue, not the SDK.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { ENGINES, cmd, guestScript, microComponent, scan } from "./support/micro-harness.js";
import { assertGuestError, rows, statsOf } from "../testing/runner.js";

const ALL_TYPES = ["b:bool", "s:int2", "i:int4", "l:int8", "r:float4", "d:float8", "n:numeric", "t:text", "dt:date", "ts:timestamp", "tz:timestamptz", "j:jsonb", "u:uuid"];
const colArgs = (cols: readonly string[]): string[] => cols.flatMap((c) => ["--column", c]);

// Pushes the table option `rows` (JSON: one array per row, values as JS gives them) as cells typed by the columns.
const PUSH_ROWS = `
var TAGS = { bool: "bool", i16: "i16", i32: "i32", i64: "i64", f32: "f32", f64: "f64", numeric: "numeric", string: "string",
  date: "date", timestamp: "timestamp", timestamptz: "timestamptz", json: "json", uuid: "uuid" };
var data = [], cols = [], next = 0;
r.beginScan = function (ctx) {
  cols = ctx.getColumns().map(function (c) { return c.typeOid().tag; });
  data = JSON.parse(tableOpt(ctx, "rows") || "[]");
  next = 0;
};
r.iterScan = function (ctx, row) {
  if (next >= data.length) return null;
  var vals = data[next++];
  for (var i = 0; i < cols.length; i++) {
    var v = vals[i];
    row.push(v === null ? null : { tag: TAGS[cols[i]], val: v });
  }
  return 0;
};
`;

describe("micro engine glue", () => {
  let cells = "";
  before(() => {
    cells = microComponent(guestScript(PUSH_ROWS));
  });

  for (const engine of ENGINES) {
    test(`${engine}: cells of every type, s64 extremes as decimal strings, UTF-8`, async () => {
      const data = [
        [true, -32768, 2147483647, "9223372036854775807", 1.5, 0.1, 123.25, "héllo 😀 \u0000", 86400, "1700000000123456", 0, '{"a":[1,2.5,"x"]}', "123e4567-e89b-12d3-a456-426614174000"],
        [false, 32767, -2147483648, "-9223372036854775808", -0.5, 90.28571428571429, -1e-7, "", -86400, -1, 9007199254740992, "[]", "00000000-0000-0000-0000-000000000000"],
        [null, null, null, null, null, null, null, null, null, null, null, null, null],
        [true, 0, 0, 9007199254740993, 0, 5e-324, 0, "x", 0, 0, 0, "null", "123e4567-e89b-12d3-a456-426614174000"],
      ];
      const run = await scan(engine, cells, ["--table", `rows=${JSON.stringify(data)}`, ...colArgs(ALL_TYPES)]);
      const out = rows(run);
      assert.equal(out.length, 4);
      // int8 in --format json is a JSON number: read the text (JSON.parse here would round it)
      const lines = run.stdout.trim().split("\n");
      assert.match(lines[0] ?? "", /"l":9223372036854775807,/);
      assert.match(lines[1] ?? "", /"l":-9223372036854775808,/);
      assert.equal(out[0]?.["t"], "héllo 😀 \u0000");
      assert.equal(out[0]?.["s"], -32768);
      assert.equal(out[1]?.["i"], -2147483648);
      assert.equal(out[1]?.["d"], 90.28571428571429);
      assert.deepEqual(out[0]?.["j"], { a: [1, 2.5, "x"] });
      assert.equal(out[0]?.["u"], "123e4567-e89b-12d3-a456-426614174000");
      assert.equal(out[0]?.["ts"], "2023-11-14T22:13:20.123456");
      assert.equal(out[1]?.["ts"], "1969-12-31T23:59:59.999999");
      assert.equal(out[0]?.["dt"], "1970-01-02");
      assert.ok(Object.values(out[2] ?? {}).every((v) => v === null));
      // a JS number beyond 2^53 is passed exactly as the double it is
      assert.match(lines[3] ?? "", /"l":9007199254740992,/);
      assert.equal(out[3]?.["d"], 5e-324);
    });
  }

  // --------------------------------------------------------------- errors are err(…), never traps
  const THROWS: Record<string, { code: string; memoryMiB?: number; expect: RegExp }> = {
    "a thrown string": { code: 'throw "boom: string";', expect: /guest fdw error: boom: string$/m },
    "a thrown Error": { code: 'throw new Error("boom: error");', expect: /guest fdw error: boom: error$/m },
    "a thrown number": { code: "throw 42;", expect: /guest fdw error: 42$/m },
    "a thrown object": { code: "throw { a: 1 };", expect: /guest fdw error: \[object Object\]$/m },
    "a TypeError of the engine": { code: "var o = null; o.x = 1;", expect: /guest fdw error: .*null/m },
    "out of memory": { code: 'var a = []; for (;;) a.push("x" + a.length + "yyyyyyyyyyyyyyyyyyyy");', memoryMiB: 2, expect: /guest fdw error: out of memory: the guest's JavaScript heap is full/ },
    "runaway recursion": { code: "function f(n) { return f(n + 1) + 1; } f(0);", expect: /guest fdw error: Maximum call stack size exceeded/ },
    "recursion through built-in callbacks": { code: "function g(n) { return [1].map(function () { return g(n + 1); }); } g(0);", expect: /guest fdw error: C stack overflow/ },
    "JSON nested 20,000 deep": { code: 'var s = ""; for (var i = 0; i < 20000; i++) s += "["; JSON.parse(s);', expect: /guest fdw error: JSON.parse: nesting deeper than 10000 levels/ },
    "invalid JSON": { code: 'JSON.parse("{\\"a\\":1,}");', expect: /guest fdw error: JSON.parse: expected a property name/ },
    "Date.now()": { code: "Date.now();", expect: /guest fdw error: Date.now\(\) is not available in the guest \(no clock\)/ },
    "RegExp(string)": { code: 'new RegExp("a+");', expect: /guest fdw error: RegExp\(string\) is not supported by the micro engine/ },
    "console": { code: 'console.log("x");', expect: /guest fdw error: .*console/ },
    "a cell with an unknown tag": { code: 'row.push({ tag: "nope", val: 1 });', expect: /guest fdw error: row.push\(cell\): unknown tag "nope"/ },
    "an i64 that is not an integer": { code: 'row.push({ tag: "i64", val: 1.5 });', expect: /guest fdw error: row.push\(cell\): expected an integer from -2\^63 to 2\^63-1/ },
    "an i64 string out of range": { code: 'row.push({ tag: "i64", val: "9223372036854775808" });', expect: /guest fdw error: row.push\(cell\): expected an integer/ },
    "an i32 out of range": { code: 'row.push({ tag: "i32", val: 2147483648 });', expect: /guest fdw error: row.push\(cell\): expected an integer from -2147483648 to 2147483647/ },
    "iterScan returning a string": { code: 'return "x";', expect: /guest fdw error: iterScan\(\) result .*expected a number/ },
  };
  for (const [name, c] of Object.entries(THROWS)) {
    for (const engine of ENGINES) {
      test(`${engine}: ${name} is a guest error, not a trap`, async () => {
        const wasm = microComponent(guestScript(`r.iterScan = function (ctx, row) { ${c.code} };`), c.memoryMiB !== undefined ? { memoryMiB: c.memoryMiB } : {});
        const run = await scan(engine, wasm, ["--column", "l:int8"]);
        assertGuestError(run, c.expect);
      });
    }
  }

  for (const engine of ENGINES) {
    test(`${engine}: JSON nested 5,000 deep parses and stringifies`, async () => {
      const wasm = microComponent(
        guestScript(`var done = false; r.iterScan = function (ctx, row) {
          if (done) return null; done = true;
          var s = ""; for (var i = 0; i < 5000; i++) s += "["; for (i = 0; i < 5000; i++) s += "]";
          row.push({ tag: "i64", val: JSON.stringify(JSON.parse(s)).length }); return 0; };`),
      );
      assert.deepEqual(rows(await scan(engine, wasm, ["--column", "l:int8"])), [{ l: 10000 }]);
    });

    test(`${engine}: the guest can catch out of memory and go on`, async () => {
      const wasm = microComponent(
        guestScript(`var done = false; r.iterScan = function (ctx, row) {
          if (done) return null; done = true; var msg = "";
          try { (function () { var a = []; for (;;) a.push("x" + a.length + "yyyyyyyyyyyyyyyyyyyy"); })(); } catch (e) { msg = String(e && e.message); }
          row.push({ tag: "string", val: msg }); return 0; };`),
        { memoryMiB: 2 },
      );
      assert.deepEqual(rows(await scan(engine, wasm, ["--column", "t:text"])), [{ t: "out of memory" }]);
    });

    test(`${engine}: a script that throws while loading fails every routine with its message`, async () => {
      const wasm = microComponent(guestScript('throw new Error("broken at load");'));
      assertGuestError(await scan(engine, wasm, ["--column", "t:text"]), /guest fdw error: the guest script failed while loading: broken at load/);
    });

    test(`${engine}: a script without __tsfdw_guest fails with a message naming the contract`, async () => {
      const wasm = microComponent("var x = 1;");
      assertGuestError(await scan(engine, wasm, ["--column", "t:text"]), /did not set __tsfdw_guest = \{ routines \}/);
    });

    test(`${engine}: hostVersionRequirement that throws does not trap (the host gets ^0.1.0)`, async () => {
      const wasm = microComponent(guestScript('r.hostVersionRequirement = function () { throw new Error("no"); }; r.init = function () { throw new Error("init says no"); };'));
      const inspect = await cmd(engine, "inspect", wasm, []);
      assert.equal(inspect.code, 0, inspect.stderr);
      assert.match(inspect.stdout, /\^0\.1\.0/);
      assertGuestError(await scan(engine, wasm, ["--column", "t:text"]), /guest fdw error: init says no/);
    });

    test(`${engine}: a borrowed context used after its call returned throws a clean TypeError`, async () => {
      const wasm = microComponent(
        guestScript(`var saved = null; r.beginScan = function (ctx) { saved = ctx; };
          r.iterScan = function (ctx, row) { saved.getColumns(); return null; };`),
      );
      assertGuestError(await scan(engine, wasm, ["--column", "t:text"]), /guest fdw error: resource handle used after drop\(\) or after the call that lent it returned/);
    });

    test(`${engine}: a routine the guest does not define is an error naming it`, async () => {
      const wasm = microComponent(guestScript("delete r.beginScan;"));
      assertGuestError(await scan(engine, wasm, ["--column", "t:text"]), /guest fdw error: the guest's routines object has no function beginScan/);
    });
  }

  // --------------------------------------------------------------- every import, lifted and lowered
  const CONTEXT = `
var calls = 0, first = null;
function tryMsg(f) { try { return { ok: f() }; } catch (e) { return { err: String(e && e.message) }; } }
// three identical rows (the runner applies OFFSET 2 locally, as Postgres does)
r.iterScan = function (ctx, row) {
  if (++calls > 3) return null;
  if (first !== null) { for (var k = 0; k < first.length; k++) row.push(first[k]); return 0; }
  var info = {};
  var server = ctx.getOptions({ tag: "server" }), table = ctx.getOptions({ tag: "table" });
  info.options = { get: server.get("api_url"), missing: server.get("nope"), requireOr: table.requireOr("nope", "dflt"),
    require: tryMsg(function () { return table.require("nope"); }), requireOk: table.require("mode") };
  server.drop();
  info.dropped = tryMsg(function () { return server.get("api_url"); });
  info.columns = ctx.getColumns().map(function (c) { return [c.name(), c.num(), c.typeOid()]; });
  info.quals = ctx.getQuals().map(function (q) { return [q.field(), q.operator(), q.value(), q.useOr(), q.param(), q.deparse()]; });
  info.sorts = ctx.getSorts().map(function (s) { return [s.field(), s.fieldNo(), s.reversed(), s.nullsFirst(), s.collate(), s.deparse()]; });
  var lim = ctx.getLimit();
  info.limit = lim === null ? null : [lim.count(), lim.offset(), lim.deparse()];
  info.time = [time.parseFromRfc3339("2024-01-01T00:00:00.123456Z"), time.epochMsToRfc3339(1704067200123456),
    tryMsg(function () { return time.parseFromRfc3339("nope"); }), time.epochSecs() > 1700000000,
    time.parseFromStr("2024-01-01 00:00:00 +0000", "%Y-%m-%d %H:%M:%S %z")];
  time.sleep(1);
  info.utils = [utils.cellToString({ tag: "i64", val: "-9223372036854775808" }), utils.cellToString({ tag: "string", val: "a\\ud800b" }),
    utils.cellToString(null), utils.cellToString({ tag: "bool", val: true }), utils.cellToString({ tag: "timestamp", val: 0 }),
    utils.getVaultSecret("00000000-0000-0000-0000-000000000000")];
  utils.reportInfo("info from the guest");
  stats.incStats("micro_test", { tag: "rows-in" }, "9007199254740993");
  stats.setMetadata("micro_test", JSON.stringify({ k: "v" }));
  info.stats = [stats.getMetadata("micro_test"), stats.getMetadata("nobody")];
  stats.setMetadata("micro_test", null);
  info.jwt = tryMsg(function () { return jwt.encode([["iss", "me"]], "RS256", "not a key", 1); });
  info.http = [tryMsg(function () { return http.errorForStatus({ url: "http://x/y", statusCode: 404, headers: [], body: "" }); }),
    tryMsg(function () { return http.errorForStatus({ url: "http://x/y", statusCode: 200, headers: [["a", "b"]], body: "" }); }),
    tryMsg(function () { return http.get({ method: { tag: "get" }, url: "http://127.0.0.1:1/", headers: [], body: "" }); }).err !== undefined,
    tryMsg(function () { return http.get({ method: { tag: "fetch" }, url: "x", headers: [], body: "" }); }),
    tryMsg(function () { return http.get({ method: { tag: "get" }, url: "x", headers: [["a"]], body: "" }); })];
  row.push({ tag: "i64", val: lim.count() });
  row.push({ tag: "string", val: "x\\ud800y\\udfffz" + "\\ud83d" + "\\ude00" });
  row.push({ tag: "i32", val: 5 });
  row.push({ tag: "string", val: "a" });
  var own = new T.Row(); // on Supabase (and the runner) a handle to the one current row
  info.row = [own.cols(), own.cells()];
  own.drop();
  info.rowDropped = tryMsg(function () { return own.cols(); });
  info.lent = [typeof ctx.getQuals, typeof row.push, tryMsg(function () { return ctx.drop(); }).err === undefined];
  row.push({ tag: "json", val: JSON.stringify(info) });
  first = row.cells();
  return 0;
};`;
  for (const engine of ENGINES) {
    test(`${engine}: every import: options, columns, quals, limit, time, utils, stats, jwt, http, rows`, async () => {
      const wasm = microComponent(guestScript(CONTEXT));
      const run = await scan(engine, wasm, [
        "--server", "api_url=http://127.0.0.1:9",
        "--table", "mode=ctx",
        "--column", "n:int8", "--column", "t:text", "--column", "q:int4", "--column", "w:text", "--column", "info:jsonb",
        "--where", "q = 5", "--where", "w in ('a', 'b')",
        "--limit", "9007199254740993", "--offset", "2",
        "--stats", "--vault", "00000000-0000-0000-0000-000000000000=s3cret",
      ]);
      const out = rows(run);
      const info = out[0]?.["info"] as Record<string, unknown>;
      assert.deepEqual(info["options"], { get: "http://127.0.0.1:9", missing: null, requireOr: "dflt", require: { err: "required option `nope` is not specified" }, requireOk: "ctx" });
      assert.match(String((info["dropped"] as { err: string }).err), /resource handle used after drop/);
      assert.deepEqual(info["columns"], [["n", 1, { tag: "i64" }], ["t", 2, { tag: "string" }], ["q", 3, { tag: "i32" }], ["w", 4, { tag: "string" }], ["info", 5, { tag: "json" }]]);
      // Postgres' order (the runner's too): the `col = const` equality comes after the IN list
      const quals = (info["quals"] as unknown[][]).map((q) => q.slice(0, 4));
      assert.deepEqual(quals, [
        ["w", "=", { tag: "array", val: [{ tag: "string", val: "a" }, { tag: "string", val: "b" }] }, true],
        ["q", "=", { tag: "cell", val: { tag: "i32", val: 5 } }, false],
      ]);
      assert.deepEqual(info["sorts"], []);
      assert.deepEqual((info["limit"] as unknown[]).slice(0, 2), ["9007199254740993", 2]);
      const t = info["time"] as unknown[];
      assert.equal(t[0], 1704067200123456);
      assert.equal(t[1], "2024-01-01T00:00:00.123456+00:00");
      assert.ok("err" in (t[2] as object));
      assert.equal(t[3], true);
      assert.equal(t[4], 1704067200000000);
      const u = info["utils"] as unknown[];
      assert.equal(u[0], "-9223372036854775808");
      assert.equal(u[1], "'a\uFFFDb'");
      assert.equal(u[3], "true");
      assert.equal(u[5], "s3cret");
      assert.deepEqual(info["stats"], ['{"k":"v"}', null]);
      assert.ok("err" in (info["jwt"] as object));
      const h = info["http"] as { err?: string; ok?: unknown }[];
      assert.equal(h[0]?.err, "HTTP status error (404 Not Found) for url (http://x/y)");
      assert.deepEqual(h[1], {});
      assert.equal(h[2], true);
      assert.match(String(h[3]?.err), /http request method: unknown tag "fetch"/);
      assert.match(String(h[4]?.err), /\[name, value\] pairs/);
      // the cells pushed so far, lifted back: the s64 beyond 2^53 as a decimal string
      assert.deepEqual((info["row"] as unknown[])[1], [{ tag: "i64", val: "9007199254740993" }, { tag: "string", val: "x\uFFFDy\uFFFDz😀" }, { tag: "i32", val: 5 }, { tag: "string", val: "a" }]);
      assert.match(String((info["rowDropped"] as { err: string }).err), /after drop/);
      assert.deepEqual(info["lent"], ["function", "function", false]);
      // s64 beyond 2^53 from the host (limit) back to the host (cell), exact both ways
      assert.match(run.stdout, /"n":9007199254740993\b/);
      assert.equal(out[0]?.["t"], "x\uFFFDy\uFFFDz😀");
      assert.ok(statsOf(run)["micro_test"]);
      assert.match(run.stderr, /"rows_in":9007199254740993\b/);
    });
  }

  // --------------------------------------------------------------- modify and import foreign schema
  const MODIFY = `
var log = [];
function note(x) { log.push(x); stats.setMetadata("modify", JSON.stringify(log)); }
r.beginModify = function (ctx) { note(["begin", ctx.getOptions({ tag: "table" }).get("rowid_column")]); };
r.insert = function (ctx, row) { note(["insert", row.cols(), row.cells()]); };
r.update = function (ctx, rowid, row) { note(["update", rowid, row.cells()]); };
r["delete"] = function (ctx, rowid) { note(["delete", rowid]); if (rowid.val === "boom") throw new Error("cannot delete boom"); };
r.endModify = function (ctx) { note(["end"]); };
r.importForeignSchema = function (ctx, stmt) {
  var o = ctx.getOptions({ tag: "import-schema" });
  return ["create foreign table " + stmt.localSchema + ".t (x text) server " + stmt.serverName + " options (remote '" + stmt.remoteSchema + "')",
    JSON.stringify([stmt.listType, stmt.tableList, o.get("k")])];
};`;
  for (const engine of ENGINES) {
    test(`${engine}: insert, update, delete (rowid cells in, errors out) and import foreign schema`, async () => {
      const wasm = microComponent(guestScript(MODIFY));
      const common = ["--table", "rowid_column=id", "--column", "id:int8", "--column", "name:text", "--stats"];
      // the runner's stats store holds metadata as JSON (parsed in its --stats line)
      const meta = (r: Parameters<typeof statsOf>[0]): unknown => statsOf(r)["modify"]?.metadata;
      const ins = await cmd(engine, "insert", wasm, [...common, "--values", '{"id": 9223372036854775807, "name": "a"}']);
      assert.equal(ins.code, 0, ins.stderr);
      const log = meta(ins) as unknown[][];
      assert.deepEqual(log[0], ["begin", "id"]);
      assert.deepEqual(log[1]?.[0], "insert");
      assert.deepEqual(log[1]?.[2], [{ tag: "i64", val: "9223372036854775807" }, { tag: "string", val: "a" }]);
      assert.deepEqual(log[2], ["end"]);
      const upd = await cmd(engine, "update", wasm, [...common, "--rowid=-9223372036854775808", "--values", '{"name": "b"}']);
      assert.equal(upd.code, 0, upd.stderr);
      assert.deepEqual((meta(upd) as unknown[][])[1]?.slice(0, 2), ["update", { tag: "i64", val: "-9223372036854775808" }]);
      const del = await cmd(engine, "delete", wasm, ["--table", "rowid_column=id", "--column", "id:text", "--rowid", "boom"]);
      assertGuestError(del, /guest fdw error: cannot delete boom/);
      const imp = await cmd(engine, "import-schema", wasm, ["--remote-schema", "remote", "--local-schema", "local", "--server-name", "srv", "--option", "k=v", "--limit-to", "a", "--limit-to", "b"]);
      assert.equal(imp.code, 0, imp.stderr);
      const lines = imp.stdout.trim().split("\n");
      assert.equal(lines[0], "create foreign table local.t (x text) server srv options (remote 'remote')");
      assert.deepEqual(JSON.parse(lines[1] ?? "null"), [{ tag: "limit-to" }, ["a", "b"], "v"]);
    });
  }
});
