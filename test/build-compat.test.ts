// The build-time compatibility check (tools/build/compat.ts) on small guests written for it, on
// both engines, plus the real SDK + GitHub FDW, and the micro built-in list against MicroQuickJS'
// own standard library source (mqjs_stdlib.c).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { MICRO_NATIVE } from "../tools/build/compat-builtins.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { CompatError, type Finding, checkGuestCompat, compatStage, formatFindings, listGuestBuiltins } from "../tools/build/compat.js";
import { regexProblems } from "../tools/build/lower.js";
import { repoRoot } from "../tools/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-compat-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Guest snippets and the findings (`rule@line`) expected on each engine. */
const CASES: { name: string; code: string; micro: string[]; quickjs: string[] }[] = [
  {
    name: "clock-and-console",
    code: ["const a = Date.now();", "const b = new Date();", "const c = new Date(0);", 'console.log("x");', "setTimeout(() => 1, 5);", "const d = performance.now();", "export { a, b, c, d };"].join("\n"),
    micro: ["no-trap@1", "no-trap@2", "builtin@3", "no-trap@4", "no-trap@5", "no-trap@6"],
    quickjs: ["no-trap@1", "no-trap@2", "no-trap@4", "no-trap@5", "no-trap@6"],
  },
  {
    name: "iteration",
    code: [
      "const m = new Map<string, number>([['a', 1]]);",
      "for (const [k, v] of m) void [k, v];",
      'for (const ch of "abc") void ch;',
      "const s = new Set([1]); const a = [...s];",
      'const b = [..."ab"]; const [c, d] = "xy";',
      "const e = [...m.values()];",
      "for (const x of [1, 2]) void x;",
      "declare const anything: any; for (const y of anything) void y;",
      "function f<A extends unknown[]>(g: (...a: A) => void, ...args: A) { g(...args); }",
      "let p = 1, q = 2; [p, q] = new Set([q, p]) as unknown as [number, number];",
      "export { a, b, c, d, e, f };",
    ].join("\n"),
    micro: ["non-array@2", "non-array@3", "non-array@4", "builtin@6", "non-array@6"],
    quickjs: [],
  },
  {
    name: "syntax",
    code: [
      "function* gen() { yield 1; }",
      "async function af() { await 1; }",
      "const big = 10n;",
      "const holes = [1, , 2];",
      "class E extends Error {}",
      "class M extends Map<string, string> {}",
      "class Own {} class Sub extends Own {}",
      "if (holes.length) { function inner() {} inner(); }",
      "const o = { ...{ a: 1 }, get g() { return 1; } };",
      "const t = { toJSON() { return 1; } };",
      "class P { #p = 1; has(x: object) { return #p in x; } }",
      "debugger;",
      "export { gen, af, big, E, M, Sub, o, t, P };",
    ].join("\n"),
    micro: ["generator@1", "generator@1", "async@2", "async@2", "bigint@3", "array-hole@4", "extends-builtin@5", "extends-builtin@6", "block-function@8", "spread-accessor@9", "toJSON@10", "private-in@11", "debugger@12"],
    quickjs: [],
  },
  {
    name: "builtins",
    code: [
      'const sym = Symbol("x"); const w = new WeakMap(); const p = Promise.resolve(1); const r = Reflect.ownKeys({});',
      'const sub = "abc".substr(1); const flat = [[1]].flat(); const hyp = Math.hypot(1, 2); const names = Object.getOwnPropertyNames({});',
      'const fine = [1].includes(1) && "a".includes("a") && [1].at(-1) && "x".padStart(2) && Number.isInteger(1) && Math.trunc(1.5) && encodeURIComponent("x") && Object.fromEntries([["a", 1]]) && Object.hasOwn({}, "a");',
      'const fine2 = Object.keys({}).length + JSON.stringify({}).length + parseInt("1") + Math.floor(1.5) + "a".replace(/a/, (x) => x).length + new Map().size + new Set().size;',
      'const str = (5).toString() + "x".toString() + String(1);',
      'const u: string | string[] = "x"; const inU = u.includes("x"); const gt = globalThis.Map;',
      'const j = JSON.stringify({}, null, 2); const j2 = JSON.parse("{}", (k, v) => v); const e = new Error("m", { cause: 1 });',
      "export { sym, w, p, r, sub, flat, hyp, names, fine, fine2, str, inU, gt, j, j2, e };",
    ].join("\n"),
    // "x".toString() (line 5) is the engine's own String.prototype.toString now.
    micro: ["builtin@1", "builtin@1", "builtin@1", "builtin@1", "builtin@2", "builtin@2", "builtin@2", "builtin@2", "json@7", "json@7", "error-cause@7"],
    quickjs: [],
  },
  {
    name: "regexps",
    code: [
      "const a = /(?<=a)b/; const b = /(?<n>a)\\k<n>/; const c = /\\p{L}/u; const d = /a/d; const e = /é/i;",
      'const f = new RegExp("(?<x>a)", "g"); const g = /[\\ud800-\\udfff]/g; const h = /😀/; const i = /a.b/su; const j = /a/y;',
      'const k = new RegExp(`^${f.source}$`); const l = RegExp("a"); const m = new RegExp(/copy/); const n = new Function("return 1");',
      "export { a, b, c, d, e, f, g, h, i, j, k, l, m, n };",
    ].join("\n"),
    // Surrogate classes and non-BMP literals (line 2: g, h) match UTF-16 units as in ES.
    micro: ["regexp@1", "regexp@1", "regexp@1", "regexp@1", "regexp@1", "regexp@1", "regexp@2", "regexp-constructor@2", "regexp-constructor@3", "regexp-constructor@3", "function-constructor@3"],
    quickjs: [],
  },
  {
    name: "shadowing",
    code: [
      "// Locals named like the traps and built-ins are the guest's own.",
      "const console = { log: (x: string) => x };",
      "console.log('fine');",
      "function setTimeout(f: () => void) { f(); }",
      "setTimeout(() => 1);",
      "const Symbol = (x: string) => x; Symbol('ok');",
      "const value = { values: () => [1], at: 1 }; value.values(); void value.at;",
      "export { value };",
    ].join("\n"),
    micro: [],
    quickjs: [],
  },
];

