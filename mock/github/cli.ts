// Runs the mock GitHub API standalone: node out/mock/github/cli.js [--port N] [--events N] ...
import { startMockGitHub, type MockGitHubOptions } from "./server.js";

const USAGE =
  "usage: node out/mock/github/cli.js [--port N] [--events N] [--seed N] [--token T] [--token-user LOGIN]\n" +
  "       [--max-per-page N] [--default-per-page N] [--cap N] [--rate-limit N] [--rate-limit-status 403|429]\n" +
  "       [--newest ISO-TIME] [--no-user-agent-check]\n";

function parseArgs(argv: readonly string[]): MockGitHubOptions {
  const opts: MockGitHubOptions = {};
  const int = (flag: string, raw: string | undefined, min: number): number => {
    const n = Number(raw);
    if (raw === undefined || !Number.isSafeInteger(n) || n < min) throw new Error(`${flag} needs an integer ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case "--port":
        opts.port = int(flag, value(), 0);
        break;
      case "--events":
        opts.events = int(flag, value(), 0);
        break;
      case "--seed":
        opts.seed = int(flag, value(), 0);
        break;
      case "--token": {
        const t = value();
        if (!t) throw new Error("--token needs a value");
        opts.token = t;
        break;
      }
      case "--token-user": {
        const u = value();
        if (!u) throw new Error("--token-user needs a value");
        opts.tokenUser = u;
        break;
      }
      case "--max-per-page":
        opts.maxPerPage = int(flag, value(), 1);
        break;
      case "--default-per-page":
        opts.defaultPerPage = int(flag, value(), 1);
        break;
      case "--cap":
        opts.cap = int(flag, value(), 1);
        break;
      case "--rate-limit":
        opts.rateLimit = int(flag, value(), 1);
        break;
      case "--rate-limit-status": {
        const s = value();
        if (s !== "403" && s !== "429") throw new Error("--rate-limit-status must be 403 or 429");
        opts.rateLimitStatus = s === "403" ? 403 : 429;
        break;
      }
      case "--newest": {
        const t = value();
        if (!t || !Number.isFinite(Date.parse(t))) throw new Error("--newest needs an ISO 8601 time");
        opts.newest = t;
        break;
      }
      case "--no-user-agent-check":
        opts.requireUserAgent = false;
        break;
      case "--help":
      case "-h":
        process.stdout.write(USAGE);
        process.exit(0);
      default:
        throw new Error(`unknown option ${String(flag)}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  let opts: MockGitHubOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    process.exit(2);
  }
  const mock = await startMockGitHub(opts);
  process.stdout.write(`mock GitHub API listening on ${mock.url}\n`);
  const stop = (): void => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
