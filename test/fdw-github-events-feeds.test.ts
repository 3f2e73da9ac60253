// The GitHub events FDW beyond the seed, in Node against fake host modules: feeds, qual → feed
// choice, IN lists, paging (Link, 422 at the cap, de-duplication), LIMIT and created_at pushdown,
// auth (api_key, Vault) without leaking the token, rate-limit and 404 messages, stats once per scan
// and IMPORT FOREIGN SCHEMA. The built component runs the same cases against the mock GitHub API
// in integration-github-feeds.test.ts.
import "../testing/register.js";
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import {
  FakeContext,
  type FakeContextInit,
  type FakeQualInit,
  FakeRow,
  type Request,
  type Response,
  type TypeName,
  fakeHttp,
  fakeVault,
  jsonResponse,
  resetFakeHost,
} from "../testing/fake-host.js";
import { recorded } from "./support/fake-wrappers/stats.js";

type Routines = SupabaseWrappers.V2.Routines;
type Ctx = SupabaseWrappers.V2.Context;
type Row = SupabaseWrappers.V2.Row;
type Cell = SupabaseWrappers.V2.Cell;

Object.assign(globalThis, { TSFDW_PACKAGE_NAME: "tsfdw:github-events-fdw", TSFDW_PACKAGE_VERSION: "9.9.9" });

const API = "http://gh.test";
const TOKEN = "ghp_unitTestToken0123456789abcdef";
const COLS: [string, TypeName][] = [["id", "string"], ["repo_name", "string"], ["actor_login", "string"], ["org_login", "string"], ["created_at", "timestamp"]];

interface Ev {
  id: string;
  type: string;
  actor: { login: string };
  repo: { name: string };
  org?: { login: string };
  public: boolean;
  created_at: string;
}

/** `n` events, newest first, one second apart, ending 2026-01-15T12:00:00Z, ids descending from `top`. */
function makeEvents(n: number, opts: { top?: number; repo?: string; actor?: string; org?: string; newest?: number } = {}): Ev[] {
  const newest = opts.newest ?? Date.UTC(2026, 0, 15, 12) / 1000;
  return Array.from({ length: n }, (_, i) => ({
    id: String((opts.top ?? 1000) - i),
    type: i % 2 ? "PushEvent" : "WatchEvent",
    actor: { login: opts.actor ?? `user${i % 3}` },
    repo: { name: opts.repo ?? `o/r${i % 4}` },
    ...(opts.org !== undefined ? { org: { login: opts.org } } : i % 5 === 0 ? {} : { org: { login: `org${i % 2}` } }),
    public: true,
    created_at: new Date((newest - i) * 1000).toISOString().replace(".000Z", "Z"),
  }));
}

/**
 * A fake GitHub: each feed path serves its events paged like github.com (per_page up to 100, Link
 * rel="next" while more data remains, 422 past `cap`); unknown paths are 404.
 */
function githubHandler(feeds: Record<string, Ev[]>, opts: { cap?: number } = {}): (req: Request) => Response {
  return (req) => {
    const u = new URL(req.url);
    const events = feeds[u.pathname];
    if (events === undefined) return jsonResponse({ message: "Not Found" }, 404)(req);
    const perPage = Math.min(100, Number(u.searchParams.get("per_page") ?? 30));
    const page = Number(u.searchParams.get("page") ?? 1);
    const cap = opts.cap ?? 300;
    if (page > Math.ceil(cap / perPage)) return jsonResponse({ message: "In order to keep the API fast for everyone, pagination is limited for this resource." }, 422)(req);
    const available = Math.min(events.length, cap);
    const body = events.slice((page - 1) * perPage, Math.min(page * perPage, available));
    const headers: [string, string][] = [];
    if (page * perPage < available) {
      u.searchParams.set("page", String(page + 1));
      headers.push(["link", `<${u.href}>; rel="next", <${u.origin}${u.pathname}?per_page=${perPage}&page=${Math.ceil(available / perPage)}>; rel="last"`]);
    }
    return jsonResponse(body, 200, headers)(req);
  };
}

let instance = 0;
async function loadFdw(): Promise<Routines> {
  const url = new URL(`../fdw/github-events/src/index.js?feeds=${++instance}`, import.meta.url);
  return ((await import(url.href)) as { routines: Routines }).routines;
}

const ctxOf = (init: FakeContextInit): Ctx => new FakeContext(init) as unknown as Ctx;

interface Scan {
  rows: (Cell | null)[][];
  /** Request URLs relative to the API, e.g. /events?per_page=100&page=2. */
  urls: string[];
}

/**
 * init → begin-scan → iter-scan → end-scan, pulling at most `pull` rows (as Postgres stops at
 * LIMIT + OFFSET when it has them); default columns COLS.
 */
