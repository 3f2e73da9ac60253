// `tsfdw import-schema`: the runner's import-schema, with the kit's additions (see runner-command.ts).
import { runnerCommand } from "./runner-command.js";

export const run = runnerCommand("import-schema");
