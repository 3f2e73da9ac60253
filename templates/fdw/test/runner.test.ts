// Runner level: the built component on wasmtime 36 (the engine Supabase runs) through the runner,
// against the mock API on loopback HTTP: what the unit tests check, now on the real host interfaces.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { buildFdw, componentRunner, fdwProject } from "tsfdw/testing";
import { API_KEY } from "../mock/api.js";
import { startMock } from "../mock/server.js";

const project = fdwProject(".");
const wasm = await buildFdw(".");
const mock = await startMock();
after(() => mock.close());

const fdw = componentRunner(wasm, { server: { api_url: mock.url, api_key: API_KEY } });
const customers = fdw.table(project.sql.tables.find((t) => t.name === "customers")!);

test("scan with WHERE id = N and LIMIT", async () => {
  assert.deepEqual(await customers.scan({ where: ["id = 2"] }), [
    { id: 2, name: "Bo", email: "bo@example.com", plan: "pro", balance: 37.25, active: true, created_at: "2024-01-02T09:30:00Z", tags: [] },
  ]);
  assert.equal((await customers.scan({ limit: 5 })).length, 5);
  assert.equal((await customers.scan({ where: ["plan = 'team'"] })).length, 8, "other conditions are rechecked on the rows, as Postgres does");
});

test("insert, update and delete", async () => {
  await customers.insert([{ id: 200, name: "Runner", email: null, plan: "free", balance: 0, active: true, created_at: "2024-05-01T00:00:00Z", tags: [] }]);
  await customers.update(200, { plan: "team" });
  assert.equal((await customers.scan({ where: ["id = 200"] }))[0]?.["plan"], "team");
  await customers.delete(200);
  assert.deepEqual(await customers.scan({ where: ["id = 200"] }), []);
});

test("an API error is a clean guest error", async () => {
  const wrong = componentRunner(wasm, { server: { api_url: mock.url, api_key: "wrong" } }).table(project.sql.tables[0]!);
  await assert.rejects(wrong.scan(), /guest fdw error: API GET http:\/\/127\.0\.0\.1:\d+\/customers\?page=1&per_page=100 failed: 401 Unauthorized/);
});
