import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type HttpClient,
  buildRequest,
  header,
  jsonShape,
  lowercaseHeaders,
  nextLink,
  parseLinkHeader,
  redactUrl,
  requestJson,
  statusError,
  statusText,
} from "../sdk/http.js";
import { fakeErrorForStatus } from "../testing/fake-host.js";

type Response = SupabaseWrappers.Response;
type Request = SupabaseWrappers.Request;

/** A client answering every request with `resp` (or throwing `fail`), recording requests. */
function client(resp: Partial<Response>, fail?: string): HttpClient & { seen: Request[] } {
  const seen: Request[] = [];
  const send = (req: Request): Response => {
    seen.push(req);
    if (fail !== undefined) throw new Error(fail);
    return { url: req.url, statusCode: 200, headers: [], body: "", ...resp };
  };
  return { seen, get: send, post: send, put: send, patch: send, delete: send, errorForStatus: fakeErrorForStatus };
}

describe("headers", () => {
  test("lowercaseHeaders lowercases names, keeps values, last duplicate wins", () => {
    assert.deepEqual(lowercaseHeaders({ "User-Agent": "UA/1", Accept: "A" }), [["user-agent", "UA/1"], ["accept", "A"]]);
    assert.deepEqual(lowercaseHeaders([["X-Token", "AbC"], ["x-token", "Def"]]), [["x-token", "Def"]]);
    assert.deepEqual(lowercaseHeaders(), []);
  });
  test("buildRequest builds the host record", () => {
    assert.deepEqual(buildRequest("get", "http://h/x", { Authorization: "Bearer t" }), {
      method: { tag: "get" },
      url: "http://h/x",
      headers: [["authorization", "Bearer t"]],
      body: "",
    });
  });
  test("header lookup is case-insensitive and returns the first value", () => {
    const resp = { headers: [["link", "<a>"], ["x-ratelimit-remaining", "59"], ["X-Ratelimit-Remaining", "0"]] as [string, string][] };
    assert.equal(header(resp, "X-RateLimit-Remaining"), "59");
    assert.equal(header(resp, "etag"), undefined);
  });
});

describe("Link header", () => {
  test("GitHub's Link header", () => {
    const v = '<https://api.github.com/events?page=2>; rel="next", <https://api.github.com/events?page=10>; rel="last"';
    assert.deepEqual(parseLinkHeader(v), { next: "https://api.github.com/events?page=2", last: "https://api.github.com/events?page=10" });
  });
  test("unquoted rel, several rels, extra params, odd spacing, first link per rel wins", () => {
    const v = '<http://a/1>;rel=next;title="p, 2" , <http://a/0>; type="x"; rel="prev first", <http://a/9>; rel="next"';
    assert.deepEqual(parseLinkHeader(v), { next: "http://a/1", prev: "http://a/0", first: "http://a/0" });
  });
  test("no header, garbage, links without rel", () => {
    assert.deepEqual(parseLinkHeader(undefined), {});
    assert.deepEqual(parseLinkHeader("garbage"), {});
    assert.deepEqual(parseLinkHeader("<http://a/1>; title=x"), {});
  });
  test("nextLink reads the response's link header", () => {
    assert.equal(nextLink({ headers: [["link", '<http://a/2>; rel="next"']] }), "http://a/2");
    assert.equal(nextLink({ headers: [["link", '<http://a/2>; rel="last"']] }), undefined);
    assert.equal(nextLink({ headers: [] }), undefined);
    const github = '<https://api.github.com/events?per_page=100&page=1>; rel="prev", <https://api.github.com/events?per_page=100&page=3>; rel="next", <https://api.github.com/events?per_page=100&page=3>; rel="last", <https://api.github.com/events?per_page=100&page=1>; rel="first"';
    assert.equal(nextLink({ headers: [["Link", github]] }), "https://api.github.com/events?per_page=100&page=3");
  });

  test("nextLink agrees with parseLinkHeader on odd forms", () => {
    for (const v of [
      '<http://a/1>;rel=next;title="p, 2" , <http://a/0>; type="x"; rel="prev first", <http://a/9>; rel="next"',
      '<http://a/0>; rel="prev", <http://a/5>; rel="prev next"',
      '<http://a/0>; rel="nextish", <http://a/7>; REL=Next',
      '<http://a/0>; title="rel=next"',
      "garbage",
    ]) {
      assert.equal(nextLink({ headers: [["link", v]] }), parseLinkHeader(v)["next"], v);
    }
  });
});

