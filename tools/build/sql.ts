// The ready-to-paste SQL of a release (the seed's README.txt shape): wrapper, server with the
// fdw_package_* options filled in, schema and foreign tables.
import type { FdwProject } from "./resolve.js";

export interface SqlInputs {
  url: string;
  /** fdw_package_checksum; omitted for local development (file:// URLs need none, and a rebuilt file would not match). */
  checksum?: string;
  /** Server options added to or replacing fdw.json's `sql.serverOptions`. */
  serverOptions?: Record<string, string>;
}

/** SQL string literal: single quotes doubled. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function optionList(options: [string, string][], indent: string): string {
  return options.map(([k, v]) => `${indent}${k} ${literal(v)}`).join(",\n");
}

/** Expands {repository}, {version}, {output}, {name}, {tag} in the release URL template. */
export function releaseUrl(project: FdwProject, repository = project.repository): string {
  const values: Record<string, string> = { repository, version: project.version, output: project.output, name: project.name, tag: project.tag };
  return project.urlTemplate.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

export function releaseSql(project: FdwProject, inputs: SqlInputs): string {
  const { sql } = project;
  const server: [string, string][] = [
    ["fdw_package_url", inputs.url],
    ["fdw_package_name", project.name],
    ["fdw_package_version", project.version],
    ...(inputs.checksum !== undefined ? ([["fdw_package_checksum", inputs.checksum]] as [string, string][]) : []),
    ...Object.entries({ ...sql.serverOptions, ...inputs.serverOptions }),
  ];
  const parts = [
    "create extension if not exists wrappers with schema extensions;",
    "create foreign data wrapper wasm_wrapper\n  handler wasm_fdw_handler\n  validator wasm_fdw_validator;",
    `create server ${sql.server}\n  foreign data wrapper wasm_wrapper\n  options (\n${optionList(server, "    ")}\n  );`,
    // `public` exists in every database; any other schema is created.
    ...(sql.schema === "public" ? [] : [`create schema ${sql.schema};`]),
    ...sql.tables.map((t) => {
      const cols = t.columns.map(([n, ty]) => `  ${n} ${ty}`).join(",\n");
      const opts = Object.entries(t.options);
      const options = opts.length > 0 ? `\n  options (\n${optionList(opts, "    ")}\n  )` : "";
      return `create foreign table ${sql.schema}.${t.name} (\n${cols}\n)\n  server ${sql.server}${options};`;
    }),
  ];
  return `${parts.join("\n\n")}\n`;
}
