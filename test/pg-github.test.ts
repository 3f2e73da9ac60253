// Issue #4 through SQL on the local Postgres host: the built GitHub events component loaded by the
// `tsfdw` extension (installed as `wrappers`) in one throwaway Supabase-like cluster, against one
// loopback mock GitHub API. Every point is checked on the rows Postgres returns AND on the mock's
// request log: every feed via `object`; quals choosing narrower feeds (and the quals that cannot);
// auth (api_key, Vault by id and by name) with the token never shown; Link paging to the 300 cap, a
// 422 at the cap, de-duplication on a moving feed; LIMIT pushdown, created_at ranges read in full; rate-limit,
// secondary-limit and 404 errors with the session surviving; IMPORT FOREIGN SCHEMA; stats once per
// scan. "Rows equal a full read filtered by Postgres" is checked against local snapshot tables
// (`create table … as select row_number() over () as n, … from <foreign table>`) queried with the
// same WHERE / LIMIT text. The last test measures requests and bytes per query shape on a fresh mock.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { startMockGitHub, type GitHubEvent, type MockGitHub, type RequestRecord } from "../mock/github/server.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot } from "../tools/paths.js";
import { ensureLocalPostgresHost, startThrowawayPostgres, type ThrowawayPostgres } from "../tools/pg/index.js";
import { SUPABASE_PRELUDE, SUPABASE_SETTINGS, sqlLiteral } from "../tools/pg/seed.js";

const TOKEN = "ghp_pgSqlSecretToken0123456789abcdefXYZ";
const VAULT_ID = "8d3c6a2e-41f7-4b9a-9c0d-2e5f7a1b3c4d";
const VAULT_NAME = "github_token";
const FDW_NAME = "tsfdw:github-events-fdw";
const NEWEST = "2026-01-15T12:00:00Z";
const MOCK_OPTIONS = { rateLimit: 100_000, token: TOKEN, newest: NEWEST } as const;
/** The seed's columns plus the optional ones. */
const COLUMNS =
  "id text, type text, actor jsonb, repo jsonb, payload jsonb, public boolean, created_at timestamp, org jsonb, repo_name text, org_login text, actor_login text";
/** What most tests select and compare. */
const COLS = "id, type, repo_name, actor_login, org_login, public, created_at";
const MARK = "--8<--";
const NO_TOKEN_HINT = "set the server option api_key, api_key_id or api_key_name";

let mock: MockGitHub;
let pg: ThrowawayPostgres;
let buildDir = "";
let wasmInPg = "";
/** stdout and stderr of every psql session, scanned for the token at the end. */
const outputs: string[] = [];

interface Psql {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout lines (empty lines dropped). */
  out: string[];
  /** The `ERROR:` lines of stderr. */
  errors: string[];
}

/** One psql session (every statement runs; errors do not stop it), tab-separated, tuples only. */
async function q(sql: string): Promise<Psql> {
  const r = await pg.psql(sql, { fieldSeparator: "\t", onErrorStop: false });
  outputs.push(r.stdout, r.stderr);
  return { ...r, out: lines(r.stdout), errors: lines(r.stderr).filter((l) => /ERROR:/.test(l)) };
}

/** Runs the statements in one session and returns each one's stdout lines (split at markers). */
async function segments(statements: readonly string[]): Promise<Psql & { parts: string[][] }> {
  const r = await q(statements.join(`\nselect '${MARK}';\n`));
  const parts: string[][] = [[]];
  for (const l of r.out) {
    if (l === MARK) parts.push([]);
    else parts[parts.length - 1]!.push(l);
  }
  assert.equal(parts.length, statements.length, r.stderr);
  return { ...r, parts };
}

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.length > 0);
}

/** "2026-01-15T12:00:00Z" → psql's timestamp text "2026-01-15 12:00:00". */
function pgTimestamp(rfc3339: string): string {
  return rfc3339.replace("T", " ").replace(/(\.\d+)?Z$/, "");
}

/** An event as the COLS columns print (tab-separated, NULL as ""). */
function row(e: GitHubEvent): string {
  return [e.id, e.type, e.repo.name, e.actor.login, e.org?.login ?? "", e.public ? "t" : "f", pgTimestamp(e.created_at)].join("\t");
}

const idOf = (line: string): string => line.split("\t")[0]!;

/** What the mock logged since the last reset: [path, per_page, page, status]. */
const log = (m: MockGitHub = mock): [string, string | undefined, string, number][] =>
  m.requests.map((r) => [r.path, r.query["per_page"], r.query["page"] ?? "1", r.status]);
const paths = (m: MockGitHub = mock): string[] => m.requests.map((r) => r.path);
/** Response body bytes on the wire, as the mock logged them (gzip-compressed: the host asks for gzip). */
const wireBytes = (m: MockGitHub = mock): number => m.requests.reduce((s, r) => s + r.bytes, 0);
/** The decoded body of a 200 page the mock served (its JSON, rebuilt from the feed while it has not moved). */
function bodyBytes(m: MockGitHub, r: RequestRecord): number {
  assert.equal(r.status, 200);
  const feed = m.feed(r.path, { authenticated: r.authenticated }).slice(0, 300);
  const per = Math.min(100, Number(r.query["per_page"] ?? "30"));
  const page = Number(r.query["page"] ?? "1");
  return Buffer.byteLength(`[${feed.slice((page - 1) * per, page * per).map((e) => JSON.stringify(e)).join(",")}]`);
}
const decodedBytes = (m: MockGitHub = mock, records: readonly RequestRecord[] = m.requests): number => records.reduce((s, r) => s + bodyBytes(m, r), 0);
/** The log of reading a feed of `n` events in full: ceil(n/100) pages of 100. */
const fullPages = (path: string, n: number): [string, string, string, number][] =>
  Array.from({ length: Math.max(1, Math.ceil(Math.min(n, 300) / 100)) }, (_, i) => [path, "100", String(i + 1), 200]);

