// Issue 8, guest side, through the wasmtime-36 runner: the built GitHub events component against
// hostile loopback servers (mock/hostile/). Each case is one of the issue's defects in the FDW or
// the SDK (they ship to Supabase, whose host has no timeouts, caps or redaction): Link loops and
// Links to other origins, page and event caps, credentials in every message and encoding, capped
// quotes of server text, deep JSON, a BOM, a 304, truncated JSON, large bodies and exact numbers.
// Host-side cases (timeouts, redirects, size caps) are the host's tests (hostile-host-*).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { deepJson, echoAuth, endlessPages, type EchoForm, eventsJson, hugeMessage, linkTo, notModified, numbersPage, selfLink, withBom } from "../mock/hostile/scenarios.js";
import { type HostileServer, startHostileServer } from "../mock/hostile/server.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot } from "../tools/paths.js";
import { type Run, assertGuestError, columnArgs, rows, runner } from "../testing/runner.js";

const TOKEN = "ghp_HostileTestToken0123456789abcdefXYZ";
const SEED = ["id:text", "type:text", "actor:jsonb", "repo:jsonb", "payload:jsonb", "public:bool", "created_at:timestamp"];

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-hostile-"));
let wasm = "";
let api: HostileServer;
/** On 127.0.0.2 and on another port: must never be asked anything. */
let away: HostileServer;
let otherPort: HostileServer;
/** stdout + stderr of every run with a credential, scanned at the end. */
const outputs: string[] = [];

function scan(prefix: string, opts: { token?: boolean; server?: string[]; cols?: readonly string[]; apiUrl?: string } = {}): Promise<Run> {
  const server = [`api_url=${opts.apiUrl ?? `${api.url}${prefix}`}`, ...(opts.token ? [`api_key=${TOKEN}`] : []), ...(opts.server ?? [])];
  return runner(["scan", wasm, ...server.flatMap((s) => ["--server", s]), "--table", "object=events", ...columnArgs(opts.cols ?? SEED), "--format", "json"]).then((r) => {
    outputs.push(r.stdout, r.stderr);
    return r;
  });
}

/** The guest's error line (stderr), for length checks. */
const errorLine = (r: Run): string => r.stderr.split("\n").find((l) => l.includes("guest fdw error:")) ?? "";

before(async () => {
  wasm = (await build(parseBuildArgs([join(repoRoot, "fdw", "github-events"), "--out", tmp, "--no-typecheck"]))).output.wasmPath;
  api = await startHostileServer();
  away = await startHostileServer({ host: "127.0.0.2", fallback: { body: eventsJson(2) } });
  otherPort = await startHostileServer({ fallback: { body: eventsJson(2) } });
});