async function scan(init: FakeContextInit, pull = Infinity): Promise<Scan> {
  const fdw = await loadFdw();
  const full: FakeContextInit = { columns: COLS, ...init, server: { api_url: API, ...init.server }, table: { object: "events", ...init.table } };
  fdw.init(ctxOf({ server: full.server ?? {} }));
  const ctx = ctxOf(full);
  fdw.beginScan(ctx);
  const rows: (Cell | null)[][] = [];
  while (rows.length < pull) {
    const row = new FakeRow(full.columns);
    if (fdw.iterScan(ctx, row as unknown as Row) == null) break;
    rows.push(row.cells());
  }
  fdw.endScan(ctx);
  return { rows, urls: fakeHttp.requests.map((r) => r.url.slice(API.length)) };
}

const ids = (s: Scan): string[] => s.rows.map((r) => (r[0] as { val: string }).val);
const str = (v: string): Cell => ({ tag: "string", val: v });
const eq = (field: string, value: string): FakeQualInit => ({ field, operator: "=", value: { tag: "cell", val: str(value) } });
const inList = (field: string, values: string[]): FakeQualInit => ({ field, operator: "=", value: { tag: "array", val: values.map(str) }, useOr: true });
const tsQual = (operator: string, iso: string, tag: "timestamp" | "timestamptz" = "timestamp"): FakeQualInit => ({ field: "created_at", operator, value: { tag: "cell", val: { tag, val: Date.parse(iso) * 1000 } } });

/** The error a call throws (fails when it does not throw). */
async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof Error);
    return e;
  }
  assert.fail("expected an error");
}

beforeEach(() => {
  resetFakeHost();
  recorded.length = 0;
});

describe("feeds: table option object", () => {
  const FORMS: [string, string][] = [
    ["events", "/events"],
    ["repos/octo-org/octo-repo/events", "/repos/octo-org/octo-repo/events"],
    ["networks/octocat/Spoon-Knife/events", "/networks/octocat/Spoon-Knife/events"],
    ["orgs/octo-org/events", "/orgs/octo-org/events"],
    ["users/octocat/events", "/users/octocat/events"],
    ["users/octocat/events/public", "/users/octocat/events/public"],
    ["users/octocat/received_events", "/users/octocat/received_events"],
    ["users/octocat/received_events/public", "/users/octocat/received_events/public"],
    // names are URL-encoded; surrounding slashes and spaces are dropped
    [" /users/dependabot[bot]/events/ ", "/users/dependabot%5Bbot%5D/events"],
    ["repos/a b/c#d?e/events", "/repos/a%20b/c%23d%3Fe/events"],
  ];
  for (const [object, path] of FORMS) {
    test(`object '${object.trim()}' → GET ${path}?per_page=100`, async () => {
      const s = await scan({ table: { object } });
      assert.deepEqual(s.urls, [`${path}?per_page=100`]);
    });
  }

  test("anything else: an error listing the accepted forms, and no request", async () => {
    for (const object of ["user", "repos/octocat/events", "repos/a//events", "orgs/../events", "users/./events", "repos/a/b/c/events", "users/u/events/orgs/x", "Events", "feeds"]) {
      const e = await errorOf(() => scan({ table: { object } }));
      assert.equal(
        e.message,
        `invalid table option object '${object}': expected one of events, repos/{owner}/{repo}/events, networks/{owner}/{repo}/events, orgs/{org}/events, users/{user}/events, users/{user}/events/public, users/{user}/received_events, users/{user}/received_events/public (a name must not be empty, '.' or '..')`,
      );
    }
    assert.equal(fakeHttp.requests.length, 0);
  });
});

