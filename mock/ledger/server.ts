// The Ledger mock (mock/ledger/api.ts) on loopback HTTP: for the runner and SQL tests, and for
// `tsfdw dev fdw/ledger` (fdw.json "dev.mock"), which points api_url at `{mock}/v1`.
import { type MockServer, serveHandler } from "../../testing/serve.js";
import { type LedgerApi, createLedgerApi } from "./api.js";

export async function startMock(api: LedgerApi = createLedgerApi()): Promise<MockServer & { api: LedgerApi }> {
  const server = await serveHandler(api.handle);
  return { ...server, api };
}
