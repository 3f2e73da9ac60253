// The ES5 lowering for MicroQuickJS (tools/build/lower.ts): output conventions, helpers, polyfill
// selection, determinism, source maps, and differential runs — the same guest code on Node (the
// ES2023 bundle) and on a native MicroQuickJS (lowered + polyfills) must print the same JSON: a
// syntax matrix, the SDK's paths, and the GitHub FDW scanning fake host pages.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { checkGuestCompat, formatFindings } from "../tools/build/compat.js";
import { LowerError, MICRO_GUEST_VAR, MICRO_IMPORTS_VAR, lowerForMicro, polyfillSource } from "../tools/build/lower.js";
import { repoRoot } from "../tools/paths.js";
import { nativeMqjs, runMqjs } from "./support/mqjs.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-lower-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const mqjs = nativeMqjs();

/** The esbuild bundle as `tsfdw build` makes it (ESM, ES2023, minified); `cjs` for running in Node. */
async function bundle(entry: string, format: "esm" | "cjs" = "esm", sourcemap = false): Promise<{ js: string; map?: string }> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format,
    platform: "neutral",
    target: "es2023",
    minify: true,
    legalComments: "none",
    charset: "utf8",
    external: ["supabase:wrappers/*"],
    define: { TSFDW_PACKAGE_NAME: '"tsfdw:test"', TSFDW_PACKAGE_VERSION: '"0.0.1"' },
    sourcemap: sourcemap ? "external" : false,
    outdir: sourcemap ? join(tmp, "out") : undefined,
    write: false,
    logLevel: "silent",
  });
  const js = (sourcemap ? r.outputFiles.find((f) => f.path.endsWith(".js")) : r.outputFiles[0])?.text ?? "";
  assert.ok(js.length > 0, `esbuild produced no output for ${entry}`);
  const map = r.outputFiles.find((f) => f.path.endsWith(".map"))?.text;
  return map === undefined ? { js } : { js, map };
}

