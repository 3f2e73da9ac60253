// Moved to testing/fake-wrappers/http.ts (tsfdw/testing); this re-export keeps older imports compiling.
export * from "../../../testing/fake-wrappers/http.js";
export { default } from "../../../testing/fake-wrappers/http.js";