describe("quals choose the feed (object 'events')", () => {
  const all = makeEvents(50);
  const feeds: Record<string, Ev[]> = {
    "/events": all,
    "/repos/o/r1/events": all.filter((e) => e.repo.name === "o/r1"),
    "/repos/o/r2/events": all.filter((e) => e.repo.name === "o/r2"),
    "/users/user1/events/public": all.filter((e) => e.actor.login === "user1"),
    "/users/user2/events/public": all.filter((e) => e.actor.login === "user2"),
    "/orgs/org1/events": all.filter((e) => e.org?.login === "org1"),
  };
  beforeEach(() => (fakeHttp.handler = githubHandler(feeds)));

  test("repo_name, actor_login and org_login columns come from the event; org_login is NULL without org", async () => {
    const s = await scan({});
    assert.equal(s.rows.length, 50);
    s.rows.forEach((r, i) => {
      const e = all[i] as Ev;
      assert.deepEqual(r.slice(0, 4), [str(e.id), str(e.repo.name), str(e.actor.login), e.org ? str(e.org.login) : null]);
    });
  });

  test("repo_name = 'o/r' reads repos/o/r/events; actor_login → users/u/events/public; org_login → orgs/x/events", async () => {
    assert.deepEqual((await scan({ quals: [eq("repo_name", "o/r1")] })).urls, ["/repos/o/r1/events?per_page=100"]);
    resetFakeHost();
    fakeHttp.handler = githubHandler(feeds);
    assert.deepEqual((await scan({ quals: [eq("actor_login", "user1")] })).urls, ["/users/user1/events/public?per_page=100"]);
    resetFakeHost();
    fakeHttp.handler = githubHandler(feeds);
    const s = await scan({ quals: [eq("org_login", "org1")] });
    assert.deepEqual(s.urls, ["/orgs/org1/events?per_page=100"]);
    assert.deepEqual(ids(s), feeds["/orgs/org1/events"]?.map((e) => e.id));
  });

  test("most specific wins: repo, then actor, then org (whatever the qual order)", async () => {
    const s = await scan({ quals: [eq("org_login", "org1"), eq("actor_login", "user1"), eq("repo_name", "o/r1")] });
    assert.deepEqual(s.urls, ["/repos/o/r1/events?per_page=100"]);
    resetFakeHost();
    fakeHttp.handler = githubHandler(feeds);
    assert.deepEqual((await scan({ quals: [eq("org_login", "org1"), eq("actor_login", "user1")] })).urls, ["/users/user1/events/public?per_page=100"]);
  });

  test("IN lists read several feeds, merged newest first, each event once", async () => {
    const s = await scan({ quals: [inList("repo_name", ["o/r2", "o/r1", "o/r1"])] });
    assert.deepEqual(s.urls.sort(), ["/repos/o/r1/events?per_page=100", "/repos/o/r2/events?per_page=100"], "a value listed twice is read once");
    const expected = all.filter((e) => e.repo.name === "o/r1" || e.repo.name === "o/r2").map((e) => e.id);
    assert.deepEqual(ids(s), expected);
    resetFakeHost();
    fakeHttp.handler = githubHandler(feeds);
    // overlapping feeds (an event of user1 may also be org1's): no duplicates
    const t = await scan({ quals: [inList("actor_login", ["user1", "user2"])] });
    assert.deepEqual(ids(t), all.filter((e) => e.actor.login === "user1" || e.actor.login === "user2").map((e) => e.id));
  });

  test("quals that cannot choose a feed are ignored (the public feed is read; Postgres rechecks)", async () => {
    const ignored: FakeQualInit[][] = [
      [{ ...eq("repo_name", "o/r1"), operator: "<>" }],
      [{ field: "repo_name", operator: "<>", value: { tag: "array", val: [str("o/r1")] }, useOr: false }], // NOT IN
      [{ field: "repo_name", operator: "=", value: { tag: "array", val: [str("o/r1")] }, useOr: false }], // = ALL
      [{ ...eq("repo_name", "o/r1"), param: { id: 1, typeOid: 25 } }], // a parameter (its value may be a placeholder)
      [{ field: "actor_login", operator: "=", value: { tag: "cell", val: { tag: "i64", val: 0 } }, param: { id: 1, typeOid: 1043 } }],
      [{ field: "actor_login", operator: "=", value: { tag: "cell", val: { tag: "i64", val: 7 } } }],
      [eq("repo_name", "no-slash")], // no repository has this name: a repo feed could not hold it
      [eq("repo_name", "a/b/c")],
      [eq("actor_login", "x/y")],
      [eq("org_login", "..")],
      [inList("repo_name", ["o/r1", "bad"])], // one bad value: the whole IN list is ignored
      [{ ...eq("repo_name", "o/r1"), operator: "~~" }], // LIKE
    ];
    for (const quals of ignored) {
      resetFakeHost();
      fakeHttp.handler = githubHandler(feeds);
      assert.deepEqual((await scan({ quals })).urls, ["/events?per_page=100"], JSON.stringify(quals));
    }
  });

  test("on a specific feed (object other than 'events') the quals choose nothing", async () => {
    const s = await scan({ table: { object: "repos/o/r2/events" }, quals: [eq("repo_name", "o/r1")] });
    assert.deepEqual(s.urls, ["/repos/o/r2/events?per_page=100"]);
  });
});