function write(name: string, code: string): string {
  const dir = join(tmp, "src");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, code);
  return file;
}

const summary = (findings: Finding[], file: string): string[] =>
  findings
    .filter((f) => f.file === file)
    .map((f) => `${f.rule}@${f.line}`)
    .sort();

describe("checkGuestCompat", () => {
  const files = CASES.map((c) => write(c.name, c.code));
  const results = { micro: checkGuestCompat(files, "micro"), quickjs: checkGuestCompat(files, "quickjs") };

  for (const [i, c] of CASES.entries()) {
    for (const engine of ["micro", "quickjs"] as const) {
      test(`${c.name} on ${engine}`, () => {
        assert.deepEqual(summary(results[engine], files[i] as string), [...c[engine]].sort(), formatFindings(results[engine].filter((f) => f.file === files[i]), tmp));
      });
    }
  }

  test("findings are sorted, name file:line:column and an alternative, and apply to the engine asked", () => {
    const all = results.micro;
    const keys = all.map((f) => `${f.file}\u0000${String(f.line).padStart(6)}\u0000${String(f.column).padStart(6)}`);
    assert.deepEqual(keys, [...keys].sort());
    for (const f of all) {
      assert.ok(f.line > 0 && f.column > 0 && f.message !== "" && f.alternative !== "", JSON.stringify(f));
      assert.ok(f.engine === "all" || f.engine === "micro");
    }
    for (const f of results.quickjs) assert.equal(f.engine, "all");
    const clock = results.quickjs.find((f) => f.message.startsWith("Date.now()"));
    assert.ok(clock !== undefined);
    assert.equal(`${clock.line}:${clock.column}`, "1:11");
    assert.match(clock.alternative, /time\.epochSecs\(\) from supabase:wrappers\/time/);
    const cls = results.micro.find((f) => f.rule === "extends-builtin" && f.message.includes("class E "));
    assert.equal(`${cls?.line}:${cls?.column}`, "5:7");
  });

  test("formatFindings and compatStage: one line per finding with path:line:column and what to write instead", () => {
    const file = files[0] as string;
    const text = formatFindings(results.quickjs.filter((f) => f.file === file), tmp);
    assert.match(text, /^ {2}src\/clock-and-console\.ts:1:11: Date\.now\(\) traps in the guest\n {6}instead: time\.epochSecs\(\)/);
    assert.throws(
      () => compatStage([file], "quickjs"),
      (e: unknown) => e instanceof CompatError && e.findings.length === 5 && /uses what the quickjs engine cannot run \(5 findings\)/.test(e.message),
    );
    assert.ok(compatStage([files[CASES.findIndex((c) => c.name === "shadowing")] as string], "micro").ms >= 0);
  });
});

describe("listGuestBuiltins", () => {
  test("lists what a guest uses and how micro provides it", () => {
    const file = write("listed", 'export const f = (s: string, m: Map<string, number>) => [s.padStart(2), s.trim(), s.trim(), m.get(s), Symbol("x"), Math.floor(1)];');
    const list = listGuestBuiltins([file]);
    const of = (name: string) => list.find((b) => b.name === name);
    assert.deepEqual(of("String.prototype.trim"), { name: "String.prototype.trim", uses: 2, micro: "native" });
    assert.deepEqual(of("String.prototype.padStart"), { name: "String.prototype.padStart", uses: 1, micro: "polyfill" });
    assert.deepEqual(of("Map.prototype.get"), { name: "Map.prototype.get", uses: 1, micro: "polyfill" });
    assert.deepEqual(of("Symbol"), { name: "Symbol", uses: 1, micro: "missing" });
    assert.equal(of("Math.floor")?.micro, "native");
    assert.deepEqual(list.map((b) => b.name), [...list.map((b) => b.name)].sort());
  });
});

