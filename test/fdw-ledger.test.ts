// The Ledger FDW (fdw/ledger) in Node on the fake host (tsfdw/testing), answered in-process by the
// Ledger mock (mock/ledger/api.ts): typed cells (uuid, date, timestamptz µs, numeric, bool, jsonb
// with exact numbers), cursor paging, `id =` / IN pushdown at every integer width, list filters,
// LIMIT sizing, INSERT/UPDATE/DELETE bodies (exact numbers), API errors without the key, Vault,
// IMPORT FOREIGN SCHEMA. The built component on the runner: fdw-ledger-runner.test.ts; through SQL: pg-ledger.test.ts.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, beforeEach, describe, test } from "node:test";
import { type Cell, FakeContext, FakeRow, type TypeName, fakeHttp, fakeVault, hostHandler, loadFdw, resetFakeHost } from "tsfdw/testing";
import { API_KEY, CUSTOMER_IDS, type LedgerApi, createLedgerApi } from "../mock/ledger/api.js";
import { repoRoot } from "../tools/paths.js";

const fdw = await loadFdw(join(repoRoot, "fdw", "ledger"));
after(() => fdw.dispose());

const API = "http://ledger.test/v1";
const server = { api_url: API, api_key: API_KEY };
const invoices = fdw.table("invoices", { server });
const customers = fdw.table("customers", { server });
const paged = fdw.table("invoices", { server: { ...server, page_size: "10" } });

let api: LedgerApi;
beforeEach(() => {
  resetFakeHost();
  api = createLedgerApi();
  fakeHttp.handler = hostHandler(api.handle);
});

/** The request paths the FDW sent (`/v1/invoices?limit=100`). */
const paths = (): string[] => api.log.map((l) => l.replace(/^GET /, ""));