describe("paging", () => {
  test("per_page=100, follows Link rel=next up to the 300-event cap", async () => {
    const all = makeEvents(420);
    fakeHttp.handler = githubHandler({ "/events": all });
    const s = await scan({});
    assert.deepEqual(s.urls, ["/events?per_page=100", "/events?per_page=100&page=2", "/events?per_page=100&page=3"]);
    assert.deepEqual(ids(s), all.slice(0, 300).map((e) => e.id));
  });

  test("a 422 past the cap ends the feed; a 422 on the first page is an error", async () => {
    const all = makeEvents(300);
    // a next link that leads past the cap (as a feed that moved while paging can get)
    fakeHttp.handler = (req) => {
      const page = Number(new URL(req.url).searchParams.get("page") ?? 1);
      if (page === 3) return jsonResponse({ message: "In order to keep the API fast for everyone, pagination is limited for this resource." }, 422)(req);
      return jsonResponse(all.slice((page - 1) * 100, page * 100), 200, [["link", `<${API}/events?per_page=100&page=${page + 1}>; rel="next"`]])(req);
    };
    const s = await scan({});
    assert.equal(s.urls.length, 3);
    assert.deepEqual(ids(s), all.slice(0, 200).map((e) => e.id));
    resetFakeHost();
    fakeHttp.handler = jsonResponse({ message: "Validation Failed" }, 422);
    assert.match((await errorOf(() => scan({}))).message, /GET http:\/\/gh\.test\/events\?per_page=100 failed: 422 Unprocessable Entity: Validation Failed/);
  });

  test("a moving feed: events seen on an earlier page are not returned twice", async () => {
    let feed = makeEvents(300, { top: 1000 });
    let served = 0;
    fakeHttp.handler = (req) => {
      const res = githubHandler({ "/events": feed })(req);
      // after page 1, 5 new events arrive: page 2 starts with the last 5 events of page 1
      if (++served === 1) feed = [...makeEvents(5, { top: 2000, newest: Date.UTC(2026, 0, 16) / 1000 }), ...feed];
      return res;
    };
    const got = ids(await scan({}));
    assert.equal(new Set(got).size, got.length, "no duplicates");
    assert.deepEqual(got, makeEvents(295, { top: 1000 }).map((e) => e.id));
  });

  test("an empty page or a page without a next link ends the feed", async () => {
    fakeHttp.handler = (req) => jsonResponse([], 200, [["link", `<${API}/events?page=2>; rel="next"`]])(req);
    const s = await scan({});
    assert.deepEqual(s.urls, ["/events?per_page=100"]);
    assert.equal(s.rows.length, 0);
  });

  test("pages are fetched lazily: Postgres stopping early (LIMIT over a filter) stops paging", async () => {
    fakeHttp.handler = githubHandler({ "/events": makeEvents(300) });
    const s = await scan({ quals: [{ field: "type", operator: "=", value: { tag: "cell", val: str("PushEvent") } }], limit: { count: 5 } }, 10);
    assert.deepEqual(s.urls, ["/events?per_page=100"]);
  });

  test("re-scan replays the rows read, then goes on paging", async () => {
    fakeHttp.handler = githubHandler({ "/events": makeEvents(250) });
    const fdw = await loadFdw();
    const ctx = ctxOf({ server: { api_url: API }, table: { object: "events" }, columns: [["id", "string"]] });
    fdw.init(ctx);
    fdw.beginScan(ctx);
    const read = (n: number): string[] => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const row = new FakeRow([["id", "string"]]);
        if (fdw.iterScan(ctx, row as unknown as Row) == null) break;
        out.push((row.cells()[0] as { val: string }).val);
      }
      return out;
    };
    const firstTen = read(10);
    fdw.reScan(ctx);
    const again = read(1000);
    assert.deepEqual(again.slice(0, 10), firstTen);
    assert.equal(again.length, 250);
    assert.equal(fakeHttp.requests.length, 3);
    fdw.endScan(ctx);
  });
});

