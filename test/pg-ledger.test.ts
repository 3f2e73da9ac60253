// The Ledger FDW (fdw/ledger) through SQL on the local Postgres host (Postgres 15 with the Wasm FDW
// host, tsfdw/testing startLocalPostgres), against the Ledger mock on loopback: typed reads
// (bigint, uuid, numeric, bool, date, timestamptz, jsonb), `id =` / IN pushdown seen in the mock's
// request log, list filters, and INSERT/UPDATE/DELETE by rowid reaching the API with exact bodies.
// The component is built with $TSFDW_BUILD_ENGINE (quickjs by default, or micro).
// jsonb numbers follow Supabase's host (serde_json, f64: test/support/serde-json-number.ts);
// numeric columns carry the API's number exactly (as a double, which every seed amount is).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { API_KEY, CUSTOMER_IDS, type LedgerApi } from "../mock/ledger/api.js";
import { startMock } from "../mock/ledger/server.js";
import { type LocalPostgres, buildFdw, startLocalPostgres } from "../testing/index.js";
import { repoRoot } from "../tools/paths.js";
import { serdeJsonNumber } from "./support/serde-json-number.js";

const DIR = join(repoRoot, "fdw", "ledger");
let mock: Awaited<ReturnType<typeof startMock>>;
let api: LedgerApi;
let pg: LocalPostgres;

before(async () => {
  const wasm = await buildFdw(DIR);
  mock = await startMock();
  api = mock.api;
  pg = await startLocalPostgres();
  await pg.installFdw(DIR, { wasm, serverOptions: { api_url: `${mock.url}/v1`, api_key: API_KEY } });
});
after(async () => {
  await pg?.stop();
  await mock?.close();
});
beforeEach(() => {
  api.log.length = 0;
  api.bodies.length = 0;
});

/**
 * serde_json's text for a number in a json cell (what Supabase's host stores in jsonb): the value
 * of test/support/serde-json-number.ts, a float printed as serde_json prints an f64 (`100.0`).
 */
const serde = (text: string): string => {
  const r = serdeJsonNumber(text);
  assert.ok(r.ok, text);
  const float = /[.eE]/.test(text);
  return float && /^-?\d+$/.test(r.value) ? `${r.value}.0` : r.value;
};

/** The seed invoice with that id, as the API holds it. */
const invoice = (id: number) => {
  const found = api.invoices.find((x) => x.value["id"] === id);
  assert.ok(found, `invoice ${id}`);
  return found;
};
/** An exact number text of a stored invoice field. */
const rawText = (id: number, field: string): string => {
  const inv = invoice(id);
  const raw = inv.raw;
  const r = raw !== undefined && typeof raw !== "string" ? raw[field] : undefined;
  return typeof r === "string" ? r : String(inv.value[field]);
};

