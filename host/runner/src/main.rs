//! `tsfdw-runner`: run a Wasm FDW component outside Postgres, the way Supabase Wrappers would.
//!
//! Two engines, one implementation: the command-line interface is defined here once; the
//! runner proper (`run/`) is compiled twice, once against `tsfdw-host` (wasmtime 36, what
//! Supabase Wrappers pins: `--engine supabase`, the default) and once against
//! `tsfdw-host-strict` (the same host sources on a current wasmtime, which enforces the
//! component model's borrow / may-leave rules: `--engine strict`). See `supabase.rs` / `strict.rs`.

mod strict;
mod supabase;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "tsfdw-runner", version, about = "Run a Supabase Wasm FDW component locally (supabase:wrappers 0.1.0/0.2.0 host)")]
struct Cli {
    /// Which wasmtime runs the component: `supabase` = wasmtime 36, the engine Supabase
    /// Wrappers pins (lenient about borrow handles dropped in post-return); `strict` = a
    /// current wasmtime that enforces the component model's borrow / may-leave rules.
    #[arg(long, global = true, value_enum, env = "TSFDW_ENGINE", default_value_t = EngineChoice::Supabase)]
    engine: EngineChoice,
    #[command(subcommand)]
    command: Command,
}

/// The engine selected with `--engine` / `TSFDW_ENGINE`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum EngineChoice {
    /// wasmtime 36 (tsfdw-host), as on Supabase.
    Supabase,
    /// A current wasmtime (tsfdw-host-strict).
    Strict,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// SELECT: init, begin-scan, iter-scan until none, end-scan; then re-check WHERE and apply OFFSET/LIMIT.
    Scan(ScanArgs),
    /// INSERT rows: begin-modify, insert per --values, end-modify.
    Insert(InsertArgs),
    /// UPDATE one row: begin-modify, update(rowid, values), end-modify.
    Update(UpdateArgs),
    /// DELETE one row: begin-modify, delete(rowid), end-modify.
    Delete(DeleteArgs),
    /// IMPORT FOREIGN SCHEMA: print the returned statements, one per line.
    ImportSchema(ImportArgs),
    /// Print which routines version a component exports and its host-version-requirement.
    Inspect(InspectArgs),
}

#[derive(Args, Debug, Clone)]
struct HostArgs {
    /// Component: a path, file://PATH or http(s)://URL.
    component: String,
    /// Server option KEY=VALUE (repeatable).
    #[arg(long = "server", value_name = "KEY=VALUE")]
    server: Vec<String>,
    /// sha256 (lowercase hex) of the component; required for http(s) URLs.
    #[arg(long, value_name = "HEX")]
    checksum: Option<String>,
    /// Base of the HTTP retry backoff in milliseconds (Supabase: 1000).
    #[arg(long, env = "TSFDW_HTTP_RETRY_BASE_MS", default_value_t = 1000, value_name = "MS")]
    http_retry_base_ms: u64,
    /// Vault secret NAME=SECRET (a UUID name is stored as a secret id) (repeatable).
    #[arg(long = "vault", value_name = "NAME=SECRET")]
    vault: Vec<String>,
    /// Session setting NAME=VALUE for utils.query-setting (repeatable).
    #[arg(long = "setting", value_name = "NAME=VALUE")]
    setting: Vec<String>,
    /// Print the stats store as one JSON line on stderr at the end.
    #[arg(long)]
    stats: bool,
}

#[derive(Args, Debug, Clone)]
struct TableArgs {
    /// Table option KEY=VALUE (repeatable).
    #[arg(long = "table", value_name = "KEY=VALUE")]
    table: Vec<String>,
    /// Column NAME:PGTYPE in table order (repeatable).
    #[arg(long = "column", value_name = "NAME:PGTYPE")]
    column: Vec<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Args, Debug)]
