// `import "tsfdw/testing/register"` (first) makes `supabase:wrappers/*` imports of compiled FDW code
// resolve to the fake host in ./fake-wrappers/.
import { register } from "node:module";

register("./hooks.js", import.meta.url);
