// tsfdw as a package: exports (tsfdw/sdk with the host typings, tsfdw/testing), real runtime
// dependencies, self-reference for FDWs in this repository (bundling and type-check), the bin's
// help before anything is compiled, and fdw.json: its schema, checks, and derived names/worlds.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { build, defaultEngine, parseBuildArgs } from "../tools/build/index.js";
import { FDW_JSON_KEYS, resolveProject } from "../tools/build/resolve.js";
import { worldWit } from "../tools/build/world.js";
import { repoRoot } from "../tools/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-kit-package-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  files?: string[];
};
const FIXTURE = join(repoRoot, "test", "fixtures", "kit-fixture-fdw");

describe("package shape", () => {
  test("exports tsfdw/sdk, tsfdw/testing and the bin; build tools are runtime dependencies", () => {
    assert.equal(pkg.name, "tsfdw");
    assert.deepEqual(Object.keys(pkg.exports).sort(), ["./fdw.schema.json", "./package.json", "./sdk", "./testing", "./testing/register"]);
    assert.deepEqual(pkg.bin, { tsfdw: "bin/tsfdw.mjs" });
    for (const dep of ["esbuild", "componentize-qjs", "typescript", "@types/node"]) {
      assert.ok(pkg.dependencies[dep], `${dep} must be a dependency: an FDW project runs tsfdw build with it`);
      assert.equal(pkg.devDependencies?.[dep], undefined);
    }
    for (const path of ["bin", "out", "sdk", "testing", "tools", "templates", "wit", "host", "fdw.schema.json"]) {
      assert.ok(pkg.files?.some((f) => f === path || f.startsWith(`${path}/`)), `"files" must ship ${path} (git installs pack the package)`);
    }
  });

  test("Node resolves tsfdw/sdk and tsfdw/testing by self-reference to the compiled code", async () => {
    const sdk = (await import("tsfdw/sdk")) as Record<string, unknown>;
    for (const name of ["defineRoutinesV2", "readOptions", "readColumns", "rowPusher", "requestJson", "packageInfo"]) assert.equal(typeof sdk[name], "function", name);
    const testing = (await import("tsfdw/testing")) as Record<string, unknown>;
    for (const name of ["loadFdw", "componentRunner", "startLocalPostgres", "serveHandler", "hostHandler", "FakeRow", "resetFakeHost", "buildFdw", "fdwProject"]) {
      assert.ok(testing[name] !== undefined, name);
    }
  });

  test("an FDW importing tsfdw/sdk builds: type-check (host typings come with the import), bundle, generated world", async () => {
    const out = join(tmp, "fixture-dist");
    const r = await build(parseBuildArgs([FIXTURE, "--out", out]));
    assert.equal(r.project.world, "kit-fixture-fdw");
    assert.equal(r.project.witGenerated, true);
    assert.equal(r.output.wasmPath, join(out, "kit_fixture_fdw.wasm"));
    // componentize-qjs adds a Wizer `init` export; the micro engine's component has none.
    assert.deepEqual(r.verification.exports, defaultEngine() === "micro" ? ["supabase:wrappers/routines@0.2.0"] : ["init", "supabase:wrappers/routines@0.2.0"]);
    assert.match(r.report, /imports +http@0\.2\.0, types@0\.2\.0/);
  });

  test("a type error in an FDW importing tsfdw/sdk is reported with the SDK's types", async () => {
    const dir = join(tmp, "bad");
    cpSync(FIXTURE, dir, { recursive: true });
    // Outside the repository, tsfdw/sdk resolves through node_modules, as in a project made by `tsfdw new`.
    mkdirSync(join(dir, "node_modules"));
    spawnSync("ln", ["-s", repoRoot, join(dir, "node_modules", "tsfdw")]);
    writeFileSync(join(dir, "fdw.json"), JSON.stringify({ name: "test:bad", version: "0.0.1" }));
    writeFileSync(join(dir, "src", "index.ts"), 'import { readOptions } from "tsfdw/sdk";\nreadOptions(42, "server");\nexport const routines = {};\n');
    await assert.rejects(build(parseBuildArgs([dir, "--out", join(tmp, "bad-out")])), /type errors in the guest[\s\S]*index\.ts\(2,13\)/);
  });

  test("tsfdw help works before anything is compiled or installed", () => {
    const bare = join(tmp, "bare");
    mkdirSync(join(bare, "bin"), { recursive: true });
    mkdirSync(join(bare, "tools", "cli"), { recursive: true });
    cpSync(join(repoRoot, "bin", "tsfdw.mjs"), join(bare, "bin", "tsfdw.mjs"));
    cpSync(join(repoRoot, "tools", "cli", "help.txt"), join(bare, "tools", "cli", "help.txt"));
    for (const args of [[], ["help"], ["--help"]]) {
      const r = spawnSync(process.execPath, [join(bare, "bin", "tsfdw.mjs"), ...args], { encoding: "utf8", cwd: tmpdir() });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^usage: tsfdw <command>/);
      assert.match(r.stdout, /new <dir>/);
    }
    const r = spawnSync(process.execPath, [join(bare, "bin", "tsfdw.mjs"), "build"], { encoding: "utf8", cwd: tmpdir() });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /missing and TypeScript is not installed: run npm install/);
  });
});

