// The built component on the runner (wasmtime 36, what Supabase pins; `npm test` also runs this file
// with TSFDW_ENGINE=strict) against a loopback HTTP server:
// seed columns come out right, errors surface as `guest fdw error: …`, never as traps.
// Skipped when the runner has not been built (`npm test` builds it first).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot, runnerBin } from "../tools/paths.js";
import { type Run, columnArgs, runner } from "../testing/runner.js";

const SEED = ["id:text", "type:text", "actor:jsonb", "repo:jsonb", "payload:jsonb", "public:boolean", "created_at:timestamp"];
const EVENTS = [
  { id: "22249084964", type: "PushEvent", actor: { id: 583231, login: "octocat" }, repo: { id: 1296269, name: "octocat/Hello-World" }, payload: { push_id: 10115855396, ref: "refs/heads/master" }, public: true, created_at: "2022-06-09T12:47:28Z" },
  { id: "22237752260", type: "WatchEvent", actor: { login: "x" }, repo: { name: "o/r" }, payload: { action: "started" }, public: false, created_at: "2022-06-08T23:29:25.123456Z", org: { login: "octo-org" } },
];

const available = existsSync(runnerBin);
const tmp = mkdtempSync(join(tmpdir(), "tsfdw-runner-test-"));
let wasm = "";
let server: Server;
let base = "";
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

before(async () => {
  if (!available) return;
  wasm = (await build(parseBuildArgs([join(repoRoot, "fdw", "github-events"), "--out", tmp, "--no-typecheck"]))).output.wasmPath;
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    const send = (status: number, body: string, type = "application/json"): void => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path === "/events") send(200, JSON.stringify(EVENTS));
    else if (path === "/orgs/object/events") send(200, JSON.stringify({ message: "hi", documentation_url: "x" }));
    else if (path === "/orgs/html/events") send(200, "<html>hi</html>", "text/html");
    else send(404, JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs `tsfdw-runner scan` against the local server. */
const scan = (args: string[]): Promise<Run> => runner(["scan", wasm, "--server", `api_url=${base}`, ...args]);

describe("on the wasmtime-36 runner", { skip: available ? false : `runner not built (${runnerBin})` }, () => {
  test("seed columns as JSON, with the GitHub request headers", async () => {
    const r = await scan(["--table", "object=events", "--table", "rowid_column=id", ...columnArgs(SEED), "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(rows[0], {
      id: "22249084964",
      type: "PushEvent",
      actor: { id: 583231, login: "octocat" },
      repo: { id: 1296269, name: "octocat/Hello-World" },
      payload: { push_id: 10115855396, ref: "refs/heads/master" },
      public: true,
      created_at: "2022-06-09T12:47:28",
    });
    assert.equal(rows[1]?.["created_at"], "2022-06-08T23:29:25.123456");
    assert.equal(rows.length, 2);
    const req = seen.find((s) => s.url === "/events?per_page=100");
    assert.match(String(req?.headers["user-agent"]), /^tsfdw-github-events\/\d+\.\d+\.\d+/);
    assert.equal(req?.headers["accept"], "application/vnd.github+json");
    assert.equal(req?.headers["x-github-api-version"], "2022-11-28");
  });

  test("org and other columns by name; absent → NULL; LIMIT", async () => {
    const r = await scan(["--table", "object=events", ...columnArgs(["id:bigint", "org:jsonb", "nope:text", "created_at:timestamptz"]), "--limit", "1", "--format", "json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim()), { id: 22249084964, org: null, nope: null, created_at: "2022-06-09T12:47:28Z" });
  });

  test("errors are `guest fdw error: …` (no trap)", async () => {
    const cases: [string[], RegExp][] = [
      [["--table", "object=orgs/nope/events"], /guest fdw error: GitHub API GET http:\/\/127\.0\.0\.1:\d+\/orgs\/nope\/events\?per_page=100 failed: 404 Not Found: organization 'nope' does not exist or is not visible without a token/],
      [["--table", "object=nope"], /guest fdw error: invalid table option object 'nope': expected one of events, /],
      [["--table", "object=orgs/object/events"], /guest fdw error: GitHub API GET .*\/orgs\/object\/events\?per_page=100 returned an object with keys message, documentation_url where a JSON array of events was expected/],
      [["--table", "object=orgs/html/events"], /guest fdw error: invalid JSON at position 0 of 15 bytes from GitHub API GET .*\/orgs\/html\/events\?per_page=100 near "<html>hi<\/html>"; status 200 OK, content-type text\/html/],
      [[], /guest fdw error: missing table option 'object'.*options \(object 'events'\)/],
      [["--table", "object=events", "--column", "type:integer"], /guest fdw error: event 22249084964: cannot convert string "PushEvent" for column "type" of type i32: expected an integer/],
    ];
    for (const [args, expected] of cases) {
      const r = await scan([...args, ...columnArgs(["id:text"]), "--format", "json"]);
      const out = `${r.stdout}${r.stderr}`;
      assert.notEqual(r.code, 0, out);
      assert.match(out, expected);
      assert.doesNotMatch(out, /wasmtime error/);
    }
  });
});
