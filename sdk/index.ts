// tsfdw guest SDK: what an FDW author imports. Pure logic only (no host imports here), so it is
// bundled small into every guest and runs unchanged in Node unit tests. Host modules are imported
// by the FDW itself (`import http from "supabase:wrappers/http@0.1.0"`) and passed in where needed.

export {
  type Cell,
  type TypeOid,
  type TypeName,
  type ColumnInfo,
  type RowSink,
  type TimeParsers,
  type ValuePicker,
  cellError,
  rowPusher,
  hostTime,
  readColumns,
  toCell,
  pushRow,
} from "./cells.js";
export { type OptionSet, type OptionsKind, boolOption, enumOption, intOption, optionSet, readOptions, requireOption } from "./options.js";
export {
  type HttpClient,
  type HeadersInit,
  type JsonResponse,
  type RequestOptions,
  buildRequest,
  header,
  jsonShape,
  lowercaseHeaders,
  nextLink,
  parseJsonBody,
  parseLinkHeader,
  readJson,
  redactUrl,
  requestJson,
  requestName,
  send,
  statusError,
  statusText,
} from "./http.js";
export { type JsonOptions, type ParsedJson, type RawNumbers, MAX_JSON_DEPTH, parseJson, parseJsonExact, rawAt, stringifyJson, utf8Length } from "./json.js";
export { type PageGuard, type PageGuardOptions, MAX_PAGES, MAX_ROWS, pageGuard, resolveUrl, urlOrigin } from "./paging.js";
export { REDACTED, addAuthorization, addHeaderSecrets, addRequestSecrets, addSecret, addUrlSecrets, redact } from "./secrets.js";
export { type RoutineOptions, defineRoutines, defineRoutinesV2 } from "./routines.js";
export { MAX_MESSAGE, MAX_QUOTE, describeValue, quote, safeError, toError, truncate, withContext } from "./errors.js";
export { parseDateSeconds, parseRfc3339Micros } from "./rfc3339.js";
export { type PackageInfo, packageInfo } from "./package.js";

// The declarative layer (sdk/fdw.ts) and what it is built from: lazy sequences, paging styles, a
// JSON API client, quals, cell → JSON, declared options, object templates, IMPORT FOREIGN SCHEMA.
export {
  type ConnectContext,
  type FdwContext,
  type FdwDefinition,
  type ScanContext,
  type StatsModule,
  type TableDefinition,
  type TimeModule,
  type WriteContext,
  defineFdw,
} from "./fdw.js";
export { type Rows, type Sequence, distinct, empty, flatMap, merge, sequence, single, toSequence } from "./sequence.js";
export { type CursorPaging, type LinkPaging, type NumberedPaging, type Page, type PageRequest, type PagingContext, cursorPages, linkPages, numberedPages } from "./pages.js";
export { type ApiOptions, type ApiResult, type CallOptions, type JsonApi, jsonApi, pageOf } from "./api.js";
export { type Qual, type Quals, type QualsSource, cellText, qualMatches, readQuals, valueText } from "./quals.js";
export { type CellJson, type JsonObject, type JsonValue, type RowSource, cellJson, cellValue, rowJson } from "./cell-json.js";
export { type OptionSpec, type OptionSpecs, type OptionValue, type OptionValues, readDeclaredOptions } from "./option-specs.js";
export { fillObject, hasNames, matchObject, normalizeObject, objectPath } from "./objects.js";
export { type ColumnSpec, type ImportSpec, type ImportStatement, columnList, importStatements } from "./import-schema.js";
export { type TimestampFormat, civilFromDays, formatDate, formatTimestamp } from "./rfc3339.js";
