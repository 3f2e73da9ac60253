//! Pluggable back ends of the host functions that Postgres would serve (ereport, Vault,
//! the stats table, GUCs). A pgrx extension implements these traits against Postgres; the
//! runner uses the in-memory implementations below.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

/// Message level of `utils.report-info/notice/warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportLevel {
    Info,
    Notice,
    Warning,
}

impl ReportLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportLevel::Info => "INFO",
            ReportLevel::Notice => "NOTICE",
            ReportLevel::Warning => "WARNING",
        }
    }
}

/// Receives `report-info` / `report-notice` / `report-warning` messages.
/// (`report-error` never reaches the reporter: it aborts the call with [`crate::ErrorKind::Reported`].)
pub trait Reporter: Send + Sync {
    fn report(&self, level: ReportLevel, message: &str);
}

/// Prints `INFO: msg` / `NOTICE: msg` / `WARNING: msg` lines to stderr.
#[derive(Debug, Default, Clone, Copy)]
pub struct StderrReporter;

impl Reporter for StderrReporter {
    fn report(&self, level: ReportLevel, message: &str) {
        eprintln!("{}: {}", level.as_str(), message);
    }
}

/// Collects messages in memory (useful in tests).
#[derive(Debug, Default)]
pub struct MemoryReporter {
    messages: Mutex<Vec<(ReportLevel, String)>>,
}

impl MemoryReporter {
    pub fn messages(&self) -> Vec<(ReportLevel, String)> {
        lock(&self.messages).clone()
    }
}

impl Reporter for MemoryReporter {
    fn report(&self, level: ReportLevel, message: &str) {
        lock(&self.messages).push((level, message.to_string()));
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Vault lookups. `Ok(Some(secret))` found; `Ok(None)` found but the stored value is NULL;
/// `Err(reason)` lookup failed or nothing matched (the host then aborts the call with
/// `query vault failed "<arg>": <reason>`).
pub trait SecretStore: Send + Sync {
    /// Lookup by secret id (`id` or `key_id`, a UUID).
    fn secret_by_id(&self, id: &str) -> Result<Option<String>, String>;
    /// Lookup by secret name.
    fn secret_by_name(&self, name: &str) -> Result<Option<String>, String>;
}

/// In-memory vault. Never prints secret values (its `Debug` shows only the keys).
#[derive(Default)]
pub struct MemorySecretStore {
    by_id: Mutex<HashMap<String, String>>,
    by_name: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for MemorySecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<String> = lock(&self.by_id).keys().cloned().collect();
        let mut names: Vec<String> = lock(&self.by_name).keys().cloned().collect();
        ids.sort();
        names.sort();
        f.debug_struct("MemorySecretStore").field("ids", &ids).field("names", &names).finish()
    }
}

impl MemorySecretStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a secret under `key`: a UUID key is stored as a secret id, anything else as a name.
    pub fn insert(&self, key: &str, secret: &str) {
        if uuid::Uuid::parse_str(key).is_ok() {
            lock(&self.by_id).insert(key.to_ascii_lowercase(), secret.to_string());
        } else {
            lock(&self.by_name).insert(key.to_string(), secret.to_string());
        }
    }

    pub fn insert_by_id(&self, id: &str, secret: &str) {
        lock(&self.by_id).insert(id.to_ascii_lowercase(), secret.to_string());
    }

    pub fn insert_by_name(&self, name: &str, secret: &str) {
        lock(&self.by_name).insert(name.to_string(), secret.to_string());
    }
}

impl SecretStore for MemorySecretStore {
    fn secret_by_id(&self, id: &str) -> Result<Option<String>, String> {
        lock(&self.by_id)
            .get(&id.to_ascii_lowercase())
            .cloned()
            .map(Some)
            .ok_or_else(|| "no secret found".to_string())
    }

    fn secret_by_name(&self, name: &str) -> Result<Option<String>, String> {
        lock(&self.by_name).get(name).cloned().map(Some).ok_or_else(|| "no secret found".to_string())
    }
}

/// `utils.query-setting` back end (`current_setting(name, true)`).
pub trait SettingStore: Send + Sync {
    fn setting(&self, name: &str) -> Result<Option<String>, String>;
}

/// A settable in-memory map of settings.
#[derive(Debug, Default)]
pub struct MemorySettings {
    map: Mutex<HashMap<String, String>>,
}

impl MemorySettings {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&self, name: &str, value: &str) {
        lock(&self.map).insert(name.to_string(), value.to_string());
    }

    pub fn unset(&self, name: &str) {
        lock(&self.map).remove(name);
    }
}

impl SettingStore for MemorySettings {
    fn setting(&self, name: &str) -> Result<Option<String>, String> {
        Ok(lock(&self.map).get(name).cloned())
    }
}

/// A `stats.metric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Metric {
    CreateTimes,
    RowsIn,
    RowsOut,
    BytesIn,
    BytesOut,
}

