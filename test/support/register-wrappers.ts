// Import this (first) in a test to make `supabase:wrappers/*` imports resolve to the fakes.
import { register } from "node:module";

register("./wrappers-hooks.js", import.meta.url);
