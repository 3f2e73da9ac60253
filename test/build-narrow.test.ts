// The build narrows the world's imports to what the guest uses, so the minimum Wrappers release
// follows the code: a guest that calls utils.querySetting needs 0.6.2, one that doesn't, less.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { componentizeGuest } from "../tools/build/componentize.js";
import { narrowWit } from "../tools/build/narrow-wit.js";
import { verifyComponent } from "../tools/build/verify.js";
import { repoRoot } from "../tools/paths.js";

// A v1 probe world next to the repository's WIT packages (the GitHub events FDW's own world,
// wit/world.wit, is v2): the lowest minimum releases are only reachable with v1 routines.
const WIT = mkdtempSync(join(tmpdir(), "tsfdw-narrow-wit-"));
cpSync(join(repoRoot, "wit", "deps"), join(WIT, "deps"), { recursive: true });
writeFileSync(
  join(WIT, "world.wit"),
  ["package test:probe-v1;", "", "world probe-v1 {", ...["http", "jwt", "stats", "time", "utils"].map((i) => `    import supabase:wrappers/${i}@0.1.0;`), "", "    export supabase:wrappers/routines@0.1.0;", "}", ""].join("\n"),
);
after(() => rmSync(WIT, { recursive: true, force: true }));
const WORLD = "probe-v1";

function guest(body: string, imports: string, v2 = false): string {
  return `${imports}
export const routines = {
  hostVersionRequirement() { return "^0.1.0"; },
  init() {}, beginScan() {}, iterScan() { ${body} return null; }, reScan() {}, endScan() {},
  beginModify() {}, insert() {}, update() {}, delete() {}, endModify() {},${v2 ? " importForeignSchema() { return []; }," : ""}
};`;
}

/** `file` is relative to the narrowed WIT dir, e.g. "world.wit" or "deps/wrappers-0.1.0/utils.wit". */
function narrowedText(js: string, file: string): { text: string; dropped: string[] } {
  const wit = narrowWit(WIT, js);
  try {
    const path = join(wit.witDir, file);
    return { text: readFileSync(path, "utf8"), dropped: wit.dropped };
  } finally {
    wit.cleanup();
  }
}

describe("narrowWit", () => {
  test("drops interfaces the bundle never imports from the world", () => {
    const world = narrowedText(guest("", 'import http from "supabase:wrappers/http@0.1.0"; http.get;'), "world.wit");
    assert.match(world.text, /import supabase:wrappers\/http@0\.1\.0;/);
    assert.doesNotMatch(world.text, /import supabase:wrappers\/(jwt|stats|time|utils)@/);
    assert.match(world.text, /export supabase:wrappers\/routines@0\.1\.0;/);
  });

  test("drops functions the code never names, keeps those it does", () => {
    const utils = narrowedText(guest('u.reportInfo("x");', 'import u from "supabase:wrappers/utils@0.1.0";'), "deps/wrappers-0.1.0/utils.wit");
    assert.match(utils.text, /report-info: func/);
    assert.doesNotMatch(utils.text, /query-setting: func|get-vault-secret-by-name: func/);
    assert.ok(utils.dropped.includes("utils.query-setting"));
    const withSetting = narrowedText(guest('u.querySetting("x");', 'import u from "supabase:wrappers/utils@0.1.0";'), "deps/wrappers-0.1.0/utils.wit");
    assert.match(withSetting.text, /query-setting: func/);
  });

  test("a host interface the world does not import is a clear error", () => {
    assert.throws(() => narrowWit(WIT, 'import x from "supabase:wrappers/nope@0.1.0";'), /imports supabase:wrappers\/nope@0\.1\.0 but its world does not/);
  });
});

describe("minimum Wrappers release follows the imports", () => {
  async function minWrappers(js: string, witDir = WIT, world = WORLD): Promise<string> {
    const wit = narrowWit(witDir, js);
    try {
      const { wasm } = await componentizeGuest({ witDir: wit.witDir, world, js });
      const v = verifyComponent(wasm);
      assert.equal(v.ok, true, v.errors.join("; "));
      return v.minWrappers;
    } finally {
      wit.cleanup();
    }
  }

  test("report-info only → 0.4.0; get-vault-secret-by-name → 0.6.0; query-setting → 0.6.2", async () => {
    const imp = 'import u from "supabase:wrappers/utils@0.1.0";';
    assert.equal(await minWrappers(guest('u.reportInfo("x");', imp)), "0.4.0");
    assert.equal(await minWrappers(guest('u.getVaultSecretByName("x");', imp)), "0.6.0");
    assert.equal(await minWrappers(guest('u.querySetting("x");', imp)), "0.6.2");
  });

  test("the repository's world (v2 routines, for IMPORT FOREIGN SCHEMA) → 0.5.0; get-vault-secret adds nothing", async () => {
    const imp = 'import u from "supabase:wrappers/utils@0.2.0";';
    assert.equal(await minWrappers(guest('u.getVaultSecret("x");', imp, true), join(repoRoot, "wit"), "github-events-fdw"), "0.5.0");
  });
});