describe("scan", () => {
  test("every invoice, typed: bigint, uuid, numeric, bool, date, timestamptz (µs), jsonb", async () => {
    const rows = await invoices.scan();
    assert.equal(rows.length, 24);
    assert.deepEqual(rows[3], {
      id: 1004,
      number: "INV-001004",
      customer_id: CUSTOMER_IDS[3],
      amount: 12345678.91,
      currency: "EUR",
      paid: true,
      issued_on: "2024-01-28",
      due_on: null,
      created_at: "2024-01-28T09:30:00.100111Z",
      lines: [{ sku: "SKU-3", qty: 1, unit_price: 19.9, tax_rate: 0.19 }, { sku: "FEE", qty: 1, unit_price: 90.28571428571429 }],
      metadata: { po: "PO-7003", ratio: 100, big: 12345678901234567890 },
    });
    const [cells] = await invoices.scanCells({ limit: 1 });
    assert.deepEqual(cells?.map((c) => c?.tag), ["i64", "string", "uuid", "numeric", "string", "bool", "date", "date", "timestamptz", "json", "json"]);
    assert.deepEqual(paths(), ["/v1/invoices?limit=100", "/v1/invoices?limit=1"]);
  });

  test("jsonb cells carry the numbers exactly as the API sent them", async () => {
    const [cells] = await invoices.scanCells({ where: [["id", "=", 1001]], columns: ["lines", "metadata"] });
    assert.deepEqual(cells, [
      { tag: "json", val: '[{"sku":"SKU-0","qty":1,"unit_price":19.90,"tax_rate":0.190},{"sku":"FEE","qty":1,"unit_price":90.28571428571429}]' },
      { tag: "json", val: '{"po":"PO-7000","ratio":1E+2,"big":12345678901234567890}' },
    ]);
  });

  test("cursor paging: the next page only when the rows before it are read", async () => {
    assert.equal((await paged.scan()).length, 24);
    const cursors = paths().map((p) => new URL(p, "http://x").searchParams.get("cursor"));
    assert.equal(cursors.length, 3);
    assert.equal(cursors[0], null);
    assert.deepEqual(paths().map((p) => new URL(p, "http://x").searchParams.get("limit")), ["10", "10", "10"]);
    api.log.length = 0;
    // Postgres stops pulling at 12 rows (a LIMIT over a condition it keeps): two pages, not three.
    await paged.scan({ where: [["currency", "=", "EUR"]], limit: 12 });
    assert.equal(api.log.length, 2);
  });

  test("WHERE id = N: one GET of that invoice, whatever integer width Postgres passes", async () => {
    // i32 (bigint_col = 7), i64, i16, and the micro engine's exact decimal string for s64.
    const widths: unknown[] = [1002, { tag: "i64", val: 1002 }, { tag: "i16", val: 1002 }, { tag: "i64", val: "1002" }];
    for (const id of widths) {
      api.log.length = 0;
      assert.deepEqual(await invoices.scan({ where: [["id", "=", id]], columns: ["id", "number"] }), [{ id: 1002, number: "INV-001002" }]);
      assert.deepEqual(paths(), ["/v1/invoices/1002"]);
    }
    api.log.length = 0;
    assert.deepEqual(await invoices.scan({ where: [["id", "=", 999]] }), [], "a 404 is no rows");
    assert.deepEqual(paths(), ["/v1/invoices/999"]);
  });

  test("WHERE id IN (…): one GET per distinct id (i64 cells), missing ids skipped", async () => {
    const rows = await invoices.scan({ where: [["id", "in", [{ tag: "i64", val: 1003 }, { tag: "i64", val: 1001 }, { tag: "i64", val: 42 }, { tag: "i64", val: 1003 }]]], columns: ["id"] });
    assert.deepEqual(rows, [{ id: 1003 }, { id: 1001 }]);
    assert.deepEqual(paths(), ["/v1/invoices/1003", "/v1/invoices/1001", "/v1/invoices/42"]);
  });

  test("a uuid id: GET /customers/{uuid}", async () => {
    const rows = await customers.scan({ where: [["id", "=", { tag: "uuid", val: CUSTOMER_IDS[1] }]], columns: ["id", "name", "credit_limit", "vip"] });
    assert.deepEqual(rows, [{ id: CUSTOMER_IDS[1], name: "Bistro Lune", credit_limit: 250.5, vip: false }]);
    assert.deepEqual(paths(), [`/v1/customers/${CUSTOMER_IDS[1]}`]);
  });

  test("= on the list's filters becomes query parameters, and then LIMIT sizes the page", async () => {
    const rows = await invoices.scan({ where: [["customer_id", "=", { tag: "uuid", val: CUSTOMER_IDS[2] }], ["paid", "=", false]], limit: 2, columns: ["id"] });
    assert.deepEqual(rows, [{ id: 1003 }, { id: 1011 }]);
    assert.deepEqual(paths(), [`/v1/invoices?limit=2&customer_id=${CUSTOMER_IDS[2]}&paid=false`]);
  });

  test("LIMIT sizes the first page only when every condition went to the API", async () => {
    await invoices.scan({ limit: 3 });
    assert.deepEqual(paths(), ["/v1/invoices?limit=3"]);
    api.log.length = 0;
    await invoices.scan({ where: [["currency", "=", "USD"]], limit: 3 });
    assert.deepEqual(paths(), ["/v1/invoices?limit=100"], "currency is not an API filter: Postgres filters, so pages are full");
    api.log.length = 0;
    await invoices.scan({ orderBy: ["amount"], limit: 3 });
    assert.deepEqual(paths(), ["/v1/invoices?limit=100"], "ORDER BY: Postgres sorts everything");
  });

  test("pulled past a small first page: starts over at full size, each row once", async () => {
    const ids = (await paged.scan({ limit: 4 })).map((r) => r["id"]);
    assert.deepEqual(ids, [1001, 1002, 1003, 1004]);
    api.log.length = 0;
    // The fake host stops at the LIMIT; a runner-style pull of everything after a LIMIT 4 page:
    const r = await fdw.instance();
    const ctx = new FakeContext({ server: { ...server, page_size: "10" }, table: { object: "invoices" }, columns: [["id", "i64"]], limit: { count: 4 } });
    r.init(ctx as never);
    r.beginScan(ctx as never);
    const got: unknown[] = [];
    for (;;) {
      const row = new FakeRow([["id", "i64"]]);
      if (r.iterScan(ctx as never, row as never) == null) break;
      got.push((row.cells()[0] as { val: number }).val);
    }
    assert.deepEqual(got, Array.from({ length: 24 }, (_, i) => 1001 + i));
    assert.deepEqual(paths().map((p) => new URL(p, "http://x").searchParams.get("limit")), ["4", "10", "10", "10"]);
  });

  test("a re-scan replays the rows without requests", async () => {
    assert.equal((await paged.scan({ rescan: true })).length, 48);
    assert.equal(api.log.length, 3);
  });
});

