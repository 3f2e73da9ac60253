#!/usr/bin/env node
// `tsfdw` command. The CLI is TypeScript (tools/cli/), compiled to out/ by `npm ci`/`npm install`
// (the prepare script) or `npx tsc -p tsconfig.json`. Help needs nothing compiled: it is a text
// file. When out/ is missing (e.g. installed without running scripts), this compiles it first.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const cli = join(root, "out", "tools", "cli", "index.js");

if (argv.length === 0 || (argv.length === 1 && ["help", "--help", "-h"].includes(argv[0]))) {
  process.stdout.write(readFileSync(join(root, "tools", "cli", "help.txt"), "utf8"));
  process.exit(0);
}

if (!existsSync(cli)) {
  let tsc;
  try {
    tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
  } catch {
    process.stderr.write(`tsfdw: ${cli} is missing and TypeScript is not installed: run npm install (or npm ci) first\n`);
    process.exit(1);
  }
  process.stderr.write("tsfdw: compiling the CLI (first run)…\n");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0 || !existsSync(cli)) {
    process.stderr.write("tsfdw: compiling the CLI failed; run npx tsc -p tsconfig.json in the tsfdw directory\n");
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(argv);
