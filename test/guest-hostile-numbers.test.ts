// Issue 8 "Exact values" through the runner: ≥ 10,000 number texts (test/support/number-texts.ts)
// served in event payloads by a loopback server, read by the built GitHub events component.
// The guest must hand every number on exactly as sent: a `text` column shows the json text the
// guest produced (the same text its json cells carry). A jsonb column goes through the host's
// json-cell parse, which on Supabase is serde_json with f64 numbers (e.g. 90.28571428571429 becomes
// 90.28571428571428): the runner must store exactly what Supabase's host stores, no more exact and
// no less (test/support/serde-json-number.ts computes that independently). The same through SQL:
// guest-hostile-pg.test.ts.
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
import { serdeJsonNumber } from "./support/serde-json-number.js";
import { rows, runner } from "../testing/runner.js";

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

test("jsonb cells through the runner: exactly what Supabase's host stores (serde_json f64)", async () => {
  const r = await scan("jsonb");
  assert.equal(r.code, 0, r.stderr);
  // The printed number texts themselves (Node's JSON.parse would round them too).
  const printed = r.stdout.split("\n").filter((l) => l !== "").map((l) => /"n":(-?[0-9][0-9.eE+-]*)/.exec(l)?.[1] ?? l);
  assert.equal(printed.length, texts.length);
  const wrong: string[] = [];
  let changedBySupabase = 0;
  printed.forEach((p, i) => {
    const t = texts[i] as (typeof texts)[number];
    const host = serdeJsonNumber(t.text);
    assert.ok(host.ok, `${t.text}: ${host.ok ? "" : host.error}`);
    if (decimal(host.value) !== decimal(t.text)) changedBySupabase++;
    // The same exact decimal value as Supabase's host (spelling may differ: 1E+2 and 100 are the same jsonb).
    if (decimal(p) !== decimal(host.value)) wrong.push(`${t.kind} ${t.text} → ${p} (Supabase: ${host.value})`);
  });
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${texts.length} differ from Supabase's host`);
  // Not vacuous: serde_json's f64 parse really changes thousands of these texts.
  assert.ok(changedBySupabase > 3000, `${changedBySupabase} changed`);
});
