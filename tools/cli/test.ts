// `tsfdw test [fdw-dir] [-- node-test-args…]`: one FDW's tests. Builds the FDW once (the runner
// and SQL tests use that component: TSFDW_TEST_WASM), type-checks the tests when the FDW has a
// test/tsconfig.json, compiles test/**/*.test.ts with esbuild and runs them with `node --test`
// in the FDW's directory. For an FDW of this repository without a test/ directory, its compiled
// tests out/test/*<dir-name>*.test.js run instead.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { build, parseBuildArgs } from "../build/index.js";
import { resolveProject } from "../build/resolve.js";
import { repoRoot, tscPath } from "../paths.js";
import { guarded, parse, wantsHelp } from "./args.js";
import { bundleForNode, cacheDirFor } from "./node-bundle.js";

export const USAGE = `usage: tsfdw test [fdw-dir] [-- node-test-args…]

Runs one FDW's tests (fdw-dir: default the current directory): builds the FDW, type-checks
test/ (with test/tsconfig.json), then runs test/**/*.test.ts with node --test in fdw-dir. Tests use
tsfdw/testing: the fake host (unit), the runner (wasmtime 36) and a throwaway local Postgres.
Arguments after -- go to node --test, e.g. -- --test-name-pattern=insert.
`;

function findTests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (name === "node_modules" || name.startsWith(".")) return [];
      return statSync(p).isDirectory() ? findTests(p) : /\.test\.[cm]?ts$/.test(name) ? [p] : [];
    });
}

function nodeTest(files: readonly string[], cwd: string, extra: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--test", ...extra, ...files], { cwd, stdio: "inherit", env });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

export async function run(argv: readonly string[]): Promise<number> {
  const dash = argv.indexOf("--");
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const extra = dash < 0 ? [] : argv.slice(dash + 1);
  if (wantsHelp(own)) {
    process.stdout.write(USAGE);
    return 0;
  }
  return guarded("test", async () => {
    const { positionals } = parse(own, {}, USAGE, 1);
    const project = resolveProject(positionals[0] ?? ".");
    const say = (m: string): void => void process.stderr.write(`tsfdw test: ${m}\n`);

    let files = findTests(join(project.dir, "test"));
    let compiled: string[];
    if (files.length > 0) {
      const tsconfig = join(project.dir, "test", "tsconfig.json");
      if (existsSync(tsconfig)) {
        say("type-checking the tests (test/tsconfig.json)…");
        const r = spawnSync(process.execPath, [tscPath(), "-p", tsconfig, "--noEmit", "--pretty", "false"], { cwd: project.dir, encoding: "utf8" });
        if (r.status !== 0) {
          process.stderr.write(`${r.stdout}${r.stderr}`);
          say("type errors in the tests");
          return 1;
        }
      }
      compiled = await bundleForNode(files, cacheDirFor(project.dir, "test"));
    } else if (project.dir.startsWith(join(repoRoot, "fdw"))) {
      // This repository's FDWs keep their tests in test/ at the root, compiled to out/test/.
      const name = basename(project.dir);
      const out = join(repoRoot, "out", "test");
      compiled = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith(".test.js") && f.includes(name)).sort().map((f) => join(out, f)) : [];
      files = compiled;
    } else {
      compiled = [];
    }
    if (compiled.length === 0) {
      say(`no tests in ${relative(process.cwd(), join(project.dir, "test")) || "test"}/ (files named *.test.ts)`);
      return 1;
    }

    say(`building ${project.name}…`);
    const built = await build(parseBuildArgs([project.dir]));
    say(`running ${files.map((f) => relative(project.dir, f)).join(", ")}`);
    const env: NodeJS.ProcessEnv = { ...process.env, TSFDW_TEST_WASM: built.output.wasmPath, TSFDW_TEST_FDW: project.dir };
    // Run inside another `node --test` (this repository's kit tests), the child would report to it, not print.
    delete env["NODE_TEST_CONTEXT"];
    return nodeTest(compiled, project.dir, extra, env);
  });
}
