//! The runner proper, written once and compiled once per engine (see `../supabase.rs` and
//! `../strict.rs`): `host` is `tsfdw_host` (wasmtime 36) or `tsfdw_host_strict` (current wasmtime).

mod compile_cache;
mod decimal;
mod filter;
mod lexer;
mod literal;
mod output;
mod parser;
mod recheck;
mod sqltype;
#[cfg(test)]
mod table_tests;

use super::host;
use crate::{Command, DeleteArgs, Format, HostArgs, ImportArgs, InsertArgs, InspectArgs, ScanArgs, TableArgs, UpdateArgs};
use host::wasmtime::component::Component;
use host::{
    Cell, Column, ErrorKind, FdwEngine, FdwError, FdwInstance, HostConfig, HttpConfig, ImportForeignSchemaStmt,
    ImportSchemaType, Limit, MemorySecretStore, MemorySettings, MemoryStats, ModifyRow, Options, PackageSpec, PgType,
    ScanSpec, StderrReporter,
};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Run one command on this engine; prints the failure and returns the exit code.
pub(crate) fn run(command: &Command) -> ExitCode {
    let res = match command {
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
        conditions.extend(filter::parse_condition(text, &columns).map_err(Failure::Usage)?);
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
    let (component, source) = compile_cache::load(&s.engine, &s.spec)?;
    let compile = t.elapsed();

    let mut inst = FdwInstance::instantiate(&s.engine, &component, s.server_options.clone(), s.config.clone())?;
    inst.record_compile(source, compile);
    inst.check_version()?;
    inst.init()?;

    for c in &conditions {
        if let Err(why) = &c.qual {
            eprintln!("WARNING: --where \"{}\" is not pushed down ({why}); it is only re-checked locally", c.text);
        }
    }
    let quals = filter::guest_quals(&conditions);
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
        let mut timing = inst.timings().to_json();
        if let Some(o) = timing.as_object_mut() {
            o.insert("engine".into(), host::engine_name().into());
        }
        outer.insert("timing".into(), timing);
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
            let ok = c
                .check
                .eval(row[c.column].as_ref(), c.ty)
                .map_err(|e| Failure::Other(format!("re-checking --where \"{}\": {e}", c.text)))?;
            // a condition that is NULL drops the row, as in SQL
            if ok != Some(true) {
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
        let (component, _) = compile_cache::load(&s.engine, &s.spec)?;
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
        let (component, _) = compile_cache::load(&s.engine, &s.spec)?;
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
        let (component, _) = compile_cache::load(&s.engine, &s.spec)?;
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
        let (component, _) = compile_cache::load(&s.engine, &s.spec)?;
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
    let compatible = host::check_host_version(&req);
    let mut m = serde_json::Map::new();
    m.insert("routines".into(), version.as_str().into());
    m.insert("package".into(), format!("supabase:wrappers@{}", version.package_version()).into());
    m.insert("host_version_requirement".into(), req.into());
    m.insert("host_version".into(), host::HOST_VERSION.into());
    m.insert("engine".into(), host::engine_name().into());
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
            if let Some(hint) = borrow_defect_hint(e) {
                eprintln!("hint: {hint}");
            }
            ExitCode::from(1)
        }
    }
}

/// wasmtime >= 38 rejects components that drop borrowed handles in post-return (componentize-qjs
/// does, unless `tsfdw build` fixed it); wasmtime 36 never raises these errors.
fn borrow_defect_hint(e: &FdwError) -> Option<String> {
    const SIGNS: [&str; 2] = ["borrow handles still remain at the end of the call", "cannot leave component instance"];
    (e.kind() == ErrorKind::Wasmtime && SIGNS.iter().any(|s| e.message().contains(s))).then(|| {
        format!(
            "{} rejects the component's handling of borrowed handles (dropped in post-return, a componentize-qjs \
             defect that wasmtime 36 and so Supabase accept); rebuild it with `tsfdw build` (its borrow-fix stage), \
             or run it with --engine supabase",
            host::engine_name()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrow_defect_hint_only_for_the_strict_engines_errors() {
        let e = FdwError::new(ErrorKind::Wasmtime, "borrow handles still remain at the end of the call");
        assert!(borrow_defect_hint(&e).is_some_and(|h| h.contains("borrow-fix") && h.contains(host::engine_name())));
        let e = FdwError::new(ErrorKind::Wasmtime, "cannot leave component instance");
        assert!(borrow_defect_hint(&e).is_some());
        assert!(borrow_defect_hint(&FdwError::guest("borrow handles still remain at the end of the call")).is_none());
        assert!(borrow_defect_hint(&FdwError::new(ErrorKind::Wasmtime, "wasm trap: wasm `unreachable` instruction executed")).is_none());
    }
}
