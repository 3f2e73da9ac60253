// The built component on the wasmtime-36 runner against the mock GitHub API, beyond the seed: every
// feed; quals choosing the feed (exact rows vs. the data filtered locally); IN lists; the token sent
// (api_key, Vault by id and by name) and never printed; paging to the cap, a 422 at the cap, a feed
// that moves while paging; LIMIT and created_at pushdown seen in the mock's request log; rate-limit,
// secondary-limit and 404 messages; stats once per scan; IMPORT FOREIGN SCHEMA.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import type { GitHubEvent } from "../mock/github/events.js";
import { startMockGitHub, type MockGitHub } from "../mock/github/server.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot } from "../tools/paths.js";
import { type Run, assertGuestError, columnArgs, rows, runner, statsOf } from "../testing/runner.js";

const TOKEN = "ghp_integrationSecret0123456789ABCDEFGH";
const VAULT_ID = "5f0c2e1a-7b3d-4c9e-8a6f-1d2e3f4a5b6c";
const COLS = ["id:text", "type:text", "repo_name:text", "actor_login:text", "org_login:text", "public:bool", "created_at:timestamp"];
const FDW_NAME = "tsfdw:github-events-fdw";
const tmp = mkdtempSync(join(tmpdir(), "tsfdw-feeds-"));
let wasm = "";
let mock: MockGitHub;
/** Every stdout/stderr of a run that had the token, to scan for it at the end. */
const outputs: string[] = [];

function scan(object: string, extra: readonly string[] = [], opts: { token?: boolean; cols?: readonly string[] } = {}): Promise<Run> {
  const auth = opts.token ? ["--server", `api_key=${TOKEN}`] : [];
  return runner(["scan", wasm, "--server", `api_url=${mock.url}`, ...auth, "--table", `object=${object}`, "--table", "rowid_column=id", ...columnArgs(opts.cols ?? COLS), "--format", "json", ...extra]).then((r) => {
    if (opts.token) outputs.push(r.stdout, r.stderr);
    return r;
  });
}

/** An event as the COLS columns print in --format json. */
function row(e: GitHubEvent): Record<string, unknown> {
  return { id: e.id, type: e.type, repo_name: e.repo.name, actor_login: e.actor.login, org_login: e.org?.login ?? null, public: e.public, created_at: e.created_at.replace(/Z$/, "") };
}

/** What the mock logged: [path, per_page, page, status]. */
const log = (): [string, string | undefined, string, number][] => mock.requests.map((r) => [r.path, r.query["per_page"], r.query["page"] ?? "1", r.status]);
const ids = (rs: readonly Record<string, unknown>[]): string[] => rs.map((r) => String(r["id"]));
/** All public events the mock holds: what anonymous feeds can show. */
const publicEvents = (): GitHubEvent[] => mock.events.filter((e) => e.public);
/** The bytes of the pages the mock served for a feed read in pages of `perPage`. */
function pageBytes(feed: readonly GitHubEvent[], perPage: number): number {
  let total = 0;
  for (let i = 0; i < Math.max(1, feed.length); i += perPage) total += Buffer.byteLength(`[${feed.slice(i, i + perPage).map((e) => JSON.stringify(e)).join(",")}]`);
  return total;
}

before(async () => {
  wasm = (await build(parseBuildArgs([join(repoRoot, "fdw", "github-events"), "--out", tmp, "--no-typecheck"]))).output.wasmPath;
  mock = await startMockGitHub({ rateLimit: 100_000, token: TOKEN, newest: "2026-01-15T12:00:00Z" });
});

after(async () => {
  await mock?.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  mock.resetLog();
  mock.clearFaults();
  mock.resetRateLimit();
  mock.onRequest = null;
});

describe("every feed", () => {
  const FEEDS = [
    "events",
    "repos/acme-labs/rocket/events",
    "networks/acme-labs/rocket/events",
    "orgs/octo-org/events",
    "users/octocat/events",
    "users/octocat/events/public",
    "users/octocat/received_events",
    "users/octocat/received_events/public",
  ];
  for (const object of FEEDS) {
    test(`object '${object}': the feed's events, 100 per page`, async () => {
      const got = rows(await scan(object));
      const feed = mock.feed(`/${object}`).slice(0, 300);
      assert.ok(feed.length > 0);
      assert.deepEqual(got, feed.map(row));
      assert.deepEqual(log(), Array.from({ length: Math.ceil(feed.length / 100) }, (_, i) => [`/${object}`, "100", String(i + 1), 200]));
    });
  }

  test("an object that is not a feed: the accepted forms, and no request", async () => {
    assertGuestError(await scan("users/octocat/events/orgs/octo-org"), /invalid table option object 'users\/octocat\/events\/orgs\/octo-org': expected one of events, repos\/\{owner\}\/\{repo\}\/events, .*users\/\{user\}\/received_events\/public \(a name must not be empty, '\.' or '\.\.'\)/);
    assertGuestError(await scan("repos/../x/events"), /invalid table option object/);
    assert.equal(mock.requests.length, 0);
  });
});

