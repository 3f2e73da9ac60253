// The built component on the wasmtime-36 runner against the loopback mock GitHub API: the seed's
// table read in full (every page up to the 300-event cap), WHERE/LIMIT/OFFSET as Postgres applies
// them, every error case a `guest fdw error:` (never a trap), read-only modify, and the import check
// of the component. Feeds, pushdown, auth, paging, rate limits, stats and IMPORT FOREIGN SCHEMA:
// integration-github-feeds.test.ts.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startMockGitHub, type MockGitHub } from "../mock/github/server.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { verifyComponent } from "../tools/build/verify.js";
import { repoRoot } from "../tools/paths.js";
import { type Run, assertGuestError, columnArgs, rows, runner } from "../testing/runner.js";
import { SEED_COLUMNS, expectedRow } from "./support/runner-harness.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-it-"));
let wasm = "";
let mock: MockGitHub;

function scan(table: readonly string[], extra: readonly string[] = [], cols: readonly string[] = SEED_COLUMNS): Promise<Run> {
  return runner(["scan", wasm, "--server", `api_url=${mock.url}`, ...table.flatMap((t) => ["--table", t]), ...columnArgs(cols), "--format", "json", ...extra]);
}

before(async () => {
  wasm = (await build(parseBuildArgs([join(repoRoot, "fdw", "github-events"), "--out", tmp, "--no-typecheck"]))).output.wasmPath;
  mock = await startMockGitHub({ rateLimit: 100_000 });
});

