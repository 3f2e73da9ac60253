// Moved to testing/hooks.ts; this re-export keeps older imports compiling.
export * from "../../testing/hooks.js";