describe("LIMIT pushdown", () => {
  const all = makeEvents(300);
  beforeEach(() => (fakeHttp.handler = githubHandler({ "/events": all, "/repos/o/r1/events": all.filter((e) => e.repo.name === "o/r1") })));

  test("no quals: per_page = LIMIT + OFFSET (at most 100) and no more pages than Postgres pulls; OFFSET rows are still returned", async () => {
    // Postgres stops pulling at LIMIT + OFFSET rows (pull = 5, 70, 150 below).
    const s = await scan({ limit: { count: 5 } }, 5);
    assert.deepEqual(s.urls, ["/events?per_page=5"]);
    assert.deepEqual(ids(s), all.slice(0, 5).map((e) => e.id));
    resetFakeHost();
    fakeHttp.handler = githubHandler({ "/events": all });
    const t = await scan({ limit: { count: 50, offset: 20 } }, 70);
    assert.deepEqual(t.urls, ["/events?per_page=70"]);
    assert.deepEqual(ids(t), all.slice(0, 70).map((e) => e.id), "Postgres skips the OFFSET rows itself");
    resetFakeHost();
    fakeHttp.handler = githubHandler({ "/events": all });
    const u = await scan({ limit: { count: 150 } }, 150);
    assert.deepEqual(u.urls, ["/events?per_page=100", "/events?per_page=100&page=2"]);
    assert.equal(u.rows.length, 150);
  });

  test("pulled past the LIMIT (a WHERE or join the host did not pass on): goes on from page 1 at 100 per page, no duplicates", async () => {
    const s = await scan({ limit: { count: 5 } });
    assert.deepEqual(s.urls, ["/events?per_page=5", "/events?per_page=100", "/events?per_page=100&page=2", "/events?per_page=100&page=3"]);
    assert.deepEqual(ids(s), all.slice(0, 300).map((e) => e.id));
  });

  test("the feed-choosing qual consumed: pushed down; LIMIT 0 reads nothing", async () => {
    const s = await scan({ quals: [eq("repo_name", "o/r1")], limit: { count: 3 } }, 3);
    assert.deepEqual(s.urls, ["/repos/o/r1/events?per_page=3"]);
    assert.equal(s.rows.length, 3);
    resetFakeHost();
    assert.deepEqual((await scan({ limit: { count: 0 } }, 0)).urls, []);
  });

  test("not pushed down when a qual was not consumed, or with ORDER BY", async () => {
    const cases: FakeContextInit[] = [
      { quals: [{ field: "type", operator: "=", value: { tag: "cell", val: str("PushEvent") } }], limit: { count: 5 } },
      { quals: [eq("repo_name", "o/r1"), eq("actor_login", "user1")], limit: { count: 5 } },
      { quals: [tsQual(">", "2026-01-15T11:00:00Z")], limit: { count: 5 } },
      { quals: [{ ...eq("repo_name", "o/r1"), param: { id: 1, typeOid: 25 } }], limit: { count: 5 } },
      { sorts: ["created_at"], limit: { count: 5 } },
    ];
    for (const c of cases) {
      resetFakeHost();
      fakeHttp.handler = githubHandler({ "/events": all, "/repos/o/r1/events": all.filter((e) => e.repo.name === "o/r1") });
      const s = await scan(c);
      assert.match(s.urls[0] ?? "", /\?per_page=100$/, JSON.stringify(c));
    }
    // without pushdown every matching row is still there
    resetFakeHost();
    fakeHttp.handler = githubHandler({ "/events": all });
    assert.equal((await scan({ quals: [{ field: "type", operator: "=", value: { tag: "cell", val: str("PushEvent") } }], limit: { count: 5 } })).rows.length, 300);
  });
});

describe("range quals on created_at narrow nothing (the host swaps `'X' > created_at` without commuting the operator)", () => {
  const all = makeEvents(300); // 12:00:00 down to 11:55:01
  beforeEach(() => (fakeHttp.handler = githubHandler({ "/events": all })));

  test("created_at > X, as `'X' > created_at` (older than X) reaches the guest: every page, every row, Postgres rechecks", async () => {
    // The old early stop read 2 pages here and lost every event older than 11:58:00 beyond them.
    const s = await scan({ quals: [tsQual(">", "2026-01-15T11:58:00Z")] }); // event 120 is 11:58:00
    assert.deepEqual(s.urls, ["/events?per_page=100", "/events?per_page=100&page=2", "/events?per_page=100&page=3"]);
    assert.equal(s.rows.length, 300);
    const older = all.filter((e) => e.created_at < "2026-01-15T11:58:00Z").map((e) => e.id);
    assert.ok(older.length > 100);
    const got = ids(s);
    assert.deepEqual(older.filter((id) => !got.includes(id)), [], "every event older than X is returned");
  });

  test("no range operator, column type or parameter bounds paging", async () => {
    const cases: FakeContextInit[] = [
      { quals: [tsQual(">=", "2026-01-15T11:59:00Z")] },
      { columns: [["id", "string"], ["created_at", "timestamptz"]], quals: [tsQual(">", "2026-01-15T11:59:00Z", "timestamptz")] },
      { quals: [tsQual("<", "2026-01-15T11:59:00Z")] },
      { quals: [tsQual("<=", "2026-01-15T11:59:00Z")] },
      { quals: [tsQual(">", "2026-01-15T11:59:00Z"), tsQual("<", "2026-01-15T11:57:00Z")] },
      { quals: [{ ...tsQual(">", "2026-01-15T11:59:00Z"), param: { id: 1, typeOid: 1114 } }] },
      { columns: [["id", "string"], ["created_at", "string"]], quals: [{ field: "created_at", operator: ">", value: { tag: "cell", val: str("2026-01-15T11:59:00Z") } }] },
    ];
    for (const c of cases) {
      resetFakeHost();
      fakeHttp.handler = githubHandler({ "/events": all });
      const s = await scan(c);
      assert.equal(s.urls.length, 3, JSON.stringify(c));
      assert.equal(s.rows.length, 300, JSON.stringify(c));
    }
  });
});