after(async () => {
  await Promise.all([api?.close(), away?.close(), otherPort?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

describe("paging: Link loops, other origins, caps (issue 8 items 2 and 3)", () => {
  test("a Link back to the page just read: an error after one request, not a flood", async () => {
    api.route("/self", selfLink());
    api.resetLog();
    assertGuestError(await scan("/self", { token: true }), /GitHub API: the Link header of http:\/\/127\.0\.0\.1:\d+\/self\/events\?per_page=100 names .* as the next page, which was already read: stopped paging \(a loop\)/);
    assert.equal(api.requests.length, 1);
  });

  test("a Link to 127.0.0.2 or to another port: not followed, the token never goes there", async () => {
    for (const [target, server] of [[away, "127.0.0.2"], [otherPort, "another port"]] as const) {
      api.route("/away", linkTo(`${target.url}/events?page=2`));
      target.resetLog();
      const r = await scan("/away", { token: true });
      assertGuestError(r, new RegExp(`the next page ${target.url.replace(/\./g, "\\.")}/events\\?page=2 \\(Link header of .*\\) is not on the origin of the API's URL \\(http://127\\.0\\.0\\.1:${api.port}\\): not followed`));
      assert.equal(target.requests.length, 0, `${server} was asked`);
    }
  });

  test("a relative Link on the same origin is followed", async () => {
    let n = 0;
    api.route("/rel", { body: () => eventsJson(2, 2 * n++), headersFor: (req) => (req.query["page"] ? {} : { link: '</rel/events?page=2>; rel="next"' }) });
    api.resetLog();
    assert.equal(rows(await scan("/rel")).length, 4);
    assert.deepEqual(api.requests.map((q) => q.url), ["/rel/events?per_page=100", "/rel/events?page=2"]);
  });

  test("endless distinct pages stop at the page cap (server option max_pages), naming it", async () => {
    api.route("/endless", endlessPages(1));
    api.resetLog();
    assertGuestError(await scan("/endless", { server: ["max_pages=5"] }), /GitHub API: more than 5 pages in one scan: the page cap was reached \(server options max_pages and max_events raise the caps\)/);
    assert.equal(api.requests.length, 5);
  });

  test("the event cap (server option max_events) stops a scan with an error naming it", async () => {
    api.route("/many", endlessPages(3));
    assertGuestError(await scan("/many", { server: ["max_events=7"] }), /GitHub API: more than 7 events in one scan: the event cap was reached/);
  });

  test("the default caps allow GitHub's 300-event feeds and more", async () => {
    let page = 0;
    api.route("/big", { body: () => eventsJson(100, 100 * page++), headersFor: (req) => (Number(req.query["page"] ?? "1") < 5 ? { link: `<${api.url}/big/events?page=${Number(req.query["page"] ?? "1") + 1}>; rel="next"` } : {}) });
    assert.equal(rows(await scan("/big", { cols: ["id:text"] })).length, 500);
  });
});

describe("credentials never in a message (issue 8 items 3, 4, 5)", () => {
  const forms: EchoForm[] = ["json-message", "text", "percent", "base64", "json-escaped", "truncated"];
  for (const form of forms) {
    test(`a server echoing the token back (${form}): redacted`, async () => {
      api.route(`/echo-${form}`, echoAuth(form));
      const r = await scan(`/echo-${form}`, { token: true });
      assertGuestError(r, /400 Bad Request: .*\[redacted\]/);
      assert.ok(!r.stderr.includes(TOKEN.slice(0, 12)) && !r.stderr.includes(TOKEN.slice(-12)), r.stderr);
      assert.ok(!r.stderr.includes(Buffer.from(TOKEN).toString("base64").slice(0, 16)), r.stderr);
      assert.ok(!r.stderr.includes("\\u0067\\u0068\\u0070"), r.stderr);
    });
  }

  test("the token echoed into a field: the cell conversion error does not show it", async () => {
    api.route("/echo-field", echoAuth("field"));
    const r = await scan("/echo-field", { token: true });
    assertGuestError(r, /cannot convert string "Bearer \[redacted\]" for column "created_at" of type timestamp/);
    assert.ok(!r.stderr.includes(TOKEN.slice(0, 8)), r.stderr);
  });

  test("a password in api_url: never in a message, nor its Basic form echoed back", async () => {
    const secret = "s3cr3t-Pass-4-api";
    api.route("/userinfo", echoAuth("json-message", 500));
    const r = await scan("", { apiUrl: `http://alice:${secret}@127.0.0.1:${api.port}/userinfo` });
    assertGuestError(r, /500 Internal Server Error/);
    assert.ok(api.requests.length > 0);
    assert.ok(!r.stderr.includes(secret), r.stderr);
    assert.ok(!r.stderr.includes(Buffer.from(`alice:${secret}`).toString("base64")), r.stderr);
    assert.match(r.stderr, /GET http:\/\/\*\*\*@127\.0\.0\.1:\d+\/userinfo\/events/);
  });

  test("no run with the token printed it, in any form", () => {
    const all = outputs.join("\n");
    assert.ok(all.length > 0);
    assert.ok(!all.includes(TOKEN), "the token was printed");
    assert.ok(!all.includes(Buffer.from(TOKEN).toString("base64").slice(0, 20)), "the token was printed in base64");
    assert.ok(!all.includes(encodeURIComponent(`Bearer ${TOKEN}`)), "the token was printed percent-encoded");
  });
});

describe("server text is quoted short, JSON is parsed safely (issue 8 items 7, 8, 11)", () => {
  test("a 10 MB error message becomes a short error", async () => {
    api.route("/huge", hugeMessage(10 * 1024 * 1024));
    const r = await scan("/huge");
    assertGuestError(r, /500 Internal Server Error: x{100,}…\(10485760 chars\)$/m);
    assert.ok(errorLine(r).length < 600, `error line of ${errorLine(r).length} chars`);
  });

  test("JSON nested 5,000 deep: a clean error with position and size, no trap (also in an error body)", async () => {
    api.route("/deep", deepJson(5000));
    assertGuestError(await scan("/deep"), /JSON nested deeper than 128 levels at position 128 of 10000 bytes from GitHub API GET http:\/\/127\.0\.0\.1:\d+\/deep\/events\?per_page=100/);
    api.route("/deep-error", deepJson(5000, 502));
    assertGuestError(await scan("/deep-error"), /502 Bad Gateway: \[{100,}…\(10000 chars\)/);
  });

  test("a UTF-8 BOM is accepted", async () => {
    api.route("/bom", withBom(eventsJson(3)));
    assert.equal(rows(await scan("/bom")).length, 3);
  });

  test("304 gets its reason phrase", async () => {
    api.route("/304", notModified());
    assertGuestError(await scan("/304"), /GitHub API GET http:\/\/127\.0\.0\.1:\d+\/304\/events\?per_page=100 failed: 304 Not Modified$/m);
  });

  test("truncated JSON: position and size", async () => {
    const body = eventsJson(3).slice(0, 300);
    api.route("/cut", { body });
    assertGuestError(await scan("/cut"), new RegExp(`truncated JSON at position 300 of 300 bytes from GitHub API GET http://127\\.0\\.0\\.1:\\d+/cut/events\\?per_page=100; status 200 OK`));
  });

  test("a 6 MB page (one huge string) parses, its bytes are counted, no regexp runs out of memory", async () => {
    const big = "a".repeat(6 * 1024 * 1024);
    const body = eventsJson(2, 0, (i) => (i === 0 ? JSON.stringify({ text: big }) : "{}"));
    api.route("/large", { body });
    const r = await runner(["scan", wasm, "--server", `api_url=${api.url}/large`, "--table", "object=events", "--column", "id:text", "--format", "json", "--stats"]);
    assert.equal(rows(r).length, 2);
    assert.doesNotMatch(r.stderr, /out of memory/);
    assert.match(r.stderr, new RegExp(`"bytes_in":${Buffer.byteLength(body)}\\b`));
  });
});

describe("exact numbers (issue 8 item 9)", () => {
  test("number texts reach json and text cells exactly as sent", async () => {
    const texts = ["90.28571428571429", "1.10", "1E+2", "-0.0", "12345678901234567890", "9007199254740993", "5e-324", "0.1", "1e400"];
    // 1e400 is Infinity to JS: still written back as sent.
    api.route("/numbers", numbersPage(texts));
    const got = rows(await scan("/numbers", { cols: ["id:text", "payload:text"] }));
    assert.deepEqual(got.map((r) => r["payload"]), texts.map((t) => `{"n":${t},"a":[${t}]}`));
  });
});
