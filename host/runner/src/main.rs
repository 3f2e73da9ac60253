//! `tsfdw-runner`: run a Wasm FDW component outside Postgres, the way Supabase Wrappers would.

mod filter;
mod literal;
mod output;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tsfdw_host::wasmtime::component::Component;
use tsfdw_host::{
    Cell, Column, CompileSource, ErrorKind, FdwEngine, FdwError, FdwInstance, HostConfig, HttpConfig, ImportForeignSchemaStmt,
    ImportSchemaType, Limit, MemorySecretStore, MemorySettings, MemoryStats, ModifyRow, Options, PackageSpec, PgType,
    ScanSpec, StderrReporter,
};

#[derive(Parser, Debug)]
#[command(name = "tsfdw-runner", version, about = "Run a Supabase Wasm FDW component locally (supabase:wrappers 0.1.0/0.2.0 host)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// WHERE condition "col op value" (repeatable; conditions are ANDed).
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

/// Why the runner stops.
enum Failure {
    /// Bad command line (exit 2).
    Usage(String),
    /// The simulated statement failed (exit 1).
    Fdw(FdwError),
    /// Another failure (exit 1), printed as `error: <msg>`.
    Other(String),
}

impl From<FdwError> for Failure {
    fn from(e: FdwError) -> Self {
        Failure::Fdw(e)
    }
}

type Outcome<T> = Result<T, Failure>;

fn usage<T>(msg: impl Into<String>) -> Outcome<T> {
    Err(Failure::Usage(msg.into()))
}

fn parse_kv(items: &[String], what: &str) -> Outcome<Options> {
    let mut map = Options::new();
    for (i, item) in items.iter().enumerate() {
        match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                map.insert(k.to_string(), v.to_string());
            }
            // the argument is not echoed: option values may be credentials
            _ => return usage(format!("invalid {what} argument #{}: expected KEY=VALUE", i + 1)),
        }
    }
    Ok(map)
}

fn parse_columns(items: &[String]) -> Outcome<Vec<Column>> {
    let mut cols: Vec<Column> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some((name, ty)) = item.split_once(':') else {
            return usage(format!("invalid --column `{item}`: expected NAME:PGTYPE"));
        };
        if name.is_empty() || ty.trim().is_empty() {
            return usage(format!("invalid --column `{item}`: expected NAME:PGTYPE"));
        }
        if cols.iter().any(|c| c.name == name) {
            return usage(format!("duplicate --column `{name}`"));
        }
        cols.push(Column::new(name, (i + 1) as u32, PgType::parse(ty)));
    }
    Ok(cols)
}

/// Everything needed to create instances.
struct Setup {
    engine: FdwEngine,
    spec: PackageSpec,
    server_options: Options,
    config: HostConfig,
    stats: Arc<MemoryStats>,
    want_stats: bool,
}

fn setup(h: &HostArgs) -> Outcome<Setup> {
    let mut server_options = parse_kv(&h.server, "--server")?;
    let secrets = MemorySecretStore::new();
    for item in &h.vault {
        match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => secrets.insert(k, v),
            // never echo the argument: it may contain the secret
            _ => return usage("invalid --vault argument: expected NAME=SECRET"),
        }
    }
    let settings = MemorySettings::new();
    for (k, v) in parse_kv(&h.setting, "--setting")? {
        settings.set(&k, &v);
    }
    let spec = package_spec(&h.component, h.checksum.as_deref(), &mut server_options);
    let stats = Arc::new(MemoryStats::new());
    let config = HostConfig {
        http: HttpConfig { retry_base: Duration::from_millis(h.http_retry_base_ms), ..HttpConfig::default() },
        reporter: Arc::new(StderrReporter),
        secrets: Arc::new(secrets),
        settings: Arc::new(settings),
        stats: stats.clone(),
        ..HostConfig::default()
    };
    let engine = FdwEngine::new()?;
    Ok(Setup { engine, spec, server_options, config, stats, want_stats: h.stats })
}

/// The package spec of the component argument; the server options get `fdw_package_url`
/// (and `fdw_package_checksum`) like a real server definition.
fn package_spec(component: &str, checksum: Option<&str>, server_options: &mut Options) -> PackageSpec {
    server_options.entry("fdw_package_url".into()).or_insert_with(|| component.to_string());
    if let Some(c) = checksum {
        server_options.entry("fdw_package_checksum".into()).or_insert_with(|| c.to_string());
    }
    PackageSpec {
        url: component.to_string(),
        name: server_options.get("fdw_package_name").cloned().unwrap_or_default(),
        version: server_options.get("fdw_package_version").cloned().unwrap_or_default(),
        checksum: checksum.map(str::to_string).or_else(|| server_options.get("fdw_package_checksum").cloned()),
    }
}

