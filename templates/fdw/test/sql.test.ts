// SQL level: the component in a throwaway local Postgres 15 with the Wasm FDW host (the tsfdw
// extension; the first run installs it), created from fdw.json's SQL, driven by SQL statements.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type LocalPostgres, buildFdw, fdwProject, startLocalPostgres } from "tsfdw/testing";
import { API_KEY } from "../mock/api.js";
import { startMock } from "../mock/server.js";

const { server } = fdwProject(".").sql;
const wasm = await buildFdw(".");
const mock = await startMock();
let pg: LocalPostgres;
before(async () => {
  pg = await startLocalPostgres();
  await pg.installFdw(".", { wasm, serverOptions: { api_url: mock.url, api_key: API_KEY } });
});
after(async () => {
  await pg?.stop();
  await mock.close();
});

test("SELECT with WHERE id = N, typed columns", async () => {
  assert.deepEqual(await pg.rows("select id, name, balance, active, created_at, tags from crm.customers where id = 2"), [
    { id: 2, name: "Bo", balance: 37.25, active: true, created_at: "2024-01-02T09:30:00+00:00", tags: [] },
  ]);
  assert.deepEqual(await pg.rows("select count(*)::int as n from crm.customers"), [{ n: 25 }]);
});

test("INSERT, UPDATE and DELETE through SQL reach the API", async () => {
  await pg.exec("insert into crm.customers (id, name, email, plan) values (300, 'Sql', 'sql@example.com', 'pro')");
  assert.equal(mock.api.customers.find((c) => c.id === 300)?.email, "sql@example.com");
  await pg.exec("update crm.customers set plan = 'team', balance = 9.5 where id = 300");
  assert.deepEqual(await pg.rows("select plan, balance from crm.customers where id = 300"), [{ plan: "team", balance: 9.5 }]);
  await pg.exec("delete from crm.customers where id = 300");
  assert.equal(mock.api.customers.some((c) => c.id === 300), false);
});

test("an API error fails the statement with the guest's message", async () => {
  const r = await pg.psql(`alter server ${server} options (set api_key 'wrong');\nselect * from crm.customers;`);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /401 Unauthorized: invalid or missing API key/);
  await pg.exec(`alter server ${server} options (set api_key '${API_KEY}')`);
});
