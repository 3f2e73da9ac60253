// tsfdw/testing, the kit an FDW's tests use: the fake host with the host's method shapes, loadFdw
// (the FDW's source bundled for Node on the fake host), the value ↔ cell conversions, one mock
// handler served in-process and over loopback, and the runner helper on the same fixture FDW.
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import {
  FakeRow,
  buildFdw,
  cellToJson,
  componentRunner,
  constantCell,
  fakeHost,
  fakeHttp,
  hostHandler,
  jsonToCell,
  loadFdw,
  resetFakeHost,
  serveHandler,
  type MockHandler,
} from "tsfdw/testing";
import { join } from "node:path";
import { repoRoot } from "../tools/paths.js";

const FIXTURE = join(repoRoot, "test", "fixtures", "kit-fixture-fdw");
const ITEMS = [
  { id: 1, name: "one", at: "2024-01-15T10:30:00Z", day: "2024-01-15", attrs: { a: [1, "x"] } },
  { id: 2, name: "two", at: "2024-01-15T10:30:00.25Z", day: null, attrs: null },
];

/** The fixture's API: GET /items, and every write answered 200 (the test reads fakeHttp.requests). */
const api: MockHandler = (req) => (req.method === "GET" && req.path === "/items" ? { status: 200, body: ITEMS } : req.method === "GET" ? { status: 404, body: { error: "nope" } } : { status: 200, body: {} });

const fdw = await loadFdw(FIXTURE);
after(() => fdw.dispose());
const items = fdw.table("items");

beforeEach(() => {
  resetFakeHost();
  fakeHttp.handler = hostHandler(api);
});

describe("fake host", () => {
  test("a row has the host's shapes: cells() and cols() are methods; push checks types and count", () => {
    const row = new FakeRow([["id", "i64"], ["name", "string"]]);
    row.push({ tag: "i64", val: 1 });
    assert.deepEqual(row.cells(), [{ tag: "i64", val: 1 }]);
    assert.deepEqual(row.cols(), ["id"]);
    assert.throws(() => row.push({ tag: "i32", val: 1 }), /fake host: i32 cell pushed into string column name/);
    row.push(null);
    assert.throws(() => row.push(null), /more cells pushed than the 2 columns/);
    const filled = FakeRow.of([["id", "i64"]], [{ tag: "i64", val: 7 }]);
    assert.deepEqual([filled.cols(), filled.cells()], [["id"], [{ tag: "i64", val: 7 }]]);
    assert.throws(() => filled.push(null), /read-only/);
  });

  test("resetFakeHost restores every part", () => {
    fakeHost.vault.set("k", "v");
    fakeHost.settings.set("s", "1");
    fakeHost.nowSecs = 1;
    fakeHost.stats.push(["x", "rows-in", 1]);
    resetFakeHost();
    assert.deepEqual([fakeHost.vault.size, fakeHost.settings.size, fakeHost.nowSecs, fakeHost.stats.length, fakeHttp.requests.length], [0, 0, 1_705_314_600, 0, 0]);
  });
});

describe("loadFdw", () => {
  test("scan: rows in the runner's JSON shapes, the HTTP recorded", async () => {
    const rows = await items.scan();
    assert.deepEqual(rows, [
      { id: 1, name: "one", at: "2024-01-15T10:30:00Z", day: "2024-01-15", attrs: { a: [1, "x"] }, quals: "", lim: null },
      { id: 2, name: "two", at: "2024-01-15T10:30:00.250000Z", day: null, attrs: null, quals: "", lim: null },
    ]);
    assert.deepEqual(fakeHttp.requests.map((r) => [r.method.tag, r.url]), [["get", "http://api.test/items"]]);
  });

  test("where, limit and the columns a query uses reach the guest as the host passes them", async () => {
    const rows = await items.scan({ where: [["id", "=", 7], ["name", "in", ["a", "b"]]], limit: { count: 1, offset: 1 }, columns: ["id", "quals", "lim"] });
    assert.deepEqual(rows, [
      {
        id: 2,
        quals: 'id = {"tag":"cell","val":{"tag":"i32","val":7}}; name = {"tag":"array","val":[{"tag":"string","val":"a"},{"tag":"string","val":"b"}]} (or)',
        lim: "1+1",
      },
    ]);
  });

  test("insert, update and delete hand the guest cells typed by the columns", async () => {
    await items.insert([{ id: 5, name: "five", at: "2024-01-15T10:30:00Z", day: "2024-01-15", attrs: { k: 1 } }]);
    await items.update(5, { name: "FIVE" });
    await items.delete("5");
    const sent = fakeHttp.requests.map((r) => [r.method.tag, r.url, JSON.parse(r.body) as unknown]);
    assert.deepEqual(sent, [
      [
        "post",
        "http://api.test/items",
        {
          cols: ["id", "name", "at", "day", "attrs", "quals", "lim"],
          cells: [{ tag: "i64", val: 5 }, { tag: "string", val: "five" }, { tag: "timestamptz", val: 1_705_314_600_000_000 }, { tag: "date", val: 1_705_276_800 }, { tag: "json", val: '{"k":1}' }, null, null],
        },
      ],
      ["patch", "http://api.test/items/5", { rowid: { tag: "i64", val: 5 }, cols: ["name"], cells: [{ tag: "string", val: "FIVE" }] }],
      ["delete", "http://api.test/items/5", { rowid: { tag: "i64", val: 5 } }],
    ]);
  });

  test("the guest's errors reject, and every call is a fresh instance", async () => {
    fakeHttp.handler = hostHandler(() => ({ status: 503, body: "down" }));
    await assert.rejects(items.scan(), /fixture GET http:\/\/api\.test\/items failed: 503 Service Unavailable: down/);
    const a = await fdw.instance();
    const b = await fdw.instance();
    assert.notEqual(a, b);
    await assert.rejects(fdw.table({ columns: [["id", "bigint"]], server: {} }).scan(), /missing server option 'api_url'/);
    assert.throws(() => fdw.table("nope"), /no table nope in .*fdw\.json \(sql\.tables: items\)/);
  });
});