/// Write to stdout; a closed pipe (e.g. `| head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn print_stats(s: &Setup) {
    if s.want_stats {
        let mut outer = serde_json::Map::new();
        outer.insert("stats".into(), s.stats.snapshot_json());
        eprintln!("{}", serde_json::Value::Object(outer));
    }
}

fn new_instance(s: &Setup, component: &Component) -> Outcome<FdwInstance> {
    Ok(FdwInstance::new(&s.engine, component, s.server_options.clone(), s.config.clone())?)
}

fn run_scan(a: &ScanArgs) -> Outcome<()> {
    let table_options = parse_kv(&a.table.table, "--table")?;
    let columns = parse_columns(&a.table.column)?;
    let mut conditions = Vec::new();
    for text in &a.conditions {
        conditions.push(filter::parse_condition(text, &columns).map_err(Failure::Usage)?);
    }
    if a.limit.is_some_and(|l| l < 0) {
        return usage("--limit must not be negative");
    }
    if a.offset.is_some_and(|o| o < 0) {
        return usage("--offset must not be negative");
    }
    let s = setup(&a.host)?;
    let res = scan_inner(a, &s, table_options, columns, conditions);
    print_stats(&s);
    res
}

fn scan_inner(
    a: &ScanArgs,
    s: &Setup,
    table_options: Options,
    columns: Vec<Column>,
    conditions: Vec<filter::Condition>,
) -> Outcome<()> {
    let t = Instant::now();
    let component = s.engine.load_package(&s.spec)?;
    let compile = t.elapsed();

    let mut inst = FdwInstance::instantiate(&s.engine, &component, s.server_options.clone(), s.config.clone())?;
    inst.record_compile(CompileSource::Compiled, compile);
    inst.check_version()?;
    inst.init()?;

    for c in conditions.iter().filter(|c| !c.pushed) {
        eprintln!(
            "WARNING: --where \"{}\" is not pushed down (Supabase pushes no IN/NOT IN arrays of {}); it is only re-checked locally",
            c.text, columns[c.column].pg_type
        );
    }
    let quals = conditions.iter().filter(|c| c.pushed).map(|c| c.qual.clone()).collect();
    let limit_hint = a.limit.map(|count| Limit { count, offset: a.offset.unwrap_or(0) });
    let spec = ScanSpec { table_options, columns: columns.clone(), quals, sorts: Vec::new(), limit: limit_hint };

    if a.explain {
        return Ok(inst.end_scan()?);
    }

    inst.begin_scan(spec)?;
    let mut rows = pull(a, &mut inst, &conditions)?;
    if a.rescan {
        inst.re_scan()?;
        rows.extend(pull(a, &mut inst, &conditions)?);
    }
    inst.end_scan()?;

    match a.format {
        Format::Table => emit(&output::table(&columns, &rows)),
        Format::Json => {
            let mut out = String::new();
            for r in &rows {
                out.push_str(&output::json_line(&columns, r));
                out.push('\n');
            }
            emit(&out);
        }
    }
    if a.timing {
        // the host's phase timings; `rows` counts the guest's rows (before the local WHERE re-check)
        let mut outer = serde_json::Map::new();
        outer.insert("timing".into(), inst.timings().to_json());
        eprintln!("{}", serde_json::Value::Object(outer));
    }
    Ok(())
}

/// Like Postgres: pull rows, re-check every WHERE condition, skip OFFSET, stop once LIMIT is
/// reached. Returns the output rows.
fn pull(a: &ScanArgs, inst: &mut FdwInstance, conditions: &[filter::Condition]) -> Outcome<Vec<Vec<Option<Cell>>>> {
    let offset = a.offset.unwrap_or(0) as usize;
    let wanted = a.limit.map(|l| offset.saturating_add(l as usize));
    let mut matched: usize = 0;
    let mut rows: Vec<Vec<Option<Cell>>> = Vec::new();
    while wanted.is_none_or(|w| matched < w) {
        let Some(row) = inst.iter_scan()? else { break };
        let mut keep = true;
        for c in conditions {
            let ok = tsfdw_host::eval::qual_matches(&c.qual, row[c.column].as_ref())
                .map_err(|e| Failure::Other(format!("re-checking --where \"{}\": {e}", c.text)))?;
            if !ok {
                keep = false;
                break;
            }
        }
        if keep {
            matched += 1;
            if matched > offset {
                rows.push(row);
            }
        }
    }
    Ok(rows)
}

