// Moved to testing/register.ts (tsfdw/testing/register); import this (first) in a test to make
// `supabase:wrappers/*` imports resolve to the fake host.
import "../../testing/register.js";