describe("cells", () => {
  test("constants as Postgres passes them: small integers are i32 even on bigint columns", () => {
    assert.deepEqual(constantCell(7), { tag: "i32", val: 7 });
    assert.deepEqual(constantCell(2 ** 40), { tag: "i64", val: 2 ** 40 });
    assert.deepEqual(constantCell(1.5), { tag: "numeric", val: 1.5 });
    assert.deepEqual(constantCell("x"), { tag: "string", val: "x" });
    assert.deepEqual(constantCell({ tag: "i16", val: 3 }), { tag: "i16", val: 3 });
  });

  test("JSON ↔ cells round-trip in the runner's shapes", () => {
    const cases: [unknown, Parameters<typeof jsonToCell>[1], unknown][] = [
      [5, "i64", 5],
      ["2024-01-15", "date", "2024-01-15"],
      ["2024-01-15T10:30:00.000123Z", "timestamptz", "2024-01-15T10:30:00.000123Z"],
      ["2024-01-15 12:30:00+02", "timestamptz", "2024-01-15T10:30:00Z"],
      ["2024-01-15 12:30:00+02", "timestamp", "2024-01-15T12:30:00"],
      [{ a: 1 }, "json", { a: 1 }],
      [true, "bool", true],
      ["2.5", "numeric", 2.5],
    ];
    for (const [value, type, back] of cases) assert.deepEqual(cellToJson(jsonToCell(value, type)), back, `${JSON.stringify(value)} as ${type}`);
    assert.throws(() => jsonToCell(70000, "i16", "n"), /column n \(i16\): 70000 is not an integer in range/);
    assert.throws(() => jsonToCell([1], "i32", "n"), /only scalars/);
  });
});

describe("one mock, two transports", () => {
  test("serveHandler serves the handler the fake host uses", async () => {
    const server = await serveHandler(api);
    try {
      const r = await fetch(`${server.url}/items`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "application/json");
      assert.deepEqual(await r.json(), ITEMS);
      assert.equal((await fetch(`${server.url}/other`)).status, 404);
    } finally {
      await server.close();
    }
  });

  test("the runner helper scans and writes the built component against the served mock", async () => {
    const seen: string[] = [];
    const server = await serveHandler((req) => {
      seen.push(`${req.method} ${req.path} ${req.body}`);
      return api(req);
    });
    try {
      const wasm = await buildFdw(FIXTURE);
      const run = componentRunner(wasm, { server: { api_url: server.url } });
      const table = run.table(fdw.project.sql.tables[0]!);
      // `id = 2` on a bigint column reaches the guest as an i32 cell, as Postgres passes it
      assert.deepEqual(await table.scan({ where: ["id = 2"] }), [{ id: 2, name: "two", at: "2024-01-15T10:30:00.250000Z", day: null, attrs: null, quals: 'id = {"tag":"cell","val":{"tag":"i32","val":2}}', lim: null }]);
      await table.delete(2);
      assert.match(seen.at(-1) ?? "", /^DELETE \/items\/2 \{"rowid":\{"tag":"i64","val":2\}\}$/);
      await assert.rejects(componentRunner(wasm, { server: {} }).table(fdw.project.sql.tables[0]!).scan(), /runner scan failed \(exit \d+\): .*missing server option 'api_url'/);
    } finally {
      await server.close();
    }
  });
});