describe("modify", () => {
  const cols: [string, TypeName][] = [
    ["id", "i64"], ["number", "string"], ["customer_id", "uuid"], ["amount", "numeric"], ["currency", "string"], ["paid", "bool"],
    ["issued_on", "date"], ["due_on", "date"], ["created_at", "timestamptz"], ["lines", "json"], ["metadata", "json"],
  ];
  /** insert/update/delete through the routines with cells as the host passes them. */
  async function modify(body: (r: Awaited<ReturnType<typeof fdw.instance>>, ctx: never) => void): Promise<void> {
    const r = await fdw.instance();
    const ctx = new FakeContext({ server, table: { object: "invoices", rowid_column: "id" } }) as never;
    r.init(ctx);
    r.beginModify(ctx);
    body(r, ctx);
    r.endModify(ctx);
  }
  const cell = (tag: string, val: unknown): Cell => ({ tag, val }) as Cell;

  test("INSERT posts the row as JSON: dates, timestamps (+00:00), uuid, and jsonb numbers exactly as given", async () => {
    const row = FakeRow.of(cols, [
      cell("i64", 2001), null, cell("uuid", CUSTOMER_IDS[0]), cell("numeric", 42.5), null, cell("bool", false),
      cell("date", Date.UTC(2024, 6, 1) / 1000), null, cell("timestamptz", Date.UTC(2024, 6, 1, 8, 0, 0) * 1000 + 123456),
      cell("json", '[{"sku":"X","qty":2,"unit_price":21.250,"exact":90.28571428571429}]'), cell("json", '{"big":12345678901234567891}'),
    ]);
    await modify((r, ctx) => r.insert(ctx, row as never));
    assert.equal(
      api.bodies[0],
      `{"id":2001,"number":null,"customer_id":"${CUSTOMER_IDS[0]}","amount":42.5,"currency":null,"paid":false,"issued_on":"2024-07-01","due_on":null,` +
        `"created_at":"2024-07-01T08:00:00.123456+00:00","lines":[{"sku":"X","qty":2,"unit_price":21.250,"exact":90.28571428571429}],"metadata":{"big":12345678901234567891}}`,
    );
    const stored = api.invoices.find((i) => i.value["id"] === 2001);
    assert.ok(stored);
    assert.equal(stored.value["number"], "INV-002001", "nulls take the API's defaults");
    assert.equal(stored.value["currency"], "EUR");
  });

  test("a bigint beyond 2^53 from the micro engine (a decimal string) is written with its exact digits", async () => {
    const row = FakeRow.of([["metadata", "json"], ["amount", "numeric"]], [cell("json", "{}"), cell("numeric", 1)]);
    const big = FakeRow.of([["id", "i64"], ["customer_id", "uuid"], ["amount", "numeric"]], [cell("i64", "9007199254740993"), cell("uuid", CUSTOMER_IDS[0]), cell("numeric", 1)]);
    await modify((r, ctx) => r.insert(ctx, big as never));
    assert.match(api.bodies[0] ?? "", /^\{"id":9007199254740993,/);
    await modify((r, ctx) => r.update(ctx, cell("i64", "9007199254740993") as never, row as never));
    assert.equal(api.log.at(-1), "PATCH /v1/invoices/9007199254740993", "the rowid keeps its digits in the URL");
  });

  test("UPDATE patches the assigned columns of the row with that id; DELETE removes it", async () => {
    await invoices.update(1005, { paid: true, due_on: "2024-12-31", amount: 300.25 });
    assert.deepEqual(api.log, ["PATCH /v1/invoices/1005"]);
    assert.deepEqual(JSON.parse(api.bodies[0] ?? ""), { amount: 300.25, paid: true, due_on: "2024-12-31" });
    const updated = api.invoices.find((i) => i.value["id"] === 1005)?.value;
    assert.equal(updated?.["paid"], true);
    assert.equal(updated?.["amount"], 300.25);
    await invoices.delete(1005);
    assert.equal(api.invoices.some((i) => i.value["id"] === 1005), false);
    await customers.update(CUSTOMER_IDS[3], { vip: true });
    assert.equal(api.log.at(-1), `PATCH /v1/customers/${CUSTOMER_IDS[3]}`);
  });

  test("the API's refusals are errors with its message", async () => {
    await assert.rejects(invoices.insert([{ id: 1001, customer_id: CUSTOMER_IDS[0], amount: 1 }]), {
      message: "Ledger API POST http://ledger.test/v1/invoices failed: 409 Conflict: invoice 1001 already exists",
    });
    await assert.rejects(invoices.insert([{ customer_id: "00000000-0000-4000-8000-000000000999", amount: 1 }]), /422 Unprocessable Entity: no such customer: 00000000-0000-4000-8000-000000000999$/);
    await assert.rejects(invoices.insert([{ customer_id: CUSTOMER_IDS[0] }]), /422 Unprocessable Entity: amount is required$/);
    await assert.rejects(invoices.delete(999), { message: "Ledger API DELETE http://ledger.test/v1/invoices/999 failed: 404 Not Found: no such invoice: 999" });
  });
});

describe("options and errors", () => {
  test("a wrong key: the API's 401, the key never in the message", async () => {
    const wrong = fdw.table("invoices", { server: { api_url: API, api_key: "sk_live_wrong_key_0123456789" } });
    await assert.rejects(wrong.scan(), (e: Error) => {
      assert.equal(e.message, "Ledger API GET http://ledger.test/v1/invoices?limit=100 failed: 401 Unauthorized: invalid API key");
      return true;
    });
    // A server that echoes the key back: redacted.
    fakeHttp.handler = (req) => ({ url: req.url, statusCode: 400, headers: [], body: JSON.stringify({ error: { message: `bad key ${req.headers.find(([k]) => k === "x-api-key")?.[1]}` } }) });
    await assert.rejects(wrong.scan(), (e: Error) => {
      assert.doesNotMatch(e.message, /sk_live_wrong/);
      assert.match(e.message, /bad key \[redacted\]/);
      return true;
    });
  });

  test("the key from Vault (api_key_id); none at all is a clear error before any request", async () => {
    fakeVault.set("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", API_KEY);
    assert.equal((await fdw.table("customers", { server: { api_url: API, api_key_id: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" } }).scan()).length, 4);
    // (fdw.json's server options hold an api_key_id placeholder: a table of its own here)
    const columns: [string, string][] = [["id", "uuid"], ["name", "text"]];
    await assert.rejects(fdw.table({ columns, options: { object: "customers" }, server: { api_url: API } }).scan(), {
      message: "the Ledger API key is missing: set the server option api_key, or api_key_id (a Vault secret)",
    });
    await assert.rejects(fdw.table("customers", { server: { api_url: API, api_key: API_KEY, page_size: "500" } }).scan(), {
      message: "invalid server option page_size '500': expected an integer from 1 to 100",
    });
    assert.equal(api.log.length, 1);
  });

  test("an unknown object lists the tables' objects", async () => {
    await assert.rejects(fdw.table({ columns: [["id", "bigint"]], options: { object: "payments" }, server }).scan(), {
      message: "invalid table option object 'payments': expected one of invoices, customers",
    });
  });

  test("IMPORT FOREIGN SCHEMA: both tables, with their columns and rowid_column", async () => {
    const sql = await fdw.importSchema({ serverName: "ledger_server" });
    assert.deepEqual(sql, [
      `create foreign table if not exists "invoices" (id bigint, number text, customer_id uuid, amount numeric, currency text, paid boolean, issued_on date, due_on date, created_at timestamptz, lines jsonb, metadata jsonb) server "ledger_server" options (object 'invoices', rowid_column 'id')`,
      `create foreign table if not exists "customers" (id uuid, name text, email text, country text, credit_limit numeric, vip boolean, created_at timestamptz, metadata jsonb) server "ledger_server" options (object 'customers', rowid_column 'id')`,
    ]);
    assert.equal((await fdw.importSchema({ serverName: "s", except: ["invoices"] })).length, 1);
  });
});
