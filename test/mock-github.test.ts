// Tests for the mock GitHub events API (mock/github/): generated data shapes, feed selection,
// paging/Link/cap, ETag/304, rate limits, auth, User-Agent, gzip, faults and the live feed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { request, type IncomingHttpHeaders } from "node:http";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { EVENT_TYPES, generateEvents, type GitHubEvent } from "../mock/github/events.js";
import type { Json, JsonObject } from "../mock/github/json.js";
import { startMockGitHub, type MockGitHub } from "../mock/github/server.js";
import { defaultWorld } from "../mock/github/world.js";

const NEWEST = "2026-01-15T12:00:00Z";
const UA = { "user-agent": "tsfdw-mock-test/1.0" };
const TOKEN = "ghp_mockTokenForTests0123456789";
const PAGINATION_MESSAGE =
  "In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link response header to see how far back you can traverse.";

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raw node:http GET so tests control every header (fetch would add a UA and accept-encoding). */
function get(url: string, headers: Record<string, string> = UA, method = "GET"): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

function json(res: Res): Json {
  return JSON.parse(res.body.toString("utf8")) as Json;
}

function eventsOf(res: Res): GitHubEvent[] {
  const v = JSON.parse(res.body.toString("utf8")) as unknown;
  assert.ok(Array.isArray(v), "body is a JSON array");
  return v as GitHubEvent[];
}

const ids = (evs: readonly GitHubEvent[]): string[] => evs.map((e) => e.id);

/** Parses a Link header into rel → page number (and checks the URL shape). */
function links(res: Res, base: string): Record<string, number> {
  const raw = res.headers["link"];
  if (raw === undefined) return {};
  assert.equal(typeof raw, "string");
  const out: Record<string, number> = {};
  for (const part of String(raw).split(", ")) {
    const m = /^<([^>]+)>; rel="(prev|next|last|first)"$/.exec(part);
    assert.ok(m, `link part ${part}`);
    const u = new URL(m[1]!);
    assert.equal(u.origin, base);
    out[m[2]!] = Number(u.searchParams.get("page"));
  }
  return out;
}

function header(res: Res, name: string): string {
  const v = res.headers[name];
  assert.equal(typeof v, "string", `header ${name} present`);
  return v as string;
}

