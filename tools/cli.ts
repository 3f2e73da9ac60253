// The `tsfdw` command (bin/tsfdw.mjs imports this compiled file). Subcommands are a table of
// lazily imported modules so that `tsfdw help` stays instant and new commands are one line.
const USAGE = `usage: tsfdw <command> [args]

commands:
  build [fdw-dir] [--out DIR] [--url URL] [--repo OWNER/NAME] [--release-files]
        type-check, bundle, componentize and verify an FDW (default fdw/github-events);
        writes dist/<output>.wasm and prints size, sha256 and the ready SQL
  scan <component.wasm> [runner options]
        run a scan with the wasmtime-36 runner (built on first use), e.g.
        tsfdw scan dist/github_events_fdw.wasm --server api_url=https://api.github.com \\
          --table object=events --column id:text --column type:text --limit 5
  import-schema <component.wasm> --remote-schema S --local-schema L [--server-name N] [--option K=V]…
        [--limit-to T… | --except T…]
        print the CREATE FOREIGN TABLE statements of IMPORT FOREIGN SCHEMA (v2 components), e.g.
        tsfdw import-schema dist/github_events_fdw.wasm --remote-schema github --local-schema gh \\
          --server-name github_events_server --option repo=octocat/Hello-World
  start [--offline] [--psql | --runner [--limit N]]
        the main job (npm start): build, then the seed's SQL in a throwaway Postgres 15 with the
        tsfdw extension (--psql: then an interactive psql there; --runner: through the runner,
        no Postgres), against api.github.com when reachable, else the loopback mock
  help  show this help (also: tsfdw <command> --help)
`;

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  build: async (argv) => (await import("./build/index.js")).runBuild(argv),
  scan: async (argv) => (await import("./runner.js")).runRunner("scan", argv),
  "import-schema": async (argv) => (await import("./runner.js")).runRunner("import-schema", argv),
  start: async (argv) => (await import("./start.js")).start(argv),
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    process.stderr.write(`tsfdw: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  return run(rest);
}
