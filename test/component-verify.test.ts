// The verifier on real componentize-qjs output: the FDW as built (sync, stub-wasi) passes; the
// same toolchain without --sync or without --stub-wasi produces components the Supabase host
// would reject, and the verifier says why.
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { bundleGuest } from "../tools/build/bundle.js";
import { componentizeGuest } from "../tools/build/componentize.js";
import { resolveProject } from "../tools/build/resolve.js";
import { verifyComponent } from "../tools/build/verify.js";
import { repoRoot } from "../tools/paths.js";

const project = resolveProject(join(repoRoot, "fdw", "github-events"));
let js = "";

before(async () => {
  js = (await bundleGuest(project.entry, project)).js;
});

describe("real components", () => {
  test("the GitHub events FDW: supabase imports only, routines@0.2.0 export, no async", async () => {
    const { wasm } = await componentizeGuest({ witDir: project.witDir, world: project.world, js });
    const v = verifyComponent(wasm);
    assert.equal(v.ok, true, v.errors.join("\n"));
    assert.ok(v.imports.length > 0);
    for (const name of v.imports) assert.match(name, /^supabase:wrappers\/(http|jwt|stats|time|types|utils)@0\.2\.0$/);
    assert.ok(v.imports.includes("supabase:wrappers/http@0.2.0"));
    assert.ok(v.imports.includes("supabase:wrappers/types@0.2.0"));
    assert.ok(v.exports.includes("supabase:wrappers/routines@0.2.0"));
    assert.equal(v.routinesVersion, "0.2.0");
    assert.ok(v.info.canon.length > 10, "the lift/lower glue is found in nested components");
    assert.deepEqual([...new Set(v.info.canon.map((c) => c.op))].sort(), ["lift", "lower", "resource.drop", "resource.new", "resource.rep"]);
    assert.ok(v.info.canon.every((c) => !c.options.includes("async") && !c.options.includes("callback")));
    const http = v.info.imports.find((i) => i.name === "supabase:wrappers/http@0.2.0");
    assert.deepEqual(http?.functions, ["get", "post", "put", "patch", "delete", "error-for-status"]);
  });

  test("built without --sync: rejected for async built-ins", async () => {
    const { wasm } = await componentizeGuest({ witDir: project.witDir, world: project.world, js, unsafe: { sync: false } });
    const v = verifyComponent(wasm);
    assert.equal(v.ok, false);
    assert.match(v.errors.join("\n"), /async\/thread built-ins the host lacks: .*(task\.|waitable|subtask|context\.)/);
  });

  test("built without --stub-wasi: rejected, naming the wasi imports", async () => {
    const { wasm } = await componentizeGuest({ witDir: project.witDir, world: project.world, js, unsafe: { stubWasi: false } });
    const v = verifyComponent(wasm);
    assert.equal(v.ok, false);
    assert.match(v.errors.join("\n"), /no wasi:\*\): wasi:[a-z]+\/[a-z-]+@/);
    assert.ok(v.imports.some((i) => i.startsWith("wasi:")));
  });
});
