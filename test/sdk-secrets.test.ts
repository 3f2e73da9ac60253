// sdk/secrets.ts and the redaction paths of sdk/errors.ts, sdk/http.ts, sdk/cells.ts and
// sdk/routines.ts (issue 8: credentials never in any message, in any encoding the SDK can see;
// redact before truncating; the final guard redacts an FDW author's own throws too).
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { toCell } from "../sdk/cells.js";
import { MAX_MESSAGE, describeValue, quote, safeError, truncate } from "../sdk/errors.js";
import { type HttpClient, requestJson, send } from "../sdk/http.js";
import { defineRoutinesV2 } from "../sdk/routines.js";
import { REDACTED, addAuthorization, addRequestSecrets, addSecret, addUrlSecrets, clearSecrets, decodeBase64, redact, redactUrl, secretCount } from "../sdk/secrets.js";

type Response = SupabaseWrappers.Response;
type Request = SupabaseWrappers.Request;

const TOKEN = "ghp_SECRET-TOKEN-1234567890abcdef";

/** Every form of `s` a server could echo. */
function encodings(s: string): string[] {
  const b64 = Buffer.from(s).toString("base64");
  return [
    s,
    encodeURIComponent(s),
    encodeURIComponent(s).toLowerCase(),
    JSON.stringify(s).slice(1, -1),
    JSON.stringify(JSON.stringify(s)).slice(1, -1),
    b64,
    b64.replace(/=+$/, ""),
    Buffer.from(s).toString("base64url"),
    // inside a longer base64 text at each alignment
    Buffer.from(`x${s}y`).toString("base64"),
    Buffer.from(`xy${s}z`).toString("base64"),
    Buffer.from(`authorization: Bearer ${s}`).toString("base64"),
  ];
}

/** True if `text` shows any 8+ character piece of `s` or of its base64. */
function leaks(text: string, s: string): boolean {
  const b64 = Buffer.from(s).toString("base64");
  for (const src of [s, b64.slice(2, -2)]) for (let i = 0; i + 8 <= src.length; i++) if (text.includes(src.slice(i, i + 8))) return true;
  return false;
}

beforeEach(() => clearSecrets());

describe("redact", () => {
  test("a registered secret in every encoding, inside other text", () => {
    addSecret(TOKEN);
    for (const form of encodings(TOKEN)) {
      const out = redact(`before ${form} after`);
      assert.ok(!out.includes(form), `${form} → ${out}`);
      assert.ok(out.includes(REDACTED), out);
    }
  });

  test("secrets with characters that encode differently (space, quote, slash, non-ASCII)", () => {
    const pw = 'p@ss w/"ørd"\\';
    addSecret(pw);
    for (const form of encodings(pw)) assert.ok(!redact(`[${form}]`).includes(form), form);
    assert.ok(!redact(JSON.stringify({ m: pw }).replace(/ø/g, "\\u00f8")).includes("\\u00f8rd"));
    assert.ok(!redact(encodeURIComponent(pw).replace(/%20/g, "+")).includes("w%2F"));
  });

  test("fragments of a long secret cut by someone else's truncation", () => {
    addSecret(TOKEN);
    assert.equal(redact(`token ${TOKEN.slice(0, 10)}… invalid`), `token ${REDACTED}… invalid`);
    assert.equal(redact(`…${TOKEN.slice(-9)} end`), `…${REDACTED} end`);
    // 7 characters are not enough to identify it
    assert.equal(redact(`x ${TOKEN.slice(0, 7)} y`), `x ${TOKEN.slice(0, 7)} y`);
  });

  test("URL userinfo is masked whether registered or not; registered parts are redacted everywhere", () => {
    assert.equal(redact("GET http://user:pw@h:1/x and https://a@b/c, not mailto:a@b or http://h/p@x"), "GET http://***@h:1/x and https://***@b/c, not mailto:a@b or http://h/p@x");
    addUrlSecrets("http://alice:s3cr3t%2Bpw@h/x?access_token=tok-123456&page=2");
    assert.ok(secretCount() > 0);
    for (const pw of ["pg-s3cr3t-Pass-42", "a:bcde", "ab:cdef", "abc:defg"]) {
      addUrlSecrets(`http://${pw.includes(":") ? pw : `alice:${pw}`}@h/`);
      const basic = Buffer.from(pw.includes(":") ? pw : `alice:${pw}`).toString("base64");
      assert.equal(redact(`Basic ${basic}`), `Basic ${REDACTED}`, basic);
    }
    const echoed = redact(`Basic ${Buffer.from("alice:s3cr3t+pw").toString("base64")} s3cr3t+pw tok-123456 page=2`);
    assert.equal(echoed, `Basic ${REDACTED} ${REDACTED} ${REDACTED} page=2`);
    assert.equal(redactUrl("http://h/x?access_token=tok-123456"), `http://h/x?access_token=${REDACTED}`);
  });

  test("authorization values: Bearer, token, Basic (decoded too), a bare key, cookies", () => {
    addAuthorization(`Bearer ${TOKEN}`);
    assert.equal(redact(`authorization: Bearer ${TOKEN}`), `authorization: Bearer ${REDACTED}`);
    addAuthorization(`Basic ${Buffer.from("bob:hunter2!!").toString("base64")}`);
    assert.equal(redact("user bob:hunter2!! pw hunter2!!"), `user ${REDACTED} pw ${REDACTED}`);
    addRequestSecrets({ url: "http://h/", headers: [["x-api-key", "k-98765"], ["cookie", "a=1; session=sess-abcdef"], ["accept", "application/json"]] });
    assert.equal(redact("k-98765 sess-abcdef application/json"), `${REDACTED} ${REDACTED} application/json`);
  });

  test("short values are not redacted as free text; decodeBase64 round-trips", () => {
    addSecret("abc");
    assert.equal(redact("abcdef"), "abcdef");
    assert.equal(decodeBase64(Buffer.from("hé:llo").toString("base64")), Buffer.from("hé:llo").toString("latin1"));
    assert.equal(decodeBase64("!!"), undefined);
  });
});

