// The seed's SQL (examples/seed.sql) as `npm start` and the SQL end-to-end tests run it: every
// statement character for character, only the fdw_package_url value replaced. Plus what a Supabase
// database has before the seed runs: an `extensions` schema on the search_path.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";

export const SEED_SQL_FILE = join(repoRoot, "examples", "seed.sql");

/** Server settings of a Supabase-like database (extensions live in schema `extensions`). */
export const SUPABASE_SETTINGS: Record<string, string> = { search_path: '"$user", public, extensions' };

/** Run before the seed: Supabase databases come with this schema. */
export const SUPABASE_PRELUDE = "create schema if not exists extensions;\n";

const URL_OPTION = /^fdw_package_url '[^']*',$/m;

export interface SeedSql {
  /** Everything up to and including `create foreign table github.events (…);`. */
  setup: string;
  /** The seed's query (`select … from github.events limit 5;`). */
  query: string;
}

/** The seed's statements with `fdw_package_url` pointing at `packageUrl` (e.g. file:///…/x.wasm). */
export function seedSql(packageUrl: string, text = readFileSync(SEED_SQL_FILE, "utf8")): SeedSql {
  if (!URL_OPTION.test(text)) throw new Error(`${SEED_SQL_FILE}: no fdw_package_url option line`);
  if (packageUrl.includes("'")) throw new Error(`package URL must not contain a quote: ${packageUrl}`);
  const sql = text.replace(URL_OPTION, `fdw_package_url '${packageUrl}',`);
  const at = sql.search(/^select$/m);
  if (at < 0) throw new Error(`${SEED_SQL_FILE}: no query (a line "select")`);
  return { setup: sql.slice(0, at), query: sql.slice(at) };
}

/** SQL literal for a value we generate (single quotes doubled). */
export function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