describe("fdw.json", () => {
  function project(json: unknown, name = `p${Math.random().toString(36).slice(2)}`): string {
    const dir = join(tmp, name);
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "src", "index.ts"), "export const routines = {};\n");
    writeFileSync(join(dir, "fdw.json"), typeof json === "string" ? json : JSON.stringify(json));
    return dir;
  }

  test("fdw.schema.json describes exactly the keys the build accepts", () => {
    type Obj = { properties: Record<string, Obj>; items?: Obj; additionalProperties?: unknown; required?: string[] };
    const schema = JSON.parse(readFileSync(join(repoRoot, "fdw.schema.json"), "utf8")) as Obj;
    const keys = (o: Obj | undefined): string[] => Object.keys(o?.properties ?? {}).sort();
    assert.deepEqual(keys(schema), [...FDW_JSON_KEYS.top].sort());
    assert.deepEqual(keys(schema.properties["release"]), [...FDW_JSON_KEYS.release].sort());
    assert.deepEqual(keys(schema.properties["sql"]), [...FDW_JSON_KEYS.sql].sort());
    assert.deepEqual(keys(schema.properties["sql"]?.properties["tables"]?.items), [...FDW_JSON_KEYS.table].sort());
    assert.deepEqual(keys(schema.properties["dev"]), [...FDW_JSON_KEYS.dev].sort());
    assert.deepEqual(keys(schema.properties["micro"]), [...FDW_JSON_KEYS.micro].sort());
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, ["name", "version"]);
    // The scaffold's fdw.json points editors at it.
    const template = JSON.parse(readFileSync(join(repoRoot, "templates", "fdw", "fdw.json"), "utf8")) as Record<string, unknown>;
    assert.equal(template["$schema"], "./node_modules/tsfdw/fdw.schema.json");
  });

  test("names derive from the package name: world, output, server, tag; a world is generated", () => {
    const p = resolveProject(project({ name: "acme:customers-fdw", version: "1.2.3" }, "derive"));
    assert.equal(p.world, "customers-fdw");
    assert.equal(p.output, "customers_fdw.wasm");
    assert.equal(p.sql.server, "customers_fdw_server");
    assert.equal(p.sql.schema, "public");
    assert.equal(p.tag, "v1.2.3");
    assert.equal(p.wrappers, "0.2.0");
    assert.equal(p.witGenerated, true);
    assert.equal(readFileSync(join(p.witDir, "world.wit"), "utf8"), worldWit("acme:customers-fdw", "customers-fdw", "0.2.0"));
    assert.match(readFileSync(join(p.witDir, "world.wit"), "utf8"), /^package acme:customers-fdw;[\s\S]*world customers-fdw \{[\s\S]*import supabase:wrappers\/http@0\.2\.0;[\s\S]*export supabase:wrappers\/routines@0\.2\.0;/);
    // fdw/<dir>/ in a repository of several FDWs: the tag carries the directory name.
    const gh = resolveProject(join(repoRoot, "fdw", "github-events"));
    assert.equal(gh.tag, "github-events-v0.1.0");
    assert.equal(gh.world, "github-events-fdw");
    // An FDW's own wit/ wins over the generated world.
    const own = project({ name: "acme:mine", version: "0.1.0", world: "custom" }, "own-wit");
    mkdirSync(join(own, "wit"));
    assert.equal(resolveProject(own).witDir, join(own, "wit"));
    assert.equal(resolveProject(own).witGenerated, false);
  });

  test("mistakes are explained with the file, the field and what is expected", () => {
    const cases: [unknown, RegExp][] = [
      [{ name: "acme:x", version: "0.1.0", nmae: "y" }, /fdw\.json: unknown key "nmae" \(did you mean "name"\?\); allowed: \$schema, name, version/],
      [{ name: "Acme:X", version: "0.1.0" }, /"name" must look like namespace:name in lowercase kebab-case/],
      [{ name: "acme:x-1", version: "0.1.0" }, /"name" must look like namespace:name/],
      [{ name: "acme:own", version: "0.1.0" }, /"name" "own" is a WIT keyword and cannot name a package; choose another word \(e\.g\. own-fdw\)/],
      [{ name: "acme:x", version: "1" }, /"version" must be a semantic version like 0\.1\.0, got "1"/],
      [{ version: "0.1.0" }, /"name" is required/],
      [{ name: "acme:x", version: "0.1.0", wrappers: "0.3.0" }, /"wrappers" must be "0\.2\.0" .* or "0\.1\.0"/],
      [{ name: "acme:x", version: "0.1.0", sql: { tables: [{ name: "t", columns: [["id", "bigserial"]] }] } }, /"sql\.tables\[0\]\.columns\[0\]": column id has type "bigserial", which the Wasm FDW host cannot fill; use one of bool, boolean/],
      [{ name: "acme:x", version: "0.1.0", sql: { tables: [{ name: "t", columns: [["id", "int8"]], options: { rowid_column: "key" } }] } }, /rowid_column" names key, which is not a column of t \(columns: id\)/],
      [{ name: "acme:x", version: "0.1.0", sql: { serverOptions: { port: 5432 } } }, /"sql\.serverOptions\.port" must be a string/],
      [{ name: "acme:x", version: "0.1.0", sql: { tabels: [] } }, /sql: unknown key "tabels" \(did you mean "tables"\?\)/],
      [{ name: "acme:x", version: "0.1.0", dev: { mock: "nope.ts" } }, /"dev\.mock": .*nope\.ts does not exist/],
      [{ name: "acme:x", version: "0.1.0", output: "dist/x.wasm" }, /"output" must be a file name ending in \.wasm/],
      ["{", /not valid JSON/],
    ];
    for (const [json, expected] of cases) assert.throws(() => resolveProject(project(json)), expected, JSON.stringify(json));
    assert.throws(() => resolveProject(join(tmp, "nowhere")), /no fdw\.json in .*create an FDW with `tsfdw new <dir>`/);
  });

  test("every fdw.json of this repository and the template (names filled in) passes", () => {
    resolveProject(join(repoRoot, "fdw", "github-events"));
    resolveProject(FIXTURE);
    const text = readFileSync(join(repoRoot, "templates", "fdw", "fdw.json"), "utf8").replace(/\{\{(\w+)\}\}/g, (_, k: string) => ({ name: "acme:t", repository: "acme/t", server: "t_server" })[k] ?? k);
    const dir = project(text, "template");
    for (const f of ["mock/server.ts", "demo.sql"]) {
      mkdirSync(join(dir, f, ".."), { recursive: true });
      writeFileSync(join(dir, f), "");
    }
    const p = resolveProject(dir);
    assert.deepEqual(p.sql.tables.map((t) => t.name), ["customers"]);
    assert.deepEqual(p.dev.serverOptions, { api_url: "{mock}", api_key: "dev-key" });
  });
});
