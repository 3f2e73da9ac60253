/// <reference types="node" />
// tsfdw/testing: test an FDW at three levels with one kit.
//   1. unit — the FDW's source in Node on the fake host: loadFdw(dir).table(name).scan/insert/update/delete
//   2. runner — the built component on wasmtime 36 (what Supabase runs): componentRunner(wasm, …)
//   3. SQL — a throwaway local Postgres with the tsfdw extension: startLocalPostgres(), installFdw(…)
// plus serveHandler(), which serves one synchronous request handler (a mock API) over loopback HTTP,
// so the same mock answers the fake host in-process and the runner/Postgres over the network.
export {
  type Cell,
  type FakeContextInit,
  type FakeHttpState,
  type FakeQualInit,
  type FakeSortInit,
  type HttpHandler,
  type Request,
  type Response,
  type TypeName,
  type Value,
  FakeColumn,
  FakeContext,
  FakeLimit,
  FakeOptions,
  FakeQual,
  FakeRow,
  FakeSort,
  fakeErrorForStatus,
  fakeHost,
  fakeHttp,
  fakeNowSecs,
  fakeSend,
  fakeVault,
  jsonResponse,
  recordedReports,
  recordedStats,
  resetFakeHost,
} from "./fake-host.js";
export { SUPPORTED_PG_TYPES, cellToJson, constantCell, hostType, jsonToCell } from "./cells.js";
export { type FakeTable, type ImportSchemaOptions, type JsonRow, type LoadedFdw, type Routines, type ScanOptions, type TableDefinition, type Where, loadFdw } from "./load.js";
export {
  type ComponentRunner,
  type ComponentRunnerOptions,
  type Run,
  type RunnerScanOptions,
  type RunnerTable,
  type RunnerTableDefinition,
  assertGuestError,
  columnArgs,
  componentRunner,
  rows,
  runner,
  statsOf,
} from "./runner.js";
export { type InstallFdwOptions, type LocalPostgres, ensurePostgresHost, startLocalPostgres } from "./postgres.js";
export { type MockRequest, type MockResponse, type MockHandler, type MockServer, hostHandler, serveHandler } from "./serve.js";
export { buildFdw } from "./build.js";
export { type FdwProject, type SqlTable, resolveProject as fdwProject } from "../tools/build/resolve.js";
