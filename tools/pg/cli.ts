// `node out/tools/pg/cli.js setup`  install Postgres 15, cargo-pgrx and the tsfdw extension (as root)
// `node out/tools/pg/cli.js smoke`  setup, then start a throwaway cluster, `create extension tsfdw`,
//                                   print wasm_fdw_meta(), stop.
import { pathToFileURL } from "node:url";
import { ensureLocalPostgresHost } from "./install.js";
import { startThrowawayPostgres } from "./cluster.js";

export async function main(argv: string[]): Promise<number> {
  const cmd = argv[0] ?? "setup";
  if (cmd === "setup") {
    const r = await ensureLocalPostgresHost();
    process.stderr.write(`[tsfdw pg] ready (${r.built ? `built in ${(r.ms / 1000).toFixed(1)} s` : "extension up to date"})\n`);
    return 0;
  }
  if (cmd === "smoke") {
    await ensureLocalPostgresHost();
    const pg = await startThrowawayPostgres();
    try {
      const r = await pg.psql("create extension tsfdw;\nselect * from wasm_fdw_meta();\n");
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      return r.code;
    } finally {
      await pg.stop();
    }
  }
  process.stderr.write("usage: node out/tools/pg/cli.js setup|smoke\n");
  return 2;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`[tsfdw pg] ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