after(async () => {
  await mock?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("github events FDW on wasmtime 36, against the mock GitHub API", () => {
  test("the component imports only supabase:wrappers/*@0.2.0, exports routines@0.2.0, no async built-ins", () => {
    const v = verifyComponent(readFileSync(wasm));
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.ok(v.imports.length > 0);
    for (const name of v.imports) assert.match(name, /^supabase:wrappers\/(http|stats|time|types|utils)@0\.2\.0$/);
    assert.ok(v.exports.includes("supabase:wrappers/routines@0.2.0"));
  });

  for (const object of ["events", "repos/octo-org/octo-repo/events", "users/octocat/events/public"]) {
    test(`object '${object}': every event of the feed, up to the 300-event cap, 100 per page`, async () => {
      mock.resetLog();
      const got = rows(await scan([`object=${object}`, "rowid_column=id"]));
      const expected = mock.feed(`/${object}`).slice(0, 300).map(expectedRow);
      assert.ok(expected.length > 0, "the mock feed should not be empty");
      assert.deepEqual(got, expected);
      const pages = Math.max(1, Math.ceil(expected.length / 100));
      assert.deepEqual(
        mock.requests.map((r) => [r.path, r.query["per_page"], r.query["page"] ?? "1", r.status]),
        Array.from({ length: pages }, (_, i) => [`/${object}`, "100", String(i + 1), 200]),
      );
      assert.match(mock.requests[0]?.userAgent ?? "", /^tsfdw-github-events\//);
    });
  }

  test("WHERE is rechecked on the rows and LIMIT/OFFSET applied after it", async () => {
    const feed = mock.feed("/events").slice(0, 300);
    const type = String(feed[0]?.type);
    const matching = feed.filter((e) => e.type === type).map(expectedRow);
    assert.deepEqual(rows(await scan(["object=events"], ["--where", `type = '${type}'`])), matching);
    assert.deepEqual(rows(await scan(["object=events"], ["--limit", "3", "--offset", "2"])), feed.slice(2, 5).map(expectedRow));
    const nonMatching = feed.filter((e) => e.type !== type).map(expectedRow);
    assert.deepEqual(rows(await scan(["object=events"], ["--where", `type <> '${type}'`])), nonMatching);
  });

  test("re-scan replays the rows from the first one without reading any page twice", async () => {
    mock.resetLog();
    const feed = mock.feed("/events").slice(0, 300).map(expectedRow);
    assert.deepEqual(rows(await scan(["object=events"], ["--rescan"])), [...feed, ...feed]);
    assert.equal(mock.requests.length, 3);
  });

  test("plain EXPLAIN (end-scan without begin-scan) succeeds without a request", async () => {
    mock.resetLog();
    const r = await scan(["object=events"], ["--explain"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(mock.requests.length, 0);
  });

  test("columns by name: org (absent key → NULL), id as bigint, created_at as timestamptz", async () => {
    const page = mock.feed("/events").slice(0, 300);
    const got = rows(await scan(["object=events"], [], ["id:int8", "org:jsonb", "no_such_key:text", "created_at:timestamptz"]));
    assert.deepEqual(
      got,
      page.map((e) => ({ id: Number(e.id), org: e.org ?? null, no_such_key: null, created_at: e.created_at })),
    );
    assert.ok(got.some((r) => r["org"] === null) && got.some((r) => r["org"] !== null), "the page mixes org and non-org events");
  });

  test("an event without some fields gives NULLs, not an error", async () => {
    mock.fault({ path: "/events", status: 200, body: JSON.stringify([{ id: "1", type: "WatchEvent" }]), headers: { "content-type": "application/json" }, times: 1 });
    assert.deepEqual(rows(await scan(["object=events"])), [{ id: "1", type: "WatchEvent", actor: null, repo: null, payload: null, public: null, created_at: null }]);
  });

  test("HTTP and body errors are guest errors with the status and GitHub's message", async () => {
    const json = { "content-type": "application/json; charset=utf-8" };
    const cases: [Parameters<MockGitHub["fault"]>[0], RegExp][] = [
      [{ path: "/events", status: 200, body: '[{"id": "1",', headers: json }, /truncated JSON at position 12 of 12 bytes from GitHub API GET http:\/\/127\.0\.0\.1:\d+\/events\?per_page=100/],
      [{ path: "/events", status: 200, body: '{"message":"hello"}', headers: json }, /JSON array of events was expected/],
      [{ path: "/events", status: 404, body: '{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}', headers: json }, /404 Not Found: Not Found/],
      [{ path: "/events", status: 403, body: '{"message":"Resource not accessible by integration"}', headers: json }, /403 Forbidden: Resource not accessible by integration/],
      [{ path: "/events", status: 500, body: '{"message":"Server Error"}', headers: json }, /500 Internal Server Error: Server Error/],
    ];
    for (const [fault, pattern] of cases) {
      mock.clearFaults();
      mock.fault(fault);
      assertGuestError(await scan(["object=events"]), pattern);
    }
    mock.clearFaults();
  });

  test("a 500 is retried by the host (3 retries), then reported", async () => {
    mock.resetLog();
    mock.fault({ path: "/events", status: 500, body: '{"message":"Server Error"}' });
    assertGuestError(await scan(["object=events"]), /500/);
    mock.clearFaults();
    assert.equal(mock.requests.filter((r) => r.path === "/events").length, 4);
  });

  test("rate limit exhausted: a guest error with the limit, the reset time and a hint", async () => {
    mock.exhaustRateLimit();
    assertGuestError(await scan(["object=events"]), /403 Forbidden: rate limit exceeded \(limit 100000 requests, resets at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\); no token was used: set the server option api_key/);
    mock.resetRateLimit();
  });

  test("an unknown feed is a 404 guest error; a missing object option says how to set it", async () => {
    assertGuestError(await scan(["object=users/nobody-here/events"]), /404 Not Found: user 'nobody-here' does not exist or is not visible without a token/);
    assertGuestError(await scan([]), /object/);
  });

  test("INSERT, UPDATE and DELETE are refused: the table is read-only", async () => {
    const common = ["--server", `api_url=${mock.url}`, "--table", "object=events", "--table", "rowid_column=id", ...columnArgs(SEED_COLUMNS)];
    const runs = await Promise.all([
      runner(["insert", wasm, ...common, "--values", '{"id":"1","type":"WatchEvent"}']),
      runner(["update", wasm, ...common, "--rowid", "1", "--values", '{"type":"WatchEvent"}']),
      runner(["delete", wasm, ...common, "--rowid", "1"]),
    ]);
    for (const r of runs) assertGuestError(r, /read-only/);
  });
});