describe("quals choose the feed (object 'events')", () => {
  const CASES: [string, string, (e: GitHubEvent) => boolean][] = [
    ["repo_name = 'acme-labs/rocket'", "/repos/acme-labs/rocket/events", (e) => e.repo.name === "acme-labs/rocket"],
    ["actor_login = 'octocat'", "/users/octocat/events/public", (e) => e.actor.login === "octocat"],
    ["org_login = 'pg-wasm'", "/orgs/pg-wasm/events", (e) => e.org?.login === "pg-wasm"],
  ];
  for (const [where, path, match] of CASES) {
    test(`where ${where} reads ${path}: exactly the matching rows`, async () => {
      const got = rows(await scan("events", ["--where", where]));
      assert.deepEqual(log().map((l) => l[0]), [path]);
      const expected = publicEvents().filter(match).slice(0, 300);
      assert.ok(expected.length > 0);
      assert.deepEqual(got, expected.map(row));
      // the public feed, read in full and filtered locally, holds only the newest 300 events: a subset
      mock.resetLog();
      const firehose = rows(await scan("events")).filter((r) => match({ repo: { name: r["repo_name"] }, actor: { login: r["actor_login"] }, org: r["org_login"] === null ? undefined : { login: r["org_login"] } } as GitHubEvent));
      assert.ok(firehose.length > 0 && firehose.every((r) => ids(got).includes(String(r["id"]))));
    });
  }

  test("most specific wins: repo over actor over org; Postgres rechecks the others", async () => {
    const got = rows(await scan("events", ["--where", "org_login = 'acme-labs'", "--where", "actor_login = 'spacewalker'", "--where", "repo_name = 'acme-labs/rocket'"]));
    assert.deepEqual(log().map((l) => l[0]), ["/repos/acme-labs/rocket/events"]);
    assert.deepEqual(got, publicEvents().filter((e) => e.repo.name === "acme-labs/rocket" && e.actor.login === "spacewalker").map(row));
  });

  test("IN lists: several feeds merged newest first, each event once", async () => {
    const got = rows(await scan("events", ["--where", "actor_login in ('octocat', 'hubot', 'octocat')"]));
    assert.deepEqual(log().map((l) => l[0]).sort(), ["/users/hubot/events/public", "/users/octocat/events/public"]);
    const expected = publicEvents().filter((e) => e.actor.login === "octocat" || e.actor.login === "hubot");
    assert.deepEqual(got, expected.map(row));
    mock.resetLog();
    const repos = rows(await scan("events", ["--where", "repo_name in ('acme-labs/rocket', 'kai-7/rocket', 'octocat/Hello-World')"]));
    assert.equal(mock.requests.length, 3);
    assert.deepEqual(repos, publicEvents().filter((e) => ["acme-labs/rocket", "kai-7/rocket", "octocat/Hello-World"].includes(e.repo.name)).map(row));
  });

  test("a qual that cannot choose a feed is only rechecked: the public feed is read", async () => {
    const got = rows(await scan("events", ["--where", "repo_name <> 'acme-labs/rocket'"]));
    assert.deepEqual(log().map((l) => l[0]), ["/events", "/events", "/events"]);
    assert.deepEqual(got, mock.feed("/events").slice(0, 300).filter((e) => e.repo.name !== "acme-labs/rocket").map(row));
  });
});

