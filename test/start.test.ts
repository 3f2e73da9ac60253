// `npm start` (the main job) in offline mode: builds, runs the seed's SQL in a throwaway Postgres
// (or, with --runner, scans through the wasmtime-36 runner) against the mock and prints the seed
// query's 5 rows as psql does. Offline, so it never tries api.github.com.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "../tools/paths.js";

function start(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "start", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c ?? -1, stdout: out, stderr: err }));
  });
}

/** The psql-style table after its header: 5 event rows, then "(5 rows)". */
function assertFiveRows(stdout: string): void {
  const lines = stdout.split("\n");
  const header = lines.findIndex((l) => /^\s+id\s+\|\s+type\s+\|\s+login\s+\|\s+repo\s+\|\s+created_at\s*$/.test(l));
  assert.ok(header >= 0, stdout);
  assert.match(lines[header + 1] ?? "", /^-+(\+-+){4}$/);
  for (const row of lines.slice(header + 2, header + 7)) {
    assert.match(row, /^ \d{11,} +\| [A-Za-z]+Event +\| \S+ +\| \S+\/\S+ +\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  }
  assert.equal(lines[header + 7], "(5 rows)");
}

describe("tsfdw start --offline", () => {
  test("runs the seed's SQL in a throwaway Postgres and prints the seed query's 5 rows", async () => {
    const r = await start(["--offline"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^offline mode: reading the local mock GitHub API at http:\/\/127\.0\.0\.1:\d+/m);
    assert.match(r.stdout, /running the seed's SQL \(examples\/seed\.sql\) in a throwaway Postgres 15/);
    assert.match(r.stdout, /^select\nid,\ntype,\nactor->>'login' as login,\nrepo->>'name' as repo,\ncreated_at\nfrom\ngithub\.events\nlimit 5;$/m);
    assertFiveRows(r.stdout);
    assert.match(r.stderr, /stopped and removed/);
  });

  test("--runner: the same rows through the wasmtime-36 runner, without Postgres", async () => {
    const r = await start(["--offline", "--runner"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /through the wasmtime-36 runner \(no Postgres\)/);
    assertFiveRows(r.stdout);
  });
});
