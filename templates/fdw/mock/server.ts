// The mock API over loopback HTTP. `tsfdw dev` (npm run dev) starts it through fdw.json's
// "dev.mock" and points the server option api_url at it ("{mock}" in dev.serverOptions).
import { type MockServer, serveHandler } from "tsfdw/testing";
import { type MockApi, createApi } from "./api.js";

export async function startMock(api: MockApi = createApi()): Promise<MockServer & { api: MockApi }> {
  const server = await serveHandler(api.handle);
  return { ...server, api };
}
