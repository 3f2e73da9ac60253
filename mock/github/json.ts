// JSON value types shared by the mock's modules (keeps `any` out of module boundaries).

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}
