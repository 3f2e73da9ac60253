// The Ledger FDW's built component (the default engine: micro, or $TSFDW_BUILD_ENGINE) on the
// wasmtime-36 runner against the Ledger mock on loopback: `id =` / IN pushdown with constants of
// every integer width as the runner types them (Postgres' rules), an id beyond 2^53, list filters,
// and INSERT / UPDATE / DELETE by rowid.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, beforeEach, test } from "node:test";
import { API_KEY } from "../mock/ledger/api.js";
import { startMock } from "../mock/ledger/server.js";
import { buildFdw, componentRunner, fdwProject } from "../testing/index.js";
import { defaultEngine } from "../tools/build/index.js";
import { repoRoot } from "../tools/paths.js";

const DIR = join(repoRoot, "fdw", "ledger");
const MICRO = defaultEngine() === "micro";
const project = fdwProject(DIR);
const wasm = await buildFdw(DIR);
const mock = await startMock();
after(() => mock.close());
beforeEach(() => {
  mock.api.log.length = 0;
});

const fdw = componentRunner(wasm, { server: { api_url: `${mock.url}/v1`, api_key: API_KEY } });
const invoices = fdw.table(project.sql.tables.find((t) => t.name === "invoices")!);

test("id = N (int4), id = N (int8), id IN (…): one GET per distinct id", async () => {
  assert.deepEqual((await invoices.scan({ where: ["id = 1004"] })).map((r) => [r["id"], r["amount"]]), [[1004, 12345678.91]]);
  assert.deepEqual(mock.api.log, ["GET /v1/invoices/1004"]);
  mock.api.log.length = 0;
  assert.deepEqual(await invoices.scan({ where: ["id = 5000000000"] }), []);
  assert.deepEqual(mock.api.log, ["GET /v1/invoices/5000000000"]);
  mock.api.log.length = 0;
  assert.deepEqual((await invoices.scan({ where: ["id in (1002, 1001, 1002)"] })).map((r) => r["id"]).sort(), [1001, 1002]);
  assert.deepEqual([...mock.api.log].sort(), ["GET /v1/invoices/1001", "GET /v1/invoices/1002"]);
});

test("an id beyond 2^53: exact on micro (a decimal string); quickjs receives the host's s64 as a double", async () => {
  await invoices.scan({ where: ["id = 9007199254740993"] });
  assert.deepEqual(mock.api.log, [MICRO ? "GET /v1/invoices/9007199254740993" : "GET /v1/invoices/9007199254740992"]);
});

test("list filters as query parameters; a range condition is not pushed down", async () => {
  const rows = await invoices.scan({ where: ["paid = true"] });
  assert.ok(rows.length > 0 && rows.every((r) => r["paid"] === true));
  assert.deepEqual(mock.api.log, ["GET /v1/invoices?limit=100&paid=true"]);
  mock.api.log.length = 0;
  const older = await invoices.scan({ where: ["'2024-03-01' > issued_on"] });
  assert.ok(older.length > 1 && older.every((r) => String(r["issued_on"]) < "2024-03-01"));
  assert.equal(older.length, mock.api.invoices.filter((x) => String(x.value["issued_on"]) < "2024-03-01").length);
  assert.deepEqual(mock.api.log, ["GET /v1/invoices?limit=100"]);
});

test("insert, update, delete by rowid", async () => {
  const ins = await invoices.insert([{ id: 3001, customer_id: "2b7c4a18-63f1-4c1e-9d0b-6f1f3a0c9e01", amount: 10.5, paid: false, issued_on: "2024-08-01", lines: [{ qty: 1 }] }]);
  assert.equal(ins.code, 0, ins.stderr);
  assert.ok(mock.api.invoices.some((x) => x.value["id"] === 3001));
  const up = await invoices.update(3001, { paid: true });
  assert.equal(up.code, 0, up.stderr);
  assert.equal((await invoices.scan({ where: ["id = 3001"] }))[0]?.["paid"], true);
  const del = await invoices.delete(3001);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(mock.api.invoices.some((x) => x.value["id"] === 3001), false);
});
