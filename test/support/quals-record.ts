// Records test/fixtures/quals/cases.json from the real Postgres host: for every case (type,
// where) it runs the WHERE through SQL with the qual-echo fixture and stores what the guest saw
// (quals), which rows Postgres kept, and the error or planning warning. Notes and runner
// exceptions are kept. Review the diff before committing: the table is the specification both
// hosts are tested against (test/quals-parity.test.ts).
//
//   npx tsc -p tsconfig.json && node out/test/support/quals-record.js
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalPostgresHost, startThrowawayPostgres } from "../../tools/pg/index.js";
import { CASES_FILE, PG_SETTINGS, buildQualEcho, formatCases, loadCases, mapLimit, pgOutcome, pgSetupSql } from "./quals.js";

async function main(): Promise<void> {
  const table = loadCases();
  await ensureLocalPostgresHost();
  const dir = mkdtempSync(join(tmpdir(), "tsfdw-quals-record-"));
  const pg = await startThrowawayPostgres({ settings: PG_SETTINGS });
  try {
    const wasm = await buildQualEcho(dir);
    const setup = await pg.psql(pgSetupSql(pg.copyIn(wasm)));
    if (setup.code !== 0) throw new Error(`setup failed: ${setup.stderr}`);
    const outcomes = await mapLimit(table.cases, 2, (c) => pgOutcome(pg, c));
    table.cases = table.cases.map((c, i) => {
      const o = outcomes[i] ?? {};
      return { type: c.type, where: c.where, ...o, ...(c.runner ? { runner: c.runner } : {}), ...(c.note ? { note: c.note } : {}) };
    });
    writeFileSync(CASES_FILE, formatCases(table));
    process.stdout.write(`recorded ${table.cases.length} cases into ${CASES_FILE}\n`);
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