describe("requestJson", () => {
  test("sends lowercase headers and returns parsed JSON", () => {
    const c = client({ body: '[{"id":"1"}]' });
    const { data, response } = requestJson(c, "http://h/events", { headers: { "User-Agent": "x", "X-GitHub-Api-Version": "2022-11-28" } });
    assert.deepEqual(data, [{ id: "1" }]);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(c.seen[0]?.headers, [["user-agent", "x"], ["x-github-api-version", "2022-11-28"]]);
    assert.deepEqual(c.seen[0]?.method, { tag: "get" });
  });

  test("non-2xx: method, URL, status, reason and the API's message", () => {
    const c = client({ statusCode: 404, body: '{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}' });
    assert.throws(() => requestJson(c, "http://h/nope", { label: "GitHub API" }), { message: "GitHub API GET http://h/nope failed: 404 Not Found: Not Found" });
  });

  test("non-2xx with a non-JSON or empty body", () => {
    assert.throws(() => requestJson(client({ statusCode: 502, body: "<html>bad gateway</html>" }), "http://h/x"), {
      message: "GET http://h/x failed: 502 Bad Gateway: <html>bad gateway</html>",
    });
    assert.throws(() => requestJson(client({ statusCode: 503, body: "" }), "http://h/x"), { message: "GET http://h/x failed: 503 Service Unavailable" });
  });

  test("2xx whose body is not JSON, or empty", () => {
    const c = client({ body: "<!doctype html><p>hi", headers: [["content-type", "text/html"]] });
    // Issue 8: position and size instead of the engine's "unexpected token".
    assert.throws(() => requestJson(c, "http://h/x", { label: "API" }), {
      message: 'invalid JSON at position 0 of 20 bytes from API GET http://h/x near "<!doctype html><p>hi"; status 200 OK, content-type text/html',
    });
    assert.throws(() => requestJson(client({ body: "" }), "http://h/x"), { message: "empty body instead of JSON (0 bytes) from GET http://h/x; status 200 OK" });
    assert.throws(() => requestJson(client({ body: '[{"a":1},{"b":' }), "http://h/x"), { message: "truncated JSON at position 14 of 14 bytes from GET http://h/x; status 200 OK" });
  });

  test("transport errors name method and URL", () => {
    assert.throws(() => requestJson(client({}, "error sending request: connection refused"), "http://h/x", { method: "post", label: "API" }), {
      message: "API POST http://h/x failed: error sending request: connection refused",
    });
  });

  test("secrets never appear in error messages", () => {
    const secret = "ghp_SECRET123";
    for (const c of [client({ statusCode: 401, body: '{"message":"Bad credentials"}' }), client({ body: "nope" }), client({}, "connection refused")]) {
      let message = "";
      try {
        requestJson(c, "https://user:pass@h/x", { headers: { Authorization: `Bearer ${secret}` } });
      } catch (e) {
        message = (e as Error).message;
      }
      assert.ok(message !== "", "expected an error");
      assert.ok(!message.includes(secret), message);
      assert.ok(!message.includes("pass"), message);
      assert.match(message, /https:\/\/\*\*\*@h\/x/);
    }
  });
});

describe("small helpers", () => {
  test("statusText: the host's reason phrase for 4xx/5xx, the SDK's for 1xx-3xx (issue 8: 304), else the code", () => {
    const resp = { url: "u", statusCode: 429, headers: [], body: "" };
    assert.equal(statusText(resp, { errorForStatus: fakeErrorForStatus }), "429 Too Many Requests");
    assert.equal(statusText(resp), "429");
    assert.equal(statusText({ ...resp, statusCode: 304 }), "304 Not Modified");
    assert.equal(statusText({ ...resp, statusCode: 200 }), "200 OK");
    assert.equal(statusText({ ...resp, statusCode: 299 }, { errorForStatus: fakeErrorForStatus }), "299");
  });
  test("statusError with a detail of the caller's instead of the API's message", () => {
    const resp = { url: "http://h", statusCode: 403, headers: [], body: '{"message":"API rate limit exceeded"}' };
    assert.equal(statusError(resp, { label: "API" }, { errorForStatus: fakeErrorForStatus }, "http://h/x", "rate limit exceeded (limit 60)").message, "API GET http://h/x failed: 403 Forbidden: rate limit exceeded (limit 60)");
    assert.equal(statusError({ ...resp, body: "null" }).message, "GET http://h failed: 403: null");
    assert.equal(statusError({ ...resp, body: '{"message":""}' }).message, 'GET http://h failed: 403: {"message":""}');
  });
  test("statusError reads `error` too", () => {
    assert.equal(statusError({ url: "http://h", statusCode: 400, headers: [], body: '{"error":{"message":"bad q"}}' }).message, "GET http://h failed: 400: bad q");
  });
  test("redactUrl and jsonShape", () => {
    assert.equal(redactUrl("https://a:b@h/p?q=1"), "https://***@h/p?q=1");
    assert.equal(redactUrl("https://h/p@x"), "https://h/p@x");
    assert.equal(jsonShape({ message: "x", documentation_url: "y" }), "an object with keys message, documentation_url");
    assert.equal(jsonShape([1, 2]), "an array of 2");
    assert.equal(jsonShape("s"), "a string");
    assert.equal(jsonShape(null), "null");
  });
});
