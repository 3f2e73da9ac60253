// Shared by the runner integration tests: spawn the runner without blocking the event
// loop (the mock GitHub API answers from the test's own process), parse its JSON rows, and check
// that a failure is a clean guest error.
import assert from "node:assert/strict";
import type { GitHubEvent } from "../../mock/github/events.js";
import { type RunnerResult, runnerOutput } from "../../tools/runner.js";

export const SEED_COLUMNS = ["id:text", "type:text", "actor:jsonb", "repo:jsonb", "payload:jsonb", "public:bool", "created_at:timestamp"];

export type Run = RunnerResult;

/** The runner with host retries ~1 ms apart, so that retried 5xx/429 tests stay fast. */
export function runner(args: readonly string[]): Promise<Run> {
  return runnerOutput(args, { ...process.env, TSFDW_HTTP_RETRY_BASE_MS: "1" });
}

export const columnArgs = (cols: readonly string[]): string[] => cols.flatMap((c) => ["--column", c]);

/** The rows of a successful `--format json` scan. */
export function rows(r: Run): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** What the seed columns of an event look like in --format json (timestamp without zone). */
export function expectedRow(e: GitHubEvent): Record<string, unknown> {
  return { id: e.id, type: e.type, actor: e.actor, repo: e.repo, payload: e.payload, public: e.public, created_at: e.created_at.replace(/Z$/, "") };
}

export function assertGuestError(r: Run, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected a failure, got rows: ${r.stdout.slice(0, 200)}`);
  assert.match(r.stderr, /guest fdw error: /);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /wasmtime error|unreachable|panicked/);
  assert.equal(r.stdout, "");
}

/** The `{"stats":{…}}` line of a `--stats` run, by fdw name. */
export function statsOf(r: Run): Record<string, { rows_in: number; bytes_in: number; metadata: unknown }> {
  const line = r.stderr.split("\n").find((l) => l.startsWith('{"stats"'));
  assert.ok(line, `no stats line in: ${r.stderr}`);
  return (JSON.parse(line) as { stats: Record<string, { rows_in: number; bytes_in: number; metadata: unknown }> }).stats;
}