describe("auth", () => {
  const headersOf = (r: Request | undefined): Record<string, string> => Object.fromEntries(r?.headers ?? []);

  test("api_key: authorization Bearer, with accept, API version and user-agent", async () => {
    await scan({ server: { api_key: ` ${TOKEN}\n` } });
    assert.deepEqual(headersOf(fakeHttp.requests[0]), {
      "user-agent": "tsfdw-github-events/9.9.9",
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      authorization: `Bearer ${TOKEN}`,
    });
  });

  test("no api_key: no authorization header", async () => {
    await scan({});
    assert.equal(headersOf(fakeHttp.requests[0])["authorization"], undefined);
  });

  test("api_key_id and api_key_name read Vault through get-vault-secret (which takes ids and, on Wrappers >= 0.6.1, names)", async () => {
    const id = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    fakeVault.set(id, TOKEN);
    await scan({ server: { api_key_id: id } });
    assert.equal(headersOf(fakeHttp.requests[0])["authorization"], `Bearer ${TOKEN}`);
    resetFakeHost();
    fakeVault.set("github_token", "ghp_other");
    await scan({ server: { api_key_name: "github_token" } });
    assert.equal(headersOf(fakeHttp.requests[0])["authorization"], "Bearer ghp_other");
    resetFakeHost();
    fakeVault.set("github_token", "ghp_vault");
    await scan({ server: { api_key: TOKEN, api_key_name: "github_token" } });
    assert.equal(headersOf(fakeHttp.requests[0])["authorization"], `Bearer ${TOKEN}`, "api_key first");
  });

  test("an empty token or one a header cannot carry: a clear error without the token", async () => {
    for (const key of ["", "  ", `${TOKEN}\u0000x`, `${TOKEN}é`]) {
      const e = await errorOf(() => scan({ server: { api_key: key } }));
      assert.match(e.message, /^the GitHub token \(server option api_key, or the Vault secret that api_key_id \/ api_key_name names\) is empty or not printable ASCII$/);
    }
    assert.equal(fakeHttp.requests.length, 0);
  });

  test("the token never appears in an error, even when the server echoes it back", async () => {
    const echoes: ((req: Request) => Response)[] = [
      (req) => jsonResponse({ message: `bad header: ${headersOf(req)["authorization"]}` }, 400)(req),
      (req) => jsonResponse(`<html>${headersOf(req)["authorization"]}</html>`, 200)(req),
      (req) => jsonResponse({ message: `Not Found ${TOKEN}` }, 404)(req),
      () => {
        throw new Error(`error sending request: ${TOKEN}`);
      },
    ];
    for (const [i, handler] of echoes.entries()) {
      resetFakeHost();
      fakeHttp.handler = handler;
      const e = await errorOf(() => scan({ table: { object: "orgs/x/events" }, server: { api_key: TOKEN } }));
      assert.ok(!e.message.includes(TOKEN), e.message);
      // the 404 message is the FDW's own; the others quote what came back, token redacted (issue 8:
      // `[redacted]`, for every registered secret, where it was `[token]`)
      if (i !== 2) assert.match(e.message, /\[redacted\]/);
    }
  });
});

