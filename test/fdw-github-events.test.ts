// The GitHub events FDW source, run unchanged in Node against fake host modules
// (testing/hooks.ts maps supabase:wrappers/* to testing/fake-wrappers/*): the seed's
// behaviour (columns, errors, re-scan, read-only). Feeds, pushdown, paging, auth, rate limits,
// stats and IMPORT FOREIGN SCHEMA: fdw-github-events-feeds.test.ts.
import "../testing/register.js";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, test } from "node:test";
import { repoRoot } from "../tools/paths.js";
import { FakeContext, type FakeContextInit, FakeRow, type TypeName, fakeHttp, jsonResponse, resetFakeHost } from "../testing/fake-host.js";

type Routines = SupabaseWrappers.V2.Routines;
type Ctx = SupabaseWrappers.V2.Context;
type Row = SupabaseWrappers.V2.Row;

const fdwJson = JSON.parse(readFileSync(join(repoRoot, "fdw", "github-events", "fdw.json"), "utf8")) as { name: string; version: string };
// What `tsfdw build` injects with esbuild define.
Object.assign(globalThis, { TSFDW_PACKAGE_NAME: fdwJson.name, TSFDW_PACKAGE_VERSION: fdwJson.version });

const SEED_COLUMNS: [string, TypeName][] = [
  ["id", "string"], ["type", "string"], ["actor", "json"], ["repo", "json"], ["payload", "json"], ["public", "bool"], ["created_at", "timestamp"],
];

const EVENTS = [
  {
    id: "22249084964",
    type: "PushEvent",
    actor: { id: 583231, login: "octocat" },
    repo: { id: 1296269, name: "octocat/Hello-World" },
    payload: { push_id: 10115855396, ref: "refs/heads/master" },
    public: true,
    created_at: "2022-06-09T12:47:28Z",
  },
  { id: "22237752260", type: "WatchEvent", actor: { login: "x" }, repo: { name: "o/r" }, public: false, created_at: "2022-06-08T23:29:25Z", org: { login: "octo-org" } },
];

let instance = 0;
/** A fresh FDW instance (module state), as the host creates one per scan. */
async function loadFdw(): Promise<Routines> {
  const url = new URL(`../fdw/github-events/src/index.js?instance=${++instance}`, import.meta.url);
  return ((await import(url.href)) as { routines: Routines }).routines;
}

function context(init: FakeContextInit): Ctx {
  return new FakeContext(init) as unknown as Ctx;
}

/** init → begin-scan → iter-scan until null → end-scan; returns the rows' cells. */
function scanAll(fdw: Routines, init: FakeContextInit): unknown[][] {
  const ctx = context(init);
  fdw.init(context({ server: init.server ?? {} }));
  fdw.beginScan(ctx);
  const rows = drain(fdw, ctx, init.columns ?? []);
  fdw.endScan(ctx);
  return rows;
}

function drain(fdw: Routines, ctx: Ctx, columns: [string, TypeName][]): unknown[][] {
  const rows: unknown[][] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const row = new FakeRow(columns);
    const r = fdw.iterScan(ctx, row as unknown as Row);
    if (r === null || r === undefined) return rows;
    assert.equal(row.cells().length, columns.length, "one cell per column");
    rows.push(row.cells());
  }
  throw new Error("iter-scan never returned null");
}

beforeEach(() => resetFakeHost());

test("host version requirement is ^0.1.0 (v2 routines, import-foreign-schema included)", async () => {
  const fdw = await loadFdw();
  assert.equal(fdw.hostVersionRequirement(), "^0.1.0");
  assert.equal(typeof fdw.importForeignSchema, "function");
});

test("seed columns: GET {api_url}/{object}?per_page=100 with GitHub headers, one row per event", async () => {
  fakeHttp.handler = jsonResponse(EVENTS);
  const rows = scanAll(await loadFdw(), { server: { api_url: "http://127.0.0.1:9/" }, table: { object: "events", rowid_column: "id" }, columns: SEED_COLUMNS });
  assert.equal(fakeHttp.requests.length, 1);
  const req = fakeHttp.requests[0];
  assert.equal(req?.url, "http://127.0.0.1:9/events?per_page=100");
  assert.deepEqual(req?.method, { tag: "get" });
  assert.deepEqual(Object.fromEntries(req?.headers ?? []), {
    "user-agent": `tsfdw-github-events/${fdwJson.version}`,
    accept: "application/vnd.github+json",
    "x-github-api-version": "2022-11-28",
  });
  assert.deepEqual(rows[0], [
    { tag: "string", val: "22249084964" },
    { tag: "string", val: "PushEvent" },
    { tag: "json", val: '{"id":583231,"login":"octocat"}' },
    { tag: "json", val: '{"id":1296269,"name":"octocat/Hello-World"}' },
    { tag: "json", val: '{"push_id":10115855396,"ref":"refs/heads/master"}' },
    { tag: "bool", val: true },
    { tag: "timestamp", val: Date.UTC(2022, 5, 9, 12, 47, 28) * 1000 },
  ]);
  assert.equal(rows.length, 2);
});

