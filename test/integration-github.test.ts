// The built component on the wasmtime-36 runner against the loopback mock GitHub API: exactly the
// first page the mock serves, WHERE/LIMIT/OFFSET as Postgres applies them, every error case a
// `guest fdw error:` (never a trap), read-only modify, and the import check of the component.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { GitHubEvent } from "../mock/github/events.js";
import { startMockGitHub, type MockGitHub } from "../mock/github/server.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { verifyComponent } from "../tools/build/verify.js";
import { repoRoot, runnerBin } from "../tools/paths.js";

const SEED_COLUMNS = ["id:text", "type:text", "actor:jsonb", "repo:jsonb", "payload:jsonb", "public:bool", "created_at:timestamp"];
const tmp = mkdtempSync(join(tmpdir(), "tsfdw-it-"));
let wasm = "";
let mock: MockGitHub;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns the runner without blocking the event loop: the mock answers from this process. */
function runner(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(runnerBin, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TSFDW_HTTP_RETRY_BASE_MS: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const columnArgs = (cols: readonly string[]): string[] => cols.flatMap((c) => ["--column", c]);

function scan(table: readonly string[], extra: readonly string[] = [], cols: readonly string[] = SEED_COLUMNS): Promise<Run> {
  return runner(["scan", wasm, "--server", `api_url=${mock.url}`, ...table.flatMap((t) => ["--table", t]), ...columnArgs(cols), "--format", "json", ...extra]);
}

function rows(r: Run): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What the seed columns of an event look like in --format json (timestamp without zone). */
function expectedRow(e: GitHubEvent): Record<string, unknown> {
  return { id: e.id, type: e.type, actor: e.actor, repo: e.repo, payload: e.payload, public: e.public, created_at: e.created_at.replace(/Z$/, "") };
}

function assertGuestError(r: Run, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected a failure, got rows: ${r.stdout.slice(0, 200)}`);
  assert.match(r.stderr, /guest fdw error: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /wasmtime error|unreachable|panicked/);
  assert.equal(r.stdout, "");
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
  test("the component imports only supabase:wrappers/*@0.1.0, exports routines, no async built-ins", () => {
    const v = verifyComponent(readFileSync(wasm));
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.ok(v.imports.length > 0);
    for (const name of v.imports) assert.match(name, /^supabase:wrappers\/(http|jwt|stats|time|types|utils)@0\.1\.0$/);
    assert.ok(v.exports.includes("supabase:wrappers/routines@0.1.0"));
  });

  for (const object of ["events", "repos/octo-org/octo-repo/events", "users/octocat/events/public"]) {
    test(`object '${object}': exactly the events of the first page`, async () => {
      mock.resetLog();
      const got = rows(await scan([`object=${object}`, "rowid_column=id"]));
      const perPage = object === "events" ? 15 : 30;
      const expected = mock.feed(`/${object}`).slice(0, perPage).map(expectedRow);
      assert.ok(expected.length > 0, "the mock feed should not be empty");
      assert.deepEqual(got, expected);
      assert.equal(mock.requests.length, 1, "one request per scan (first page only)");
      const req = mock.requests[0];
      assert.equal(req?.path, `/${object}`);
      assert.equal(req?.status, 200);
      assert.match(req?.userAgent ?? "", /^tsfdw-github-events\//);
    });
  }

  test("WHERE is rechecked on the rows and LIMIT/OFFSET applied after it", async () => {
    const page = mock.feed("/events").slice(0, 15);
    const type = String(page[0]?.type);
    const matching = page.filter((e) => e.type === type).map(expectedRow);
    assert.deepEqual(rows(await scan(["object=events"], ["--where", `type = '${type}'`])), matching);
    assert.deepEqual(rows(await scan(["object=events"], ["--limit", "3", "--offset", "2"])), page.slice(2, 5).map(expectedRow));
    const nonMatching = page.filter((e) => e.type !== type).map(expectedRow);
    assert.deepEqual(rows(await scan(["object=events"], ["--where", `type <> '${type}'`])), nonMatching);
  });

  test("re-scan replays the rows from the first one without a second request", async () => {
    mock.resetLog();
    const page = mock.feed("/events").slice(0, 15).map(expectedRow);
    assert.deepEqual(rows(await scan(["object=events"], ["--rescan"])), [...page, ...page]);
    assert.equal(mock.requests.length, 1);
  });

  test("plain EXPLAIN (end-scan without begin-scan) succeeds without a request", async () => {
    mock.resetLog();
    const r = await scan(["object=events"], ["--explain"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(mock.requests.length, 0);
  });

  test("columns by name: org (absent key → NULL), id as bigint, created_at as timestamptz", async () => {
    const page = mock.feed("/events").slice(0, 15);
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
      [{ path: "/events", status: 200, body: '[{"id": "1",', headers: json }, /not JSON/i],
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

  test("rate limit exhausted: a guest error with GitHub's message", async () => {
    mock.exhaustRateLimit();
    assertGuestError(await scan(["object=events"]), /403 Forbidden: API rate limit exceeded/);
    mock.resetRateLimit();
  });

  test("an unknown feed is a 404 guest error; a missing object option says how to set it", async () => {
    assertGuestError(await scan(["object=users/nobody-here/events"]), /404 Not Found/);
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
