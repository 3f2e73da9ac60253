/// <reference path="./wrappers.d.ts" />
// `tsfdw/sdk`, the package entry an FDW imports: the SDK (index.ts) plus the typings of the host
// modules. The reference above makes `supabase:wrappers/*@0.1.0|0.2.0` resolve as modules in any
// project whose code imports `tsfdw/sdk`, without a path into this package.
export * from "./index.js";
export type { Request, Response, HttpHeaders, MethodName } from "./http.js";
