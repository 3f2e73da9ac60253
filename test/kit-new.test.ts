// Acceptance of the kit, as a new user goes: in an empty directory outside the repository, only
// documented commands — `tsfdw new my-fdw`, `npm install`, `npm run dev -- --sql demo.sql` (rows
// from local Postgres, with an INSERT and a DELETE through SQL), `npm test` (offline: unit, runner
// and SQL levels) and `npm run build` (the ready SQL). Slow (a build, Postgres, the runner): the
// timeouts are generous, and the time from `tsfdw new` to the first SQL row is reported, not asserted.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { repoRoot } from "../tools/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "tsfdw-kit-new-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
const project = join(tmp, "my-fdw");

interface Result {
  code: number;
  out: string;
  ms: number;
}

/** A command as the user types it (stdout and stderr together, as a terminal shows them). */
function sh(cmd: string, args: readonly string[], cwd: string): Promise<Result> {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Not this test runner's child: `npm test` must print its own report.
  delete env["NODE_TEST_CONTEXT"];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out, ms: Date.now() - started }));
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

describe("a new FDW project, from scratch to SQL rows", { timeout: 45 * 60_000 }, () => {
  let untilFirstRow = 0;

  test("tsfdw new my-fdw", async (t) => {
    const r = await sh(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "new", "my-fdw"], tmp);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^created my-fdw: my-company:my-fdw/);
    untilFirstRow += r.ms;
    t.diagnostic(`tsfdw new: ${seconds(r.ms)}`);
  });

  test("npm install", async (t) => {
    const r = await sh("npm", ["install"], project);
    assert.equal(r.code, 0, r.out);
    untilFirstRow += r.ms;
    t.diagnostic(`npm install: ${seconds(r.ms)}`);
  });

  test("npm run dev -- --sql demo.sql: rows from local Postgres, an INSERT and a DELETE through SQL", async (t) => {
    const r = await sh("npm", ["run", "dev", "--", "--sql", "demo.sql"], project);
    assert.equal(r.code, 0, r.out);
    // The first query's rows, as psql prints them.
    assert.match(r.out, /^ id \| name \| plan \| balance \| active \| +created_at +\n----\+/m);
    assert.match(r.out, /^  1 \| Ada  \| free \|       0 \| t      \| 2024-01-01 09:30:00\+00$/m);
    assert.match(r.out, /^\(5 rows\)$/m);
    assert.match(r.out, /^  2 \| Bo   \| bo@example\.com \| \[\]$/m);
    assert.match(r.out, /^INSERT 0 1$/m);
    assert.match(r.out, /^UPDATE 1$/m);
    assert.match(r.out, /^ 100 \| Zed  \| pro  \|      20 \| \["vip"\]$/m);
    assert.match(r.out, /^DELETE 1$/m);
    assert.match(r.out, /^ pro  \|     8$/m, "the inserted row is gone again");
    untilFirstRow += r.ms;
    t.diagnostic(`npm run dev -- --sql demo.sql: ${seconds(r.ms)}`);
    t.diagnostic(`from tsfdw new to the first SQL rows: ${seconds(untilFirstRow)}`);
  });

  test("npm test passes offline: unit, runner and SQL levels", async (t) => {
    const r = await sh("npm", ["test"], project);
    assert.equal(r.code, 0, r.out.slice(-4000));
    for (const file of ["unit.test.ts", "runner.test.ts", "sql.test.ts"]) assert.match(r.out, new RegExp(`running .*test/${file.replace(".", "\\.")}`));
    assert.match(r.out, /^# fail 0$/m);
    const pass = Number(/^# pass (\d+)$/m.exec(r.out)?.[1]);
    assert.ok(pass >= 15, `${pass} tests passed`);
    t.diagnostic(`npm test: ${pass} passed in ${seconds(r.ms)}`);
  });

  test("npm run build prints the ready SQL", async () => {
    const r = await sh("npm", ["run", "build"], project);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /component +dist\/my_fdw\.wasm/);
    const sha = /sha256 +([0-9a-f]{64})/.exec(r.out)?.[1];
    assert.ok(sha, r.out);
    assert.match(r.out, /create server my_fdw_server\n  foreign data wrapper wasm_wrapper\n  options \(\n    fdw_package_url 'https:\/\/github\.com\/my-company\/my-fdw\/releases\/download\/v0\.1\.0\/my_fdw\.wasm',/);
    assert.ok(r.out.includes(`fdw_package_checksum '${sha}'`));
    assert.match(r.out, /create foreign table crm\.customers \(\n  id bigint,/);
  });
});