describe("read", () => {
  test("every invoice, each column typed as declared; numeric exact, jsonb numbers as serde_json parses them", async () => {
    const rows = await pg.rows(
      "select id, number, customer_id, amount::text as amount, currency, paid, issued_on, due_on, created_at, lines::text as lines, metadata::text as metadata, pg_typeof(amount)::text as amount_type from ledger.invoices",
    );
    assert.equal(rows.length, 24);
    assert.deepEqual(rows[3], {
      id: 1004,
      number: "INV-001004",
      customer_id: CUSTOMER_IDS[3],
      amount: "12345678.91",
      currency: "EUR",
      paid: true,
      issued_on: "2024-01-28",
      due_on: null,
      created_at: "2024-01-28T09:30:00.100111+00:00",
      lines: `[{"qty": 1, "sku": "SKU-3", "tax_rate": ${serde("0.190")}, "unit_price": ${serde("19.90")}}, {"qty": 1, "sku": "FEE", "unit_price": ${serde("90.28571428571429")}}]`,
      metadata: `{"po": "PO-7003", "big": 12345678901234567890, "ratio": ${serde("1E+2")}}`,
      amount_type: "numeric",
    });
    // numeric: the API's amount, the same number (the host passes numeric as a double; no seed amount needs more)
    for (const r of rows) assert.equal(Number(r["amount"]), Number(rawText(r["id"] as number, "amount")), String(r["id"]));
    assert.deepEqual(
      rows.map((r) => r["amount"]),
      api.invoices.map((x) => String(Number(rawText(x.value["id"] as number, "amount")))),
    );
    assert.deepEqual(api.log, ["GET /v1/invoices?limit=100"]);
  });

  test("types Postgres sees: bigint, uuid, numeric, boolean, date, timestamptz, jsonb", async () => {
    const [r] = await pg.rows(
      "select pg_typeof(id)::text a, pg_typeof(customer_id)::text b, pg_typeof(amount)::text c, pg_typeof(paid)::text d, pg_typeof(issued_on)::text e, pg_typeof(created_at)::text f, pg_typeof(lines)::text g from ledger.invoices limit 1",
    );
    assert.deepEqual(r, { a: "bigint", b: "uuid", c: "numeric", d: "boolean", e: "date", f: "timestamp with time zone", g: "jsonb" });
    assert.deepEqual(api.log, ["GET /v1/invoices?limit=1"], "LIMIT sizes the first page");
  });

  test("`id = N` (an int4 constant on a bigint column) is one GET of that invoice; a missing id is no row", async () => {
    assert.deepEqual(await pg.rows("select id, amount::text as amount from ledger.invoices where id = 1004"), [{ id: 1004, amount: "12345678.91" }]);
    assert.deepEqual(api.log, ["GET /v1/invoices/1004"]);
    api.log.length = 0;
    assert.deepEqual(await pg.rows("select id from ledger.invoices where id = 5000000000"), []);
    assert.deepEqual(api.log, ["GET /v1/invoices/5000000000"], "an int8 constant");
    api.log.length = 0;
    assert.deepEqual(await pg.rows("select id from ledger.invoices where id = 1004::smallint"), [{ id: 1004 }]);
    assert.deepEqual(api.log, ["GET /v1/invoices/1004"], "an int2 constant");
  });

  test("`id IN (…)`: one GET per distinct id, rows as Postgres filters them", async () => {
    const rows = await pg.rows("select id from ledger.invoices where id in (1003, 1001, 1003, 77) order by id");
    assert.deepEqual(rows, [{ id: 1001 }, { id: 1003 }]);
    assert.deepEqual([...api.log].sort(), ["GET /v1/invoices/1001", "GET /v1/invoices/1003", "GET /v1/invoices/77"]);
  });

  test("uuid id and list filters become requests; the rows are what Postgres' own filter gives", async () => {
    assert.deepEqual(await pg.rows(`select name, country, vip from ledger.customers where id = '${CUSTOMER_IDS[1]}'`), [{ name: "Bistro Lune", country: "FR", vip: false }]);
    assert.deepEqual(api.log, [`GET /v1/customers/${CUSTOMER_IDS[1]}`]);
    api.log.length = 0;
    const paid = await pg.rows(`select id from ledger.invoices where customer_id = '${CUSTOMER_IDS[0]}' and paid = true order by id`);
    const want = api.invoices.filter((x) => x.value["customer_id"] === CUSTOMER_IDS[0] && x.value["paid"] === true).map((x) => ({ id: x.value["id"] }));
    assert.ok(want.length > 0);
    assert.deepEqual(paid, want);
    assert.deepEqual(api.log, [`GET /v1/invoices?limit=100&customer_id=${CUSTOMER_IDS[0]}&paid=true`]);
  });

  test("a range condition is never pushed down: Postgres filters every row", async () => {
    const rows = await pg.rows("select id from ledger.invoices where '2024-03-01' > issued_on order by id");
    const want = api.invoices.filter((x) => String(x.value["issued_on"]) < "2024-03-01").map((x) => ({ id: x.value["id"] }));
    assert.ok(want.length > 1);
    assert.deepEqual(rows, want);
    assert.deepEqual(api.log, ["GET /v1/invoices?limit=100"]);
  });
});

