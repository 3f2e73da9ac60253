// Docs that run: every ```ts block of README.md and sdk/README.md is built as users would build
// it, in a project outside the repository that depends on tsfdw (node_modules/tsfdw → here).
// A block exporting `routines` is an FDW (src/index.ts): type-checked, bundled, componentized and
// verified by `tsfdw build`. Any other block is Node code (a test using tsfdw/testing): type-checked.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { repoRoot, tscPath } from "../tools/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-kit-docs-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The ```ts blocks of a markdown file, with the line each starts on. */
export function tsBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, m.index).split("\n").length, code: m[1] ?? "" });
  }
  return blocks;
}

function project(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(repoRoot, join(dir, "node_modules", "tsfdw"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  return dir;
}

for (const file of ["README.md", "sdk/README.md"]) {
  describe(file, () => {
    const blocks = tsBlocks(readFileSync(join(repoRoot, file), "utf8"));
    test("has examples", () => assert.ok(blocks.length > 0, `${file} has no ts blocks`));
    for (const [i, block] of blocks.entries()) {
      const name = `${file.replace(/\W+/g, "-").toLowerCase()}-${i}`;
      if (/export const routines\b/.test(block.code)) {
        test(`the FDW at line ${block.line} builds into a component`, async () => {
          const dir = project(name);
          writeFileSync(join(dir, "fdw.json"), JSON.stringify({ name: `docs:example-n${i}`, version: "0.0.1" }));
          writeFileSync(join(dir, "src", "index.ts"), block.code);
          const r = await build(parseBuildArgs([dir]));
          // quickjs builds also export componentize-qjs' snapshot hook `init`; micro builds do not.
          assert.deepEqual(r.verification.exports.filter((e) => e !== "init"), ["supabase:wrappers/routines@0.2.0"]);
        });
      } else {
        test(`the Node code at line ${block.line} type-checks`, () => {
          const dir = project(name);
          writeFileSync(join(dir, "src", "example.ts"), block.code);
          const compilerOptions = { target: "es2023", lib: ["es2023"], types: [], module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: true };
          writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["src"] }));
          const r = spawnSync(process.execPath, [tscPath(), "-p", join(dir, "tsconfig.json"), "--pretty", "false"], { encoding: "utf8" });
          assert.equal(r.status, 0, `${file} line ${block.line}:\n${r.stdout}${r.stderr}`);
        });
      }
    }
  });
}
