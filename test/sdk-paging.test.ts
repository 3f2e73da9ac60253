// sdk/paging.ts: origins, URL resolution and the page guard (issue 8 item 2 and 3, in the SDK).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pageGuard, resolveUrl, urlOrigin } from "../sdk/paging.js";

describe("urlOrigin / resolveUrl", () => {
  test("origins: scheme, host and port, normalised", () => {
    assert.equal(urlOrigin("https://API.github.com/events?x=1"), "https://api.github.com:443");
    assert.equal(urlOrigin("https://api.github.com:443"), "https://api.github.com:443");
    assert.equal(urlOrigin("http://user:pw@127.0.0.1:8080/x"), "http://127.0.0.1:8080");
    assert.equal(urlOrigin("http://[::1]:9/x"), "http://[::1]:9");
    assert.equal(urlOrigin("http://[::1]/x"), "http://[::1]:80");
    assert.notEqual(urlOrigin("http://127.0.0.1:8080"), urlOrigin("http://127.0.0.2:8080"));
    assert.notEqual(urlOrigin("http://h:1"), urlOrigin("http://h:2"));
    assert.notEqual(urlOrigin("http://h"), urlOrigin("https://h"));
    assert.equal(urlOrigin("/relative"), undefined);
    assert.equal(urlOrigin("http://h:port/"), undefined);
  });

  test("resolution against the page a Link came from", () => {
    const base = "https://h.example/api/v3/events?per_page=100";
    assert.equal(resolveUrl("https://other/x", base), "https://other/x");
    assert.equal(resolveUrl("//other/x", base), "https://other/x");
    assert.equal(resolveUrl("/api/v3/events?page=2", base), "https://h.example/api/v3/events?page=2");
    assert.equal(resolveUrl("?page=2", base), "https://h.example/api/v3/events?page=2");
    assert.equal(resolveUrl("events?page=2", base), "https://h.example/api/v3/events?page=2");
  });
});

describe("pageGuard", () => {
  const opts = { origin: "http://127.0.0.1:8000/api", label: "API", rowName: "events", capHint: "raise max_pages" };

  test("follows Links on the same origin only", () => {
    const g = pageGuard(opts);
    g.page("http://127.0.0.1:8000/api/events");
    assert.equal(g.follow("/api/events?page=2", "http://127.0.0.1:8000/api/events"), "http://127.0.0.1:8000/api/events?page=2");
    for (const away of ["http://127.0.0.2:8000/api/events?page=2", "http://127.0.0.1:8001/api/events?page=2", "https://127.0.0.1:8000/x", "//evil.example/x"]) {
      assert.throws(() => g.follow(away, "http://127.0.0.1:8000/api/events"), /^Error: API: the next page .* is not on the origin of the API's URL \(http:\/\/127\.0\.0\.1:8000\): not followed/);
    }
  });

  test("a page read before is a loop (Link, cursor or page number)", () => {
    const g = pageGuard(opts);
    g.page("http://127.0.0.1:8000/api/events");
    assert.throws(() => g.follow("http://127.0.0.1:8000/api/events", "http://127.0.0.1:8000/api/events"), /names http:\/\/127\.0\.0\.1:8000\/api\/events as the next page, which was already read: stopped paging \(a loop\)/);
    const c = pageGuard({ label: "API" });
    c.page("cursor:abc");
    c.page("cursor:def");
    assert.throws(() => c.page("cursor:abc"), /^Error: API: the server sent cursor:abc as the next page again after it was read/);
  });

  test("page and row caps, with the hint", () => {
    const g = pageGuard({ ...opts, maxPages: 3, maxRows: 10 });
    g.page("1");
    g.page("2");
    g.page("3");
    assert.throws(() => g.page("4"), { message: "API: more than 3 pages in one scan: the page cap was reached (raise max_pages); stopped before 4" });
    assert.equal(g.pageCount, 3);
    g.rows(10);
    assert.throws(() => g.rows(1), { message: "API: more than 10 events in one scan: the event cap was reached (raise max_pages)" });
  });
});
