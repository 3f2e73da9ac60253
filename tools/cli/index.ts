// The `tsfdw` command (bin/tsfdw.mjs imports this compiled file). One module per command in this
// directory, imported lazily so that `tsfdw help` stays instant; the overall help is help.txt,
// which bin/tsfdw.mjs prints by itself before anything is compiled.
import { readFileSync } from "node:fs";

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  new: () => import("./new.js"),
  build: () => import("./build.js"),
  dev: () => import("./dev.js"),
  test: () => import("./test.js"),
  release: () => import("./release.js"),
  scan: () => import("./scan.js"),
  insert: () => import("./insert.js"),
  update: () => import("./update.js"),
  delete: () => import("./delete.js"),
  "import-schema": () => import("./import-schema.js"),
  inspect: () => import("./inspect.js"),
  start: () => import("./start.js"),
};

export const COMMAND_NAMES = Object.keys(COMMANDS);

export function usage(): string {
  return readFileSync(new URL("../../../tools/cli/help.txt", import.meta.url), "utf8");
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    if (rest[0] !== undefined && COMMANDS[rest[0]] !== undefined) return (await COMMANDS[rest[0]]!()).run(["--help"]);
    process.stdout.write(usage());
    return 0;
  }
  const load = COMMANDS[command];
  if (load === undefined) {
    process.stderr.write(`tsfdw: unknown command '${command}'\n\n${usage()}`);
    return 2;
  }
  return (await load()).run(rest);
}