describe("auth", () => {
  test("api_key: every request authenticated (Bearer), private events visible", async () => {
    const got = rows(await scan("repos/octo-org/infra/events", [], { token: true }));
    assert.ok(got.length > 0 && got.every((r) => r["public"] === false), "octo-org/infra is private");
    assert.ok(mock.requests.every((r) => r.authenticated && r.headerNames.includes("authorization")));
    assert.deepEqual(mock.requests[0]?.headerNames.filter((h) => ["accept", "x-github-api-version", "user-agent"].includes(h)).sort(), ["accept", "user-agent", "x-github-api-version"]);
    mock.resetLog();
    assertGuestError(await scan("repos/octo-org/infra/events"), /404 Not Found: repository 'octo-org\/infra' does not exist or is not visible without a token \(set the server option api_key, api_key_id or api_key_name\)/);
    assert.equal(mock.requests[0]?.authenticated, false);
  });

  test("Vault: api_key_name and api_key_id (runner --vault)", async () => {
    for (const [option, key] of [["api_key_name", "github_token"], ["api_key_id", VAULT_ID]]) {
      mock.resetLog();
      const r = await scan("repos/octo-org/infra/events", ["--vault", `${key}=${TOKEN}`, "--server", `${option}=${key}`]);
      outputs.push(r.stdout, r.stderr);
      assert.ok(rows(r).length > 0);
      assert.ok(mock.requests.length > 0 && mock.requests.every((q) => q.authenticated), option);
    }
    const missing = await scan("events", ["--server", "api_key_name=nope"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /query vault failed "nope"/);
  });

  test("a wrong token: GitHub's 401 message, without the token", async () => {
    const r = await runner(["scan", wasm, "--server", `api_url=${mock.url}`, "--server", `api_key=${TOKEN}x`, "--table", "object=events", ...columnArgs(COLS)]);
    assertGuestError(r, /401 Unauthorized: Bad credentials/);
    assert.ok(!r.stderr.includes(TOKEN));
  });

  test("a server that echoes the token back: it is masked in the error", async () => {
    mock.fault({ path: "/events", status: 400, body: JSON.stringify({ message: `rejected header authorization: Bearer ${TOKEN}` }) });
    assertGuestError(await scan("events", [], { token: true }), /400 Bad Request: rejected header authorization: Bearer \[redacted\]/);
  });
});

describe("paging", () => {
  test("to the cap: 3 pages of 100, then no next link", async () => {
    const got = rows(await scan("events"));
    assert.deepEqual(got, mock.feed("/events").slice(0, 300).map(row));
    assert.deepEqual(log(), [["/events", "100", "1", 200], ["/events", "100", "2", 200], ["/events", "100", "3", 200]]);
  });

  test("a 422 at the cap ends the feed: no error, the rows read so far", async () => {
    mock.fault({ path: "/events", query: { page: "3" }, status: 422, body: JSON.stringify({ message: "In order to keep the API fast for everyone, pagination is limited for this resource.", status: "422" }) });
    const got = rows(await scan("events"));
    assert.deepEqual(got, mock.feed("/events").slice(0, 200).map(row));
    assert.deepEqual(log().map((l) => l[3]), [200, 200, 422]);
  });

  test("a feed that moves while paging (5 new events after page 1): no event twice", async () => {
    const before = mock.feed("/events");
    mock.onRequest = (r) => {
      if (r.path === "/events" && r.query["page"] === undefined) mock.push(5);
    };
    const got = rows(await scan("events"));
    mock.onRequest = null;
    assert.equal(new Set(ids(got)).size, got.length, "no duplicates");
    // page 2 repeated the last 5 events of page 1; the new events came after page 1 was read
    assert.deepEqual(got, before.slice(0, 295).map(row));
    assert.equal(mock.requests.length, 3);
  });
});

describe("LIMIT pushdown", () => {
  test("limit 5: one request, per_page=5", async () => {
    const got = rows(await scan("events", ["--limit", "5"]));
    assert.deepEqual(got, mock.feed("/events").slice(0, 5).map(row));
    assert.deepEqual(log(), [["/events", "5", "1", 200]]);
  });

  test("limit 50 offset 20: one request, per_page=70; OFFSET applied by Postgres", async () => {
    const got = rows(await scan("events", ["--limit", "50", "--offset", "20"]));
    assert.deepEqual(got, mock.feed("/events").slice(20, 70).map(row));
    assert.deepEqual(log(), [["/events", "70", "1", 200]]);
  });

  test("limit 150: two pages of 100", async () => {
    assert.equal(rows(await scan("events", ["--limit", "150"])).length, 150);
    assert.deepEqual(log().map((l) => l[1]), ["100", "100"]);
  });

  test("with the feed-choosing qual consumed: pushed down", async () => {
    const got = rows(await scan("events", ["--where", "repo_name = 'acme-labs/rocket'", "--limit", "3"]));
    assert.deepEqual(got, publicEvents().filter((e) => e.repo.name === "acme-labs/rocket").slice(0, 3).map(row));
    assert.deepEqual(log(), [["/repos/acme-labs/rocket/events", "3", "1", 200]]);
  });

  test("not pushed down with a qual the feed choice did not consume: every matching row is found", async () => {
    const got = rows(await scan("events", ["--where", "type = 'ReleaseEvent'", "--limit", "5"]));
    assert.deepEqual(got, mock.feed("/events").slice(0, 300).filter((e) => e.type === "ReleaseEvent").slice(0, 5).map(row));
    assert.equal(mock.requests[0]?.query["per_page"], "100");
    mock.resetLog();
    const two = rows(await scan("events", ["--where", "repo_name = 'acme-labs/rocket'", "--where", "actor_login = 'spacewalker'", "--limit", "2"]));
    assert.deepEqual(two, publicEvents().filter((e) => e.repo.name === "acme-labs/rocket" && e.actor.login === "spacewalker").slice(0, 2).map(row));
    assert.equal(mock.requests[0]?.query["per_page"], "100");
  });
});

describe("created_at ranges: every page read, the runner filters (no early stop: the host does not commute swapped operators)", () => {
  test("created_at > c: all pages, exactly the newer rows", async () => {
    const feed = mock.feed("/events");
    const c = feed[9]?.created_at.replace(/Z$/, "") ?? "";
    assert.deepEqual(rows(await scan("events", ["--where", `created_at > '${c}'`])), feed.slice(0, 9).map(row));
    assert.equal(mock.requests.length, 3);
  });

  test("'c' > created_at (older than c): all pages, every older row", async () => {
    const feed = mock.feed("/events");
    const c = feed[9]?.created_at.replace(/Z$/, "") ?? "";
    assert.deepEqual(rows(await scan("events", ["--where", `'${c}' > created_at`])), feed.slice(10, 300).map(row));
    assert.equal(mock.requests.length, 3);
  });

  test("created_at < c: all pages", async () => {
    const feed = mock.feed("/events");
    const c = feed[9]?.created_at.replace(/Z$/, "") ?? "";
    assert.deepEqual(rows(await scan("events", ["--where", `created_at < '${c}'`])), feed.slice(10, 300).map(row));
    assert.equal(mock.requests.length, 3);
  });
});

describe("rate limits and 404s", () => {
  const utc = (secs: number): string => new Date(secs * 1000).toISOString().replace("T", " ").replace(".000Z", " UTC");

  test("primary limit without a token: limit, reset time (UTC) and a hint to set api_key", async () => {
    mock.exhaustRateLimit({ resetInSecs: 1800 });
    const { limit, reset } = mock.rateLimit(false);
    assertGuestError(await scan("events"), new RegExp(`403 Forbidden: rate limit exceeded \\(limit ${limit} requests, resets at ${utc(reset)}\\); no token was used: set the server option api_key, api_key_id or api_key_name for a higher limit`));
  });

  test("primary limit with a token: says a token was used", async () => {
    mock.exhaustRateLimit({ resetInSecs: 600, bucket: "authenticated" });
    const { reset } = mock.rateLimit(true);
    assertGuestError(await scan("events", [], { token: true }), new RegExp(`rate limit exceeded \\(limit 100000 requests, resets at ${utc(reset)}\\); a token was used$`, "m"));
  });

  test("a rate limit on a later page fails the scan too", async () => {
    mock.fault({ path: "/events", query: { page: "2" }, status: 403, body: '{"message":"API rate limit exceeded"}', headers: { "x-ratelimit-remaining": "0", "x-ratelimit-limit": "60", "x-ratelimit-reset": "1768478400" } });
    assertGuestError(await scan("events"), /page=2 failed: 403 Forbidden: rate limit exceeded \(limit 60 requests, resets at 2026-01-15 12:00:00 UTC\)/);
  });

  test("secondary limit: recognised by GitHub's message, with retry-after", async () => {
    mock.secondaryLimit(60, 1);
    assertGuestError(await scan("events", [], { token: true }), /403 Forbidden: secondary rate limit exceeded; retry after 60 s; a token was used/);
  });

  test("404 on a repo, org, user or network feed", async () => {
    assertGuestError(await scan("repos/octo-org/nope/events"), /404 Not Found: repository 'octo-org\/nope' does not exist or is not visible without a token/);
    assertGuestError(await scan("orgs/no-such-org/events", [], { token: true }), /404 Not Found: organization 'no-such-org' does not exist or is not visible with the token used/);
    assertGuestError(await scan("networks/octocat/dotfiles/events"), /404 Not Found: repository 'octocat\/dotfiles' does not exist or is not visible without a token/);
  });

  test("a feed chosen by a qual that answers 404: no rows, as the public feed would give", async () => {
    assert.deepEqual(rows(await scan("events", ["--where", "actor_login = 'no-such-user'"])), []);
    assert.deepEqual(log(), [["/users/no-such-user/events/public", "100", "1", 404]]);
    mock.resetLog();
    assert.deepEqual(rows(await scan("events", ["--where", "repo_name in ('octo-org/infra', 'pg-wasm/tsfdw-demo')"])), publicEvents().filter((e) => e.repo.name === "pg-wasm/tsfdw-demo").map(row));
  });
});

describe("stats", () => {
  test("rows-in and bytes-in once per scan (runner --stats), also with a re-scan", async () => {
    const feed = mock.feed("/events").slice(0, 300);
    const expected = { rows_in: 300, bytes_in: pageBytes(feed, 100) };
    for (const extra of [[], ["--rescan"]]) {
      const r = await scan("events", ["--stats", ...extra], { token: false });
      assert.equal(rows(r).length, 300 * (extra.length + 1));
      const s = statsOf(r)[FDW_NAME];
      assert.deepEqual({ rows_in: s?.rows_in, bytes_in: s?.bytes_in }, expected);
    }
  });

  test("a LIMIT scan counts what it read", async () => {
    const feed = mock.feed("/events").slice(0, 5);
    const s = statsOf(await scan("events", ["--stats", "--limit", "5"], { token: true }))[FDW_NAME];
    assert.deepEqual([s?.rows_in, s?.bytes_in], [5, pageBytes(feed, 5)]);
    assert.equal(s?.metadata, null);
  });
});

describe("IMPORT FOREIGN SCHEMA (runner import-schema)", () => {
  const COLUMNS = "id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp, org jsonb, repo_name text, org_login text, actor_login text";
  const create = (table: string, object: string): string => `create foreign table if not exists "${table}" (${COLUMNS}) server "github_server" options (object '${object}', rowid_column 'id')`;
  const importSchema = (extra: readonly string[]): Promise<Run> =>
    runner(["import-schema", wasm, "--server", `api_url=${mock.url}`, "--remote-schema", "github", "--local-schema", "gh", "--server-name", "github_server", ...extra]);
  const statements = (r: Run): string[] => {
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split("\n").filter((l) => l !== "");
  };

  test("without options: events", async () => {
    assert.deepEqual(statements(await importSchema([])), [create("events", "events")]);
    assert.equal(mock.requests.length, 0);
  });

  test("repo, org and user: a table per feed", async () => {
    assert.deepEqual(statements(await importSchema(["--option", "repo=acme-labs/rocket", "--option", "org=octo-org", "--option", "user=octocat"])), [
      create("events", "events"),
      create("repo_events", "repos/acme-labs/rocket/events"),
      create("network_events", "networks/acme-labs/rocket/events"),
      create("org_events", "orgs/octo-org/events"),
      create("user_events", "users/octocat/events"),
      create("user_public_events", "users/octocat/events/public"),
      create("received_events", "users/octocat/received_events"),
      create("received_public_events", "users/octocat/received_events/public"),
    ]);
  });

  test("lists, LIMIT TO and EXCEPT", async () => {
    assert.deepEqual(statements(await importSchema(["--option", "org=octo-org,pg-wasm", "--limit-to", "org_events_pg_wasm", "--limit-to", "events"])), [
      create("events", "events"),
      create("org_events_pg_wasm", "orgs/pg-wasm/events"),
    ]);
    assert.deepEqual(statements(await importSchema(["--option", "repo=acme-labs/rocket", "--except", "events", "--except", "network_events"])), [create("repo_events", "repos/acme-labs/rocket/events")]);
  });

  test("an invalid name is a guest error", async () => {
    assertGuestError(await importSchema(["--option", "repo=rocket"]), /invalid IMPORT FOREIGN SCHEMA option repo 'rocket': expected owner\/name/);
  });

  test("an imported table scans: its object is a feed", async () => {
    const [, stmt] = statements(await importSchema(["--option", "repo=acme-labs/rocket"]));
    const object = /object '([^']+)'/.exec(stmt ?? "")?.[1] ?? "";
    assert.deepEqual(rows(await scan(object)), mock.feed(`/${object}`).slice(0, 300).map(row));
  });
});

describe("the token is never printed", () => {
  test("no stdout, stderr or stats output of any run with the token contains it", () => {
    assert.ok(outputs.length >= 10);
    for (const out of outputs) assert.ok(!out.includes(TOKEN), out.slice(0, 300));
  });
});
