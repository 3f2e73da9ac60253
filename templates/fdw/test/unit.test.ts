// Unit level: the FDW's TypeScript in Node on the fake host (tsfdw/testing), answered in-process by
// the mock API. Fast (no build, no runner, no Postgres) and black-box: only what the host sees —
// the rows a scan pushes, the requests sent, the errors raised.
import assert from "node:assert/strict";
import { after, beforeEach, describe, test } from "node:test";
import { fakeHttp, hostHandler, loadFdw, resetFakeHost } from "tsfdw/testing";
import { API_KEY, type Customer, type MockApi, createApi, seedCustomers } from "../mock/api.js";

const fdw = await loadFdw(".");
after(() => fdw.dispose());
const server = { api_url: "http://api.test/v1", api_key: API_KEY };
const customers = fdw.table("customers", { server });

let api: MockApi;
function useApi(a: MockApi): void {
  api = a;
  // The mock serves /customers…; the FDW prefixes api_url's path (/v1).
  fakeHttp.handler = hostHandler((req) => a.handle({ ...req, path: req.path.replace(/^\/v1/, "") }));
}
beforeEach(() => {
  resetFakeHost();
  useApi(createApi());
});

describe("scan", () => {
  test("every row, with typed columns", async () => {
    const rows = await customers.scan();
    assert.equal(rows.length, 25);
    assert.deepEqual(rows[1], { id: 2, name: "Bo", email: "bo@example.com", plan: "pro", balance: 37.25, active: true, created_at: "2024-01-02T09:30:00Z", tags: [] });
    assert.equal(rows[4]?.["email"], null, "a JSON null is SQL NULL");
    const [first] = await customers.scanCells({ limit: 1 });
    assert.deepEqual(first?.map((c) => c?.tag), ["i64", "string", "string", "string", "numeric", "bool", "timestamptz", "json"]);
  });

  test("pages follow next_page until the end", async () => {
    const seed = seedCustomers();
    const many: Customer[] = [];
    for (let i = 0; i < 225; i++) many.push({ ...(seed[i % 25] as Customer), id: i + 1 });
    useApi(createApi({ customers: many }));
    assert.equal((await customers.scan()).length, 225);
    assert.deepEqual(api.log, ["GET /customers?page=1&per_page=100", "GET /customers?page=2&per_page=100", "GET /customers?page=3&per_page=100"]);
  });

  test("LIMIT sizes the page, and paging stops when Postgres has its rows", async () => {
    const rows = await customers.scan({ limit: 3 });
    assert.deepEqual(rows.map((r) => r["id"]), [1, 2, 3]);
    assert.deepEqual(api.log, ["GET /customers?page=1&per_page=3"]);
  });

  test("WHERE id = N is one GET of that customer, whatever integer width Postgres passes", async () => {
    for (const id of [2, { tag: "i64" as const, val: 2 }, { tag: "i16" as const, val: 2 }]) {
      api.log.length = 0;
      assert.deepEqual(await customers.scan({ where: [["id", "=", id]], columns: ["id", "name"] }), [{ id: 2, name: "Bo" }]);
      assert.deepEqual(api.log, ["GET /customers/2"]);
    }
    assert.deepEqual(await customers.scan({ where: [["id", "=", 999]] }), [], "a 404 is no rows");
  });

  test("a re-scan reads the rows again", async () => {
    assert.equal((await customers.scan({ rescan: true })).length, 50);
  });
});

describe("modify", () => {
  test("INSERT posts the row as JSON", async () => {
    await customers.insert([{ id: 100, name: "Zed", email: "zed@example.com", plan: "team", balance: 12.5, active: false, created_at: "2024-05-01T08:00:00Z", tags: ["vip"] }]);
    assert.deepEqual(api.customers.find((c) => c.id === 100), { id: 100, name: "Zed", email: "zed@example.com", plan: "team", balance: 12.5, active: false, created_at: "2024-05-01T08:00:00+00:00", tags: ["vip"] });
    assert.deepEqual(fakeHttp.requests.at(-1)?.method, { tag: "post" });
  });

  test("UPDATE patches the assigned columns of the row with that id", async () => {
    await customers.update(3, { plan: "pro", balance: 1 });
    assert.deepEqual(api.log, ["PATCH /customers/3"]);
    assert.deepEqual(JSON.parse(fakeHttp.requests[0]?.body ?? ""), { plan: "pro", balance: 1 });
    assert.equal(api.customers.find((c) => c.id === 3)?.plan, "pro");
  });

  test("DELETE removes the row with that id", async () => {
    await customers.delete(4);
    assert.deepEqual(api.log, ["DELETE /customers/4"]);
    assert.equal(api.customers.some((c) => c.id === 4), false);
  });

  test("the API's refusal is the error, with its message", async () => {
    await assert.rejects(customers.insert([{ id: 1, name: "Dup" }]), /API POST http:\/\/api\.test\/v1\/customers failed: 409 Conflict: customer 1 already exists/);
    await assert.rejects(customers.delete(999), /404 Not Found: customer 999 not found/);
  });
});

describe("options and errors", () => {
  test("a wrong API key is a 401 whose message never shows the key", async () => {
    const bad = fdw.table("customers", { server: { ...server, api_key: "s3cret-wrong" } });
    await assert.rejects(bad.scan(), (e: Error) => {
      assert.match(e.message, /401 Unauthorized: invalid or missing API key/);
      assert.doesNotMatch(e.message, /s3cret/);
      return true;
    });
  });

  test("a missing api_url or object says where to set it", async () => {
    await assert.rejects(fdw.table("customers", { server: { api_url: "" } }).scan(), /missing server option 'api_url'/);
    await assert.rejects(fdw.table({ columns: [["id", "bigint"]], server }).scan(), /missing table option 'object'/);
  });
});