test("default api_url is https://api.github.com; object slashes are trimmed", async () => {
  scanAll(await loadFdw(), { table: { object: "/repos/octocat/Hello-World/events/" }, columns: [] });
  assert.equal(fakeHttp.requests[0]?.url, "https://api.github.com/repos/octocat/Hello-World/events?per_page=100");
});

test("absent fields are NULL; org and any other top-level key map by name and type", async () => {
  fakeHttp.handler = jsonResponse(EVENTS);
  const columns: [string, TypeName][] = [["org", "json"], ["payload", "json"], ["created_at", "timestamptz"], ["id", "i64"], ["nope", "string"], ["public", "bool"]];
  const rows = scanAll(await loadFdw(), { table: { object: "events" }, columns });
  assert.deepEqual(rows[0], [null, { tag: "json", val: '{"push_id":10115855396,"ref":"refs/heads/master"}' }, { tag: "timestamptz", val: Date.UTC(2022, 5, 9, 12, 47, 28) * 1000 }, { tag: "i64", val: 22249084964 }, null, { tag: "bool", val: true }]);
  assert.deepEqual(rows[1], [{ tag: "json", val: '{"login":"octo-org"}' }, null, { tag: "timestamptz", val: Date.UTC(2022, 5, 8, 23, 29, 25) * 1000 }, { tag: "i64", val: 22237752260 }, null, { tag: "bool", val: false }]);
});

test("count(*): no columns, one empty row per event", async () => {
  fakeHttp.handler = jsonResponse(EVENTS);
  assert.deepEqual(scanAll(await loadFdw(), { table: { object: "events" }, columns: [] }), [[], []]);
});

test("missing object option: a clear error saying it is a table option, with an example", async () => {
  const fdw = await loadFdw();
  fdw.init(context({}));
  assert.throws(() => fdw.beginScan(context({ table: {}, columns: SEED_COLUMNS })), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /^missing table option 'object'/);
    assert.match(e.message, /CREATE FOREIGN TABLE/);
    assert.match(e.message, /options \(object 'events'\)/);
    return true;
  });
  assert.equal(fakeHttp.requests.length, 0);
});

test("init is cheap: server options only, no HTTP", async () => {
  const fdw = await loadFdw();
  fdw.init(context({ server: { api_url: "http://x" } }));
  assert.equal(fakeHttp.requests.length, 0);
});

test("non-2xx: status and GitHub's message", async () => {
  fakeHttp.handler = jsonResponse({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }, 404);
  const fdw = await loadFdw();
  fdw.init(context({ server: { api_url: "http://127.0.0.1:9" } }));
  assert.throws(() => fdw.beginScan(context({ table: { object: "events" }, columns: SEED_COLUMNS })), {
    message: "GitHub API GET http://127.0.0.1:9/events?per_page=100 failed: 404 Not Found: Not Found",
  });
  fakeHttp.handler = jsonResponse({ message: "API rate limit exceeded for 1.2.3.4." }, 403);
  assert.throws(() => fdw.beginScan(context({ table: { object: "events" }, columns: SEED_COLUMNS })), /403 Forbidden: API rate limit exceeded/);
});

test("malformed JSON: a clear error", async () => {
  fakeHttp.handler = jsonResponse('[{"id": "1",', 200);
  const fdw = await loadFdw();
  fdw.init(context({}));
  assert.throws(() => fdw.beginScan(context({ table: { object: "events" }, columns: SEED_COLUMNS })), {
    // Issue 8: position and size of the body, not the engine's "premature end of input".
    message: "truncated JSON at position 12 of 12 bytes from GitHub API GET https://api.github.com/events?per_page=100; status 200 OK, content-type application/json",
  });
});