function collectKeys(v: Json, into: Set<string>): void {
  if (Array.isArray(v)) v.forEach((x) => collectKeys(x, into));
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      into.add(k);
      collectKeys(x, into);
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("event generator", () => {
  const events = generateEvents({ newest: NEWEST });
  const world = defaultWorld();
  const orgOwned = new Map(world.repos.map((r) => [r.fullName, r.ownerIsOrg]));

  it("is deterministic per seed and anchored at `newest`", () => {
    assert.deepEqual(generateEvents({ newest: NEWEST }), events);
    const other = generateEvents({ newest: NEWEST, seed: 2 });
    assert.notDeepEqual(ids(other), ids(events));
    assert.equal(events[0]!.created_at, NEWEST);
  });

  it("counts public events; private ones come on top", () => {
    assert.equal(events.filter((e) => e.public).length, 320);
    assert.ok(events.some((e) => !e.public), "some private events");
    const small = generateEvents({ newest: NEWEST, count: 50 });
    assert.equal(small.filter((e) => e.public).length, 50);
  });

  it("orders newest first with strictly decreasing second-precision times and ids", () => {
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      assert.match(e.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(e.id, /^\d{11,}$/);
      if (i > 0) {
        const prev = events[i - 1]!;
        assert.ok(Date.parse(e.created_at) < Date.parse(prev.created_at), `time decreases at ${i}`);
        assert.ok(BigInt(e.id) < BigInt(prev.id), `id decreases at ${i}`);
      }
    }
  });

  it("produces the documented event object shape", () => {
    for (const e of events) {
      const keys = Object.keys(e);
      const expected = ["id", "type", "actor", "repo", "payload", "public", "created_at"];
      assert.deepEqual(keys.slice(0, 7), expected);
      assert.deepEqual(Object.keys(e.actor), ["id", "login", "display_login", "gravatar_id", "url", "avatar_url"]);
      assert.equal(e.actor.gravatar_id, "");
      assert.equal(e.actor.url, `https://api.github.com/users/${e.actor.login}`);
      assert.deepEqual(Object.keys(e.repo), ["id", "name", "url"]);
      assert.match(e.repo.name, /^[^/]+\/[^/]+$/);
      assert.equal(e.repo.url, `https://api.github.com/repos/${e.repo.name}`);
      // org: present only for org-owned repos, and then without display_login.
      assert.equal("org" in e, orgOwned.get(e.repo.name) === true, `org key for ${e.repo.name}`);
      if (e.org) {
        assert.deepEqual(Object.keys(e.org), ["id", "login", "gravatar_id", "url", "avatar_url"]);
        assert.equal(e.repo.name.split("/")[0], e.org.login);
        assert.equal(e.org.url, `https://api.github.com/orgs/${e.org.login}`);
      }
      assert.equal(typeof e.public, "boolean");
    }
  });

  it("covers all 16 types with the post-2025-10-07 payload shapes", () => {
    const byType = new Map<string, GitHubEvent[]>();
    for (const e of events) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
    assert.deepEqual([...byType.keys()].sort(), [...EVENT_TYPES].sort());
    const first = (t: string): JsonObject => byType.get(t)![0]!.payload;

    for (const e of byType.get("PushEvent")!) {
      assert.deepEqual(Object.keys(e.payload), ["repository_id", "push_id", "ref", "head", "before"]);
      assert.equal(e.payload["repository_id"], e.repo.id);
      assert.ok((e.payload["push_id"] as number) > 2 ** 31);
      assert.match(e.payload["ref"] as string, /^refs\/heads\//);
      assert.match(e.payload["head"] as string, /^[0-9a-f]{40}$/);
    }
    for (const e of byType.get("PullRequestEvent")!) {
      const pr = e.payload["pull_request"] as JsonObject;
      assert.deepEqual(Object.keys(pr), ["id", "number", "url", "head", "base"]);
      assert.equal(pr["number"], e.payload["number"]);
      for (const side of ["head", "base"]) {
        const s = pr[side] as JsonObject;
        assert.deepEqual(Object.keys(s), ["ref", "sha", "repo"]);
        assert.deepEqual(Object.keys(s["repo"] as JsonObject), ["id", "url", "name"]);
      }
    }
    assert.deepEqual(first("WatchEvent"), { action: "started" });
    assert.deepEqual(first("PublicEvent"), {});
    for (const k of ["ref", "ref_type", "full_ref", "master_branch", "description", "pusher_type"]) assert.ok(k in first("CreateEvent"), k);
    for (const k of ["ref", "ref_type", "full_ref", "pusher_type"]) assert.ok(k in first("DeleteEvent"), k);
    assert.equal((first("ForkEvent")["forkee"] as JsonObject)["fork"], true);
    assert.ok("issue" in first("IssuesEvent"));
    assert.ok("issue" in first("IssueCommentEvent") && "comment" in first("IssueCommentEvent"));
    assert.ok("review" in first("PullRequestReviewEvent") && "pull_request" in first("PullRequestReviewEvent"));
    assert.ok("comment" in first("PullRequestReviewCommentEvent") && "pull_request" in first("PullRequestReviewCommentEvent"));
    assert.ok("comment" in first("CommitCommentEvent"));
    assert.equal(first("ReleaseEvent")["action"], "published");
    assert.equal(first("MemberEvent")["action"], "added");
    assert.ok(Array.isArray(first("GollumEvent")["pages"]));
    assert.equal(first("DiscussionEvent")["action"], "created");

    // The trim removed author_association from every payload (commits/size went with the exact PushEvent keys above).
    const keys = new Set<string>();
    for (const e of events) collectKeys(e.payload, keys);
    assert.ok(!keys.has("author_association"));
  });

  it("includes awkward values: unicode, quotes, nulls, bot logins", () => {
    const text = JSON.stringify(events);
    assert.ok(/[^\x00-\x7f]/.test(text), "non-ASCII text");
    assert.ok(events.some((e) => JSON.stringify(e.payload).includes('\\"')), "quotes inside strings");
    assert.ok(events.some((e) => e.type === "CreateEvent" && e.payload["description"] === null), "null description");
    assert.ok(events.some((e) => e.actor.login.endsWith("[bot]") && e.actor.display_login !== e.actor.login), "bot actor");
  });

  // How fast it generates them is for `npm run bench`, not for a test.
  it("generates 20,000 public events with distinct ids, newest first", () => {
    const big = generateEvents({ count: 20_000, newest: NEWEST });
    assert.equal(big.filter((e) => e.public).length, 20_000);
    assert.equal(new Set(big.map((e) => e.id)).size, big.length);
    assert.ok(big.every((e, i) => i === 0 || e.created_at <= (big[i - 1] as typeof e).created_at));
  });
});

describe("feeds", () => {
  let mock: MockGitHub;
  const auth = { ...UA, authorization: `Bearer ${TOKEN}` };
  before(async () => {
    mock = await startMockGitHub({ newest: NEWEST, token: TOKEN, maxPerPage: 1000, cap: 1000 });
  });
  after(() => mock.close());

  /** Fetches the whole feed in one page (cap/maxPerPage are raised for this suite). */
  const all = async (path: string, headers: Record<string, string> = UA): Promise<GitHubEvent[]> => {
    const res = await get(`${mock.url}${path}?per_page=1000`, headers);
    assert.equal(res.status, 200, `${path} → ${res.status} ${res.body.toString()}`);
    return eventsOf(res);
  };

  it("/events holds public events only", async () => {
    const got = await all("/events");
    assert.deepEqual(ids(got), ids(mock.events.filter((e) => e.public)));
    assert.deepEqual(ids(await all("/events", auth)), ids(got), "authentication adds nothing to /events");
  });

  it("/repos/{owner}/{repo}/events: that repo, case-insensitively; private repos need access", async () => {
    const expected = mock.events.filter((e) => e.repo.name === "octo-org/octo-repo");
    assert.ok(expected.length > 0);
    assert.deepEqual(ids(await all("/repos/octo-org/octo-repo/events")), ids(expected));
    const hello = mock.events.filter((e) => e.repo.name === "octocat/Hello-World");
    assert.deepEqual(ids(await all("/repos/OCTOCAT/hello-world/events")), ids(hello));
    assert.equal((await get(`${mock.url}/repos/octocat/dotfiles/events`)).status, 404);
    const dotfiles = mock.events.filter((e) => e.repo.name === "octocat/dotfiles");
    assert.ok(dotfiles.length > 0 && dotfiles.every((e) => !e.public));
    assert.deepEqual(ids(await all("/repos/octocat/dotfiles/events", auth)), ids(dotfiles));
  });

  it("/networks/{owner}/{repo}/events: the repo and its forks, from either end", async () => {
    const net = new Set(["octo-org/hello-world", "monalisa/hello-world"]);
    const expected = mock.events.filter((e) => e.public && net.has(e.repo.name));
    assert.ok(expected.some((e) => e.repo.name === "monalisa/hello-world"), "fork activity present");
    assert.deepEqual(ids(await all("/networks/octo-org/hello-world/events")), ids(expected));
    assert.deepEqual(ids(await all("/networks/monalisa/hello-world/events")), ids(expected));
  });

  it("/orgs/{org}/events: public events of the org's repos", async () => {
    const expected = mock.events.filter((e) => e.public && e.org?.login === "acme-labs");
    assert.ok(expected.length > 0);
    assert.deepEqual(ids(await all("/orgs/acme-labs/events")), ids(expected));
    assert.deepEqual(ids(await all("/orgs/acme-labs/events", auth)), ids(expected));
  });

  it("/users/{username}/events: private events only for the token's user", async () => {
    const mine = mock.events.filter((e) => e.actor.login === "octocat");
    assert.ok(mine.some((e) => !e.public), "octocat has private events");
    assert.deepEqual(ids(await all("/users/octocat/events")), ids(mine.filter((e) => e.public)));
    assert.deepEqual(ids(await all("/users/octocat/events", auth)), ids(mine));
    assert.deepEqual(ids(await all("/users/octocat/events/public", auth)), ids(mine.filter((e) => e.public)));
    // Authenticated as octocat, another user's private events stay hidden.
    const hubot = mock.events.filter((e) => e.actor.login === "hubot" && e.public);
    assert.deepEqual(ids(await all("/users/hubot/events", auth)), ids(hubot));
    const bot = mock.events.filter((e) => e.actor.login === "dependabot[bot]");
    assert.deepEqual(ids(await all("/users/dependabot%5Bbot%5D/events")), ids(bot));
  });

  it("/users/{username}/events/orgs/{org}: the member's org dashboard, authenticated only", async () => {
    assert.equal((await get(`${mock.url}/users/octocat/events/orgs/octo-org`)).status, 404);
    assert.equal((await get(`${mock.url}/users/hubot/events/orgs/octo-org`, auth)).status, 404, "not that user");
    assert.equal((await get(`${mock.url}/users/octocat/events/orgs/pg-wasm`, auth)).status, 404, "not a member");
    const expected = mock.events.filter((e) => e.org?.login === "octo-org");
    assert.ok(expected.some((e) => !e.public));
    assert.deepEqual(ids(await all("/users/octocat/events/orgs/octo-org", auth)), ids(expected));
  });

  it("/users/{username}/received_events: followed users and watched repos", async () => {
    const world = mock.world;
    const follows = new Set(world.follows["octocat"]);
    const watches = new Set(world.watches["octocat"]);
    const received = mock.events.filter((e) => e.actor.login !== "octocat" && (follows.has(e.actor.login) || watches.has(e.repo.name)));
    assert.ok(received.some((e) => !e.public), "some received events are private");
    const pub = received.filter((e) => e.public);
    assert.deepEqual(ids(await all("/users/octocat/received_events")), ids(pub));
    assert.deepEqual(ids(await all("/users/octocat/received_events/public", auth)), ids(pub));
    assert.deepEqual(ids(await all("/users/octocat/received_events", auth)), ids(received));
  });

  it("feed() returns the same selection as the HTTP feed", async () => {
    assert.deepEqual(ids(mock.feed("/users/octocat/events", { authenticated: true })), ids(await all("/users/octocat/events", auth)));
    assert.throws(() => mock.feed("/users/nobody-here/events"));
  });

  it("unknown users, orgs, repos and paths → 404 JSON", async () => {
    for (const path of [
      "/users/nobody-here/events",
      "/orgs/no-such-org/events",
      "/repos/octocat/no-such-repo/events",
      "/networks/octocat/no-such-repo/events",
      "/users/nobody-here/received_events",
      "/nope",
      "/events/",
      "/repos/octocat/Hello-World/events/extra",
    ]) {
      const res = await get(`${mock.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers["content-type"], "application/json; charset=utf-8");
      const body = json(res) as JsonObject;
      assert.equal(body["message"], "Not Found");
      assert.equal(body["status"], "404");
      assert.equal(typeof body["documentation_url"], "string");
    }
    const post = await get(`${mock.url}/events`, UA, "POST");
    assert.equal(post.status, 404);
    assert.equal((json(post) as JsonObject)["message"], "Not Found");
  });
});

describe("paging, Link and the 300 cap", () => {
  let mock: MockGitHub;
  before(async () => {
    mock = await startMockGitHub({ newest: NEWEST, rateLimit: 10_000 });
  });
  after(() => mock.close());

  it("/events defaults to 15 per page with next/last links", async () => {
    const feed = mock.feed("/events");
    assert.ok(feed.length > 300);
    const res = await get(`${mock.url}/events`);
    assert.equal(res.status, 200);
    assert.deepEqual(ids(eventsOf(res)), ids(feed.slice(0, 15)));
    assert.equal(res.headers.link, `<${mock.url}/events?page=2>; rel="next", <${mock.url}/events?page=20>; rel="last"`);
  });

  it("per_page=100 gives 3 pages, the last capped and without next; page 4 → 422", async () => {
    const feed = mock.feed("/events");
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await get(`${mock.url}/events?per_page=100&page=${page}`);
      assert.equal(res.status, 200);
      seen.push(...ids(eventsOf(res)));
      const l = links(res, mock.url);
      if (page < 3) assert.deepEqual(l.next, page + 1);
      else assert.equal(l.next, undefined);
      if (page < 3) assert.equal(l.last, 3);
      if (page > 1) assert.deepEqual([l.prev, l.first], [page - 1, 1]);
    }
    assert.deepEqual(seen, ids(feed.slice(0, 300)));
    const mid = await get(`${mock.url}/events?per_page=100&page=2`);
    assert.equal(
      mid.headers.link,
      `<${mock.url}/events?per_page=100&page=1>; rel="prev", <${mock.url}/events?per_page=100&page=3>; rel="next", ` +
        `<${mock.url}/events?per_page=100&page=3>; rel="last", <${mock.url}/events?per_page=100&page=1>; rel="first"`,
    );
    const over = await get(`${mock.url}/events?per_page=100&page=4`);
    assert.equal(over.status, 422);
    assert.deepEqual(json(over), { message: PAGINATION_MESSAGE, documentation_url: "https://docs.github.com/v3/#pagination", status: "422" });
  });

  it("odd page sizes: the last page holds the remainder of the cap", async () => {
    const feed = mock.feed("/events");
    const res = await get(`${mock.url}/events?per_page=7&page=43`);
    assert.deepEqual(ids(eventsOf(res)), ids(feed.slice(294, 300)));
    assert.equal(links(res, mock.url).next, undefined);
    const first = await get(`${mock.url}/events?per_page=7`);
    assert.equal(links(first, mock.url).last, 43);
    assert.equal((await get(`${mock.url}/events?per_page=7&page=44`)).status, 422);
  });

  it("small feeds: no Link on one page, [] past the data but within the cap", async () => {
    const feed = mock.feed("/repos/hubot/scripts/events");
    assert.ok(feed.length > 0 && feed.length <= 30, `hubot/scripts has ${feed.length} events`);
    const res = await get(`${mock.url}/repos/hubot/scripts/events`);
    assert.deepEqual(ids(eventsOf(res)), ids(feed));
    assert.equal(res.headers.link, undefined);
    const past = await get(`${mock.url}/repos/hubot/scripts/events?page=2`);
    assert.equal(past.status, 200);
    assert.deepEqual(eventsOf(past), []);
    assert.deepEqual(links(past, mock.url), { prev: 1, first: 1 });
    assert.equal((await get(`${mock.url}/repos/hubot/scripts/events?page=10`)).status, 200);
    assert.equal((await get(`${mock.url}/repos/hubot/scripts/events?page=11`)).status, 422);
  });

  it("per_page is clamped to the maximum; invalid values fall back to the default", async () => {
    const feed = mock.feed("/events");
    const big = await get(`${mock.url}/events?per_page=500`);
    assert.deepEqual(ids(eventsOf(big)), ids(feed.slice(0, 100)));
    assert.match(header(big, "link"), /per_page=500&page=2>; rel="next", <[^>]+per_page=500&page=3>; rel="last"$/);
    for (const bad of ["abc", "0", "-5", "1.5"]) {
      const res = await get(`${mock.url}/events?per_page=${bad}`);
      assert.equal(eventsOf(res).length, 15, `per_page=${bad}`);
    }
    const repo = await get(`${mock.url}/repos/octo-org/octo-repo/events?per_page=abc`);
    assert.equal(eventsOf(repo).length, 30, "30 elsewhere");
    const page0 = await get(`${mock.url}/events?page=0`);
    assert.deepEqual(ids(eventsOf(page0)), ids(feed.slice(0, 15)));
  });

  it("Link keeps other query parameters and puts page last", async () => {
    const res = await get(`${mock.url}/events?foo=b%20r&per_page=5`);
    assert.match(header(res, "link"), new RegExp(`^<${mock.url}/events\\?foo=b\\+r&per_page=5&page=2>; rel="next"`));
  });

  it("cap and maxPerPage are options (the bench serves 20,000 events in one page)", async () => {
    const small = await startMockGitHub({ newest: NEWEST, cap: 50 });
    try {
      const res = await get(`${small.url}/events?per_page=20`);
      assert.equal(links(res, small.url).last, 3);
      assert.equal((await get(`${small.url}/events?per_page=20&page=4`)).status, 422);
    } finally {
      await small.close();
    }
    const big = await startMockGitHub({ events: 20_000, maxPerPage: 20_000, defaultPerPage: 20_000, cap: 20_000 });
    try {
      const res = await get(`${big.url}/events`);
      assert.equal(res.status, 200);
      assert.equal(eventsOf(res).length, 20_000);
      assert.equal(res.headers.link, undefined);
    } finally {
      await big.close();
    }
  });
});

describe("HTTP details: headers, ETag/304, versions, gzip, User-Agent", () => {
  let mock: MockGitHub;
  before(async () => {
    mock = await startMockGitHub({ newest: NEWEST, token: TOKEN });
  });
  after(() => mock.close());

  it("sends GitHub's headers on feed responses", async () => {
    const res = await get(`${mock.url}/repos/acme-labs/rocket/events`);
    assert.equal(header(res, "content-type"), "application/json; charset=utf-8");
    assert.equal(header(res, "x-github-media-type"), "github.v3; format=json");
    assert.equal(header(res, "x-poll-interval"), "60");
    assert.equal(header(res, "x-github-api-version-selected"), "2022-11-28");
    assert.equal(header(res, "x-ratelimit-resource"), "core");
    assert.equal(header(res, "x-ratelimit-limit"), "60");
    for (const h of ["x-ratelimit-remaining", "x-ratelimit-used", "x-ratelimit-reset"]) assert.match(header(res, h), /^\d+$/);
    assert.ok(Number(header(res, "x-ratelimit-reset")) > Date.now() / 1000);
    assert.match(header(res, "cache-control"), /max-age=60/);
    assert.match(header(res, "vary"), /Accept-Encoding/);
    assert.equal(header(res, "etag"), `W/"${createHash("sha256").update(res.body).digest("hex")}"`);
  });

  it("If-None-Match → 304 without body; free only when authenticated", async () => {
    const path = `${mock.url}/orgs/octo-org/events`;
    const first = await get(path);
    const etag = header(first, "etag");
    const before = mock.rateLimit(false).used;
    const nm = await get(path, { ...UA, "if-none-match": etag });
    assert.equal(nm.status, 304);
    assert.equal(nm.body.length, 0);
    assert.equal(header(nm, "etag"), etag);
    assert.equal(mock.rateLimit(false).used, before + 1, "unauthenticated 304 counts");
    // Strong form of the same tag matches too (weak comparison).
    assert.equal((await get(path, { ...UA, "if-none-match": etag.slice(2) })).status, 304);

    const auth = { ...UA, authorization: `token ${TOKEN}` };
    const a1 = await get(path, auth);
    const usedAuth = mock.rateLimit(true).used;
    const a2 = await get(path, { ...auth, "if-none-match": header(a1, "etag") });
    assert.equal(a2.status, 304);
    assert.equal(mock.rateLimit(true).used, usedAuth, "authenticated 304 is free");
    assert.equal(header(a2, "x-ratelimit-remaining"), String(5000 - usedAuth));

    assert.equal((await get(path, { ...UA, "if-none-match": 'W/"deadbeef"' })).status, 200);
  });

  it("echoes supported API versions and rejects unknown ones with 400", async () => {
    const v = await get(`${mock.url}/events`, { ...UA, "x-github-api-version": "2026-03-10" });
    assert.equal(header(v, "x-github-api-version-selected"), "2026-03-10");
    const bad = await get(`${mock.url}/events`, { ...UA, "x-github-api-version": "2021-01-01" });
    assert.equal(bad.status, 400);
    const body = json(bad) as JsonObject;
    assert.equal(body["status"], "400");
    assert.match(body["message"] as string, /2021-01-01/);
  });

  it("gzips when asked, and logs the bytes actually sent", async () => {
    const plain = await get(`${mock.url}/events?per_page=50`);
    mock.resetLog();
    const gz = await get(`${mock.url}/events?per_page=50`, { ...UA, "accept-encoding": "gzip, deflate, br" });
    assert.equal(header(gz, "content-encoding"), "gzip");
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    assert.equal(header(gz, "etag"), header(plain, "etag"));
    assert.equal(mock.requests[0]!.bytes, gz.body.length);
    assert.ok(gz.body.length < plain.body.length);
    const refused = await get(`${mock.url}/events?per_page=50`, { ...UA, "accept-encoding": "gzip;q=0" });
    assert.equal(refused.headers["content-encoding"], undefined);
  });

  it("refuses a missing User-Agent with GitHub's text/html 403 (not counted)", async () => {
    const used = mock.rateLimit(false).used;
    const res = await get(`${mock.url}/events`, {});
    assert.equal(res.status, 403);
    assert.equal(header(res, "content-type"), "text/html");
    assert.match(res.body.toString(), /^Request forbidden by administrative rules\. Please make sure your request has a User-Agent header/);
    assert.equal(mock.rateLimit(false).used, used);
    const lax = await startMockGitHub({ newest: NEWEST, requireUserAgent: false });
    try {
      assert.equal((await get(`${lax.url}/events`, {})).status, 200);
    } finally {
      await lax.close();
    }
  });

  it("logs requests without credential values", async () => {
    mock.resetLog();
    assert.equal(mock.requests.length, 0);
    await get(`${mock.url}/users/octocat/events?per_page=3&page=2`, { ...UA, authorization: `Bearer ${TOKEN}`, "x-github-api-version": "2022-11-28" });
    await get(`${mock.url}/nope`);
    assert.equal(mock.requests.length, 2);
    const [a, b] = mock.requests;
    assert.deepEqual(
      { method: a!.method, path: a!.path, query: a!.query, status: a!.status, authenticated: a!.authenticated, userAgent: a!.userAgent },
      { method: "GET", path: "/users/octocat/events", query: { per_page: "3", page: "2" }, status: 200, authenticated: true, userAgent: UA["user-agent"] },
    );
    assert.ok(a!.bytes > 0);
    assert.ok(a!.headerNames.includes("authorization") && a!.headerNames.includes("x-github-api-version"));
    assert.equal(b!.status, 404);
    assert.ok(!JSON.stringify(mock.requests).includes(TOKEN));
  });
});

describe("authentication and rate limits", () => {
  it("401 Bad credentials for a wrong token, both schemes accepted for the right one", async () => {
    const mock = await startMockGitHub({ newest: NEWEST, token: TOKEN });
    try {
      const bad = await get(`${mock.url}/events`, { ...UA, authorization: "Bearer ghp_wrong" });
      assert.equal(bad.status, 401);
      assert.equal(bad.body.toString(), '{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}');
      for (const scheme of ["Bearer", "token", "bearer"]) {
        const ok = await get(`${mock.url}/events`, { ...UA, authorization: `${scheme} ${TOKEN}` });
        assert.equal(ok.status, 200, scheme);
        assert.equal(header(ok, "x-ratelimit-limit"), "5000");
        assert.match(header(ok, "vary"), /Authorization/);
        assert.match(header(ok, "cache-control"), /^private/);
      }
    } finally {
      await mock.close();
    }
    const noToken = await startMockGitHub({ newest: NEWEST });
    try {
      assert.equal((await get(`${noToken.url}/events`, { ...UA, authorization: `Bearer ${TOKEN}` })).status, 401);
    } finally {
      await noToken.close();
    }
  });

  it("primary limit: counts down, then 403 with remaining 0 and a future reset", async () => {
    const mock = await startMockGitHub({ newest: NEWEST, rateLimit: 3 });
    try {
      for (let i = 1; i <= 3; i++) {
        const res = await get(`${mock.url}/events`);
        assert.equal(res.status, 200);
        assert.equal(header(res, "x-ratelimit-remaining"), String(3 - i));
        assert.equal(header(res, "x-ratelimit-used"), String(i));
      }
      const limited = await get(`${mock.url}/events`);
      assert.equal(limited.status, 403);
      assert.equal(header(limited, "x-ratelimit-remaining"), "0");
      assert.ok(Number(header(limited, "x-ratelimit-reset")) > Date.now() / 1000);
      const body = json(limited) as JsonObject;
      assert.match(body["message"] as string, /^API rate limit exceeded for 127\.0\.0\.1\. \(But here's the good news: Authenticated requests get a higher rate limit/);
      assert.equal(body["status"], "403");
      mock.resetRateLimit();
      assert.equal((await get(`${mock.url}/events`)).status, 200);
    } finally {
      await mock.close();
    }
  });

  it("rateLimitStatus 429 and exhaustRateLimit() for the authenticated user", async () => {
    const mock = await startMockGitHub({ newest: NEWEST, token: TOKEN, rateLimitStatus: 429 });
    try {
      mock.exhaustRateLimit({ bucket: "authenticated" });
      const res = await get(`${mock.url}/events`, { ...UA, authorization: `Bearer ${TOKEN}` });
      assert.equal(res.status, 429);
      assert.equal(header(res, "x-ratelimit-remaining"), "0");
      assert.equal((json(res) as JsonObject)["message"], "API rate limit exceeded for user ID 583231.");
      assert.equal((await get(`${mock.url}/events`)).status, 200, "the anonymous bucket is separate");
    } finally {
      await mock.close();
    }
  });

  it("an exhausted window recovers at x-ratelimit-reset", async () => {
    const mock = await startMockGitHub({ newest: NEWEST });
    try {
      mock.exhaustRateLimit({ resetInSecs: 1 });
      const limited = await get(`${mock.url}/events`);
      assert.equal(limited.status, 403);
      const reset = Number(header(limited, "x-ratelimit-reset"));
      await sleep(Math.max(0, reset * 1000 - Date.now()) + 50);
      const ok = await get(`${mock.url}/events`);
      assert.equal(ok.status, 200);
      assert.equal(header(ok, "x-ratelimit-remaining"), "59");
    } finally {
      await mock.close();
    }
  });

  it("secondary limit: GitHub's message with retry-after, remaining still > 0", async () => {
    const mock = await startMockGitHub({ newest: NEWEST });
    try {
      mock.secondaryLimit(7, 1);
      const res = await get(`${mock.url}/events`);
      assert.equal(res.status, 403);
      assert.equal(header(res, "retry-after"), "7");
      assert.notEqual(header(res, "x-ratelimit-remaining"), "0");
      const body = json(res) as JsonObject;
      assert.match(body["message"] as string, /^You have exceeded a secondary rate limit\./);
      assert.match(body["documentation_url"] as string, /secondary-rate-limits/);
      assert.equal((await get(`${mock.url}/events`)).status, 200, "times: 1");
      mock.secondaryLimit();
      const again = await get(`${mock.url}/events`);
      assert.equal(again.status, 403);
      assert.equal(again.headers["retry-after"], undefined);
      mock.clearFaults();
      assert.equal((await get(`${mock.url}/events`)).status, 200);
    } finally {
      await mock.close();
    }
  });
});

describe("faults and the live feed", () => {
  let mock: MockGitHub;
  before(async () => {
    mock = await startMockGitHub({ newest: NEWEST });
  });
  after(() => mock.close());

  it("answers injected faults verbatim, by path, RegExp and query, for `times` requests", async () => {
    mock.fault({ path: "/events", status: 200, body: "[{not json", times: 1 });
    const broken = await get(`${mock.url}/events`);
    assert.equal(broken.status, 200);
    assert.equal(broken.body.toString(), "[{not json");
    assert.equal(header(broken, "content-type"), "application/json; charset=utf-8");
    assert.equal((await get(`${mock.url}/events`)).body.toString().startsWith("[{\"id\""), true);

    mock.fault({ path: /^\/repos\//, status: 500, body: '{"message":"Server Error"}', headers: { "X-Custom": "yes" } });
    const err = await get(`${mock.url}/repos/acme-labs/rocket/events`);
    assert.equal(err.status, 500);
    assert.equal(header(err, "x-custom"), "yes");
    assert.equal((await get(`${mock.url}/repos/acme-labs/rocket/events`)).status, 500, "until cleared");
    mock.clearFaults();
    assert.equal((await get(`${mock.url}/repos/acme-labs/rocket/events`)).status, 200);

    mock.fault({ path: "/events", query: { page: "2" }, status: 200, body: '{"not":"an array"}', times: 1 });
    assert.equal((await get(`${mock.url}/events`)).status, 200);
    assert.deepEqual(json(await get(`${mock.url}/events?page=2`)), { not: "an array" });
  });

  it("push() prepends newer events so pages shift between requests", async () => {
    const before = mock.feed("/events");
    const page1 = await get(`${mock.url}/events`);
    const etag = header(page1, "etag");
    const fresh = mock.push(3);
    assert.equal(fresh.length, 3);
    assert.ok(fresh.every((e) => e.public));
    assert.ok(BigInt(fresh[2]!.id) > BigInt(before[0]!.id));
    assert.ok(Date.parse(fresh[2]!.created_at) > Date.parse(before[0]!.created_at));
    assert.ok(Date.parse(fresh[0]!.created_at) > Date.parse(fresh[1]!.created_at));
    const after = await get(`${mock.url}/events`, { ...UA, "if-none-match": etag });
    assert.equal(after.status, 200, "the ETag changed");
    assert.deepEqual(ids(eventsOf(after)), [...ids(fresh), ...ids(before.slice(0, 12))]);
    const page2 = await get(`${mock.url}/events?page=2`);
    assert.deepEqual(ids(eventsOf(page2)).slice(0, 3), ids(before.slice(12, 15)), "the old page-1 tail moved to page 2");
  });

  it("onRequest runs after each response is sent, so a push() there moves the feed between pages", async () => {
    const seen: string[] = [];
    mock.onRequest = (r) => {
      seen.push(`${r.status} ${r.path}?${new URLSearchParams(r.query).toString()}`);
      if (r.query["page"] === undefined) mock.push(2);
      throw new Error("ignored");
    };
    try {
      const before = mock.feed("/events");
      const page1 = eventsOf(await get(`${mock.url}/events?per_page=10`));
      assert.deepEqual(ids(page1), ids(before.slice(0, 10)), "page 1 was served before the push");
      const page2 = eventsOf(await get(`${mock.url}/events?per_page=10&page=2`));
      assert.deepEqual(ids(page2), ids(before.slice(8, 18)), "two new events shifted page 2");
      assert.deepEqual(seen, ["200 /events?per_page=10", "200 /events?per_page=10&page=2"]);
    } finally {
      mock.onRequest = null;
    }
    assert.equal(mock.onRequest, null);
  });
});

describe("prebuilt datasets", () => {
  it("serves a given array as is and keeps push() newer than it", async () => {
    const octocat = { id: 583231, login: "octocat", display_login: "octocat", gravatar_id: "", url: "https://api.github.com/users/octocat", avatar_url: "https://avatars.githubusercontent.com/u/583231?v=4" };
    const org = { id: 9919, login: "octo-org", gravatar_id: "", url: "https://api.github.com/orgs/octo-org", avatar_url: "https://avatars.githubusercontent.com/u/9919?" };
    const repo = { id: 1296269, name: "octo-org/octo-repo", url: "https://api.github.com/repos/octo-org/octo-repo" };
    const given: GitHubEvent[] = [
      { id: "22249084964", type: "PushEvent", actor: octocat, repo, payload: { repository_id: 1296269, push_id: 10115855396, ref: "refs/heads/master", head: "7a8f3ac80e2ad2f6842cb86f576d4bfe2c03e300", before: "883efe034920928c47fe18598c01249d1a9fdabd" }, public: false, created_at: "2022-06-09T12:47:28Z", org },
      { id: "22237752260", type: "WatchEvent", actor: octocat, repo, payload: { action: "started" }, public: true, created_at: "2022-06-08T23:29:25Z", org },
    ];
    const mock = await startMockGitHub({ events: given, token: TOKEN });
    try {
      const res = await get(`${mock.url}/repos/octo-org/octo-repo/events`);
      assert.deepEqual(eventsOf(res), [given[1]]);
      const authed = await get(`${mock.url}/repos/octo-org/octo-repo/events`, { ...UA, authorization: `Bearer ${TOKEN}` });
      assert.deepEqual(eventsOf(authed), given);
      assert.equal((await get(`${mock.url}/events`, UA, "HEAD")).status, 200);
      const [fresh] = mock.push(1);
      assert.ok(BigInt(fresh!.id) > 22249084964n && Date.parse(fresh!.created_at) > Date.parse("2022-06-09T12:47:28Z"));
    } finally {
      await mock.close();
    }
  });
});

describe("cli", () => {
  it("prints the URL, serves, and stops on SIGTERM", async () => {
    const cli = new URL("../mock/github/cli.js", import.meta.url);
    const child = spawn(process.execPath, [cli.pathname, "--port", "0", "--events", "40", "--seed", "7"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString("utf8");
          const nl = out.indexOf("\n");
          if (nl >= 0) resolve(out.slice(0, nl));
        });
        child.on("exit", (code) => reject(new Error(`cli exited early with ${code}`)));
      });
      const m = /^mock GitHub API listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      assert.ok(m, line);
      const res = await get(`${m[1]}/events`);
      assert.equal(res.status, 200);
      assert.equal(eventsOf(res).length, 15);
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
