// `npm start` (the main job) in offline mode: builds, scans the mock through the runner and prints
// the seed query's 5 rows as psql would. Offline, so it never tries api.github.com.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "../tools/paths.js";

test("tsfdw start --offline prints the seed query's 5 rows from the mock, saying so", async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "tsfdw.mjs"), "start", "--offline"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c ?? -1, stdout: out, stderr: err }));
  });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^offline mode: reading the local mock GitHub API at http:\/\/127\.0\.0\.1:\d+/m);
  const lines = stdout.split("\n");
  const header = lines.findIndex((l) => /^\s+id\s+\|\s+type\s+\|\s+login\s+\|\s+repo\s+\|\s+created_at\s*$/.test(l));
  assert.ok(header >= 0, stdout);
  const rows = lines.slice(header + 2, header + 7);
  for (const row of rows) assert.match(row, /^ \d{11,} +\| [A-Za-z]+Event +\| \S+ +\| \S+\/\S+ +\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.equal(lines[header + 7], "(5 rows)");
});