test("JSON but not an array: says what it got", async () => {
  fakeHttp.handler = jsonResponse({ message: "hello", documentation_url: "x" });
  const fdw = await loadFdw();
  fdw.init(context({}));
  assert.throws(() => fdw.beginScan(context({ table: { object: "orgs/x/events" }, columns: SEED_COLUMNS })), {
    message: "GitHub API GET https://api.github.com/orgs/x/events?per_page=100 returned an object with keys message, documentation_url where a JSON array of events was expected",
  });
  fakeHttp.handler = jsonResponse([{ id: "1" }, 5]);
  assert.throws(() => fdw.beginScan(context({ table: { object: "events" }, columns: SEED_COLUMNS })), /element 1 of the response is a number, not an event object/);
});

test("a value that doesn't fit its column: error names event, column, type and value", async () => {
  fakeHttp.handler = jsonResponse([{ id: "7", created_at: "yesterday" }]);
  const fdw = await loadFdw();
  fdw.init(context({}));
  const ctx = context({ table: { object: "events" }, columns: SEED_COLUMNS });
  fdw.beginScan(ctx);
  assert.throws(() => fdw.iterScan(ctx, new FakeRow(SEED_COLUMNS) as unknown as Row), {
    // the host's time.parse-from-rfc3339 (faked here) gives the reason
    message: 'event 7: cannot convert string "yesterday" for column "created_at" of type timestamp: input contains invalid characters',
  });
});

test("re-scan restarts from the first row without refetching", async () => {
  fakeHttp.handler = jsonResponse(EVENTS);
  const fdw = await loadFdw();
  const cols: [string, TypeName][] = [["id", "string"]];
  const ctx = context({ table: { object: "events" }, columns: cols });
  fdw.init(context({}));
  fdw.beginScan(ctx);
  const first = drain(fdw, ctx, cols);
  fdw.reScan(ctx);
  const again = drain(fdw, ctx, cols);
  assert.deepEqual(again, first);
  assert.equal(first.length, 2);
  // a partial read (LIMIT) followed by a re-scan also starts over
  fdw.reScan(ctx);
  const row = new FakeRow(cols);
  assert.equal(fdw.iterScan(ctx, row as unknown as Row), 0);
  fdw.reScan(ctx);
  assert.deepEqual(drain(fdw, ctx, cols), first);
  assert.equal(fakeHttp.requests.length, 1);
  fdw.endScan(ctx);
});

test("EXPLAIN: end-scan without begin-scan succeeds", async () => {
  const fdw = await loadFdw();
  fdw.init(context({}));
  assert.equal(fdw.endScan(context({ table: { object: "events" } })), undefined);
  assert.equal(fakeHttp.requests.length, 0);
});

test("end-scan frees the buffer; a new begin-scan fetches again", async () => {
  fakeHttp.handler = jsonResponse(EVENTS);
  const fdw = await loadFdw();
  const ctx = context({ table: { object: "events" }, columns: [] });
  fdw.init(context({}));
  fdw.beginScan(ctx);
  fdw.endScan(ctx);
  assert.equal(fdw.iterScan(ctx, new FakeRow([]) as unknown as Row), null);
  fdw.beginScan(ctx);
  assert.equal(drain(fdw, ctx, []).length, 2);
  assert.equal(fakeHttp.requests.length, 2);
});

test("read-only: INSERT/UPDATE/DELETE fail clearly", async () => {
  const fdw = await loadFdw();
  const ctx = context({ table: { object: "events", rowid_column: "id" } });
  fdw.init(context({}));
  const msg = "github_events_fdw: foreign table (object 'events') is read-only: INSERT, UPDATE and DELETE are not supported";
  assert.throws(() => fdw.beginModify(ctx), { message: msg });
  assert.throws(() => fdw.insert(ctx, new FakeRow() as unknown as Row), { message: msg });
  assert.throws(() => fdw.update(ctx, { tag: "string", val: "1" }, new FakeRow() as unknown as Row), { message: msg });
  assert.throws(() => fdw.delete(ctx, { tag: "string", val: "1" }), { message: msg });
});

test("transport failure from the host becomes a clear error", async () => {
  fakeHttp.handler = () => {
    throw new Error("error sending request for url (http://127.0.0.1:9/events): connection refused");
  };
  const fdw = await loadFdw();
  fdw.init(context({ server: { api_url: "http://127.0.0.1:9" } }));
  assert.throws(() => fdw.beginScan(context({ table: { object: "events" }, columns: [] })), /^Error: GitHub API GET http:\/\/127\.0\.0\.1:9\/events\?per_page=100 failed: error sending request/);
});
