// Ready-made hostile routes (see server.ts). Event-shaped bodies use minimal GitHub events so that
// the GitHub events FDW reads them; `eventsJson` writes numbers from their text, unchanged.
import type { Body, HostileRequest, HostileRoute } from "./server.js";

/** A minimal GitHub event (the seed's columns), newest first by `i`. */
export function event(i: number, payload = "{}"): string {
  const t = new Date(Date.UTC(2026, 0, 15, 12) - i * 1000).toISOString().replace(".000Z", "Z");
  return `{"id":"${9_000_000 + 1000 - i}","type":"PushEvent","actor":{"id":${i + 1},"login":"user${i}"},"repo":{"id":${i + 7},"name":"o/r${i % 3}"},"payload":${payload},"public":true,"created_at":"${t}"}`;
}

/** A page of `n` events (offset `from`), each with the given payload JSON text. */
export function eventsJson(n: number, from = 0, payload: (i: number) => string = () => "{}"): string {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) out.push(event(i, payload(i)));
  return `[${out.join(",")}]`;
}

/** A page whose Link rel="next" is the very URL requested (an endless loop for a naive pager). */
export function selfLink(body: Body = eventsJson(2)): HostileRoute {
  return { body, headersFor: (req) => ({ link: `<${req.href}>; rel="next"` }) };
}

/** A page whose Link rel="next" leads to `target` (another host or port, e.g. http://127.0.0.2:PORT/events). */
export function linkTo(target: string | ((req: HostileRequest) => string), body: Body = eventsJson(2)): HostileRoute {
  return { body, headersFor: (req) => ({ link: `<${typeof target === "function" ? target(req) : target}>; rel="next"` }) };
}

/** Pages that each link to a new URL (`?page=N+1`), forever: only a page cap stops them. */
export function endlessPages(perPage = 1): HostileRoute {
  return {
    body: (req) => eventsJson(perPage, (Number(req.query["page"] ?? "1") - 1) * perPage),
    headersFor: (req) => {
      const u = new URL(req.href);
      u.searchParams.set("page", String(Number(u.searchParams.get("page") ?? "1") + 1));
      return { link: `<${u.href}>; rel="next"` };
    },
  };
}

/** An error whose JSON `message` is `bytes` long. */
export function hugeMessage(bytes: number, status = 500): HostileRoute {
  return { status, body: `{"message":"${"x".repeat(bytes)}","documentation_url":"https://docs.example/errors"}` };
}

/** `[[[…]]]` nested `depth` deep (with a `status` of choice: error bodies are parsed too). */
export function deepJson(depth: number, status = 200): HostileRoute {
  return { status, body: "[".repeat(depth) + "]".repeat(depth) };
}

/** The body preceded by a UTF-8 byte order mark. */
export function withBom(body: string, status = 200): HostileRoute {
  return { status, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]) };
}

/** An event page whose payload holds invalid UTF-8 bytes inside a JSON string. */
export function invalidUtf8(): HostileRoute {
  const [head, tail] = eventsJson(1, 0, () => '{"text":"@@"}').split("@@") as [string, string];
  return { body: Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(tail)]) };
}

/** 304 Not Modified, no body. */
export function notModified(): HostileRoute {
  return { status: 304, headers: { etag: '"x"' }, body: "" };
}

/** The ways a server can quote the authorization header it received back at the client. */
export type EchoForm = "json-message" | "text" | "field" | "percent" | "base64" | "json-escaped" | "truncated";

/**
 * Echoes the request's authorization header (and, `field`, as an event's created_at value, which
 * then fails cell conversion) in a body: `json-message` in a JSON error message, `text` as a plain
 * error body, `percent` percent-encoded, `base64` base64-encoded, `json-escaped` with `\u` escapes,
 * `truncated` cut after 12 characters of the credential.
 */
export function echoAuth(form: EchoForm, status = 400): HostileRoute {
  return {
    status: form === "field" ? 200 : status,
    body: (req) => {
      const auth = req.headers["authorization"] ?? "";
      switch (form) {
        case "json-message":
          return JSON.stringify({ message: `rejected header authorization: ${auth}` });
        case "text":
          return `bad request: authorization=${auth}\n`;
        case "field":
          return `[${event(0).replace(/"created_at":"[^"]*"/, `"created_at":${JSON.stringify(auth)}`)}]`;
        case "percent":
          return JSON.stringify({ message: `retry with ?auth=${encodeURIComponent(auth)}` });
        case "base64":
          return JSON.stringify({ message: `credential ${Buffer.from(auth.replace(/^\S+\s+/, "")).toString("base64")} rejected` });
        case "json-escaped":
          return `{"message":"got ${auth.replace(/[A-Za-z]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"}`;
        case "truncated": {
          const cred = auth.replace(/^\S+\s+/, "");
          return JSON.stringify({ message: `token ${cred.slice(0, 12)}… is not valid (${"y".repeat(400)})` });
        }
      }
    },
  };
}

/** A page of events whose payloads hold the given number texts, exactly as written: `{"n":<text>,"a":[<text>]}`. */
export function numbersPage(texts: readonly string[], from = 0): HostileRoute {
  return { body: eventsJson(texts.length, from, (i) => `{"n":${texts[i - from]},"a":[${texts[i - from]}]}`) };
}
