// Moved to testing/fake-wrappers/jwt.ts (tsfdw/testing); this re-export keeps older imports compiling.
export * from "../../../testing/fake-wrappers/jwt.js";
export { default } from "../../../testing/fake-wrappers/jwt.js";
