// Issue 8 "Exact values" through the runner: ≥ 10,000 number texts (test/support/number-texts.ts)
// served in event payloads by a loopback server, read by the built GitHub events component.
// The guest must hand every number on exactly as sent: a `text` column shows the json text the
// guest produced (the same text its json cells carry). The runner's own jsonb output re-prints
// numbers through serde_json (f64, without float_roundtrip) — a host defect that changes e.g.
// 90.28571428571429 to 90.28571428571428 — so that check is a todo for the host until it passes
// json text on unchanged. The same through SQL: guest-hostile-pg.test.ts.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { eventsJson } from "../mock/hostile/scenarios.js";
import { type HostileServer, startHostileServer } from "../mock/hostile/server.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot } from "../tools/paths.js";
import { numberTexts } from "./support/number-texts.js";
import { rows, runner } from "./support/runner-harness.js";

const texts = numberTexts(10_000);
const PER_PAGE = 100;
const tmp = mkdtempSync(join(tmpdir(), "tsfdw-numbers-"));
let wasm = "";
let api: HostileServer;

/** The payload text of event i, as served. */
const payload = (i: number): string => `{"n":${texts[i]?.text},"a":[${texts[i]?.text}]}`;

/** Exact decimal value of a JSON number text, normalised (`-1.50` → `-15e-1`), for comparisons that ignore spelling. */
function decimal(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  let digits = (m[2] ?? "") + (m[3] ?? "");
  let exp = Number(m[4] ?? "0") - (m[3]?.length ?? 0);
  digits = digits.replace(/^0+/, "");
  if (digits === "") return "0";
  while (digits.endsWith("0")) {
    digits = digits.slice(0, -1);
    exp++;
  }
  return `${m[1]}${digits}e${exp}`;
}

before(async () => {
  wasm = (await build(parseBuildArgs([join(repoRoot, "fdw", "github-events"), "--out", tmp, "--no-typecheck"]))).output.wasmPath;
  api = await startHostileServer({
    routes: {
      "/num": {
        body: (req) => {
          const page = Number(req.query["page"] ?? "1");
          const from = (page - 1) * PER_PAGE;
          return eventsJson(Math.min(PER_PAGE, texts.length - from), from, payload);
        },
        headersFor: (req) => {
          const page = Number(req.query["page"] ?? "1");
          return page * PER_PAGE < texts.length ? { link: `<${api.url}/num/events?page=${page + 1}>; rel="next"` } : {};
        },
      },
    },
  });
});

after(async () => {
  await api?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function scan(type: string) {
  return runner(["scan", wasm, "--server", `api_url=${api.url}/num`, "--table", "object=events", "--column", "id:text", "--column", `payload:${type}`, "--format", "json"]);
}

test(`${texts.length} number texts reach the guest's json text exactly (text column, runner)`, async () => {
  assert.ok(texts.length >= 10_000);
  const kinds = new Set(texts.map((t) => t.kind));
  assert.deepEqual([...kinds].sort(), ["big-integer", "digits17", "double", "huge-integer", "non-canonical", "subnormal"]);
  const got = rows(await scan("text"));
  assert.equal(got.length, texts.length);
  const wrong: string[] = [];
  got.forEach((r, i) => {
    if (r["payload"] !== payload(i)) wrong.push(`${texts[i]?.kind} ${texts[i]?.text} → ${String(r["payload"])}`);
  });
  assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${texts.length} changed`);
});

test("jsonb cells through the runner keep every value (host: serde_json f64 re-printing)", { todo: "host: the runner re-prints jsonb numbers through serde_json f64" }, async () => {
  const r = await scan("jsonb");
  assert.equal(r.code, 0, r.stderr);
  // The printed number texts themselves (Node's JSON.parse would round them too).
  const printed = r.stdout.split("\n").filter((l) => l !== "").map((l) => /"n":(-?[0-9][0-9.eE+-]*)/.exec(l)?.[1] ?? l);
  assert.equal(printed.length, texts.length);
  const wrong: string[] = [];
  const byKind: Record<string, number> = {};
  printed.forEach((p, i) => {
    const t = texts[i] as (typeof texts)[number];
    // The same exact decimal value (the spelling may change: 1E+2 and 100 are the same jsonb).
    if (decimal(p) !== decimal(t.text)) {
      wrong.push(`${t.kind} ${t.text} → ${p}`);
      byKind[t.kind] = (byKind[t.kind] ?? 0) + 1;
    }
  });
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${texts.length} changed: ${JSON.stringify(byKind)}`);
});