describe("redact before truncating, on every path", () => {
  test("truncate never shows part of a secret that straddles the cut", () => {
    addSecret(TOKEN);
    for (let cut = 1; cut < 60; cut++) {
      const text = `${"a".repeat(cut)}Bearer ${TOKEN} and more text after it ${"z".repeat(100)}`;
      const out = truncate(text, 40);
      assert.ok(!leaks(out, TOKEN), `${cut}: ${out}`);
      assert.ok(out.length <= 40 + 20, out);
    }
  });

  test("truncate of a long text redacts only what it keeps (and still ends with the original length)", () => {
    addSecret(TOKEN);
    const long = `${TOKEN} ${"x".repeat(2_000_000)} ${TOKEN}`;
    assert.equal(truncate(long, 20), `${REDACTED} xxxxxxxxx…(${long.length} chars)`);
    assert.equal(quote(`  ${TOKEN}  `), REDACTED);
  });

  test("describeValue and cell conversion errors", () => {
    addAuthorization(`Bearer ${TOKEN}`);
    assert.equal(describeValue(`Bearer ${TOKEN}`), `string "Bearer ${REDACTED}"`);
    assert.throws(() => toCell(`Bearer ${TOKEN}`, { name: "created_at", type: "timestamp", num: 1 }), (e: Error) => {
      assert.match(e.message, /^cannot convert string "Bearer \[redacted\]" for column "created_at" of type timestamp/);
      return !leaks(e.message, TOKEN);
    });
  });

  test("statusError quotes server bodies redacted and capped; transport errors too", () => {
    const seen: Request[] = [];
    const client = (resp: Partial<Response>, fail?: (req: Request) => string): HttpClient => {
      const f = (req: Request): Response => {
        seen.push(req);
        if (fail) throw new Error(fail(req));
        return { url: req.url, statusCode: 200, headers: [], body: "", ...resp };
      };
      return { get: f, post: f, put: f, patch: f, delete: f };
    };
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const echo = JSON.stringify({ message: `bad header ${TOKEN} ${"y".repeat(5000)}` });
    assert.throws(() => requestJson(client({ statusCode: 400, body: echo }), "http://h/x", { headers }), (e: Error) => {
      assert.match(e.message, /^GET http:\/\/h\/x failed: 400: bad header \[redacted\] y+…\(5\d{3} chars\)$/);
      return e.message.length < 400;
    });
    assert.throws(() => send(client({}, (req) => `error sending request for url (${req.url}): ${headers.Authorization}`), "http://u:pw-secret@h/x", { headers }), (e: Error) => {
      assert.equal(e.message, `GET http://***@h/x failed: error sending request for url (http://***@h/x): Bearer ${REDACTED}`);
      return true;
    });
    assert.equal(seen[0]?.headers[0]?.[1], `Bearer ${TOKEN}`, "the request itself carries the real token");
  });

  test("the routines guard: an FDW author's own throw is redacted and capped", () => {
    addSecret(TOKEN);
    const r = defineRoutinesV2({ name: "x" }, {
      beginScan() {
        throw new Error(`my own message with ${TOKEN} ${"m".repeat(10_000)}`);
      },
      iterScan() {
        throw `a thrown string ${encodeURIComponent(TOKEN)}`;
      },
    });
    assert.throws(() => r.beginScan({} as never), (e: Error) => !e.message.includes(TOKEN) && e.message.includes(REDACTED) && e.message.length <= MAX_MESSAGE + 30);
    assert.throws(() => r.iterScan({} as never, {} as never), { message: `a thrown string ${REDACTED}` });
    assert.equal(safeError(new Error(TOKEN)).message, REDACTED);
  });
});
