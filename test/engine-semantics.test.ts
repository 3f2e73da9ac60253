// Built-in behaviours a guest can see (test/fixtures/engine-semantics: regexps, strings, case
// mapping, object key order, enumerable properties, JSON), built with both engines and run on
// both wasmtime engines: the micro build's rows must be the quickjs build's bytes, and each
// result what Node gives (ES). Guards the fixes to MicroQuickJS in engines/micro/c.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot } from "../tools/paths.js";
import { CASES, runCase } from "./fixtures/engine-semantics/src/cases.js";
import { ENGINES, scan } from "./support/micro-harness.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-semantics-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the fixture with the repository's WIT deps (the build writes into the WIT dir). */
function fixtureProject(): string {
  const dir = join(tmp, "project");
  cpSync(join(repoRoot, "test", "fixtures", "engine-semantics"), dir, { recursive: true });
  cpSync(join(repoRoot, "wit", "deps", "wrappers-0.2.0"), join(dir, "wit", "deps", "wrappers-0.2.0"), { recursive: true });
  return dir;
}

const COLUMNS = ["--column", "name:text", "--column", "result:text"];

describe("built-in behaviours: micro = quickjs = ES", () => {
  const wasm: Record<string, string> = {};
  before(async () => {
    const dir = fixtureProject();
    for (const engine of ["micro", "quickjs"] as const) {
      wasm[engine] = (await build(parseBuildArgs([dir, "--engine", engine, "--out", join(tmp, engine), "--no-typecheck"]))).output.wasmPath;
    }
  });

  // What Node (ES) gives, case by case.
  const expected = new Map(CASES.map(([name, f]) => [name, runCase(f)]));

  test("the cases are not trivial (Node sees non-ASCII mappings, ES key order, unmatched groups)", () => {
    assert.match(expected.get("lower case of every code point below U+20000") ?? "", /;130>69,307;/); // İ → i̇
    assert.match(expected.get("upper case of every code point below U+20000") ?? "", /;df>53,53;/); // ß → SS
    assert.equal(expected.get("Object.keys order"), '["1","2","1073741824","4294967294","b","a","-1","01","4294967295","1.5"]');
    assert.equal(expected.get("unmatched optional group"), "[true,2,1]");
  });

  for (const engine of ENGINES) {
    test(`${engine}: the micro build's rows are the quickjs build's bytes, and each is what ES gives`, async () => {
      const micro = await scan(engine, wasm["micro"] as string, COLUMNS);
      const quickjs = await scan(engine, wasm["quickjs"] as string, COLUMNS);
      assert.equal(micro.code, 0, micro.stderr);
      assert.equal(quickjs.code, 0, quickjs.stderr);
      const parse = (out: string): Map<string, string> =>
        new Map(out.split("\n").filter((l) => l !== "").map((l) => {
          const r = JSON.parse(l) as { name: string; result: string };
          return [r.name, r.result];
        }));
      const m = parse(micro.stdout);
      const q = parse(quickjs.stdout);
      assert.equal(m.size, CASES.length);
      // Case by case first (a readable failure), then the bytes.
      for (const [name, want] of expected) {
        assert.equal(q.get(name), want, `quickjs: ${name}`);
        assert.equal(m.get(name), want, `micro: ${name}`);
      }
      assert.equal(micro.stdout, quickjs.stdout);
    });
  }
});
