// `tsfdw build --engine micro`: reproducible bytes, what the component imports and on which
// Wrappers it loads (variants by routines version and late utils functions), fdw.json's
// micro.memoryMiB, build errors that name the guest's line, and a 350 KB page of 100 events
// through the runner with rows byte-identical to the quickjs build, on both wasmtime engines.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { eventsGuestProject } from "../bench/guests.js";
import { bundleGuest } from "../tools/build/bundle.js";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { LowerError, lowerForMicro } from "../tools/build/lower.js";
import { ensureMicroEngine } from "../tools/build/micro/engine.js";
import { compileBytecode, preludeSource } from "../tools/build/micro/stage.js";
import { repoRoot } from "../tools/paths.js";
import { ENGINES, scan } from "./support/micro-harness.js";

const sha = (p: string): string => createHash("sha256").update(readFileSync(p)).digest("hex");
const tmp = mkdtempSync(join(tmpdir(), "tsfdw-micro-build-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

/** A temporary FDW project: fdw.json + src/index.ts (ES5 syntax) + the repo's WIT deps. */
function project(name: string, source: string, opts: { wrappers?: "0.1.0" | "0.2.0"; imports?: string[]; fdw?: Record<string, unknown> } = {}): string {
  const v = opts.wrappers ?? "0.2.0";
  const dir = join(tmp, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "wit"), { recursive: true });
  cpSync(join(repoRoot, "wit", "deps", `wrappers-${v}`), join(dir, "wit", "deps", `wrappers-${v}`), { recursive: true });
  const imports = (opts.imports ?? ["http", "utils"]).map((i) => `    import supabase:wrappers/${i}@${v};`).join("\n");
  writeFileSync(join(dir, "wit", "world.wit"), `package test:${name};\n\nworld ${name} {\n${imports}\n    export supabase:wrappers/routines@${v};\n}\n`);
  writeFileSync(join(dir, "fdw.json"), JSON.stringify({ name: `test:${name}`, version: "0.1.0", wit: "wit", world: name, output: `${name}.wasm`, ...opts.fdw }));
  writeFileSync(join(dir, "src", "index.ts"), source);
  return dir;
}

const ROUTINES = `
export var routines = {
  hostVersionRequirement: function () { return "^0.1.0"; },
  init: function () {}, beginScan: function () {}, iterScan: function () { return null; }, reScan: function () {},
  endScan: function () {}, beginModify: function () {}, insert: function () {}, update: function () {},
  "delete": function () {}, endModify: function () {}, importForeignSchema: function () { return []; }
};`;

describe("tsfdw build --engine micro", () => {
  before(() => {
    ensureMicroEngine((m) => process.stderr.write(`${m}\n`));
  });

  test("two builds of the same FDW are byte-identical (in this process and in a fresh one)", async () => {
    const dir = eventsGuestProject();
    const a = await build(parseBuildArgs([dir, "--engine", "micro", "--out", join(tmp, "repro-a"), "--no-typecheck"]));
    const b = await build(parseBuildArgs([dir, "--engine", "micro", "--out", join(tmp, "repro-b"), "--no-typecheck"]));
    const r = spawnSync(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "build", eventsGuestProject(), "--engine", "micro", "--out", join(tmp, "repro-c")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(a.output.sha256, b.output.sha256);
    assert.equal(sha(join(tmp, "repro-c", "bench_events_guest.wasm")), a.output.sha256);
    assert.match(r.stdout, new RegExp(`sha256\\s+${a.output.sha256}`));
  });

  test("the component imports only supabase:wrappers (no WASI), exports routines, and the report says so", async () => {
    const res = await build(parseBuildArgs([eventsGuestProject(), "--engine", "micro", "--out", join(tmp, "verify"), "--no-typecheck"]));
    assert.ok(res.verification.ok, res.verification.errors.join("; "));
    assert.deepEqual(res.verification.exports, ["supabase:wrappers/routines@0.2.0"]);
    assert.ok(res.verification.imports.every((i) => /^supabase:wrappers\/(http|jwt|stats|time|types|utils)@0\.2\.0$/.test(i)), res.verification.imports.join(", "));
    assert.match(res.report, /engine\s+micro \(MicroQuickJS; \d+ bytes of bytecode\)/);
    assert.match(res.report, new RegExp(`code\\s+${res.output.codeBytes} bytes`));
    assert.match(res.report, /loads on\s+Supabase Wrappers >= 0\.5\.0/);
    // What the host compiles per query: the engine's code (measured 118–124 kB; the Rust reference
    // guest has 74,780 B, and issue 9's goal is compile ≤ 3× Rust). The bytecode is data.
    assert.ok(res.output.codeBytes > 50_000 && res.output.codeBytes <= 150_000, `${res.output.codeBytes} bytes of code`);
  });

  test("late utils functions pick the variant that imports them, and the report's minimum Wrappers follows", async () => {
    const plain = project("plain", `import utils from "supabase:wrappers/utils@0.2.0";\nvar u = utils.getVaultSecret;\n${ROUTINES}`);
    const byName = project("byname", `import utils from "supabase:wrappers/utils@0.2.0";\nvar u = utils.getVaultSecretByName;\n${ROUTINES}`);
    const setting = project("setting", `import utils from "supabase:wrappers/utils@0.2.0";\nvar u = utils.querySetting;\n${ROUTINES}`);
    const v1 = project("vone", `import utils from "supabase:wrappers/utils@0.1.0";\nvar u = utils.reportInfo;\n${ROUTINES.replace(', importForeignSchema: function () { return []; }', "")}`, { wrappers: "0.1.0" });
    const out = async (d: string): Promise<Awaited<ReturnType<typeof build>>> => build(parseBuildArgs([d, "--engine", "micro", "--out", join(d, "dist"), "--no-typecheck"]));
    const fns = (r: Awaited<ReturnType<typeof build>>): string[] => r.verification.info.imports.find((i) => /utils@/.test(i.name))?.functions ?? [];
    const p = await out(plain);
    // interfaces narrowed to what the script imports (its world also declares http)
    assert.deepEqual([...p.verification.imports].sort(), ["supabase:wrappers/types@0.2.0", "supabase:wrappers/utils@0.2.0"]);
    assert.equal(p.verification.minWrappers, "0.5.0");
    assert.ok(!fns(p).includes("get-vault-secret-by-name") && !fns(p).includes("query-setting"));
    const n = await out(byName);
    assert.equal(n.verification.minWrappers, "0.6.0");
    assert.ok(fns(n).includes("get-vault-secret-by-name") && !fns(n).includes("query-setting"));
    const s = await out(setting);
    assert.equal(s.verification.minWrappers, "0.6.2");
    assert.ok(fns(s).includes("query-setting"));
    const o = await out(v1);
    assert.deepEqual(o.verification.exports, ["supabase:wrappers/routines@0.1.0"]);
    assert.equal(o.verification.minWrappers, "0.4.0");
    for (const engine of ENGINES) {
      const r = await scan(engine, o.output.wasmPath, ["--column", "x:text"]);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test("fdw.json micro.memoryMiB is checked", async () => {
    const bad = project("badmem", ROUTINES, { fdw: { micro: { memoryMiB: 0 } } });
    await assert.rejects(build(parseBuildArgs([bad, "--engine", "micro", "--out", join(bad, "dist"), "--no-typecheck"])), /"micro.memoryMiB" must be an integer from 1 to 1024/);
  });

  test("a syntax error in a script without a source map names the script's line, not the prelude's", () => {
    const engine = ensureMicroEngine();
    assert.throws(() => compileBytecode(engine, preludeSource("0.2.0"), "var a = 1;\nvar b = 2;\nvar c = ;\n"), /cannot compile the guest script: .*guest\.js:3:/s);
  });

  test("the bytecode compiler's errors name the TypeScript file, line and column (esbuild + SWC source maps)", async () => {
    // TypeScript and esbuild let an empty class range through; MicroQuickJS' regexp compiler (at
    // build time) rejects it. In an imported module, after a line with non-ASCII text.
    const dir = project("mapped", `import { check } from "./util.js";\n${ROUTINES}\nexport const used = check("x");\n`);
    writeFileSync(join(dir, "src", "util.ts"), 'const label = "é😀 ünïcödé";\n\nexport function check(s: string): boolean {\n  return label.length > 0 && /[z-a]/.test(s);\n}\n');
    await assert.rejects(build(parseBuildArgs([dir, "--engine", "micro", "--out", join(dir, "dist"), "--no-typecheck"])), (e: Error) => {
      assert.match(e.message, /invalid class range/);
      assert.match(e.message, /src\/util\.ts:4:30 \(guest\.js:\d+:\d+\)/, e.message);
      return true;
    });
  });

  test("the lowering's errors name the TypeScript position when given the source map", async () => {
    const dir = project("lowermap", "");
    const file = join(dir, "src", "index.ts");
    writeFileSync(file, 'export const x = 1;\n\nexport class Oops extends Error {\n  constructor() { super("o"); }\n}\n');
    const b = await bundleGuest(file, { name: "t", version: "1" }, { sourcemap: true });
    assert.throws(() => lowerForMicro(b.js, { sourcemap: true, inputSourceMap: b.map as string, sourceBase: b.mapBase as string }), (e: Error) => {
      assert.ok(e instanceof LowerError);
      assert.match(e.message, /- \S*index\.ts:3:\d+: a class that extends a built-in .*\(no MicroQuickJS version of _wrap_native_super\)/, e.message);
      return true;
    });
    // Without a map: the lowered script's position.
    assert.throws(() => lowerForMicro(b.js), /of the lowered script/);
  });

  describe("a 350 KB page of 100 events", () => {
    let url = "";
    let close = (): void => {};
    const wasm: Record<string, string> = {};
    before(async () => {
      const events = Array.from({ length: 100 }, (_, i) => ({
        id: String(52000000000 + i),
        type: i % 2 ? "PushEvent" : "WatchEvent",
        actor: { id: 1000 + i, login: `user-${i}`, display_login: `user-${i}`, url: `https://api.github.com/users/user-${i}` },
        repo: { id: 2000 + i, name: `org/repo-${i}`, url: `https://api.github.com/repos/org/repo-${i}` },
        payload: { ratio: 90.28571428571429 + i, big: 9007199254740993, text: "ünïcödé 😀 \\u0000 \"quoted\" ".repeat(90), list: Array.from({ length: 20 }, (_, k) => ({ k, v: `value ${k}` })) },
        public: i % 3 !== 0,
        created_at: `2026-11-26T21:${String(i % 60).padStart(2, "0")}:14Z`,
      }));
      const body = JSON.stringify(events);
      assert.ok(body.length > 350_000, `page is ${body.length} bytes`);
      const server = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(body);
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => server.close();
      for (const engine of ["micro", "quickjs"] as const) {
        wasm[engine] = (await build(parseBuildArgs([eventsGuestProject(), "--engine", engine, "--out", join(tmp, `page-${engine}`), "--no-typecheck"]))).output.wasmPath;
      }
    });
    after(() => close());

    for (const engine of ENGINES) {
      test(`${engine}: parses, converts, and gives the quickjs build's rows byte for byte`, async () => {
        const args = ["--server", `api_url=${url}`, "--column", "id:text", "--column", "type:text", "--column", "actor:jsonb", "--column", "repo:jsonb", "--column", "payload:jsonb", "--column", "public:bool", "--column", "created_at:timestamp"];
        const micro = await scan(engine, wasm["micro"] as string, args);
        const quickjs = await scan(engine, wasm["quickjs"] as string, args);
        assert.equal(micro.code, 0, micro.stderr);
        assert.equal(quickjs.code, 0, quickjs.stderr);
        assert.equal(micro.stdout.split("\n").filter((l) => l !== "").length, 100);
        assert.equal(micro.stdout, quickjs.stdout);
      });
    }
  });
});
