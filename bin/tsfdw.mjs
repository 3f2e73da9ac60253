#!/usr/bin/env node
// `tsfdw` command: the CLI itself is TypeScript (tools/cli.ts), compiled to out/ by `npm ci`
// (prepare script) or `npx tsc -p tsconfig.json`.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "out", "tools", "cli.js");
if (!existsSync(cli)) {
  process.stderr.write(`tsfdw: ${cli} is missing; compile the TypeScript first: npx tsc -p tsconfig.json\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
