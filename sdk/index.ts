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
  CellConversionError,
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
  redactUrl,
  requestJson,
  send,
  statusError,
  statusText,
} from "./http.js";
export { type RoutineOptions, defineRoutines, defineRoutinesV2 } from "./routines.js";
export { describeValue, toError, truncate, withContext } from "./errors.js";
export { parseDateSeconds, parseRfc3339Micros } from "./rfc3339.js";
export { type PackageInfo, packageInfo } from "./package.js";
