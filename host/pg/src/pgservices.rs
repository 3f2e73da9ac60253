//! Postgres back ends of the host functions that need the database: `ereport` for
//! `utils.report-*`, Vault for `utils.get-vault-secret*`, GUCs for `utils.query-setting`,
//! and the `wrappers_fdw_stats` table for `stats.*` (contract §2.4, §2.5).
//!
//! Everything runs in the backend's only thread, inside a guest call.  The SQL used here is
//! chosen so that expected failures (no vault, no row, no stats table) come back as `Err`
//! values instead of Postgres ERRORs.

use pgrx::prelude::*;
use supabase_wrappers::prelude::{report_info, report_notice, report_warning};
use tsfdw_host::{Interrupts, Metric, ReportLevel, Reporter, SecretStore, SettingStore, StatsStore};

/// `report-info` → INFO, `report-notice` → NOTICE, `report-warning` → WARNING (DETAIL `Wrappers`).
pub struct PgReporter;

impl Reporter for PgReporter {
    fn report(&self, level: ReportLevel, message: &str) {
        match level {
            ReportLevel::Info => report_info(message),
            ReportLevel::Notice => report_notice(message),
            ReportLevel::Warning => report_warning(message),
        }
    }
}

/// Vault lookups through `vault.decrypted_secrets`, when the `vault` schema exists.
pub struct PgVault;

fn vault_ready() -> Result<bool, String> {
    let exists = Spi::get_one::<bool>("select to_regclass('vault.decrypted_secrets') is not null")
        .map_err(|e| e.to_string())?
        .unwrap_or(false);
    if !exists {
        return Err(
            "Vault is not available in this database (no view vault.decrypted_secrets): \
                    install the supabase_vault extension, or pass the secret as a plain server option"
                .into(),
        );
    }
    // supabase_vault < 0.3 has a key_id column; newer versions dropped it.
    let has_key_id = Spi::get_one::<bool>(
        "select exists(select 1 from pg_attribute where attrelid = 'vault.decrypted_secrets'::regclass \
         and attname = 'key_id' and not attisdropped)",
    )
    .map_err(|e| e.to_string())?
    .unwrap_or(false);
    Ok(has_key_id)
}

impl SecretStore for PgVault {
    fn secret_by_id(&self, id: &str) -> Result<Option<String>, String> {
        let has_key_id = vault_ready()?;
        let u = uuid::Uuid::try_parse(id).map_err(|e| format!("invalid secret id: {e}"))?;
        let arg = pgrx::Uuid::from_bytes(*u.as_bytes());
        let sql = if has_key_id {
            "select decrypted_secret from vault.decrypted_secrets where id = $1 or key_id = $1"
        } else {
            "select decrypted_secret from vault.decrypted_secrets where id = $1"
        };
        Spi::get_one_with_args::<String>(sql, &[arg.into()]).map_err(|e| e.to_string())
    }

    fn secret_by_name(&self, name: &str) -> Result<Option<String>, String> {
        vault_ready()?;
        Spi::get_one_with_args::<String>(
            "select decrypted_secret from vault.decrypted_secrets where name = $1",
            &[name.into()],
        )
        .map_err(|e| e.to_string())
    }
}

/// `current_setting(name, true)`.
pub struct PgSettings;

impl SettingStore for PgSettings {
    fn setting(&self, name: &str) -> Result<Option<String>, String> {
        Spi::get_one_with_args::<String>("select current_setting($1, true)", &[name.into()]).map_err(|e| e.to_string())
    }
}

/// The `wrappers_fdw_stats` table of the `tsfdw` (or `wrappers`) extension's schema.
pub struct PgStats;

fn stats_table() -> Result<String, String> {
    Spi::get_one::<String>(
        "select quote_ident(n.nspname) || '.wrappers_fdw_stats' \
         from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace \
         where e.extname in ('tsfdw', 'wrappers') \
           and to_regclass(quote_ident(n.nspname) || '.wrappers_fdw_stats') is not null \
         order by e.extname = 'tsfdw' desc limit 1",
    )
    .map_err(|_| "fdw stats table is not created".to_string())?
    .ok_or_else(|| "fdw stats table is not created".to_string())
}