function source(name: string, text: string): string {
  const file = join(tmp, "src", name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Runs a CommonJS bundle in a Node VM after `prelude`; `then` reads `module.exports`. */
function runNode(prelude: string, cjs: string, then: string): string {
  let out = "";
  const context = { REPORT: (s: string) => (out = s), module: { exports: {} }, exports: {} };
  runInNewContext(`${prelude}\nvar require = function (n) { return HOSTS[n]; };\n${cjs}\nvar EXPORTS = module.exports;\n${then}`, context);
  return out;
}

/** Runs a lowered script on MicroQuickJS after `prelude`; `then` reads EXPORTS. */
function runMicro(prelude: string, js: string, then: string): string {
  // As the engine's prelude does (engines/micro/README.md): the host modules and the exports' global.
  const r = runMqjs(mqjs.bin as string, `${prelude}\nvar ${MICRO_IMPORTS_VAR} = HOSTS;\nvar ${MICRO_GUEST_VAR};\nfunction REPORT(s) { print(s); }\n${js}\nvar EXPORTS = ${MICRO_GUEST_VAR};\n${then}`);
  assert.equal(r.status, 0, `mqjs failed: ${r.stderr}${r.stdout}`);
  return r.stdout.trimEnd();
}

describe("lowerForMicro", () => {
  test("the guest runs in a function; host imports read __tsfdw_imports, the exports go to __tsfdw_guest", async () => {
    const entry = source(
      "module.ts",
      `import http from "supabase:wrappers/http@0.2.0";
       import { epochSecs } from "supabase:wrappers/time@0.2.0";
       export const routines = { f: () => http.get({ url: "u" } as never), t: () => epochSecs() };
       export const other = 1;`,
    );
    const r = lowerForMicro((await bundle(entry)).js);
    assert.deepEqual(r.imports, ["supabase:wrappers/http@0.2.0", "supabase:wrappers/time@0.2.0"]);
    assert.deepEqual([...r.exports].sort(), ["other", "routines"]);
    assert.match(r.js, /=__tsfdw_imports\["supabase:wrappers\/http@0\.2\.0"\][,;]/);
    assert.match(r.js, /=__tsfdw_imports\["supabase:wrappers\/time@0\.2\.0"\]\["epochSecs"\]/);
    assert.match(r.js, /__tsfdw_guest=\{"(routines|other)":\w+,"(routines|other)":\w+\};?\}\)\(\);$/);
    assert.ok(r.js.startsWith('"use strict";(function(){'), r.js.slice(0, 40));
    assert.doesNotMatch(r.js, /\b(import|export)\b[\s{*]/);
    assert.doesNotMatch(r.js, /=>|\bconst\b|\blet\b|`/);
  });

  test("output is byte-identical for the same input, also in another process", async () => {
    const { js } = await bundle(join(repoRoot, "test", "fixtures", "micro", "syntax-matrix.ts"));
    const a = lowerForMicro(js);
    const b = lowerForMicro(js);
    assert.equal(a.js, b.js);
    const input = join(tmp, "matrix.bundle.js");
    writeFileSync(input, js);
    const child = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `import { lowerForMicro } from ${JSON.stringify(join(repoRoot, "out", "tools", "build", "lower.js"))}; import { readFileSync } from "node:fs"; process.stdout.write(lowerForMicro(readFileSync(${JSON.stringify(input)}, "utf8")).js);`],
      { encoding: "utf8" },
    );
    assert.equal(child.status, 0, child.stderr);
    const sha = (s: string): string => createHash("sha256").update(s).digest("hex");
    assert.equal(sha(child.stdout), sha(a.js));
  });

  test("only the polyfills and helpers the code names are prepended", async () => {
    const plain = lowerForMicro((await bundle(source("plain.ts", "export const routines = { f: (a: number) => a + 1 };"))).js);
    assert.deepEqual(plain.polyfills, []);
    assert.deepEqual(plain.helpers, []);
    assert.equal(plain.bytes.polyfills, 0);
    const some = lowerForMicro(
      (await bundle(source("some.ts", 'export const routines = { f: (s: string, o: object) => { const m = new Map<string, string>(); const [a = ""] = s.split(","); m.set(a, "x"); return { ...o, a: a.padStart(3), b: m.size }; } };'))).js,
    );
    assert.deepEqual(some.polyfills, ["Map", "String.prototype.repeat"]);
    assert.ok(some.helpers.includes("_extends") && some.helpers.includes("_sliced_to_array"), some.helpers.join());
    assert.ok(some.bytes.polyfills > 500 && some.bytes.polyfills < some.bytes.output, JSON.stringify(some.bytes));
    // A replacement *function* needs the replace polyfill; a literal replacement does not.
    const literal = lowerForMicro((await bundle(source("lit.ts", 'export const routines = { f: (s: string) => s.replace(/a/g, "b") };'))).js);
    assert.ok(!literal.polyfills.includes("String.prototype.replace"), literal.polyfills.join());
    const fn = lowerForMicro((await bundle(source("fn.ts", "export const routines = { f: (s: string) => s.replace(/a/g, (x) => x + x) };"))).js);
    assert.ok(fn.polyfills.includes("String.prototype.replace"), fn.polyfills.join());
  });

  test("what MicroQuickJS cannot run fails the lowering with the construct named", async () => {
    const cases: [string, RegExp][] = [
      ["class MyError extends Error {}\nexport const routines = { f: () => new MyError() };", /extends a built-in.*new Error\(message\)/],
      ["export const routines = { f: async () => 1 };", /async functions/],
      ["export const routines = { f: function* () { yield 1; } };", /generators/],
      ["export const routines = { f: (s: string) => /(?<y>\\d+)/.exec(s) };", /named groups/],
    ];
    for (const [i, [code, message]] of cases.entries()) {
      const { js } = await bundle(source(`bad${i}.ts`, code));
      assert.throws(() => lowerForMicro(js), (e: unknown) => e instanceof LowerError && message.test(e.message), code);
    }
  });

  test("a source map leads from the lowered script back to the TypeScript line", async () => {
    const entry = source("mapped.ts", 'export const routines = {\n  f: (x: number) => {\n    const [a, b] = [x, 2];\n    return "marker-" + (a ** b);\n  },\n};\n');
    const b = await bundle(entry, "esm", true);
    const r = lowerForMicro(b.js, { sourcemap: true, inputSourceMap: b.map as string });
    assert.ok(r.map !== undefined);
    const lines = r.js.split("\n");
    const line = lines.findIndex((l) => l.includes('"marker-"'));
    const column = (lines[line] as string).indexOf('"marker-"');
    const entryPos = new SourceMap(JSON.parse(r.map as string)).findEntry(line, column) as { originalSource?: string; originalLine?: number };
    assert.ok(entryPos.originalSource?.endsWith("mapped.ts"), JSON.stringify(entryPos));
    assert.equal(entryPos.originalLine, 3); // 0-based: line 4 of mapped.ts
  });

  test("catch parameters get names of their own (MicroQuickJS rejects a reused catch name)", { skip: mqjs.reason }, async () => {
    const entry = source(
      "catches.ts",
      `export const routines = { f: (e: number) => {
         const out: string[] = [];
         try { throw new Error("a"); } catch (e) { out.push((e as Error).message); }
         try { throw new Error("b"); } catch (e) { const g = () => (e as Error).message; out.push(g()); try { throw 1; } catch (e) { out.push(String(e)); } }
         try { JSON.parse("{"); } catch { out.push("bare"); }
         return out.join(",") + ":" + e;
       } };`,
    );
    const r = lowerForMicro((await bundle(entry)).js);
    assert.equal(runMicro("var HOSTS = {};", r.js, "REPORT(EXPORTS.routines.f(7));"), "a,b,1,bare:7");
  });

  test("spread and destructuring of a non-array fail at run time, naming the alternative", { skip: mqjs.reason }, async () => {
    const entry = source("nonarray.ts", "export const routines = { spread: (x: any) => [...x], destructure: (x: any) => { const [a] = x; return a; }, forOf: (x: any) => { for (const v of x) return v; } };");
    const r = lowerForMicro((await bundle(entry)).js);
    const then = `var out = [];
      [["spread", new Set([1])], ["destructure", new Map()], ["forOf", new Set([1])], ["spread", "a\\ud83d\\ude00"], ["destructure", [5]]].forEach(function (c) {
        try { out.push(JSON.stringify(EXPORTS.routines[c[0]](c[1]))); } catch (e) { out.push(e.name + ": " + e.message); }
      });
      REPORT(out.join("\\n"));`;
    assert.deepEqual(runMicro(`var HOSTS = {};\n${polyfillSource(["Map", "Set"])}`, r.js, then).split("\n"), [
      "TypeError: spread of a Set is not supported on MicroQuickJS: only arrays (use forEach for a Map or a Set)",
      "TypeError: array destructuring of a Map is not supported on MicroQuickJS: only arrays (use forEach for a Map or a Set)",
      "TypeError: unsupported type in for...of",
      '["a","😀"]',
      "5",
    ]);
  });

  test("the syntax matrix prints the same JSON on Node and on MicroQuickJS", { skip: mqjs.reason }, async () => {
    const entry = join(repoRoot, "test", "fixtures", "micro", "syntax-matrix.ts");
    assert.deepEqual(checkGuestCompat([entry], "micro"), [], "the fixture is micro-compatible");
    const expected = runNode("var HOSTS = {};", (await bundle(entry, "cjs")).js, "REPORT(EXPORTS.run());");
    const lowered = lowerForMicro((await bundle(entry)).js);
    const actual = runMicro("var HOSTS = {};", lowered.js, "REPORT(EXPORTS.run());");
    assert.ok(expected.length > 500, expected);
    assert.deepEqual(JSON.parse(actual), JSON.parse(expected));
  });
});

// ---------------------------------------------------------------------------------------------
// The SDK and the GitHub FDW on MicroQuickJS

/**
 * The edits the SDK and the FDW need for micro today (tools/build/compat.ts finds exactly these);
 * applied to a copy, each only while its original text is still there.
 */
const MICRO_PATCHES: [string, string, string][] = [
  [
    "sdk/cells.ts",
    `export class CellConversionError extends Error {
  constructor(column: ColumnInfo, value: unknown, reason: string) {
    super(\`cannot convert \${describeValue(value)} for column "\${column.name}" of type \${column.type}: \${reason}\`);
  }
}`,
    `export function CellConversionError(column: ColumnInfo, value: unknown, reason: string): Error {
  return new Error(\`cannot convert \${describeValue(value)} for column "\${column.name}" of type \${column.type}: \${reason}\`);
}`,
  ],
  ["sdk/cells.ts", "throw new CellConversionError(column, value, reason)", "throw CellConversionError(column, value, reason)"],
  [
    "sdk/http.ts",
    "return { method: { tag: method }, url, headers: [...out], body };",
    "const list: [string, string][] = [];\n  out.forEach((v, k) => list.push([k, v]));\n  return { method: { tag: method }, url, headers: list, body };",
  ],
  [
    // The regexps count UTF-16 surrogates, which MicroQuickJS' regexp engine never sees (it matches
    // a non-BMP character as one unit): count UTF-8 bytes from char codes instead.
    "fdw/github-events/src/index.ts",
    String.raw`    const wide = body.replace(/[\0-\x7f]+/g, "");
    bytesIn += body.length + wide.length + wide.replace(/[\x80-\u07ff\ud800-\udfff]/g, "").length;`,
    `    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      bytesIn += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
    }`,
  ],
  [
    // The micro engine compiles regular expressions at build time (literals only).
    "fdw/github-events/src/index.ts",
    "const names = new RegExp(`^${PATHS[i]?.replace(/\\{\\w+\\}/g, \"([^/]+)\")}$`).exec(object)?.slice(1);",
    `const want = (PATHS[i] as string).split("/");
    const got = object.split("/");
    const names = want.length === got.length && want.every((w, j) => (w[0] === "{" ? got[j] !== "" : w === got[j])) ? got.filter((_, j) => want[j]?.[0] === "{") : undefined;`,
  ],
  [
    "fdw/github-events/src/index.ts",
    "picked = [...found.values()] as Feed[];",
    "const list: Feed[] = [];\n            found.forEach((f) => list.push(f as Feed));\n            picked = list;",
  ],
];

function patchedCopy(): string {
  const root = join(tmp, "patched");
  cpSync(join(repoRoot, "sdk"), join(root, "sdk"), { recursive: true });
  cpSync(join(repoRoot, "fdw", "github-events", "src"), join(root, "fdw", "github-events", "src"), { recursive: true });
  cpSync(join(repoRoot, "test", "fixtures", "micro"), join(root, "test", "fixtures", "micro"), { recursive: true });
  // The FDW imports `tsfdw/sdk` (as an FDW project does): the copy is that package, linked from its
  // own node_modules so esbuild resolves the copy's sdk/main.ts.
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "tsfdw", type: "module", exports: { "./sdk": "./sdk/main.ts" } }));
  mkdirSync(join(root, "node_modules"), { recursive: true });
  symlinkSync(root, join(root, "node_modules", "tsfdw"), "dir");
  for (const [file, from, to] of MICRO_PATCHES) {
    const path = join(root, file);
    const text = readFileSync(path, "utf8");
    if (text.includes(from)) writeFileSync(path, text.replace(from, to));
  }
  return root;
}

/** ES5 fake host modules for both engines: GitHub pages with Link paging, a clock, stats. */
function fakeHosts(pages: Record<string, { status: number; headers: [string, string][]; body: string }>): string {
  return `var HOSTS = (function () {
  var pages = ${JSON.stringify(pages)}, log = [];
  function days(y, m, d) { y -= m <= 2 ? 1 : 0; var era = Math.floor(y / 400), yoe = y - era * 400, mp = (m + 9) % 12; var doy = Math.floor((153 * mp + 2) / 5) + d - 1; return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468; }
  return {
    log: log,
    "supabase:wrappers/http@0.2.0": {
      get: function (req) {
        log.push("GET " + req.url + " " + JSON.stringify(req.headers));
        var p = pages[req.url];
        if (!p) return { url: req.url, statusCode: 404, headers: [], body: '{"message":"Not Found"}' };
        return { url: req.url, statusCode: p.status, headers: p.headers, body: p.body };
      },
      errorForStatus: function (r) { if (r.statusCode >= 400) throw new Error("HTTP status error (" + r.statusCode + " Status) for url (" + r.url + ")"); }
    },
    "supabase:wrappers/time@0.2.0": {
      parseFromRfc3339: function (s) {
        var m = /^(\\d{4})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)Z$/.exec(s);
        if (m === null) throw new Error("invalid: " + s);
        return ((days(+m[1], +m[2], +m[3]) * 86400 + m[4] * 3600 + m[5] * 60 + +m[6]) * 1000000);
      },
      epochSecs: function () { return 1764460800; }
    },
    "supabase:wrappers/stats@0.2.0": { incStats: function (n, k, v) { log.push("stats " + n + " " + k.tag + " " + v); } },
    "supabase:wrappers/utils@0.2.0": { getVaultSecret: function (id) { return "vault-" + id; } }
  };
})();`;
}

/** ES5: a scan through the routines with a fake context; REPORTs rows, errors and host calls. */
function scanScript(server: Record<string, string>, table: Record<string, string>, columns: [string, string][]): string {
  return `(function () {
  var options = { server: ${JSON.stringify(server)}, table: ${JSON.stringify(table)} };
  var cols = ${JSON.stringify(columns)};
  var ctx = {
    getOptions: function (k) { var o = options[k.tag] || {}; return { get: function (key) { return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : null; } }; },
    getColumns: function () { return cols.map(function (c, i) { return { name: function () { return c[0]; }, num: function () { return i + 1; }, typeOid: function () { return { tag: c[1] }; } }; }); },
    getQuals: function () { return []; },
    getSorts: function () { return []; },
    getLimit: function () { return null; }
  };
  var out = { rows: [], error: null };
  var r = EXPORTS.routines;
  try {
    r.init(ctx);
    r.beginScan(ctx);
    for (var n = 0; n < 1000; n++) {
      var cells = [];
      var row = { push: function (c) { cells.push(c); } };
      if (r.iterScan(ctx, row) == null) break;
      out.rows.push(cells);
    }
    r.endScan(ctx);
  } catch (e) {
    out.error = e.message;
  }
  out.host = HOSTS.log;
  REPORT(JSON.stringify(out));
})();`;
}

function eventPages(): Record<string, { status: number; headers: [string, string][]; body: string }> {
  const events = Array.from({ length: 150 }, (_, i) => ({
    id: String(52000000000 + 150 - i),
    type: ["PushEvent", "WatchEvent", "IssuesEvent"][i % 3],
    actor: { id: 1000 + i, login: i % 7 === 0 ? "ünïcode-😀" : `user${i % 11}`, display_login: `user${i % 11}` },
    repo: { id: 90000 + (i % 5), name: `org${i % 5}/repo-${i % 4}`, url: `https://api.github.com/repos/org${i % 5}/repo-${i % 4}` },
    payload: { size: i, ratio: 90.28571428571429 + i, big: 2 ** 53 + 2, commits: [{ message: `fix #${i}\n\u2028 é`, distinct: i % 2 === 0 }], nothing: null },
    public: i % 9 !== 0,
    created_at: `2026-11-${String(28 - Math.floor(i / 24)).padStart(2, "0")}T${String(23 - (i % 24)).padStart(2, "0")}:00:00Z`,
  }));
  const base = "https://api.test/events";
  return {
    [`${base}?per_page=100`]: { status: 200, headers: [["link", `<${base}?per_page=100&page=2>; rel="next"`], ["content-type", "application/json"]], body: JSON.stringify(events.slice(0, 100)) },
    [`${base}?per_page=100&page=2`]: { status: 200, headers: [], body: JSON.stringify(events.slice(100)) },
    "https://api.test/repos/o/r/events?per_page=100": { status: 403, headers: [["x-ratelimit-remaining", "0"], ["x-ratelimit-limit", "60"], ["x-ratelimit-reset", "1764464400"]], body: '{"message":"API rate limit exceeded"}' },
  };
}

describe("the SDK and the GitHub FDW on MicroQuickJS", () => {
  const root = patchedCopy();

  test("with the listed edits, the SDK and the FDW pass the micro compatibility check", () => {
    const findings = checkGuestCompat([join(root, "fdw", "github-events", "src", "index.ts"), join(root, "test", "fixtures", "micro", "sdk-driver.ts")], "micro");
    assert.equal(findings.length, 0, formatFindings(findings, root));
  });

  test("the SDK's paths (cells, options, HTTP, JSON, RFC 3339, errors, routines) give the same JSON", { skip: mqjs.reason }, async () => {
    const entry = join(root, "test", "fixtures", "micro", "sdk-driver.ts");
    const expected = runNode("var HOSTS = {};", (await bundle(entry, "cjs")).js, "REPORT(EXPORTS.run());");
    const lowered = lowerForMicro((await bundle(entry)).js);
    const actual = runMicro("var HOSTS = {};", lowered.js, "REPORT(EXPORTS.run());");
    const e = JSON.parse(expected) as Record<string, unknown>;
    const a = JSON.parse(actual) as Record<string, unknown>;
    for (const key of Object.keys(e)) assert.deepEqual(a[key], e[key], `${key} differs`);
    assert.ok(JSON.stringify(e["cells"]).includes("out of range"), "the cells cases reach the errors");
  });

  const columns: [string, string][] = [
    ["id", "string"],
    ["type", "string"],
    ["actor", "json"],
    ["repo", "json"],
    ["payload", "json"],
    ["public", "bool"],
    ["created_at", "timestamp"],
    ["repo_name", "string"],
    ["actor_login", "string"],
  ];
  for (const [label, table, check] of [
    ["150 events over two pages", { object: "events" }, (out: { rows: unknown[]; error: string | null }) => assert.equal(out.rows.length, 150, String(out.error))],
    ["a rate-limited feed", { object: "repos/o/r/events" }, (out: { rows: unknown[]; error: string | null }) => assert.match(String(out.error), /rate limit exceeded \(limit 60 requests, resets at 2025-11-30 01:00:00 UTC\)/)],
  ] as const) {
    test(`the GitHub FDW scans ${label} with the same rows and host calls`, { skip: mqjs.reason }, async () => {
      const entry = join(root, "fdw", "github-events", "src", "index.ts");
      const prelude = fakeHosts(eventPages());
      const scan = scanScript({ api_url: "https://api.test/", api_key: "t0ken" }, table, columns);
      const expected = runNode(prelude, (await bundle(entry, "cjs")).js, scan);
      const lowered = lowerForMicro((await bundle(entry)).js);
      const actual = runMicro(prelude, lowered.js, scan);
      const out = JSON.parse(expected) as { rows: unknown[]; error: string | null };
      check(out);
      assert.deepEqual(JSON.parse(actual), out);
    });
  }
});