function server(name: string, url: string, extra = ""): string {
  return `create server ${name} foreign data wrapper wasm_wrapper options (
    fdw_package_url ${sqlLiteral(`file://${wasmInPg}`)}, fdw_package_name '${FDW_NAME}', fdw_package_version '0.1.0',
    api_url ${sqlLiteral(url)}${extra});\n`;
}

function table(name: string, srv: string, object: string): string {
  return `create foreign table ${name} (${COLUMNS}) server ${srv} options (object ${sqlLiteral(object)}, rowid_column 'id');\n`;
}

/** Reads `source` fully into a local table (all columns) with the scan order in column n. */
function snapshot(name: string, source: string): string {
  return `drop table if exists ${name}; create table ${name} as select row_number() over () as n, * from ${source};\n`;
}

/** The session survived: the same backend answers a later query. */
function assertSameBackend(before: string | undefined, after: string | undefined): void {
  assert.match(before ?? "", /^\d+$/);
  assert.equal(after, before, "the backend must survive the ERROR");
}

const FEEDS = [
  "events",
  "repos/acme-labs/rocket/events",
  "orgs/octo-org/events",
  "users/octocat/events",
  "users/octocat/events/public",
  "users/octocat/received_events",
  "users/octocat/received_events/public",
  "networks/acme-labs/rocket/events",
];

before(async () => {
  await ensureLocalPostgresHost();
  buildDir = mkdtempSync(join(tmpdir(), "tsfdw-pg-github-"));
  const built = await build(parseBuildArgs([join(repoRoot, "fdw", "github-events"), "--out", buildDir, "--no-typecheck"]));
  mock = await startMockGitHub(MOCK_OPTIONS);
  pg = await startThrowawayPostgres({ settings: { ...SUPABASE_SETTINGS, log_min_messages: "debug1" } });
  wasmInPg = pg.copyIn(built.output.wasmPath);
  const setup = [
    SUPABASE_PRELUDE,
    "create extension if not exists wrappers with schema extensions;\n",
    "create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;\n",
    // a fake Vault, as Supabase's supabase_vault exposes it
    "create schema vault;\n",
    "create table vault.secrets (id uuid primary key, name text, secret text);\n",
    "create view vault.decrypted_secrets as select id, name, secret as decrypted_secret from vault.secrets;\n",
    `insert into vault.secrets values ('${VAULT_ID}', '${VAULT_NAME}', ${sqlLiteral(TOKEN)});\n`,
    server("gh_anon", mock.url),
    server("gh_key", mock.url, `, api_key ${sqlLiteral(TOKEN)}`),
    server("gh_vid", mock.url, `, api_key_id '${VAULT_ID}'`),
    server("gh_vname", mock.url, `, api_key_name '${VAULT_NAME}'`),
    server("gh_vmissing", mock.url, ", api_key_name 'no-such-secret'"),
    "create schema anon; create schema key; create schema feeds;\n",
    table("anon.events", "gh_anon", "events"),
    table("key.events", "gh_key", "events"),
    ...FEEDS.map((object, i) => table(`feeds.f${i}`, "gh_anon", object)),
    table("anon.rocket", "gh_anon", "repos/acme-labs/rocket/events"),
    table("anon.spoon", "gh_anon", "repos/octocat/Spoon-Knife/events"),
    table("anon.infra", "gh_anon", "repos/octo-org/infra/events"),
    table("anon.nope", "gh_anon", "repos/octo-org/nope/events"),
    table("anon.bad", "gh_anon", "users/octocat/events/orgs/octo-org"),
    table("anon.dotdot", "gh_anon", "repos/../x/events"),
    table("key.infra", "gh_key", "repos/octo-org/infra/events"),
    table("key.octocat", "gh_key", "users/octocat/events"),
    table("key.no_org", "gh_key", "orgs/no-such-org/events"),
    table("key.vid_infra", "gh_vid", "repos/octo-org/infra/events"),
    table("key.vname_infra", "gh_vname", "repos/octo-org/infra/events"),
    table("key.vmissing", "gh_vmissing", "events"),
  ].join("");
  const r = await q(setup);
  assert.deepEqual(r.errors, [], r.stderr);
});

after(async () => {
  await pg?.stop();
  await mock?.close();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

beforeEach(() => {
  mock.resetLog();
  mock.clearFaults();
  mock.resetRateLimit();
  mock.onRequest = null;
});

describe("1. every feed via object", () => {
  it("each of the 8 feeds returns exactly the mock's feed (all columns, up to the 300 cap), 100 per page", async () => {
    const cols = "id, type, actor, repo, payload, public, created_at, org, repo_name, org_login, actor_login";
    const r = await segments(FEEDS.map((_, i) => `select ${cols} from feeds.f${i};`));
    assert.deepEqual(r.errors, [], r.stderr);
    const expectedLog: [string, string | undefined, string, number][] = [];
    FEEDS.forEach((object, i) => {
      const feed = mock.feed(`/${object}`).slice(0, 300);
      assert.ok(feed.length > 0, object);
      if (object === "events") assert.equal(feed.length, 300, "the public feed is capped at 300");
      const got = r.parts[i]!.map((l) => {
        const [id, type, actor, repo, payload, pub, createdAt, org, repoName, orgLogin, actorLogin] = l.split("\t");
        return { id, type, actor: JSON.parse(actor!), repo: JSON.parse(repo!), payload: JSON.parse(payload!), public: pub === "t", created_at: createdAt, org: org ? JSON.parse(org) : null, repoName, orgLogin, actorLogin };
      });
      const want = feed.map((e) => ({
        id: e.id, type: e.type, actor: e.actor, repo: e.repo, payload: e.payload, public: e.public, created_at: pgTimestamp(e.created_at),
        org: e.org ?? null, repoName: e.repo.name, orgLogin: e.org?.login ?? "", actorLogin: e.actor.login,
      }));
      assert.deepEqual(got, want, object);
      expectedLog.push(...fullPages(`/${object}`, feed.length));
    });
    assert.deepEqual(log(), expectedLog);
    assert.ok(mock.requests.every((x) => !x.authenticated));
  });

  it("a bad object is an ERROR listing the accepted forms, with no request; the backend survives", async () => {
    const r = await q("select pg_backend_pid();\nselect id from anon.bad;\nselect id from anon.dotdot;\nselect pg_backend_pid();\nselect id from anon.events limit 1;");
    assert.equal(r.errors.length, 2, r.stderr);
    assert.match(
      r.errors[0]!,
      /ERROR: {2}guest fdw error: invalid table option object 'users\/octocat\/events\/orgs\/octo-org': expected one of events, repos\/\{owner\}\/\{repo\}\/events, networks\/\{owner\}\/\{repo\}\/events, orgs\/\{org\}\/events, users\/\{user\}\/events, users\/\{user\}\/events\/public, users\/\{user\}\/received_events, users\/\{user\}\/received_events\/public \(a name must not be empty, '\.' or '\.\.'\)/,
    );
    assert.match(r.errors[1]!, /invalid table option object 'repos\/\.\.\/x\/events'/);
    assertSameBackend(r.out[0], r.out[1]);
    assert.deepEqual(r.out.slice(2), [mock.feed("/events")[0]!.id]);
    assert.deepEqual(log(), [["/events", "1", "1", 200]], "only the later query reached the API");
  });
});

describe("2. quals choose the feed (object 'events')", () => {
  let fireIds: Set<string>;
  let oldestFire = "";

  before(async () => {
    const r = await q(snapshot("snap_fire", "anon.events") + "select id, created_at from snap_fire order by n;");
    assert.deepEqual(r.errors, [], r.stderr);
    assert.equal(r.out.length, 300);
    fireIds = new Set(r.out.map(idOf));
    oldestFire = r.out[299]!.split("\t")[1]!;
  });

  /** The query on anon.events and the same WHERE on the firehose snapshot, in one session. */
  async function narrowed(where: string): Promise<{ got: string[]; fire: string[] }> {
    mock.resetLog();
    const r = await segments([`select ${COLS} from anon.events where ${where};`, `select ${COLS} from snap_fire where ${where} order by n;`]);
    assert.deepEqual(r.errors, [], r.stderr);
    return { got: r.parts[0]!, fire: r.parts[1]! };
  }

  /**
   * A narrower feed holds up to 300 events of its own: exactly the mock's matching events; the
   * firehose read fully and filtered by Postgres gives the same rows but for those that have already
   * left the public feed's newest 300 (all older than its oldest event).
   */
  function assertNarrowed(got: string[], fire: string[], match: (e: GitHubEvent) => boolean, opts: { exact?: boolean } = {}): void {
    const expected = mock.events.filter((e) => e.public && match(e)).slice(0, 300).map(row);
    assert.ok(expected.length > 0);
    assert.deepEqual(got, expected);
    assert.deepEqual(fire, got.filter((l) => fireIds.has(idOf(l))), "the full read filtered by Postgres = the narrowed rows within the public feed");
    for (const l of got.filter((x) => !fireIds.has(idOf(x)))) assert.ok(l.split("\t")[6]! < oldestFire, `${l} should have left the public feed`);
    if (opts.exact) assert.deepEqual(got, fire, "all of them within the public feed: equal to the full read filtered by Postgres");
  }

  it("repo_name = '…' reads repos/{owner}/{repo}/events only", async () => {
    let { got, fire } = await narrowed("repo_name = 'octocat/Spoon-Knife'");
    assert.deepEqual(log(), [["/repos/octocat/Spoon-Knife/events", "100", "1", 200]]);
    assertNarrowed(got, fire, (e) => e.repo.name === "octocat/Spoon-Knife", { exact: true });
    ({ got, fire } = await narrowed("repo_name = 'acme-labs/rocket'"));
    assert.deepEqual(log(), [["/repos/acme-labs/rocket/events", "100", "1", 200]]);
    assertNarrowed(got, fire, (e) => e.repo.name === "acme-labs/rocket");
    assert.ok(got.length > fire.length, "acme-labs/rocket has events older than the public feed's 300");
    // the same rows as the repository's own table read fully, filtered by Postgres
    const own = await q(`select ${COLS} from anon.rocket where repo_name = 'acme-labs/rocket';`);
    assert.deepEqual(own.out, got);
  });

  it("org_login = '…' reads orgs/{org}/events; actor_login = '…' reads users/{login}/events/public", async () => {
    let { got, fire } = await narrowed("org_login = 'pg-wasm'");
    assert.deepEqual(log(), [["/orgs/pg-wasm/events", "100", "1", 200]]);
    assertNarrowed(got, fire, (e) => e.org?.login === "pg-wasm");
    ({ got, fire } = await narrowed("actor_login = 'octocat'"));
    assert.deepEqual(log(), [["/users/octocat/events/public", "100", "1", 200]]);
    assertNarrowed(got, fire, (e) => e.actor.login === "octocat");
  });

  it("IN lists: one feed per value (a repeated value read once), merged newest first, each event once", async () => {
    let { got, fire } = await narrowed("actor_login in ('octocat', 'hubot', 'octocat')");
    assert.deepEqual(paths().sort(), ["/users/hubot/events/public", "/users/octocat/events/public"]);
    assertNarrowed(got, fire, (e) => e.actor.login === "octocat" || e.actor.login === "hubot");
    const repos = ["octocat/Spoon-Knife", "kai-7/rocket", "monalisa/smile"];
    ({ got, fire } = await narrowed(`repo_name in (${repos.map(sqlLiteral).join(", ")})`));
    assert.deepEqual(paths().sort(), repos.map((r) => `/repos/${r}/events`).sort());
    assertNarrowed(got, fire, (e) => repos.includes(e.repo.name), { exact: true });
    ({ got, fire } = await narrowed("org_login in ('octo-org', 'pg-wasm')"));
    assert.deepEqual(paths().sort(), ["/orgs/octo-org/events", "/orgs/pg-wasm/events"]);
    assertNarrowed(got, fire, (e) => e.org?.login === "octo-org" || e.org?.login === "pg-wasm");
    assert.equal(new Set(got.map(idOf)).size, got.length);
  });

  it("several quals: the most specific (repo_name) chooses, Postgres rechecks the others", async () => {
    const { got, fire } = await narrowed("org_login = 'acme-labs' and actor_login = 'spacewalker' and repo_name = 'acme-labs/rocket'");
    assert.deepEqual(paths(), ["/repos/acme-labs/rocket/events"]);
    assertNarrowed(got, fire, (e) => e.repo.name === "acme-labs/rocket" && e.actor.login === "spacewalker" && e.org?.login === "acme-labs");
  });

  it("quals that cannot choose a feed fall back to the public feed, with the rows of the full read filtered by Postgres", async () => {
    const wheres = [
      "repo_name like 'acme-labs/rocket'",
      "repo->>'name' = 'acme-labs/rocket'",
      "lower(repo_name) = 'acme-labs/rocket'",
      "repo_name <> 'acme-labs/rocket'",
      "repo_name = 'no-slash'",
      "repo_name = (select 'acme-labs/rocket')",
    ];
    for (const where of wheres) {
      const { got, fire } = await narrowed(where);
      assert.deepEqual(log(), fullPages("/events", 300), where);
      assert.deepEqual(got, fire, where);
    }
    // a prepared statement's generic plan: the qual carries $1
    mock.resetLog();
    const r = await segments([
      `set plan_cache_mode = force_generic_plan;\nprepare p(text) as select ${COLS} from anon.events where repo_name = $1;\nexecute p('acme-labs/rocket');`,
      `select ${COLS} from snap_fire where repo_name = 'acme-labs/rocket' order by n;`,
    ]);
    assert.deepEqual(r.errors, [], r.stderr);
    assert.deepEqual(log(), fullPages("/events", 300));
    assert.ok(r.parts[1]!.length > 0);
    assert.deepEqual(r.parts[0], r.parts[1]);
  });

  it("a chosen feed that answers 404 gives no rows (not an error)", async () => {
    const { got, fire } = await narrowed("actor_login = 'no-such-user'");
    assert.deepEqual(log(), [["/users/no-such-user/events/public", "100", "1", 404]]);
    assert.deepEqual([got, fire], [[], []]);
  });
});

describe("3. auth", () => {
  it("api_key: authorization sent on every request, private events visible where the mock shows them", async () => {
    const r = await segments([`select ${COLS} from key.infra;`, `select ${COLS} from key.octocat;`, `select ${COLS} from anon.infra;`]);
    const infra = mock.feed("/repos/octo-org/infra/events", { authenticated: true });
    assert.ok(infra.length > 0 && infra.every((e) => !e.public));
    assert.deepEqual(r.parts[0], infra.map(row));
    const octocat = mock.feed("/users/octocat/events", { authenticated: true });
    assert.ok(octocat.some((e) => !e.public) && octocat.length > mock.feed("/users/octocat/events").length);
    assert.deepEqual(r.parts[1], octocat.slice(0, 300).map(row));
    for (const x of mock.requests.slice(0, -1)) {
      assert.equal(x.authenticated, true);
      assert.ok(x.headerNames.includes("authorization"));
    }
    // without a token the private repository does not exist
    const anonReq = mock.requests.at(-1)!;
    assert.deepEqual([anonReq.path, anonReq.status, anonReq.authenticated, anonReq.headerNames.includes("authorization")], ["/repos/octo-org/infra/events", 404, false, false]);
    assert.deepEqual(r.parts[2], []);
    assert.equal(r.errors.length, 1, r.stderr);
    assert.match(r.errors[0]!, new RegExp(`404 Not Found: repository 'octo-org/infra' does not exist or is not visible without a token \\(${NO_TOKEN_HINT}\\)`));
  });

  it("api_key_id and api_key_name from Vault; a missing secret is the host's vault error", async () => {
    const r = await segments([`select ${COLS} from key.vid_infra;`, `select ${COLS} from key.vname_infra;`, "select id from key.vmissing;", "select 'alive';"]);
    const infra = mock.feed("/repos/octo-org/infra/events", { authenticated: true }).map(row);
    assert.deepEqual(r.parts.slice(0, 4), [infra, infra, [], ["alive"]]);
    assert.equal(mock.requests.length, 2, "the missing secret fails before any request");
    assert.ok(mock.requests.every((x) => x.authenticated && x.headerNames.includes("authorization")));
    assert.equal(r.errors.length, 1, r.stderr);
    assert.match(r.errors[0]!, /query vault failed "no-such-secret"/);
  });

  it("the token never shows: an echoing server's error is masked; ERROR/NOTICE/DEBUG text and EXPLAIN are clean", async () => {
    mock.fault({ path: "/repos/octo-org/infra/events", status: 400, body: JSON.stringify({ message: `rejected header authorization: Bearer ${TOKEN}` }), times: 3 });
    const r = await q(
      [
        "set client_min_messages = debug5;",
        "select id from key.infra;",
        "select id from key.vid_infra;",
        "select id from key.vname_infra;",
        "explain (verbose) select id from key.events where repo_name = 'acme-labs/rocket' limit 3;",
        "explain (analyze, verbose, costs off) select id from key.events where type = 'PushEvent' limit 3;",
        "explain (verbose) select id from key.vid_infra;",
        "select id from key.no_org;",
        "select 'alive';",
      ].join("\n"),
    );
    assert.equal(r.errors.length, 4, r.stderr);
    for (const e of r.errors.slice(0, 3)) assert.match(e, /400 Bad Request: rejected header authorization: Bearer \[redacted\]/);
    assert.match(r.errors[3]!, /404 Not Found: organization 'no-such-org' does not exist or is not visible with the token used/);
    assert.match(r.stdout, /Foreign Scan on key\.events/);
    assert.equal(r.out.at(-1), "alive");
    assert.match(r.stderr, /DEBUG: /, "client_min_messages = debug5 took effect");
    assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));
    assert.ok(mock.requests.length >= 4 && mock.requests.every((x) => x.authenticated));
  });
});

describe("4. pagination", () => {
  it("per_page=100, Link followed to the 300 cap: 3 requests, the rows of the full read", async () => {
    const r = await q(`select ${COLS} from anon.events;`);
    assert.deepEqual(r.out, mock.feed("/events").slice(0, 300).map(row));
    assert.deepEqual(log(), fullPages("/events", 300));
  });

  it("a 422 at the cap ends the feed without an error", async () => {
    mock.fault({ path: "/events", query: { page: "3" }, status: 422, body: JSON.stringify({ message: "In order to keep the API fast for everyone, pagination is limited for this resource.", status: "422" }) });
    const r = await q(`select ${COLS} from anon.events;\nselect 'alive';`);
    assert.deepEqual(r.errors, [], r.stderr);
    assert.deepEqual(r.out, [...mock.feed("/events").slice(0, 200).map(row), "alive"]);
    assert.deepEqual(log().map((l) => [l[2], l[3]]), [["1", 200], ["2", 200], ["3", 422]]);
  });

  it("a feed that moves between pages (5 new events after page 1): each event once", async () => {
    const before = mock.feed("/events");
    let pushed: GitHubEvent[] = [];
    mock.onRequest = (x) => {
      if (x.path === "/events" && x.query["page"] === undefined) pushed = mock.push(5);
    };
    const r = await q(`select ${COLS} from anon.events;`);
    mock.onRequest = null;
    assert.equal(pushed.length, 5);
    assert.equal(new Set(r.out.map(idOf)).size, r.out.length, "no event twice");
    // page 2 began with the last 5 events of page 1 again; the new events came after page 1
    assert.deepEqual(r.out, before.slice(0, 295).map(row));
    assert.deepEqual(log(), fullPages("/events", 300));
    assert.deepEqual(mock.feed("/events").slice(0, 5), pushed);
  });
});

describe("5. LIMIT pushdown", () => {
  before(async () => {
    const r = await q(snapshot("snap_limit", "anon.events"));
    assert.deepEqual(r.errors, [], r.stderr);
  });

  /** `select COLS from anon.events <where> [order by …] <limit>` vs the snapshot with the same clauses (ordered by n when no ORDER BY). */
  async function limited(where: string, limit: string, order = ""): Promise<string[]> {
    mock.resetLog();
    const r = await segments([
      `select ${COLS} from anon.events ${where} ${order && `order by ${order}`} ${limit};`,
      `select ${COLS} from snap_limit ${where} order by ${order || "n"} ${limit};`,
    ]);
    assert.deepEqual(r.errors, [], r.stderr);
    assert.deepEqual(r.parts[0], r.parts[1], `${where} ${order} ${limit}`);
    return r.parts[0]!;
  }

  it("limit 5: one request with per_page=5", async () => {
    assert.equal((await limited("", "limit 5")).length, 5);
    assert.deepEqual(log(), [["/events", "5", "1", 200]]);
  });

  it("limit 50 offset 20: per_page=70, no second page; OFFSET applied by Postgres", async () => {
    assert.equal((await limited("", "limit 50 offset 20")).length, 50);
    assert.deepEqual(log(), [["/events", "70", "1", 200]]);
  });

  it("limit 150: two pages of 100; limit 0: no request", async () => {
    assert.equal((await limited("", "limit 150")).length, 150);
    assert.deepEqual(log(), [["/events", "100", "1", 200], ["/events", "100", "2", 200]]);
    assert.deepEqual(await limited("", "limit 0"), []);
    assert.deepEqual(log(), []);
  });

  it("with the feed-choosing qual consumed: pushed down to the narrower feed", async () => {
    const r = await segments([`select ${COLS} from anon.events where repo_name = 'octocat/Spoon-Knife' limit 3;`]);
    assert.deepEqual(r.parts[0], mock.feed("/repos/octocat/Spoon-Knife/events").slice(0, 3).map(row));
    assert.deepEqual(log(), [["/repos/octocat/Spoon-Knife/events", "3", "1", 200]]);
  });

  it("a WHERE the feed choice does not consume: not pushed (per_page=100), pages read as the filter needs", async () => {
    const counts = await q("select count(*) filter (where type = 'PushEvent'), count(*) filter (where type = 'ReleaseEvent') from snap_limit;");
    const [push, release] = counts.out[0]!.split("\t").map(Number) as [number, number];
    assert.ok(push >= 5 && release > 0 && release < 50, counts.stdout);
    assert.equal((await limited("where type = 'PushEvent'", "limit 5")).length, 5);
    assert.ok(log().length >= 1 && log().every((l) => l[1] === "100"), JSON.stringify(log()));
    // fewer matches than the LIMIT: every page is read
    assert.equal((await limited("where type = 'ReleaseEvent'", "limit 50")).length, release);
    assert.deepEqual(log(), fullPages("/events", 300));
    // a feed-choosing qual plus another one: not pushed either
    const r = await q(`select ${COLS} from anon.events where repo_name = 'acme-labs/rocket' and actor_login = 'spacewalker' limit 2;`);
    assert.deepEqual(r.out, mock.feed("/repos/acme-labs/rocket/events").filter((e) => e.actor.login === "spacewalker").slice(0, 2).map(row));
    assert.equal(mock.requests.at(-1)?.query["per_page"], "100");
  });

  // supabase-wrappers 0.1.28 (limit.rs, extract_limit) hands the guest the query's LIMIT whenever
  // it is a constant and there is no GROUP BY/aggregate, even when a WHERE clause was not extracted
  // as a qual (jsonb expression, OR, function of a column), the ORDER BY is on an expression (no
  // sorts extracted), or the foreign table is joined. The FDW cannot see those, so LIMIT only sizes
  // the first page: when Postgres keeps pulling, the FDW goes on from page 1 at 100 per page.
  it("LIMIT with a WHERE/ORDER BY that Wrappers does not extract, or with a join: rows equal the full read", async () => {
    const setup = await q("drop table if exists notes; create table notes as select id from snap_limit where type = 'ReleaseEvent';");
    assert.deepEqual(setup.errors, [], setup.stderr);
    const cases: [string, string][] = [
      [`select ${COLS} from anon.events where repo->>'name' = 'acme-labs/rocket' limit 5;`, `select ${COLS} from snap_limit where repo->>'name' = 'acme-labs/rocket' order by n limit 5;`],
      [`select ${COLS} from anon.events where type = 'PushEvent' or type = 'ReleaseEvent' limit 5;`, `select ${COLS} from snap_limit where type = 'PushEvent' or type = 'ReleaseEvent' order by n limit 5;`],
      [`select ${COLS} from anon.events where lower(repo_name) = 'acme-labs/rocket' limit 3;`, `select ${COLS} from snap_limit where lower(repo_name) = 'acme-labs/rocket' order by n limit 3;`],
      ["select repo->>'name' from anon.events order by repo->>'name' limit 3;", "select repo->>'name' from snap_limit order by repo->>'name' limit 3;"],
    ];
    // Joins without ORDER BY: any 3 joined rows are right (the order is the plan's), so compare with
    // the whole join: 3 rows, each one of its rows.
    const joins: [string, string][] = [
      ["select e.id from anon.events e join notes using (id) limit 3;", "select e.id from snap_limit e join notes using (id);"],
      ["select e.id from anon.events e where exists (select 1 from notes t where t.id = e.id) limit 3;", "select e.id from snap_limit e where exists (select 1 from notes t where t.id = e.id);"],
    ];
    const wrong: string[] = [];
    for (const [actual, expected] of cases) {
      mock.resetLog();
      const r = await segments([actual, expected]);
      assert.deepEqual(r.errors, [], r.stderr);
      if (JSON.stringify(r.parts[0]) !== JSON.stringify(r.parts[1])) {
        wrong.push(`${actual} → ${r.parts[0]!.length} rows (expected ${r.parts[1]!.length}), requests: ${mock.requests.map((x) => `per_page=${x.query["per_page"]}`).join(" ")}`);
      }
    }
    for (const [actual, all] of joins) {
      const r = await segments([actual, all]);
      assert.deepEqual(r.errors, [], r.stderr);
      const got = r.parts[0]!.map((x) => JSON.stringify(x));
      const allowed = new Set(r.parts[1]!.map((x) => JSON.stringify(x)));
      if (got.length !== Math.min(3, allowed.size) || !got.every((x) => allowed.has(x))) wrong.push(`${actual} → ${got.join(" ")} (not 3 of ${allowed.size} joined rows)`);
    }
    assert.deepEqual(wrong, []);
    // The first case's requests: the LIMIT-sized page, then page 1 again at 100 per page, and on.
    mock.resetLog();
    await segments([cases[0]![0]]);
    assert.deepEqual(log().slice(0, 2), [["/events", "5", "1", 200], ["/events", "100", "1", 200]]);
  });

  it("ORDER BY: not pushed, all pages read", async () => {
    assert.equal((await limited("", "limit 5", "created_at asc")).length, 5);
    assert.deepEqual(log(), fullPages("/events", 300));
    assert.equal((await limited("", "limit 7 offset 3", "type desc, id")).length, 7);
    assert.deepEqual(log(), fullPages("/events", 300));
  });
});

describe("6. created_at ranges are not pushed down", () => {
  before(async () => {
    const r = await q(snapshot("snap_since", "anon.events"));
    assert.deepEqual(r.errors, [], r.stderr);
  });

  async function bounded(where: string): Promise<string[]> {
    mock.resetLog();
    const r = await segments([`select ${COLS} from anon.events where ${where};`, `select ${COLS} from snap_since where ${where} order by n;`]);
    assert.deepEqual(r.errors, [], r.stderr);
    assert.deepEqual(r.parts[0], r.parts[1], where);
    return r.parts[0]!;
  }

  // The host swaps `'c' > created_at` to `created_at > 'c'` without commuting the operator: the
  // FDW must not stop paging on any range bound (an early stop returned 90 of 290 rows here).
  it("'c' > created_at (older than the 10th event): all pages, all 290 older rows", async () => {
    const feed = mock.feed("/events");
    const c = pgTimestamp(feed[9]!.created_at);
    assert.deepEqual(await bounded(`'${c}' > created_at`), feed.slice(10, 300).map(row));
    assert.deepEqual(log(), fullPages("/events", 300));
    assert.deepEqual(await bounded(`'${c}' >= created_at`), feed.slice(9, 300).map(row));
    assert.deepEqual(log(), fullPages("/events", 300));
  });

  it("created_at > c, >= c, < c and c < created_at: all pages, exactly the matching rows", async () => {
    const feed = mock.feed("/events");
    const c = pgTimestamp(feed[9]!.created_at);
    assert.deepEqual(await bounded(`created_at > '${c}'`), feed.slice(0, 9).map(row));
    assert.deepEqual(log(), fullPages("/events", 300));
    assert.deepEqual(await bounded(`created_at >= '${pgTimestamp(feed[149]!.created_at)}'`), feed.slice(0, 150).map(row));
    assert.deepEqual(log(), fullPages("/events", 300));
    assert.equal((await bounded(`created_at < '${c}'`)).length, 290);
    assert.deepEqual(log(), fullPages("/events", 300));
    assert.equal((await bounded(`'${c}' < created_at`)).length, 9);
    assert.deepEqual(log(), fullPages("/events", 300));
  });
});

describe("7. rate limits and 404s", () => {
  const utc = (secs: number): string => new Date(secs * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  /** pid; the failing query; pid; a working query — in one session. */
  const session = (failing: string, working = "select id from anon.events limit 1;") => q(`select pg_backend_pid();\n${failing}\nselect pg_backend_pid();\n${working}`);
  /** The mock recovers right after it served the first error. */
  const recoverAfterError = (): void => {
    mock.onRequest = (x) => {
      if (x.status >= 400) {
        mock.resetRateLimit();
        mock.onRequest = null;
      }
    };
  };

  it("primary limit without a token: limit, UTC reset time, no-token hint; the session goes on", async () => {
    mock.exhaustRateLimit({ resetInSecs: 1800 });
    const { limit, reset } = mock.rateLimit(false);
    recoverAfterError();
    const r = await session("select id from anon.events;");
    assert.equal(r.errors.length, 1, r.stderr);
    assert.match(r.errors[0]!, new RegExp(`ERROR: {2}guest fdw error: GitHub API GET ${mock.url}/events\\?per_page=100 failed: 403 Forbidden: rate limit exceeded \\(limit ${limit} requests, resets at ${utc(reset)}\\); no token was used: ${NO_TOKEN_HINT} for a higher limit`));
    assertSameBackend(r.out[0], r.out[1]);
    assert.deepEqual(r.out.slice(2), [mock.feed("/events")[0]!.id]);
    assert.deepEqual(log().map((l) => l[3]), [403, 200]);
  });

  it("primary limit with a token: says a token was used", async () => {
    mock.exhaustRateLimit({ resetInSecs: 600, bucket: "authenticated" });
    const { limit, reset } = mock.rateLimit(true);
    recoverAfterError();
    const r = await session("select id from key.events;", "select id from key.events limit 1;");
    assert.equal(r.errors.length, 1, r.stderr);
    assert.match(r.errors[0]!, new RegExp(`403 Forbidden: rate limit exceeded \\(limit ${limit} requests, resets at ${utc(reset)}\\); a token was used$`));
    assertSameBackend(r.out[0], r.out[1]);
    assert.equal(r.out.length, 3);
    assert.deepEqual(mock.requests.map((x) => [x.status, x.authenticated]), [[403, true], [200, true]]);
  });

  it("secondary limit with retry-after (and without it: wait a few minutes)", async () => {
    mock.secondaryLimit(60, 1);
    let r = await session("select id from key.events;", "select id from key.events limit 1;");
    assert.equal(r.errors.length, 1, r.stderr);
    assert.match(r.errors[0]!, /403 Forbidden: secondary rate limit exceeded; retry after 60 s; a token was used$/);
    assertSameBackend(r.out[0], r.out[1]);
    assert.equal(r.out.length, 3);
    mock.secondaryLimit(undefined, 1);
    r = await session("select id from anon.events;");
    assert.match(r.errors[0] ?? "", new RegExp(`403 Forbidden: secondary rate limit exceeded; wait a few minutes; no token was used: ${NO_TOKEN_HINT} for a higher limit`));
    assert.equal(r.out.length, 3);
  });

  it("a rate limit on a later page fails the scan too", async () => {
    mock.fault({ path: "/events", query: { page: "2" }, status: 403, body: '{"message":"API rate limit exceeded"}', headers: { "x-ratelimit-remaining": "0", "x-ratelimit-limit": "60", "x-ratelimit-reset": "1768478400" }, times: 1 });
    const r = await session("select id from anon.events;");
    assert.match(r.errors[0] ?? "", /page=2 failed: 403 Forbidden: rate limit exceeded \(limit 60 requests, resets at 2026-01-15 12:00:00 UTC\)/);
    assert.equal(r.out.length, 3);
  });

  it("404 on a repository feed: does not exist or is not visible", async () => {
    const r = await session("select id from anon.nope;");
    assert.equal(r.errors.length, 1, r.stderr);
    assert.match(r.errors[0]!, new RegExp(`GET ${mock.url}/repos/octo-org/nope/events\\?per_page=100 failed: 404 Not Found: repository 'octo-org/nope' does not exist or is not visible without a token \\(${NO_TOKEN_HINT}\\)`));
    assertSameBackend(r.out[0], r.out[1]);
    assert.equal(r.out.length, 3);
    assert.doesNotMatch(pg.log(), /terminated by signal|PANIC|server process .* was terminated/);
  });
});

describe("8. IMPORT FOREIGN SCHEMA", () => {
  const tablesOf = async (schema: string): Promise<string[]> =>
    (await q(`select c.relname || ' ' || array_to_string(ft.ftoptions, ',') from pg_foreign_table ft join pg_class c on c.oid = ft.ftrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${schema}' order by c.relname;`)).out;

  it("repo, org and user: a table per feed, with the seed's columns and more, each one scans its feed", async () => {
    const r = await q("create schema imp;\nimport foreign schema github from server gh_anon into imp options (repo 'acme-labs/rocket', org 'octo-org', user 'octocat');");
    assert.deepEqual(r.errors, [], r.stderr);
    assert.equal(mock.requests.length, 0, "importing makes no request");
    const expected: [string, string][] = [
      ["events", "events"],
      ["network_events", "networks/acme-labs/rocket/events"],
      ["org_events", "orgs/octo-org/events"],
      ["received_events", "users/octocat/received_events"],
      ["received_public_events", "users/octocat/received_events/public"],
      ["repo_events", "repos/acme-labs/rocket/events"],
      ["user_events", "users/octocat/events"],
      ["user_public_events", "users/octocat/events/public"],
    ];
    assert.deepEqual(await tablesOf("imp"), expected.map(([t, o]) => `${t} object=${o},rowid_column=id`));
    const cols = await q("select table_name, string_agg(column_name || ':' || data_type, ',' order by ordinal_position) from information_schema.columns where table_schema = 'imp' group by table_name order by table_name;");
    const colList = "id:text,type:text,actor:jsonb,repo:jsonb,payload:jsonb,public:boolean,created_at:timestamp without time zone,org:jsonb,repo_name:text,org_login:text,actor_login:text";
    assert.deepEqual(cols.out, expected.map(([t]) => `${t}\t${colList}`));
    const ft = await q("select foreign_table_name, foreign_server_name from information_schema.foreign_tables where foreign_table_schema = 'imp' order by 1;");
    assert.deepEqual(ft.out, expected.map(([t]) => `${t}\tgh_anon`));
    mock.resetLog();
    const scans = await segments(expected.map(([t]) => `select ${COLS} from imp.${t};`));
    assert.deepEqual(scans.errors, [], scans.stderr);
    expected.forEach(([t, object], i) => assert.deepEqual(scans.parts[i], mock.feed(`/${object}`).slice(0, 300).map(row), t));
    assert.deepEqual(log(), expected.flatMap(([, o]) => fullPages(`/${o}`, mock.feed(`/${o}`).length)));
  });

  it("LIMIT TO and EXCEPT are respected; lists of names; an invalid name is an ERROR", async () => {
    const r = await q(
      [
        "create schema imp_lim; create schema imp_exc; create schema imp_list; create schema imp_bad;",
        "import foreign schema github limit to (events, repo_events) from server gh_anon into imp_lim options (repo 'octocat/Spoon-Knife', user 'octocat');",
        "import foreign schema github except (events, network_events, user_events, received_events) from server gh_anon into imp_exc options (repo 'octocat/Spoon-Knife', user 'octocat');",
        "import foreign schema github limit to (org_events_pg_wasm) from server gh_anon into imp_list options (org 'octo-org,pg-wasm');",
        "import foreign schema github from server gh_anon into imp_bad options (repo 'rocket');",
        `select ${COLS} from imp_lim.repo_events limit 2;`,
      ].join("\n"),
    );
    assert.equal(r.errors.length, 1, r.stderr);
    assert.match(r.errors[0]!, /invalid IMPORT FOREIGN SCHEMA option repo 'rocket': expected owner\/name, or a comma-separated list of them/);
    assert.deepEqual(await tablesOf("imp_lim"), ["events object=events,rowid_column=id", "repo_events object=repos/octocat/Spoon-Knife/events,rowid_column=id"]);
    assert.deepEqual(await tablesOf("imp_exc"), [
      "received_public_events object=users/octocat/received_events/public,rowid_column=id",
      "repo_events object=repos/octocat/Spoon-Knife/events,rowid_column=id",
      "user_public_events object=users/octocat/events/public,rowid_column=id",
    ]);
    assert.deepEqual(await tablesOf("imp_list"), ["org_events_pg_wasm object=orgs/pg-wasm/events,rowid_column=id"]);
    assert.deepEqual(await tablesOf("imp_bad"), []);
    assert.deepEqual(r.out, mock.feed("/repos/octocat/Spoon-Knife/events").slice(0, 2).map(row));
    assert.deepEqual(log(), [["/repos/octocat/Spoon-Knife/events", "2", "1", 200]]);
  });
});