fn read_only() -> bool {
    Spi::get_one::<String>("select current_setting('transaction_read_only')") == Ok(Some("on".to_string()))
}

impl StatsStore for PgStats {
    fn inc_stats(&self, fdw_name: &str, metric: Metric, inc: i64) {
        if read_only() {
            return;
        }
        let table = match stats_table() {
            Ok(t) => t,
            Err(e) => return report_warning(&format!("Failed to get stats table: {e}")),
        };
        let m = metric.column();
        let sql = format!(
            "insert into {table} as s (fdw_name, {m}) values ($1, $2) on conflict (fdw_name) do update set \
             {m} = coalesce(s.{m}, 0) + excluded.{m}, updated_at = timezone('utc'::text, now())"
        );
        if let Err(e) = Spi::run_with_args(&sql, &[fdw_name.into(), inc.into()]) {
            report_warning(&format!("Failed to increment stats: {e}"));
        }
    }

    fn get_metadata(&self, fdw_name: &str) -> Option<String> {
        let table = match stats_table() {
            Ok(t) => t,
            Err(e) => {
                report_warning(&format!("Failed to get stats table: {e}"));
                return None;
            }
        };
        let sql = format!("select metadata from {table} where fdw_name = $1");
        match Spi::get_one_with_args::<pgrx::JsonB>(&sql, &[fdw_name.into()]) {
            Ok(v) => v.map(|j| j.0.to_string()),
            Err(e) => {
                report_warning(&format!("Failed to get metadata: {e}"));
                None
            }
        }
    }

    fn set_metadata(&self, fdw_name: &str, metadata: Option<&str>) {
        if read_only() {
            return;
        }
        let table = match stats_table() {
            Ok(t) => t,
            Err(e) => return report_warning(&format!("Failed to get stats table: {e}")),
        };
        let value = metadata.map(|t| pgrx::JsonB(serde_json::from_str(t).unwrap_or(serde_json::Value::Null)));
        let sql = format!(
            "insert into {table} as s (fdw_name, metadata) values ($1, $2) on conflict (fdw_name) do update set \
             metadata = $2, updated_at = timezone('utc'::text, now())"
        );
        if let Err(e) = Spi::run_with_args(&sql, &[fdw_name.into(), value.into()]) {
            report_warning(&format!("Failed to set metadata: {e}"));
        }
    }
}

/// Postgres' own interrupt flags, as `CHECK_FOR_INTERRUPTS()` would act on them: a query cancel
/// (pg_cancel_backend, Ctrl-C, statement_timeout, lock_timeout) or a termination
/// (pg_terminate_backend, shutdown) that may be processed now.
///
/// Only reads flags that Postgres' signal handlers set; never calls into Postgres, so it is
/// safe wherever the host calls it (always the backend's thread: epoch callbacks and waits).
/// When it reports an interrupt, the host unwinds the guest and `WasmFdwError` conversion calls
/// `CHECK_FOR_INTERRUPTS()`, so Postgres raises its usual error.
pub struct PgInterrupts;

impl Interrupts for PgInterrupts {
    fn check(&self) -> Option<String> {
        use std::ptr::{addr_of, read_volatile};
        // SAFETY: plain reads of sig_atomic_t / uint32 globals of the backend (volatile, as
        // the signal handlers write them); no Postgres function is called.
        unsafe {
            if read_volatile(addr_of!(pg_sys::InterruptHoldoffCount)) != 0
                || read_volatile(addr_of!(pg_sys::CritSectionCount)) != 0
            {
                return None;
            }
            if read_volatile(addr_of!(pg_sys::ProcDiePending)) != 0 {
                return Some("terminating connection: backend termination requested".into());
            }
            if read_volatile(addr_of!(pg_sys::QueryCancelPending)) != 0
                && read_volatile(addr_of!(pg_sys::QueryCancelHoldoffCount)) == 0
            {
                return Some("canceling statement: query cancel requested (cancel, statement_timeout or lock_timeout)".into());
            }
        }
        None
    }
}