impl Metric {
    /// Column name in `wrappers_fdw_stats`.
    pub fn column(self) -> &'static str {
        match self {
            Metric::CreateTimes => "create_times",
            Metric::RowsIn => "rows_in",
            Metric::RowsOut => "rows_out",
            Metric::BytesIn => "bytes_in",
            Metric::BytesOut => "bytes_out",
        }
    }
}

/// The stats back end (`wrappers_fdw_stats` on Supabase). Failures are the store's business
/// (Supabase only warns), so the methods return nothing.
pub trait StatsStore: Send + Sync {
    fn inc_stats(&self, fdw_name: &str, metric: Metric, inc: i64);
    /// Compact JSON text of the stored metadata, or `None`.
    fn get_metadata(&self, fdw_name: &str) -> Option<String>;
    /// `Some(text)`: parsed as JSON, invalid JSON stored as JSON `null`; `None`: SQL NULL.
    fn set_metadata(&self, fdw_name: &str, metadata: Option<&str>);
}

/// One row of the in-memory stats table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsRecord {
    pub create_times: i64,
    pub rows_in: i64,
    pub rows_out: i64,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub metadata: Option<serde_json::Value>,
}

impl StatsRecord {
    /// `{"create_times":…,"rows_in":…,"rows_out":…,"bytes_in":…,"bytes_out":…,"metadata":…}`
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("create_times".into(), self.create_times.into());
        m.insert("rows_in".into(), self.rows_in.into());
        m.insert("rows_out".into(), self.rows_out.into());
        m.insert("bytes_in".into(), self.bytes_in.into());
        m.insert("bytes_out".into(), self.bytes_out.into());
        m.insert("metadata".into(), self.metadata.clone().unwrap_or(serde_json::Value::Null));
        serde_json::Value::Object(m)
    }
}

/// In-memory stats table.
#[derive(Debug, Default)]
pub struct MemoryStats {
    rows: Mutex<BTreeMap<String, StatsRecord>>,
}

impl MemoryStats {
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the whole table, keyed by fdw name.
    pub fn snapshot(&self) -> BTreeMap<String, StatsRecord> {
        lock(&self.rows).clone()
    }

    /// `{"<fdw-name>": {...}, ...}`
    pub fn snapshot_json(&self) -> serde_json::Value {
        let map: serde_json::Map<String, serde_json::Value> =
            self.snapshot().into_iter().map(|(k, v)| (k, v.to_json())).collect();
        serde_json::Value::Object(map)
    }
}

impl StatsStore for MemoryStats {
    fn inc_stats(&self, fdw_name: &str, metric: Metric, inc: i64) {
        let mut rows = lock(&self.rows);
        let rec = rows.entry(fdw_name.to_string()).or_default();
        let slot = match metric {
            Metric::CreateTimes => &mut rec.create_times,
            Metric::RowsIn => &mut rec.rows_in,
            Metric::RowsOut => &mut rec.rows_out,
            Metric::BytesIn => &mut rec.bytes_in,
            Metric::BytesOut => &mut rec.bytes_out,
        };
        *slot = slot.wrapping_add(inc);
    }

    fn get_metadata(&self, fdw_name: &str) -> Option<String> {
        lock(&self.rows).get(fdw_name).and_then(|r| r.metadata.as_ref()).map(|v| v.to_string())
    }

    fn set_metadata(&self, fdw_name: &str, metadata: Option<&str>) {
        let value = metadata.map(|t| serde_json::from_str(t).unwrap_or(serde_json::Value::Null));
        lock(&self.rows).entry(fdw_name.to_string()).or_default().metadata = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_store() {
        let s = MemoryStats::new();
        s.inc_stats("X", Metric::RowsIn, 2);
        s.inc_stats("X", Metric::RowsIn, 3);
        s.set_metadata("X", Some(r#"{ "a" : 1 }"#));
        assert_eq!(s.get_metadata("X").as_deref(), Some(r#"{"a":1}"#));
        s.set_metadata("Y", Some("not json"));
        assert_eq!(s.get_metadata("Y").as_deref(), Some("null"));
        s.set_metadata("Y", None);
        assert_eq!(s.get_metadata("Y"), None);
        assert_eq!(s.snapshot()["X"].rows_in, 5);
        assert_eq!(
            s.snapshot_json()["X"].to_string(),
            r#"{"bytes_in":0,"bytes_out":0,"create_times":0,"metadata":{"a":1},"rows_in":5,"rows_out":0}"#
        );
    }

    #[test]
    fn secrets() {
        let v = MemorySecretStore::new();
        v.insert("gh", "tok");
        v.insert("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "tok2");
        assert_eq!(v.secret_by_name("gh"), Ok(Some("tok".into())));
        assert_eq!(v.secret_by_id("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Ok(Some("tok2".into())));
        assert!(v.secret_by_name("nope").is_err());
        assert!(!format!("{v:?}").contains("tok"));
    }
}