describe("9. stats", () => {
  const STATS = `select coalesce(rows_in, 0), coalesce(bytes_in, 0) from wrappers_fdw_stats where fdw_name = '${FDW_NAME}' union all select 0, 0 where not exists (select 1 from wrappers_fdw_stats where fdw_name = '${FDW_NAME}');`;
  const read = (line: string | undefined): [number, number] => (line ?? "0\t0").split("\t").map(Number) as [number, number];

  it("rows_in and bytes_in grow by the scan's events and response bytes, once per scan", async () => {
    const r = await segments([STATS, `select ${COLS} from anon.events;`, STATS, `select ${COLS} from anon.events limit 5;`, STATS]);
    assert.deepEqual(r.errors, [], r.stderr);
    const [s0, s1, s2] = [read(r.parts[0]![0]), read(r.parts[2]![0]), read(r.parts[4]![0])];
    assert.deepEqual(log(), [...fullPages("/events", 300), ["/events", "5", "1", 200]]);
    // bytes_in counts the decoded bodies (the wire carried them gzip-compressed)
    assert.deepEqual(s1, [s0[0] + 300, s0[1] + decodedBytes(mock, mock.requests.slice(0, 3))]);
    assert.deepEqual(s2, [s1[0] + 5, s1[1] + decodedBytes(mock, mock.requests.slice(3))]);
    assert.ok(wireBytes() < decodedBytes(), "gzip on the wire");
  });

  it("a re-scanned foreign table (inner side of a nested loop) counts its events once", async () => {
    const r = await segments([
      STATS,
      "set enable_hashjoin = off; set enable_mergejoin = off; set enable_material = off;\nselect count(*) from (values (1), (2), (3)) v(x) join anon.events e on e.id is not null;",
      STATS,
      "select tsfdw_last_timing()->>'http_requests', tsfdw_last_timing()->>'http_bytes';",
    ]);
    assert.deepEqual(r.errors, [], r.stderr);
    assert.deepEqual(r.parts[1], ["900"]);
    assert.deepEqual(log(), fullPages("/events", 300), "the re-scans replayed the rows without requests");
    const [s0, s1] = [read(r.parts[0]![0]), read(r.parts[2]![0])];
    assert.deepEqual(s1, [s0[0] + 300, s0[1] + decodedBytes()]);
    assert.deepEqual(r.parts[3], [`3\t${decodedBytes()}`], "tsfdw_last_timing() agrees");
  });
});