describe("rate limits and 404s", () => {
  const limited = (status: number, headers: [string, string][], body = { message: "API rate limit exceeded for 1.2.3.4." }) => jsonResponse(body, status, headers);

  test("primary limit: limit, reset as a UTC time, no token used and a hint", async () => {
    fakeHttp.handler = limited(403, [["x-ratelimit-limit", "60"], ["x-ratelimit-remaining", "0"], ["x-ratelimit-reset", "1768478400"]]);
    const e = await errorOf(() => scan({}));
    assert.equal(
      e.message,
      "GitHub API GET http://gh.test/events?per_page=100 failed: 403 Forbidden: rate limit exceeded (limit 60 requests, resets at 2026-01-15 12:00:00 UTC); no token was used: set the server option api_key, api_key_id or api_key_name for a higher limit",
    );
  });

  test("with a token, on 429, with retry-after", async () => {
    fakeHttp.handler = limited(429, [["x-ratelimit-limit", "5000"], ["x-ratelimit-remaining", "0"], ["x-ratelimit-reset", "951868799"], ["retry-after", "120"]]);
    const e = await errorOf(() => scan({ server: { api_key: TOKEN } }));
    assert.equal(e.message, "GitHub API GET http://gh.test/events?per_page=100 failed: 429 Too Many Requests: rate limit exceeded (limit 5000 requests, resets at 2000-02-29 23:59:59 UTC); retry after 120 s; a token was used");
  });

  test("reset times are formatted exactly (checked against Date over 150 years)", async () => {
    for (let s = 1; s < 150 * 365 * 86400; s += 86400 * 97 + 3671) {
      resetFakeHost();
      fakeHttp.handler = limited(403, [["x-ratelimit-remaining", "0"], ["x-ratelimit-reset", String(s)]]);
      const want = new Date(s * 1000).toISOString().replace("T", " ").replace(".000Z", " UTC");
      assert.match((await errorOf(() => scan({}))).message, new RegExp(`resets at ${want}\\)`));
    }
  });

  test("secondary limit: recognised by GitHub's message, with retry-after or without", async () => {
    const body = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };
    fakeHttp.handler = limited(403, [["retry-after", "60"], ["x-ratelimit-remaining", "4990"]], body);
    assert.match((await errorOf(() => scan({ server: { api_key: TOKEN } }))).message, /403 Forbidden: secondary rate limit exceeded; retry after 60 s; a token was used$/);
    resetFakeHost();
    fakeHttp.handler = limited(403, [], body);
    assert.match((await errorOf(() => scan({}))).message, /403 Forbidden: secondary rate limit exceeded; wait a few minutes; no token was used: set the server option api_key/);
  });

  test("a 403 that is not a rate limit keeps GitHub's message", async () => {
    fakeHttp.handler = limited(403, [["x-ratelimit-remaining", "59"]], { message: "Resource not accessible by personal access token" });
    assert.match((await errorOf(() => scan({}))).message, /403 Forbidden: Resource not accessible by personal access token$/);
  });

  test("404 on a repo/org/user/network feed: does not exist or is not visible (with or without a token)", async () => {
    fakeHttp.handler = jsonResponse({ message: "Not Found" }, 404);
    const cases: [string, string][] = [
      ["repos/octo-org/secret/events", "repository 'octo-org/secret'"],
      ["networks/octo-org/secret/events", "repository 'octo-org/secret'"],
      ["orgs/nope/events", "organization 'nope'"],
      ["users/nobody/events/public", "user 'nobody'"],
      ["users/nobody/received_events", "user 'nobody'"],
    ];
    for (const [object, what] of cases) {
      const e = await errorOf(() => scan({ table: { object } }));
      assert.equal(e.message, `GitHub API GET http://gh.test/${object}?per_page=100 failed: 404 Not Found: ${what} does not exist or is not visible without a token (set the server option api_key, api_key_id or api_key_name)`);
      const t = await errorOf(() => scan({ table: { object }, server: { api_key: TOKEN } }));
      assert.match(t.message, new RegExp(`404 Not Found: ${what} does not exist or is not visible with the token used$`));
    }
  });

  test("a 404 on a feed chosen by a qual is no rows (the public feed holds none either), not an error", async () => {
    fakeHttp.handler = githubHandler({ "/repos/o/r1/events": makeEvents(3, { repo: "o/r1" }) });
    assert.deepEqual((await scan({ quals: [eq("repo_name", "o/gone")] })).rows, []);
    resetFakeHost();
    fakeHttp.handler = githubHandler({ "/repos/o/r1/events": makeEvents(3, { repo: "o/r1" }) });
    const s = await scan({ quals: [inList("repo_name", ["o/gone", "o/r1"])] });
    assert.equal(s.rows.length, 3);
    assert.equal(s.urls.length, 2);
  });
});

describe("stats", () => {
  test("rows-in and bytes-in (UTF-8) once per scan, at the end of data; re-scan adds nothing", async () => {
    const events = makeEvents(3).map((e, i) => (i === 0 ? { ...e, type: "é😊日" } : e));
    fakeHttp.handler = jsonResponse(events);
    const fdw = await loadFdw();
    const ctx = ctxOf({ server: { api_url: API }, table: { object: "events" }, columns: [["id", "string"]] });
    fdw.init(ctx);
    fdw.beginScan(ctx);
    assert.deepEqual(recorded, []);
    const drain = (): void => {
      while (fdw.iterScan(ctx, new FakeRow([["id", "string"]]) as unknown as Row) != null);
    };
    drain();
    const bytes = Buffer.byteLength(JSON.stringify(events));
    assert.deepEqual(recorded, [["tsfdw:github-events-fdw", "rows-in", 3], ["tsfdw:github-events-fdw", "bytes-in", bytes]]);
    fdw.reScan(ctx);
    drain();
    fdw.endScan(ctx);
    assert.equal(recorded.length, 2);
  });

  test("with LIMIT pushed down: as soon as LIMIT + OFFSET rows are read (Postgres pulls no more)", async () => {
    fakeHttp.handler = githubHandler({ "/events": makeEvents(150) });
    await scan({ limit: { count: 2, offset: 1 } }, 3);
    assert.deepEqual(recorded.map((r) => [r[1], r[2]]), [["rows-in", 3], ["bytes-in", Buffer.byteLength(JSON.stringify(makeEvents(3)))]]);
  });

  test("never from end-scan (Postgres allows the host no SPI there): nothing for an abandoned scan or a plain EXPLAIN", async () => {
    fakeHttp.handler = githubHandler({ "/events": makeEvents(150) });
    await scan({}, 3);
    assert.deepEqual(recorded, []);
    const fdw = await loadFdw();
    fdw.init(ctxOf({}));
    fdw.endScan(ctxOf({ table: { object: "events" } }));
    assert.deepEqual(recorded, []);
  });
});