/// Table options and columns for modify commands, with the rowid column checked like Supabase.
fn modify_setup(t: &TableArgs) -> Outcome<(Options, Vec<Column>, Column)> {
    let table_options = parse_kv(&t.table, "--table")?;
    let columns = parse_columns(&t.column)?;
    let rowid_name = table_options
        .get("rowid_column")
        .cloned()
        .ok_or_else(|| Failure::Other("required option `rowid_column` is not specified".into()))?;
    let rowid_col = columns
        .iter()
        .find(|c| c.name == rowid_name)
        .cloned()
        .ok_or_else(|| Failure::Other(format!("rowid_column attribute \"{rowid_name}\" does not exist")))?;
    Ok((table_options, columns, rowid_col))
}

fn parse_object(text: &str) -> Outcome<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        Ok(_) => usage("--values must be a JSON object"),
        Err(e) => usage(format!("--values is not valid JSON: {e}")),
    }
}

/// Convert a value for a modify row. Like Supabase, columns of built-in types its row reader
/// does not know (varchar, bpchar, json, …) read as NULL.
fn modify_cell(v: &serde_json::Value, col: &Column) -> Outcome<Option<Cell>> {
    if let PgType::Unsupported(_) = col.pg_type {
        if !v.is_null() {
            eprintln!(
                "WARNING: column `{}` of type {} reads as NULL in Supabase insert/update rows",
                col.name, col.pg_type
            );
        }
        return Ok(None);
    }
    literal::json_to_cell(v, col).map_err(Failure::Usage)
}

fn build_row(obj: &serde_json::Map<String, serde_json::Value>, columns: &[Column], all: bool, skip: Option<&str>) -> Outcome<ModifyRow> {
    for k in obj.keys() {
        if !columns.iter().any(|c| &c.name == k) {
            return usage(format!("--values key `{k}` is not among the --column list"));
        }
    }
    let mut row = ModifyRow::new();
    for col in columns {
        if Some(col.name.as_str()) == skip {
            continue;
        }
        match obj.get(&col.name) {
            Some(v) => row.push(col.name.clone(), modify_cell(v, col)?),
            None if all => row.push(col.name.clone(), None),
            None => {}
        }
    }
    Ok(row)
}

fn parse_rowid(text: &str, col: &Column) -> Outcome<Option<Cell>> {
    let v = serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|_| serde_json::Value::String(text.to_string()));
    if let PgType::Unsupported(_) = col.pg_type {
        // Supabase reads such a rowid as NULL, so the row is silently skipped
        eprintln!("WARNING: rowid column `{}` of type {} reads as NULL in Supabase: nothing is done", col.name, col.pg_type);
        return Ok(None);
    }
    literal::json_to_cell(&v, col).map_err(Failure::Usage)
}

fn run_insert(a: &InsertArgs) -> Outcome<()> {
    let (table_options, columns, _) = modify_setup(&a.table)?;
    let mut rows = Vec::new();
    for v in &a.values {
        rows.push(build_row(&parse_object(v)?, &columns, true, None)?);
    }
    let s = setup(&a.host)?;
    let res = (|| {
        let component = s.engine.load_package(&s.spec)?;
        let mut inst = new_instance(&s, &component)?;
        inst.begin_modify(table_options)?;
        for r in &rows {
            inst.insert(r)?;
        }
        inst.end_modify()?;
        emit(&format!("INSERT 0 {}\n", rows.len()));
        Ok(())
    })();
    print_stats(&s);
    res
}

fn run_update(a: &UpdateArgs) -> Outcome<()> {
    let (table_options, columns, rowid_col) = modify_setup(&a.table)?;
    let row = build_row(&parse_object(&a.values)?, &columns, false, Some(&rowid_col.name))?;
    let rowid = parse_rowid(&a.rowid, &rowid_col)?;
    let s = setup(&a.host)?;
    let res = (|| {
        let component = s.engine.load_package(&s.spec)?;
        let mut inst = new_instance(&s, &component)?;
        inst.begin_modify(table_options)?;
        let n = match &rowid {
            Some(id) => {
                inst.update(id, &row)?;
                1
            }
            None => 0,
        };
        inst.end_modify()?;
        emit(&format!("UPDATE {n}\n"));
        Ok(())
    })();
    print_stats(&s);
    res
}

