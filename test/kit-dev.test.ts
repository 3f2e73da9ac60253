// `tsfdw dev` on a project made by `tsfdw new`: the SQL of fdw.json and the dev mock, --server over
// the dev server options, and --watch: after a save the FDW is rebuilt and the next query (the SQL
// file runs again) uses the new component, although the host caches compiled components.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { createProject } from "../tools/cli/new.js";
import { repoRoot } from "../tools/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-kit-dev-"));
const dir = join(tmp, "dev-fdw");
createProject(dir, { name: "acme:dev-fdw" });
mkdirSync(join(dir, "node_modules"));
spawnSync("ln", ["-s", repoRoot, join(dir, "node_modules", "tsfdw")]);
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the output (stdout + stderr) matches, rejects when the process ends first. */
  waitFor(pattern: RegExp, from?: number): Promise<void>;
  done: Promise<number>;
}

function dev(args: readonly string[]): Running {
  const child = spawn(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "dev", ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer): void => {
    out += d.toString("utf8");
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const done = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  return {
    child,
    output: () => out,
    done,
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out.slice(from))) resolve();
          else waiters.push(check);
        };
        void done.then((code) => reject(new Error(`tsfdw dev exited (${code}) before ${pattern}:\n${out}`)));
        check();
      });
    },
  };
}

describe("tsfdw dev", { timeout: 20 * 60_000 }, () => {
  test("runs a SQL file against the FDW's tables; --server wins over dev.serverOptions", async () => {
    writeFileSync(join(dir, "q.sql"), "select id, name from crm.customers where id = 2;\n");
    const ok = dev(["--sql", "q.sql"]);
    assert.equal(await ok.done, 0, ok.output());
    assert.match(ok.output(), /mock API \(mock\/server\.ts\) at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(ok.output(), /created wrapper wasm_wrapper, server dev_fdw_server and crm\.customers \(fdw\.json\)/);
    assert.match(ok.output(), /^select id, name from crm\.customers where id = 2;\n id \| name \n----\+------\n  2 \| Bo\n\(1 row\)$/m);
    const wrongKey = dev(["--sql", "q.sql", "--server", "api_key=wrong"]);
    assert.equal(await wrongKey.done, 3, "psql's exit code for a failed statement");
    assert.match(wrongKey.output(), /ERROR: .*401 Unauthorized: invalid or missing API key/);
  });

  test("--setup FILE replaces fdw.json's SQL; :'fdw_package_url' and :'mock_url' are set", async () => {
    writeFileSync(
      join(dir, "setup.sql"),
      [
        "create extension if not exists wrappers with schema extensions;",
        "create foreign data wrapper wasm_wrapper handler wasm_fdw_handler validator wasm_fdw_validator;",
        "create server s foreign data wrapper wasm_wrapper options (fdw_package_url :'fdw_package_url',",
        "  fdw_package_name 'acme:dev-fdw', fdw_package_version '0.1.0', api_url :'mock_url', api_key 'dev-key');",
        "create foreign table people (id bigint, name text) server s options (object 'customers', rowid_column 'id');",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "people.sql"), "select * from people where id = 7;\n");
    const r = dev(["--setup", "setup.sql", "--sql", "people.sql"]);
    assert.equal(await r.done, 0, r.output());
    assert.match(r.output(), /^ {2}7 \| Gus\n\(1 row\)$/m);
    assert.doesNotMatch(r.output(), /created wrapper wasm_wrapper, server dev_fdw_server/);
  });

  test("--watch: a saved change is rebuilt and the next query uses it", async () => {
    const src = join(dir, "src", "index.ts");
    const original = readFileSync(src, "utf8");
    const running = dev(["--sql", "q.sql", "--watch"]);
    try {
      await running.waitFor(/watching src and q\.sql/);
      await running.waitFor(/ {2}2 \| Bo\n\(1 row\)/);
      const mark = running.output().length;
      const changed = original.replace(
        "return single(one.data as Record<string, unknown> | undefined, one.raw);",
        'const d = one.data as Record<string, unknown>;\n    return single({ ...d, name: `${String(d["name"])}!` }, one.raw);',
      );
      assert.notEqual(changed, original, "the template's single-row return is where this test changes the FDW");
      writeFileSync(src, changed);
      await running.waitFor(/the next query uses the new component \(sha256 [0-9a-f]{12}…\)/, mark);
      await running.waitFor(/ {2}2 \| Bo!\n\(1 row\)/, mark);
      // A broken save keeps the last good component and says why.
      const mark2 = running.output().length;
      writeFileSync(src, `${original}\nconst broken: number = "text";\n`);
      await running.waitFor(/build failed: type errors in the guest[\s\S]*Type 'string' is not assignable to type 'number'/, mark2);
    } finally {
      writeFileSync(src, original);
      running.child.kill("SIGINT");
      await running.done;
    }
  });
});