struct ScanArgs {
    #[command(flatten)]
    host: HostArgs,
    #[command(flatten)]
    table: TableArgs,
    /// WHERE condition in SQL, e.g. "id = 7", "name like 'a%'", "id in (1, 2)", "flag", "a > 1 and
    /// b is null" (repeatable; all are ANDed). Constants are typed as Postgres types them, so the
    /// guest gets the same qual cells as in Postgres (`bigint_col = 7` is an i32); the rows are
    /// re-checked locally. OR, functions and arithmetic are refused.
    #[arg(long = "where", value_name = "CONDITION")]
    conditions: Vec<String>,
    /// LIMIT (pushed down as a hint and applied locally).
    #[arg(long)]
    limit: Option<i64>,
    /// OFFSET (applied locally; part of the limit hint only with --limit).
    #[arg(long)]
    offset: Option<i64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Print phase timings as one JSON line on stderr.
    #[arg(long)]
    timing: bool,
    /// After the scan, call re-scan and scan again, as Postgres does for the inner side of a
    /// nested loop; the rows of both passes are output.
    #[arg(long, conflicts_with = "explain")]
    rescan: bool,
    /// Like a plain EXPLAIN: init, then end-scan without begin-scan; no rows.
    #[arg(long)]
    explain: bool,
}

#[derive(Args, Debug)]
struct InsertArgs {
    #[command(flatten)]
    host: HostArgs,
    #[command(flatten)]
    table: TableArgs,
    /// A row as a JSON object keyed by column name (repeatable: one insert per object).
    #[arg(long = "values", value_name = "JSON_OBJECT", required = true)]
    values: Vec<String>,
}

#[derive(Args, Debug)]
struct UpdateArgs {
    #[command(flatten)]
    host: HostArgs,
    #[command(flatten)]
    table: TableArgs,
    /// Value of the rowid column (JSON, or a bare string).
    #[arg(long, value_name = "VALUE")]
    rowid: String,
    /// The assigned columns as a JSON object.
    #[arg(long = "values", value_name = "JSON_OBJECT")]
    values: String,
}

#[derive(Args, Debug)]
struct DeleteArgs {
    #[command(flatten)]
    host: HostArgs,
    #[command(flatten)]
    table: TableArgs,
    /// Value of the rowid column (JSON, or a bare string).
    #[arg(long, value_name = "VALUE")]
    rowid: String,
}

#[derive(Args, Debug)]
struct ImportArgs {
    #[command(flatten)]
    host: HostArgs,
    /// The remote schema (IMPORT FOREIGN SCHEMA <remote>).
    #[arg(long)]
    remote_schema: String,
    /// The local schema (INTO <local>).
    #[arg(long)]
    local_schema: String,
    /// Server name passed in the statement.
    #[arg(long, default_value = "tsfdw_server")]
    server_name: String,
    /// Import option KEY=VALUE (repeatable).
    #[arg(long = "option", value_name = "KEY=VALUE")]
    option: Vec<String>,
    /// LIMIT TO table (repeatable).
    #[arg(long = "limit-to", value_name = "TABLE", conflicts_with = "except")]
    limit_to: Vec<String>,
    /// EXCEPT table (repeatable).
    #[arg(long = "except", value_name = "TABLE")]
    except: Vec<String>,
}

#[derive(Args, Debug)]
struct InspectArgs {
    /// Component: a path, file://PATH or http(s)://URL.
    component: String,
    /// Server option KEY=VALUE (repeatable).
    #[arg(long = "server", value_name = "KEY=VALUE")]
    server: Vec<String>,
    /// sha256 (lowercase hex) of the component; required for http(s) URLs.
    #[arg(long, value_name = "HEX")]
    checksum: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.engine {
        EngineChoice::Supabase => supabase::run(&cli.command),
        EngineChoice::Strict => strict::run(&cli.command),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_option_is_global_and_defaults_to_supabase() {
        let cli = Cli::try_parse_from(["tsfdw-runner", "inspect", "x.wasm"]).unwrap();
        assert_eq!(cli.engine, EngineChoice::Supabase);
        let cli = Cli::try_parse_from(["tsfdw-runner", "scan", "x.wasm", "--engine", "strict"]).unwrap();
        assert_eq!(cli.engine, EngineChoice::Strict);
        let cli = Cli::try_parse_from(["tsfdw-runner", "--engine", "strict", "delete", "x.wasm", "--rowid", "1"]).unwrap();
        assert_eq!(cli.engine, EngineChoice::Strict);
        assert!(Cli::try_parse_from(["tsfdw-runner", "inspect", "x.wasm", "--engine", "wasmtime"]).is_err());
    }

    #[test]
    fn engines_report_their_wasmtime() {
        assert!(supabase::host::engine_name().starts_with("wasmtime-36."), "{}", supabase::host::engine_name());
        let strict = strict::host::engine_name();
        let major: u32 = strict.trim_start_matches("wasmtime-").split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
        assert!(major >= 38, "{strict}");
    }
}
