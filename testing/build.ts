// buildFdw: the FDW's component for runner and SQL tests. `tsfdw test` builds once before the
// tests and passes the result in TSFDW_TEST_WASM, so parallel test files do not rebuild.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { build, parseBuildArgs } from "../tools/build/index.js";
import { resolveProject } from "../tools/build/resolve.js";

const built = new Map<string, Promise<string>>();

/** Builds the FDW in `dir` (once per process) and returns the path of its .wasm. */
export function buildFdw(dir = "."): Promise<string> {
  const project = resolveProject(dir);
  const given = process.env["TSFDW_TEST_WASM"];
  if (given !== undefined && process.env["TSFDW_TEST_FDW"] === project.dir && existsSync(given)) return Promise.resolve(given);
  let p = built.get(project.dir);
  if (p === undefined) {
    p = build(parseBuildArgs([project.dir, "--no-typecheck", "--url", "file:///" + project.output])).then((r) => resolve(r.output.wasmPath));
    built.set(project.dir, p);
  }
  return p;
}
