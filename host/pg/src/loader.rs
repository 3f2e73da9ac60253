//! Package loading with a compile cache.
//!
//! Supabase compiles the component on every FDW instance (≈1 s for a QuickJS guest on this
//! machine). Here compiled components are cached per backend in memory, and across backends
//! on disk (wasmtime `Component::serialize`), keyed by the sha256 of the `.wasm` bytes and
//! the engine's compatibility hash. The `.wasm` bytes come from `tsfdw_host::fetch_package_with`
//! (file:// read; http/https download, sha256-verified, in a download cache that is per role, as
//! on Supabase), which also deletes and re-downloads a cached download that does not compile.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use tsfdw_host::wasmtime::component::Component;
use tsfdw_host::{CompileSource, FdwEngine, PackageSpec, Result};

struct Cache {
    engine: Rc<FdwEngine>,
    engine_key: String,
    components: HashMap<String, Component>,
    hits: u64,
    misses: u64,
    disk_hits: u64,
}

thread_local! {
    static CACHE: RefCell<Option<Cache>> = const { RefCell::new(None) };
}

fn with_cache<T>(f: impl FnOnce(&mut Cache) -> Result<T>) -> Result<T> {
    CACHE.with(|c| {
        let mut slot = c.borrow_mut();
        if slot.is_none() {
            let engine = FdwEngine::new()?;
            // covers the wasmtime version and every setting that changes compiled code
            // (epoch interruption included), so a stale .cwasm is never picked up
            let engine_key = engine.cache_key();
            *slot = Some(Cache {
                engine: Rc::new(engine),
                engine_key,
                components: HashMap::new(),
                hits: 0,
                misses: 0,
                disk_hits: 0,
            });
        }
        f(slot.as_mut().expect("cache initialised"))
    })
}

/// The backend's engine (created on first use).
pub fn engine() -> Result<Rc<FdwEngine>> {
    with_cache(|c| Ok(c.engine.clone()))
}

/// `$XDG_CACHE_HOME/tsfdw` or `$HOME/.cache/tsfdw` of the Postgres OS user.
fn cache_root() -> Option<PathBuf> {
    tsfdw_host::default_cache_dir().and_then(|p| p.parent().map(|p| p.to_path_buf()))
}

fn compiled_dir() -> Option<PathBuf> {
    cache_root().map(|r| r.join("compiled"))
}

/// Download cache for the current role (Supabase keys its cache by role OID too).
fn download_dir() -> Option<PathBuf> {
    // SAFETY: GetUserId only reads backend-global state.
    let role = unsafe { pgrx::pg_sys::GetUserId() }.to_u32();
    cache_root().map(|r| r.join("packages").join(role.to_string()))
}

/// `tsfdw.compile_cache` (default on). Off: every FDW instance compiles its component, as on
/// Supabase (benchmarks through SQL), and the caches are neither read nor written.
pub static COMPILE_CACHE: pgrx::GucSetting<bool> = pgrx::GucSetting::<bool>::new(true);

/// Compile through the in-memory and on-disk caches (unless `tsfdw.compile_cache` is off).
fn compile_cached(c: &mut Cache, bytes: &[u8]) -> Result<(Component, CompileSource)> {
    if !COMPILE_CACHE.get() {
        c.misses += 1;
        return Ok((c.engine.compile(bytes)?, CompileSource::Compiled));
    }
    let sha = tsfdw_host::sha256_hex(bytes);
    if let Some(comp) = c.components.get(&sha) {
        c.hits += 1;
        return Ok((comp.clone(), CompileSource::Memory));
    }
    let file = compiled_dir().map(|d| d.join(format!("{sha}-{}.cwasm", c.engine_key)));
    if let Some(path) = &file {
        if let Ok(ser) = std::fs::read(path) {
            // SAFETY: the file was written by `serialize_component` of an engine with the same
            // compatibility hash (it is part of the name); wasmtime re-checks compatibility.
            if let Ok(comp) = unsafe { c.engine.deserialize_component(&ser) } {
                c.disk_hits += 1;
                c.components.insert(sha, comp.clone());
                return Ok((comp, CompileSource::Disk));
            }
            let _ = std::fs::remove_file(path);
        }
    }
    c.misses += 1;
    let comp = c.engine.compile(bytes)?;
    store(c, &sha, file, &comp);
    Ok((comp, CompileSource::Compiled))
}

fn store(c: &mut Cache, sha: &str, file: Option<PathBuf>, comp: &Component) {
    if let Some(path) = file {
        if let Ok(ser) = c.engine.serialize_component(comp) {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            if std::fs::write(&tmp, &ser).is_ok() && std::fs::rename(&tmp, &path).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }
    c.components.insert(sha.to_string(), comp.clone());
}

/// Load (and compile, through the caches) the component named by the server options, and
/// say where the compiled component came from.
pub fn load(spec: &PackageSpec) -> Result<(Component, CompileSource)> {
    with_cache(|c| {
        // only http(s) packages use the download cache (its absence is an error there)
        let dir = if spec.is_local() { None } else { download_dir() };
        let interrupts = Arc::new(crate::pgservices::PgInterrupts);
        tsfdw_host::fetch_package_interruptibly(spec, dir.as_deref(), interrupts, |bytes| compile_cached(c, &bytes))
    })
}

pub fn cache_info() -> serde_json::Value {
    let r = with_cache(|c| {
        Ok(serde_json::json!({
            "engine": c.engine_key,
            "in_memory": c.components.len(),
            "hits": c.hits,
            "disk_hits": c.disk_hits,
            "misses": c.misses,
            "compiled_dir": compiled_dir().map(|p| p.display().to_string()),
            "enabled": COMPILE_CACHE.get(),
        }))
    });
    r.unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
}
