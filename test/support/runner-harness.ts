// Runner helpers specific to the GitHub events FDW's tests (the generic ones: testing/runner.ts).
import type { GitHubEvent } from "../../mock/github/events.js";

export const SEED_COLUMNS = ["id:text", "type:text", "actor:jsonb", "repo:jsonb", "payload:jsonb", "public:bool", "created_at:timestamp"];

/** What the seed columns of an event look like in --format json (timestamp without zone). */
export function expectedRow(e: GitHubEvent): Record<string, unknown> {
  return { id: e.id, type: e.type, actor: e.actor, repo: e.repo, payload: e.payload, public: e.public, created_at: e.created_at.replace(/Z$/, "") };
}
