// Local Postgres host for tsfdw: install Debian's Postgres 15 + the `tsfdw` pgrx extension, and run
// throwaway clusters in which the seed's SQL (`create foreign data wrapper wasm_wrapper handler
// wasm_fdw_handler validator wasm_fdw_validator; …`) runs verbatim.
export {
  PG_BINDIR,
  PG_CONFIG,
  PG_MAJOR,
  PGRX_VERSION,
  buildAndInstallExtension,
  ensureCargoPgrx,
  ensureLocalPostgresHost,
  ensurePostgresPackages,
  ensureWrappersAlias,
  installedExtensionFiles,
  isRoot,
} from "./install.js";
export { PG_OS_USER, startThrowawayPostgres, type PsqlOptions, type StartOptions, type ThrowawayPostgres } from "./cluster.js";
export { stderrLog, type Log, type RunResult } from "./proc.js";