describe("tsfdw build", () => {
  test("fails for a guest that calls Date.now() or new Date(), naming file:line:column (the type-check accepts both)", async () => {
    const dir = join(tmp, "clock-guest");
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "fdw.json"), JSON.stringify({ name: "test:clock-fdw", version: "0.0.1", world: "github-events-fdw", output: "clock.wasm", wit: join(repoRoot, "wit") }));
    writeFileSync(
      join(dir, "src", "index.ts"),
      `import { defineRoutines } from ${JSON.stringify(join(repoRoot, "sdk", "index.js"))};\nexport const routines = defineRoutines({ name: "clock" }, {\n  init() { void [Date.now(), new Date()]; },\n});\n`,
    );
    await assert.rejects(build(parseBuildArgs([dir, "--out", join(tmp, "clock-out")])), (e: unknown) => {
      assert.ok(e instanceof CompatError, String(e));
      assert.match(e.message, /src\/index\.ts:3:18: Date\.now\(\) traps in the guest\n\s+instead: time\.epochSecs\(\)/);
      assert.match(e.message, /src\/index\.ts:3:30: new Date\(\) \(the current time\) traps in the guest/);
      return true;
    });
  });
});

describe("the GitHub FDW and the SDK", () => {
  test("have nothing that traps on the quickjs engine", () => {
    const findings = checkGuestCompat([join(repoRoot, "fdw", "github-events", "src", "index.ts")], "quickjs");
    assert.deepEqual(findings, [], formatFindings(findings));
  });
});

describe("regexProblems", () => {
  test("accepts what MicroQuickJS' regexp engine parses, names what it does not", () => {
    for (const [pattern, flags] of [
      ["^(\\d{4})-(\\d{2})$", ""],
      ["(?:a|b)+(?=c)(?!d)", "gimsuy"],
      ["[(?<]\\(?<x>", ""],
      ["\\u{1F600}", "u"],
      ["😀", ""],
      ["[é]", ""],
    ] as const) {
      assert.deepEqual(regexProblems(pattern, flags), [], pattern);
    }
    const problems = (p: string, f = ""): string => regexProblems(p, f).map((x) => x.message).join("; ");
    assert.match(problems("(?<=a)"), /lookbehind/);
    assert.match(problems("(?<!a)"), /lookbehind/);
    assert.match(problems("(?<n>a)"), /named groups/);
    assert.match(problems("\\k<n>"), /named backreference/);
    assert.match(problems("\\P{L}", "u"), /property escapes/);
    assert.match(problems("(?i:a)"), /inline modifiers/);
    assert.match(problems("a", "v"), /flag v/);
    assert.match(problems("Ä", "i"), /non-ASCII/);
    // Surrogates are UTF-16 units on the micro engine as in ES (engines/micro/c/builtins.c).
    assert.equal(problems("\\uD83D"), "");
    assert.equal(problems("[\\ud800-\\udfff]"), "");
  });
});

describe("the micro built-in list", () => {
  // The guest's standard library is the micro engine's own (engines/micro/c/stdlib_def.c, with
  // the built-ins of builtins.c), not the crate's REPL library.
  testStdlib(join(repoRoot, "engines", "micro", "c", "stdlib_def.c"));
});

function testStdlib(file: string): void {
  test("names only what the micro engine's stdlib_def.c defines", () => {
    const c = readFileSync(file, "utf8");
    // Table → ES owner; every quoted name in a table is a member of that owner.
    const owners: Record<string, string> = {
      js_object_proto: "Object.prototype",
      js_object: "Object",
      js_function_proto: "Function.prototype",
      js_number_proto: "Number.prototype",
      js_number: "Number",
      js_string_proto: "String.prototype",
      js_boolean_proto: "Boolean.prototype",
      js_string: "String",
      js_array_proto: "Array.prototype",
      js_array: "Array",
      js_error_proto: "Error.prototype",
      js_math: "Math",
      js_json: "JSON",
      js_array_buffer_proto: "ArrayBuffer.prototype",
      js_typed_array_base_proto: "Uint8Array.prototype",
      js_regexp_proto: "RegExp.prototype",
      js_global_object: "",
    };
    const defined = new Set<string>();
    for (const m of c.matchAll(/static const JSPropDef (\w+)\[\] = \{([\s\S]*?)\n\};/g)) {
      const owner = owners[m[1] as string];
      if (owner === undefined) continue;
      for (const n of (m[2] as string).matchAll(/JS_\w+DEF\("(\w+)"/g)) defined.add(owner === "" ? (n[1] as string) : `${owner}.${n[1]}`);
    }
    assert.ok(defined.has("String.prototype.trimStart") && defined.has("Math.trunc") && defined.has("globalThis"), [...defined].join(" "));
    // Not table entries but part of every object model: prototypes and constructors, the length of
    // `arguments`, exec() results, template objects, typed arrays other than Uint8Array (same table).
    const structural = /^(\w+\.prototype|Object\.prototype\.constructor|Function\.prototype\.prototype|IArguments\..*|RegExp(Match|Exec)Array\..*|TemplateStringsArray\..*|\w+Array\.(BYTES_PER_ELEMENT|prototype\.\w+))$/;
    const missing = [...MICRO_NATIVE].filter((n) => !defined.has(n) && !structural.test(n));
    assert.deepEqual(missing, [], `in compat-builtins.ts MICRO_NATIVE but not in ${file}`);
  });
}
