// The generic runner helpers moved to testing/runner.ts (tsfdw/testing); what is left here is
// specific to the GitHub events FDW's tests.
import type { GitHubEvent } from "../../mock/github/events.js";

export { type Run, assertGuestError, columnArgs, rows, runner, statsOf } from "../../testing/runner.js";

export const SEED_COLUMNS = ["id:text", "type:text", "actor:jsonb", "repo:jsonb", "payload:jsonb", "public:bool", "created_at:timestamp"];

/** What the seed columns of an event look like in --format json (timestamp without zone). */
export function expectedRow(e: GitHubEvent): Record<string, unknown> {
  return { id: e.id, type: e.type, actor: e.actor, repo: e.repo, payload: e.payload, public: e.public, created_at: e.created_at.replace(/Z$/, "") };
}