fn run_delete(a: &DeleteArgs) -> Outcome<()> {
    let (table_options, _columns, rowid_col) = modify_setup(&a.table)?;
    let rowid = parse_rowid(&a.rowid, &rowid_col)?;
    let s = setup(&a.host)?;
    let res = (|| {
        let component = s.engine.load_package(&s.spec)?;
        let mut inst = new_instance(&s, &component)?;
        inst.begin_modify(table_options)?;
        let n = match &rowid {
            Some(id) => {
                inst.delete(id)?;
                1
            }
            None => 0,
        };
        inst.end_modify()?;
        emit(&format!("DELETE {n}\n"));
        Ok(())
    })();
    print_stats(&s);
    res
}

fn run_import(a: &ImportArgs) -> Outcome<()> {
    let import_options = parse_kv(&a.option, "--option")?;
    let (list_type, table_list) = if !a.limit_to.is_empty() {
        (ImportSchemaType::LimitTo, a.limit_to.clone())
    } else if !a.except.is_empty() {
        (ImportSchemaType::Except, a.except.clone())
    } else {
        (ImportSchemaType::All, Vec::new())
    };
    let stmt = ImportForeignSchemaStmt {
        server_name: a.server_name.clone(),
        remote_schema: a.remote_schema.clone(),
        local_schema: a.local_schema.clone(),
        list_type,
        table_list,
    };
    let s = setup(&a.host)?;
    let res = (|| {
        let component = s.engine.load_package(&s.spec)?;
        let mut inst = new_instance(&s, &component)?;
        let stmts = inst.import_foreign_schema(&stmt, import_options)?;
        let mut out = String::new();
        for st in stmts {
            out.push_str(&st);
            out.push('\n');
        }
        emit(&out);
        Ok(())
    })();
    print_stats(&s);
    res
}

fn run_inspect(a: &InspectArgs) -> Outcome<()> {
    let mut server_options = parse_kv(&a.server, "--server")?;
    let spec = package_spec(&a.component, a.checksum.as_deref(), &mut server_options);
    let engine = FdwEngine::new()?;
    let component = engine.load_package(&spec)?;
    let mut inst = FdwInstance::instantiate(&engine, &component, server_options, HostConfig::default())?;
    let version = inst.routines_version();
    let req = inst.host_version_requirement()?;
    let compatible = tsfdw_host::check_host_version(&req);
    let mut m = serde_json::Map::new();
    m.insert("routines".into(), version.as_str().into());
    m.insert("package".into(), format!("supabase:wrappers@{}", version.package_version()).into());
    m.insert("host_version_requirement".into(), req.into());
    m.insert("host_version".into(), tsfdw_host::HOST_VERSION.into());
    m.insert("compatible".into(), compatible.is_ok().into());
    if let Err(e) = compatible {
        m.insert("error".into(), e.to_string().into());
    }
    emit(&format!("{}\n", serde_json::Value::Object(m)));
    Ok(())
}

fn print_failure(f: &Failure) -> ExitCode {
    match f {
        Failure::Usage(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Failure::Other(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
        Failure::Fdw(e) => {
            match e.kind() {
                ErrorKind::Guest | ErrorKind::Version | ErrorKind::Package | ErrorKind::Wasmtime | ErrorKind::Semver => {
                    eprintln!("{e}")
                }
                ErrorKind::Reported => eprintln!("ERROR: {}", e.message()),
                _ => eprintln!("error: {e}"),
            }
            if let Some(d) = e.detail() {
                let verbose = std::env::var("TSFDW_BACKTRACE").is_ok_and(|v| v != "0" && !v.is_empty());
                if e.kind() == ErrorKind::InvalidComponent || verbose {
                    eprintln!("detail: {d}");
                }
            }
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let res = match &cli.command {
        Command::Scan(a) => run_scan(a),
        Command::Insert(a) => run_insert(a),
        Command::Update(a) => run_update(a),
        Command::Delete(a) => run_delete(a),
        Command::ImportSchema(a) => run_import(a),
        Command::Inspect(a) => run_inspect(a),
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => print_failure(&f),
    }
}