describe("IMPORT FOREIGN SCHEMA", () => {
  const COLUMNS = "id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp, org jsonb, repo_name text, org_login text, actor_login text";
  const create = (table: string, object: string, server = "s"): string =>
    `create foreign table if not exists "${table}" (${COLUMNS}) server "${server}" options (object '${object}', rowid_column 'id')`;
  type Stmt = SupabaseWrappers.ImportForeignSchemaStmt;
  const stmt = (s: Partial<Stmt> = {}): Stmt => ({ serverName: "s", remoteSchema: "github", localSchema: "gh", listType: { tag: "all" }, tableList: [], ...s });

  async function importSchema(options: Record<string, string>, s?: Partial<Stmt>): Promise<string[]> {
    const fdw = await loadFdw();
    fdw.init(ctxOf({ server: {} }));
    return fdw.importForeignSchema(ctxOf({ importSchema: options }), stmt(s));
  }

  test("without options: the events table", async () => {
    assert.deepEqual(await importSchema({}), [create("events", "events")]);
    assert.equal(fakeHttp.requests.length, 0);
  });

  test("repo, org and user options: one table per feed", async () => {
    assert.deepEqual(await importSchema({ repo: "octo-org/octo-repo", org: "octo-org", user: "octocat" }), [
      create("events", "events"),
      create("repo_events", "repos/octo-org/octo-repo/events"),
      create("network_events", "networks/octo-org/octo-repo/events"),
      create("org_events", "orgs/octo-org/events"),
      create("user_events", "users/octocat/events"),
      create("user_public_events", "users/octocat/events/public"),
      create("received_events", "users/octocat/received_events"),
      create("received_public_events", "users/octocat/received_events/public"),
    ]);
  });

  test("comma-separated lists: the name in each table's name", async () => {
    assert.deepEqual(await importSchema({ repo: "octo-org/octo-repo, octocat/Hello-World", user: "a,b" }, { serverName: 'my "gh"' }), [
      create("events", "events", 'my ""gh""'),
      create("repo_events_octo_org__octo_repo", "repos/octo-org/octo-repo/events", 'my ""gh""'),
      create("repo_events_octocat__hello_world", "repos/octocat/Hello-World/events", 'my ""gh""'),
      create("network_events_octo_org__octo_repo", "networks/octo-org/octo-repo/events", 'my ""gh""'),
      create("network_events_octocat__hello_world", "networks/octocat/Hello-World/events", 'my ""gh""'),
      create("user_events_a", "users/a/events", 'my ""gh""'),
      create("user_events_b", "users/b/events", 'my ""gh""'),
      create("user_public_events_a", "users/a/events/public", 'my ""gh""'),
      create("user_public_events_b", "users/b/events/public", 'my ""gh""'),
      create("received_events_a", "users/a/received_events", 'my ""gh""'),
      create("received_events_b", "users/b/received_events", 'my ""gh""'),
      create("received_public_events_a", "users/a/received_events/public", 'my ""gh""'),
      create("received_public_events_b", "users/b/received_events/public", 'my ""gh""'),
    ]);
  });

  test("quotes in names are escaped in the object literal", async () => {
    const [, repo] = await importSchema({ repo: "o/it's" });
    assert.equal(repo, create("repo_events", "repos/o/it''s/events"));
  });

  test("LIMIT TO and EXCEPT are applied", async () => {
    const opts = { repo: "o/r", org: "x" };
    const limited = await importSchema(opts, { listType: { tag: "limit-to" }, tableList: ["org_events", "events", "nope"] });
    assert.deepEqual(limited, [create("events", "events"), create("org_events", "orgs/x/events")]);
    const except = await importSchema(opts, { listType: { tag: "except" }, tableList: ["events", "network_events"] });
    assert.deepEqual(except, [create("repo_events", "repos/o/r/events"), create("org_events", "orgs/x/events")]);
  });

  test("invalid names: a clear error", async () => {
    await assert.rejects(importSchema({ repo: "octocat" }), { message: "invalid IMPORT FOREIGN SCHEMA option repo 'octocat': expected owner/name, or a comma-separated list of them" });
    await assert.rejects(importSchema({ user: "a/b" }), { message: "invalid IMPORT FOREIGN SCHEMA option user 'a/b': expected a login, or a comma-separated list of them" });
    await assert.rejects(importSchema({ org: ".." }), /invalid IMPORT FOREIGN SCHEMA option org '\.\.'/);
  });
});