describe("write (by rowid)", () => {
  test("INSERT, UPDATE, DELETE reach the API with exact JSON; reads see each change", async () => {
    await pg.exec(
      `insert into ledger.invoices (id, customer_id, amount, paid, issued_on, created_at, lines, metadata) values ` +
        `(2001, '${CUSTOMER_IDS[2]}', 42.25, false, '2024-07-01', '2024-07-01 10:00:00.123456+02', '[{"sku": "SKU-9", "qty": 2, "unit_price": 21.125}]', '{"big": 12345678901234567891, "note": "ünï"}')`,
    );
    assert.equal(api.bodies.length, 1);
    assert.deepEqual(JSON.parse(api.bodies[0]!.replace(/12345678901234567891/, '"BIG"')), {
      id: 2001,
      customer_id: CUSTOMER_IDS[2],
      amount: 42.25,
      paid: false,
      issued_on: "2024-07-01",
      created_at: "2024-07-01T08:00:00.123456+00:00",
      lines: [{ sku: "SKU-9", qty: 2, unit_price: 21.125 }],
      metadata: { big: "BIG", note: "ünï" },
      // the columns the INSERT did not name arrive as NULL (the API then applies its defaults)
      ...Object.fromEntries(Object.entries(JSON.parse(api.bodies[0]!.replace(/12345678901234567891/, "0")) as Record<string, unknown>).filter(([, v]) => v === null)),
    });
    assert.match(api.bodies[0]!, /"big":12345678901234567891/, "a jsonb integer beyond 2^53 is sent digit for digit");
    assert.deepEqual(await pg.rows("select id, number, amount::text as amount, paid, issued_on, due_on, created_at, currency from ledger.invoices where id = 2001"), [
      { id: 2001, number: "INV-002001", amount: "42.25", paid: false, issued_on: "2024-07-01", due_on: null, created_at: "2024-07-01T08:00:00.123456+00:00", currency: "EUR" },
    ]);

    api.bodies.length = 0;
    await pg.exec("update ledger.invoices set paid = true, due_on = '2024-07-31', amount = 0.1 where id = 2001");
    assert.equal(api.bodies.length, 1);
    assert.ok(api.log.includes("PATCH /v1/invoices/2001"), api.log.join("\n"));
    const patch = JSON.parse(api.bodies[0]!) as Record<string, unknown>;
    assert.equal(patch["paid"], true);
    assert.equal(patch["due_on"], "2024-07-31");
    assert.equal(patch["amount"], 0.1);
    assert.match(api.bodies[0]!, /"amount":0\.1[,}]/);
    assert.deepEqual(await pg.rows("select paid, due_on, amount::text as amount from ledger.invoices where id = 2001"), [{ paid: true, due_on: "2024-07-31", amount: "0.1" }]);

    await pg.exec("delete from ledger.invoices where id = 2001");
    assert.ok(api.log.includes("DELETE /v1/invoices/2001"), api.log.join("\n"));
    assert.equal(api.invoices.some((x) => x.value["id"] === 2001), false);
    assert.deepEqual(await pg.rows("select id from ledger.invoices where id = 2001"), []);
  });

  test("customers: uuid rowid, numeric and bool through INSERT/UPDATE/DELETE", async () => {
    const id = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    await pg.exec(`insert into ledger.customers (id, name, country, credit_limit, vip) values ('${id}', 'Sql GmbH', 'AT', 1500.75, true)`);
    assert.deepEqual(await pg.rows(`select name, country, credit_limit::text as credit_limit, vip from ledger.customers where id = '${id}'`), [
      { name: "Sql GmbH", country: "AT", credit_limit: "1500.75", vip: true },
    ]);
    await pg.exec(`update ledger.customers set vip = false, credit_limit = 0 where id = '${id}'`);
    assert.ok(api.log.includes(`PATCH /v1/customers/${id}`), api.log.join("\n"));
    assert.deepEqual(await pg.rows(`select vip, credit_limit::text as c from ledger.customers where id = '${id}'`), [{ vip: false, c: "0" }]);
    await pg.exec(`delete from ledger.customers where id = '${id}'`);
    assert.equal(api.customers.some((x) => x.value["id"] === id), false);
  });

  test("an API validation error fails the statement with the API's message, never the key", async () => {
    const r = await pg.psql("insert into ledger.invoices (id, amount) values (2002, 1)");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /customer_id is required/);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(API_KEY));
    assert.equal(api.invoices.some((x) => x.value["id"] === 2002), false);
  });
});