describe("the token never appears", () => {
  it("in no psql output, server log, wrappers_fdw_stats row or EXPLAIN", async () => {
    const r = await q(
      "select t::text from wrappers_fdw_stats t;\nexplain (verbose) select * from key.events;\nexplain (verbose) select * from key.vname_infra where repo_name in ('a/b', 'c/d') order by created_at limit 1;",
    );
    assert.deepEqual(r.errors, [], r.stderr);
    assert.ok(r.out.some((l) => l.includes(FDW_NAME)), r.stdout);
    assert.ok(outputs.length > 40);
    for (const o of outputs) assert.ok(!o.includes(TOKEN), `token in psql output: ${o.slice(0, 300)}`);
    const serverLog = pg.log();
    assert.ok(serverLog.length > 0);
    assert.match(serverLog, /ERROR: {2}guest fdw error: .*Bearer \[redacted\]/, "the server logged the masked errors");
    assert.match(serverLog, /DEBUG: /, "log_min_messages = debug1 took effect");
    assert.ok(!serverLog.includes(TOKEN), "token in the server log");
    assert.doesNotMatch(serverLog, /terminated by signal|PANIC/);
  });
});

describe("measure", () => {
  it("measure: requests and bytes per query shape", async () => {
    const fresh = await startMockGitHub(MOCK_OPTIONS);
    try {
      const setup = await q(`${server("gh_measure", fresh.url)}create schema m;\n${table("m.events", "gh_measure", "events")}`);
      assert.deepEqual(setup.errors, [], setup.stderr);
      const feed = fresh.feed("/events");
      const fire = new Set(feed.slice(0, 300).map((e) => e.id));
      // the busiest repository whose events are all within the public feed's 300: the narrowed read equals the filtered full read
      const repo = fresh.world.repos
        .filter((r) => !r.private)
        .map((r) => ({ name: r.fullName, events: fresh.feed(`/repos/${r.fullName}/events`) }))
        .filter((r) => r.events.length > 0 && r.events.every((e) => fire.has(e.id)))
        .sort((a, b) => b.events.length - a.events.length)[0]!.name;
      const shapes: { label: string; where: string; tail: string }[] = [
        { label: "full read", where: "", tail: "" },
        { label: "limit 5", where: "", tail: "limit 5" },
        { label: "limit 50 offset 20", where: "", tail: "limit 50 offset 20" },
        { label: `where repo_name = '${repo}'`, where: `where repo_name = '${repo}'`, tail: "" },
      ];
      // the reference: a full read into a local table
      const snap = await q(snapshot("m_full", "m.events"));
      assert.deepEqual(snap.errors, [], snap.stderr);
      const results: { label: string; rows: number; requests: number; wire: number; decoded: number; sent: string }[] = [];
      for (const s of shapes) {
        fresh.resetLog();
        const r = await segments([
          `select ${COLS} from m.events ${s.where} ${s.tail};`,
          "select tsfdw_last_timing()->>'http_requests', tsfdw_last_timing()->>'http_bytes';",
          `select ${COLS} from m_full ${s.where} order by n ${s.tail};`,
        ]);
        assert.deepEqual(r.errors, [], r.stderr);
        assert.ok(r.parts[0]!.length > 0, s.label);
        assert.deepEqual(r.parts[0], r.parts[2], `${s.label}: rows equal the full read filtered/limited by Postgres`);
        const x = {
          label: s.label,
          rows: r.parts[0]!.length,
          requests: fresh.requests.length,
          wire: wireBytes(fresh),
          decoded: decodedBytes(fresh),
          sent: fresh.requests.map((q) => `${q.path}?per_page=${q.query["per_page"]}${q.query["page"] ? `&page=${q.query["page"]}` : ""}`).join(" "),
        };
        assert.deepEqual(r.parts[1], [`${x.requests}\t${x.decoded}`], `${s.label}: tsfdw_last_timing() agrees with the mock`);
        results.push(x);
      }
      const full = results[0]!;
      assert.deepEqual([full.rows, full.requests], [300, 3]);
      for (const x of results.slice(1)) {
        assert.ok(x.requests < full.requests || x.wire < full.wire, `${x.label} should read less than the full read`);
        assert.ok(x.requests <= full.requests && x.wire < full.wire && x.decoded < full.decoded, `${x.label}: fewer bytes too`);
      }
      const header = ["query shape", "rows", "requests", "bytes (wire, gzip)", "bytes (decoded JSON)", "% of full", "requests sent"];
      const body = results.map((x) => [x.label, String(x.rows), String(x.requests), String(x.wire), String(x.decoded), `${((100 * x.decoded) / full.decoded).toFixed(1)}%`, x.sent]);
      const widths = header.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
      const fmt = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
      console.log(["", fmt(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(fmt)].join("\n"));
    } finally {
      await fresh.close();
    }
  });
});
