// Serves the Ledger mock standalone: node out/mock/ledger/cli.js [--port N] [--api-key K]
import { parseArgs } from "node:util";
import { serveHandler } from "../../testing/serve.js";
import { API_KEY, createLedgerApi } from "./api.js";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, "api-key": { type: "string", default: API_KEY } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port needs a port number, got ${values.port}`);
const server = await serveHandler(createLedgerApi({ apiKey: values["api-key"] }).handle, { port });
process.stdout.write(`mock Ledger API listening on ${server.url}: api_url ${server.url}/v1, api_key ${values["api-key"]}\n`);
