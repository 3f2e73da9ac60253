//! wasmtime bindings for `supabase:wrappers@0.1.0` (v1) and `@0.2.0` (v2).
//!
//! Each version gets its own `bindgen!` module. Version-specific values are converted to the
//! neutral types of [`crate::types`] by the small `conv_v1`/`conv_v2` modules; the host
//! traits of both versions are implemented by one macro that delegates to [`HostState`].

use crate::error::HostTrap;
use crate::state::HostState;
use crate::types::{Cell, ImportForeignSchemaStmt, ImportSchemaType, OptionsKind, TypeOid, Value};

#[allow(clippy::all, missing_docs)]
pub mod v1 {
    wasmtime::component::bindgen!({
        path: "../../wit/deps/wrappers-0.1.0",
        world: "wrappers",
        imports: { default: trappable },
    });
}

#[allow(clippy::all, missing_docs)]
pub mod v2 {
    wasmtime::component::bindgen!({
        path: "../../wit/deps/wrappers-0.2.0",
        world: "wrappers",
        imports: { default: trappable },
    });
}

/// Arms shared by the v1 and v2 cell conversions.
macro_rules! common_cell_arms {
    ($from:path => $to:path, $c:expr, { $($extra:tt)* }) => {{
        use $from as F;
        use $to as T;
        match $c {
            F::Bool(v) => T::Bool(v),
            F::I8(v) => T::I8(v),
            F::I16(v) => T::I16(v),
            F::F32(v) => T::F32(v),
            F::I32(v) => T::I32(v),
            F::F64(v) => T::F64(v),
            F::I64(v) => T::I64(v),
            F::Numeric(v) => T::Numeric(v),
            F::String(v) => T::String(v),
            F::Date(v) => T::Date(v),
            F::Timestamp(v) => T::Timestamp(v),
            F::Timestamptz(v) => T::Timestamptz(v),
            F::Json(v) => T::Json(v),
            $($extra)*
        }
    }};
}

macro_rules! metric_arms {
    ($m:path, $v:expr) => {{
        use crate::services::Metric as N;
        use $m as M;
        match $v {
            M::CreateTimes => N::CreateTimes,
            M::RowsIn => N::RowsIn,
            M::RowsOut => N::RowsOut,
            M::BytesIn => N::BytesIn,
            M::BytesOut => N::BytesOut,
        }
    }};
}

macro_rules! request_arms {
    ($wh:ident, $r:expr) => {{
        let r = $r;
        crate::http::HttpRequest {
            method: match r.method {
                $wh::Method::Get => crate::http::HttpMethod::Get,
                $wh::Method::Post => crate::http::HttpMethod::Post,
                $wh::Method::Put => crate::http::HttpMethod::Put,
                $wh::Method::Patch => crate::http::HttpMethod::Patch,
                $wh::Method::Delete => crate::http::HttpMethod::Delete,
            },
            url: r.url,
            headers: r.headers,
            body: r.body,
        }
    }};
}

pub(crate) mod conv_v1 {
    use super::*;
    use crate::bindings::v1::supabase::wrappers::{http as wh, stats as ws, types as wt};

    pub(crate) fn cell_in(c: wt::Cell) -> Cell {
        common_cell_arms!(wt::Cell => Cell, c, {})
    }

    pub(crate) fn cell_out(c: &Cell) -> Result<wt::Cell, HostTrap> {
        Ok(common_cell_arms!(Cell => wt::Cell, c.clone(), {
            Cell::Uuid(_) => return Err(HostTrap::host("not yet implemented: uuid cells are not supported by v1 (supabase:wrappers@0.1.0) guests")),
            Cell::Other(_) => return Err(HostTrap::host("not yet implemented: cell type `other` is not supported")),
        }))
    }

    pub(crate) fn type_oid_out(t: TypeOid, column: &str) -> Result<wt::TypeOid, HostTrap> {
        Ok(match t {
            TypeOid::Bool => wt::TypeOid::Bool,
            TypeOid::I8 => wt::TypeOid::I8,
            TypeOid::I16 => wt::TypeOid::I16,
            TypeOid::F32 => wt::TypeOid::F32,
            TypeOid::I32 => wt::TypeOid::I32,
            TypeOid::F64 => wt::TypeOid::F64,
            TypeOid::I64 => wt::TypeOid::I64,
            TypeOid::Numeric => wt::TypeOid::Numeric,
            TypeOid::String => wt::TypeOid::String,
            TypeOid::Date => wt::TypeOid::Date,
            TypeOid::Timestamp => wt::TypeOid::Timestamp,
            TypeOid::Timestamptz => wt::TypeOid::Timestamptz,
            TypeOid::Json => wt::TypeOid::Json,
            TypeOid::Uuid => {
                return Err(HostTrap::host(format!(
                    "not implemented: column type oid not supported (column `{column}` has type uuid, which v1 guests cannot use)"
                )))
            }
        })
    }

    pub(crate) fn options_kind_in(t: wt::OptionsType) -> Result<OptionsKind, HostTrap> {
        Ok(match t {
            wt::OptionsType::Server => OptionsKind::Server,
            wt::OptionsType::Table => OptionsKind::Table,
        })
    }

    pub(crate) fn value_out(v: &Value) -> Result<wt::Value, HostTrap> {
        Ok(match v {
            Value::Cell(c) => wt::Value::Cell(cell_out(c)?),
            Value::Array(cs) => wt::Value::Array(cs.iter().map(cell_out).collect::<Result<_, _>>()?),
            Value::Unsupported { reason, .. } => return Err(HostTrap::host(reason.clone())),
        })
    }

    pub(crate) fn param_out(p: crate::types::Param) -> wt::Param {
        wt::Param { id: p.id, type_oid: p.type_oid }
    }

    pub(crate) fn metric_in(m: ws::Metric) -> crate::services::Metric {
        metric_arms!(ws::Metric, m)
    }

    pub(crate) fn request_in(r: wh::Request) -> crate::http::HttpRequest {
        request_arms!(wh, r)
    }

    pub(crate) fn response_in(r: wh::Response) -> crate::http::HttpResponse {
        crate::http::HttpResponse { url: r.url, status_code: r.status_code, headers: r.headers, body: r.body }
    }

    pub(crate) fn response_out(r: crate::http::HttpResponse) -> wh::Response {
        wh::Response { url: r.url, status_code: r.status_code, headers: r.headers, body: r.body }
    }
}

pub(crate) mod conv_v2 {
    use super::*;
    use crate::bindings::v2::supabase::wrappers::{http as wh, stats as ws, types as wt};

    pub(crate) fn cell_in(c: wt::Cell) -> Cell {
        common_cell_arms!(wt::Cell => Cell, c, {
            F::Uuid(v) => T::Uuid(v),
            F::Other(v) => T::Other(v),
        })
    }

    pub(crate) fn cell_out(c: &Cell) -> Result<wt::Cell, HostTrap> {
        Ok(common_cell_arms!(Cell => wt::Cell, c.clone(), {
            Cell::Uuid(v) => wt::Cell::Uuid(v),
            Cell::Other(_) => return Err(HostTrap::host("not yet implemented: cell type `other` is not supported")),
        }))
    }

    pub(crate) fn type_oid_out(t: TypeOid, _column: &str) -> Result<wt::TypeOid, HostTrap> {
        Ok(match t {
            TypeOid::Bool => wt::TypeOid::Bool,
            TypeOid::I8 => wt::TypeOid::I8,
            TypeOid::I16 => wt::TypeOid::I16,
            TypeOid::F32 => wt::TypeOid::F32,
            TypeOid::I32 => wt::TypeOid::I32,
            TypeOid::F64 => wt::TypeOid::F64,
            TypeOid::I64 => wt::TypeOid::I64,
            TypeOid::Numeric => wt::TypeOid::Numeric,
            TypeOid::String => wt::TypeOid::String,
            TypeOid::Date => wt::TypeOid::Date,
            TypeOid::Timestamp => wt::TypeOid::Timestamp,
            TypeOid::Timestamptz => wt::TypeOid::Timestamptz,
            TypeOid::Json => wt::TypeOid::Json,
            TypeOid::Uuid => wt::TypeOid::Uuid,
        })
    }

    pub(crate) fn options_kind_in(t: wt::OptionsType) -> Result<OptionsKind, HostTrap> {
        match t {
            wt::OptionsType::Server => Ok(OptionsKind::Server),
            wt::OptionsType::Table => Ok(OptionsKind::Table),
            wt::OptionsType::ImportSchema => Ok(OptionsKind::ImportSchema),
            wt::OptionsType::Other(name) => Err(HostTrap::host(format!(
                "not yet implemented: options type `other({name})` is not supported"
            ))),
        }
    }

    pub(crate) fn value_out(v: &Value) -> Result<wt::Value, HostTrap> {
        Ok(match v {
            Value::Cell(c) => wt::Value::Cell(cell_out(c)?),
            Value::Array(cs) => wt::Value::Array(cs.iter().map(cell_out).collect::<Result<_, _>>()?),
            Value::Unsupported { reason, .. } => return Err(HostTrap::host(reason.clone())),
        })
    }

    pub(crate) fn param_out(p: crate::types::Param) -> wt::Param {
        wt::Param { id: p.id, type_oid: p.type_oid }
    }

    pub(crate) fn metric_in(m: ws::Metric) -> crate::services::Metric {
        metric_arms!(ws::Metric, m)
    }

    pub(crate) fn request_in(r: wh::Request) -> crate::http::HttpRequest {
        request_arms!(wh, r)
    }

    pub(crate) fn response_in(r: wh::Response) -> crate::http::HttpResponse {
        crate::http::HttpResponse { url: r.url, status_code: r.status_code, headers: r.headers, body: r.body }
    }

    pub(crate) fn response_out(r: crate::http::HttpResponse) -> wh::Response {
        wh::Response { url: r.url, status_code: r.status_code, headers: r.headers, body: r.body }
    }

    pub(crate) fn stmt_out(s: &ImportForeignSchemaStmt) -> wt::ImportForeignSchemaStmt {
        wt::ImportForeignSchemaStmt {
            server_name: s.server_name.clone(),
            remote_schema: s.remote_schema.clone(),
            local_schema: s.local_schema.clone(),
            list_type: match s.list_type {
                ImportSchemaType::All => wt::ImportSchemaType::All,
                ImportSchemaType::LimitTo => wt::ImportSchemaType::LimitTo,
                ImportSchemaType::Except => wt::ImportSchemaType::Except,
            },
            table_list: s.table_list.clone(),
        }
    }
}


/// Implements every host trait of one version of the world for [`HostState`].
macro_rules! impl_host_traits {
    ($implmod:ident, $ver:ident, $conv:ident) => {
        mod $implmod {
            #![allow(clippy::needless_pass_by_value)]
            use crate::bindings::$conv as conv;
            use crate::bindings::$ver::supabase::wrappers::{http, jwt, stats, time, types, utils};
            use crate::error::HostTrap;
            use crate::services::ReportLevel;
            use crate::state::{self, HostState};
            use wasmtime::component::Resource;
            use wasmtime::Result;

            impl types::Host for HostState {}

            impl types::HostContext for HostState {
                fn new(&mut self) -> Result<Resource<types::Context>> {
                    Err(self.trap(HostTrap::host(
                        "constructing a context is not supported: use the ctx passed to the routine",
                    )))
                }

                fn get_options(
                    &mut self,
                    _handle: Resource<types::Context>,
                    options_type: types::OptionsType,
                ) -> Result<Resource<types::Options>> {
                    let kind = conv::options_kind_in(options_type);
                    let kind = self.lift(kind)?;
                    Ok(Resource::new_own(HostState::options_rep(kind)))
                }

                fn get_quals(&mut self, _handle: Resource<types::Context>) -> Result<Vec<Resource<types::Qual>>> {
                    Ok(self.qual_reps().into_iter().map(Resource::new_own).collect())
                }

                fn get_columns(&mut self, _handle: Resource<types::Context>) -> Result<Vec<Resource<types::Column>>> {
                    Ok(self.column_reps().into_iter().map(Resource::new_own).collect())
                }

                fn get_sorts(&mut self, _handle: Resource<types::Context>) -> Result<Vec<Resource<types::Sort>>> {
                    Ok(self.sort_reps().into_iter().map(Resource::new_own).collect())
                }

                fn get_limit(&mut self, _handle: Resource<types::Context>) -> Result<Option<Resource<types::Limit>>> {
                    Ok(self.limit.map(|_| Resource::new_own(state::LIMIT_REP)))
                }

                fn drop(&mut self, _rep: Resource<types::Context>) -> Result<()> {
                    Ok(())
                }
            }

            impl types::HostOptions for HostState {
                fn new(&mut self, options_type: types::OptionsType) -> Result<Resource<types::Options>> {
                    let kind = conv::options_kind_in(options_type);
                    let kind = self.lift(kind)?;
                    Ok(Resource::new_own(HostState::options_rep(kind)))
                }

                fn get(&mut self, this: Resource<types::Options>, key: String) -> Result<Option<String>> {
                    let r = self.options_get(this.rep(), &key);
                    self.lift(r)
                }

                fn require(&mut self, this: Resource<types::Options>, key: String) -> Result<Result<String, String>> {
                    let r = self.options_require(this.rep(), &key);
                    self.lift(r)
                }

                fn require_or(&mut self, this: Resource<types::Options>, key: String, default: String) -> Result<String> {
                    let r = self.options_require_or(this.rep(), &key, default);
                    self.lift(r)
                }

                fn drop(&mut self, _rep: Resource<types::Options>) -> Result<()> {
                    Ok(())
                }
            }

            impl types::HostRow for HostState {
                fn new(&mut self) -> Result<Resource<types::Row>> {
                    Ok(Resource::new_own(state::ROW_REP))
                }

                fn cols(&mut self, _handle: Resource<types::Row>) -> Result<Vec<String>> {
                    Ok(self.row.cols.clone())
                }

                fn cells(&mut self, _handle: Resource<types::Row>) -> Result<Vec<Option<types::Cell>>> {
                    let r: std::result::Result<Vec<_>, HostTrap> =
                        self.row.cells.iter().map(|c| c.as_ref().map(conv::cell_out).transpose()).collect();
                    self.lift(r)
                }

                fn push(&mut self, _handle: Resource<types::Row>, cell: Option<types::Cell>) -> Result<()> {
                    let r = self.row_push(cell.map(conv::cell_in));
                    self.lift(r)
                }

                fn drop(&mut self, _rep: Resource<types::Row>) -> Result<()> {
                    Ok(())
                }
            }

            impl types::HostColumn for HostState {
                fn new(&mut self, index: u32) -> Result<Resource<types::Column>> {
                    let r = self.column_new(index);
                    self.lift(r).map(Resource::new_own)
                }

                fn name(&mut self, this: Resource<types::Column>) -> Result<String> {
                    let r = self.column_name(this.rep());
                    self.lift(r)
                }

                fn num(&mut self, this: Resource<types::Column>) -> Result<u32> {
                    let r = self.column_num(this.rep());
                    self.lift(r)
                }

                fn type_oid(&mut self, this: Resource<types::Column>) -> Result<types::TypeOid> {
                    let r = self.column_type_oid(this.rep()).and_then(|t| {
                        let name = self.column_name(this.rep()).unwrap_or_default();
                        conv::type_oid_out(t, &name)
                    });
                    self.lift(r)
                }

                fn drop(&mut self, _rep: Resource<types::Column>) -> Result<()> {
                    Ok(())
                }
            }

            impl types::HostQual for HostState {
                fn new(&mut self, index: u32) -> Result<Resource<types::Qual>> {
                    let r = self.qual_new(index);
                    self.lift(r).map(Resource::new_own)
                }

                fn field(&mut self, this: Resource<types::Qual>) -> Result<String> {
                    let r = self.qual_by_rep(this.rep()).map(|q| q.field.clone());
                    self.lift(r)
                }

                fn operator(&mut self, this: Resource<types::Qual>) -> Result<String> {
                    let r = self.qual_by_rep(this.rep()).map(|q| q.operator.clone());
                    self.lift(r)
                }

                fn value(&mut self, this: Resource<types::Qual>) -> Result<types::Value> {
                    let r = self.qual_by_rep(this.rep()).and_then(|q| conv::value_out(&q.value));
                    self.lift(r)
                }

                fn use_or(&mut self, this: Resource<types::Qual>) -> Result<bool> {
                    let r = self.qual_by_rep(this.rep()).map(|q| q.use_or);
                    self.lift(r)
                }

                fn param(&mut self, this: Resource<types::Qual>) -> Result<Option<types::Param>> {
                    let r = self.qual_by_rep(this.rep()).map(|q| q.param.map(conv::param_out));
                    self.lift(r)
                }

                fn deparse(&mut self, this: Resource<types::Qual>) -> Result<String> {
                    let r = self.qual_deparse(this.rep());
                    self.lift(r)
                }

                fn drop(&mut self, _rep: Resource<types::Qual>) -> Result<()> {
                    Ok(())
                }
            }

            impl types::HostSort for HostState {
                fn new(&mut self, index: u32) -> Result<Resource<types::Sort>> {
                    let r = self.sort_new(index);
                    self.lift(r).map(Resource::new_own)
                }

                fn field(&mut self, this: Resource<types::Sort>) -> Result<String> {
                    let r = self.sort_by_rep(this.rep()).map(|s| s.field.clone());
                    self.lift(r)
                }

                fn field_no(&mut self, this: Resource<types::Sort>) -> Result<u32> {
                    let r = self.sort_by_rep(this.rep()).map(|s| s.field_no);
                    self.lift(r)
                }

                fn reversed(&mut self, this: Resource<types::Sort>) -> Result<bool> {
                    let r = self.sort_by_rep(this.rep()).map(|s| s.reversed);
                    self.lift(r)
                }

                fn nulls_first(&mut self, this: Resource<types::Sort>) -> Result<bool> {
                    let r = self.sort_by_rep(this.rep()).map(|s| s.nulls_first);
                    self.lift(r)
                }

                fn collate(&mut self, this: Resource<types::Sort>) -> Result<Option<String>> {
                    let r = self.sort_by_rep(this.rep()).map(|s| s.collate.clone());
                    self.lift(r)
                }

                fn deparse(&mut self, this: Resource<types::Sort>) -> Result<String> {
                    let r = self.sort_by_rep(this.rep()).map(crate::format::deparse_sort);
                    self.lift(r)
                }

                fn deparse_with_collate(&mut self, this: Resource<types::Sort>) -> Result<String> {
                    let r = self.sort_by_rep(this.rep()).map(crate::format::deparse_sort_with_collate);
                    self.lift(r)
                }

                fn drop(&mut self, _rep: Resource<types::Sort>) -> Result<()> {
                    Ok(())
                }
            }

            impl types::HostLimit for HostState {
                fn new(&mut self) -> Result<Resource<types::Limit>> {
                    let r = self.limit_new();
                    self.lift(r).map(Resource::new_own)
                }

                fn count(&mut self, _handle: Resource<types::Limit>) -> Result<i64> {
                    let r = self.limit_get().map(|l| l.count);
                    self.lift(r)
                }

                fn offset(&mut self, _handle: Resource<types::Limit>) -> Result<i64> {
                    let r = self.limit_get().map(|l| l.offset);
                    self.lift(r)
                }

                fn deparse(&mut self, _handle: Resource<types::Limit>) -> Result<String> {
                    let r = self.limit_get().map(|l| crate::format::deparse_limit(&l));
                    self.lift(r)
                }

                fn drop(&mut self, _rep: Resource<types::Limit>) -> Result<()> {
                    Ok(())
                }
            }

            impl http::Host for HostState {
                fn get(&mut self, req: http::Request) -> Result<http::HttpResult> {
                    send(self, req)
                }

                fn post(&mut self, req: http::Request) -> Result<http::HttpResult> {
                    send(self, req)
                }

                fn put(&mut self, req: http::Request) -> Result<http::HttpResult> {
                    send(self, req)
                }

                fn patch(&mut self, req: http::Request) -> Result<http::HttpResult> {
                    send(self, req)
                }

                fn delete(&mut self, req: http::Request) -> Result<http::HttpResult> {
                    send(self, req)
                }

                fn error_for_status(&mut self, resp: http::Response) -> Result<std::result::Result<(), String>> {
                    let resp = conv::response_in(resp);
                    Ok(crate::http::error_for_status(resp.status_code, &resp.url))
                }
            }

            fn send(state: &mut HostState, req: http::Request) -> Result<http::HttpResult> {
                let req = conv::request_in(req);
                let r = state.http_send(&req);
                let r = state.lift(r)?;
                Ok(r.map(conv::response_out))
            }

            impl jwt::Host for HostState {
                fn encode(
                    &mut self,
                    payload: Vec<(String, String)>,
                    algo: String,
                    key: String,
                    ttl_hours: u32,
                ) -> Result<jwt::JwtResult> {
                    Ok(crate::hostfns::jwt_encode(&payload, &algo, &key, ttl_hours))
                }
            }

            impl stats::Host for HostState {
                fn inc_stats(&mut self, fdw_name: String, metric: stats::Metric, inc: i64) -> Result<()> {
                    HostState::inc_stats(self, &fdw_name, conv::metric_in(metric), inc);
                    Ok(())
                }

                fn get_metadata(&mut self, fdw_name: String) -> Result<stats::Metadata> {
                    Ok(HostState::get_metadata(self, &fdw_name))
                }

                fn set_metadata(&mut self, fdw_name: String, metadata: stats::Metadata) -> Result<()> {
                    HostState::set_metadata(self, &fdw_name, metadata.as_deref());
                    Ok(())
                }
            }

            impl time::Host for HostState {
                fn epoch_secs(&mut self) -> Result<i64> {
                    Ok(crate::hostfns::epoch_secs())
                }

                fn parse_from_rfc3339(&mut self, s: String) -> Result<time::TimeResult> {
                    Ok(crate::hostfns::parse_from_rfc3339(&s))
                }

                fn parse_from_str(&mut self, s: String, fmt: String) -> Result<time::TimeResult> {
                    Ok(crate::hostfns::parse_from_str(&s, &fmt))
                }

                fn epoch_ms_to_rfc3339(&mut self, msecs: i64) -> Result<std::result::Result<String, String>> {
                    Ok(crate::hostfns::epoch_ms_to_rfc3339(msecs))
                }

                fn sleep(&mut self, millis: u64) -> Result<()> {
                    let r = HostState::sleep(self, millis);
                    self.lift(r)
                }
            }

            impl utils::Host for HostState {
                fn report_info(&mut self, msg: String) -> Result<()> {
                    self.report(ReportLevel::Info, &msg);
                    Ok(())
                }

                fn report_notice(&mut self, msg: String) -> Result<()> {
                    self.report(ReportLevel::Notice, &msg);
                    Ok(())
                }

                fn report_warning(&mut self, msg: String) -> Result<()> {
                    self.report(ReportLevel::Warning, &msg);
                    Ok(())
                }

                fn report_error(&mut self, msg: String) -> Result<()> {
                    Err(self.trap(HostTrap::reported(msg)))
                }

                fn cell_to_string(&mut self, cell: Option<utils::Cell>) -> Result<String> {
                    let cell = cell.map(conv::cell_in);
                    let r = HostState::cell_to_string(self, cell.as_ref());
                    self.lift(r)
                }

                fn get_vault_secret(&mut self, secret_id: String) -> Result<Option<String>> {
                    let r = self.vault_secret(&secret_id);
                    self.lift(r)
                }

                fn get_vault_secret_by_name(&mut self, secret_name: String) -> Result<Option<String>> {
                    let r = self.vault_secret_by_name(&secret_name);
                    self.lift(r)
                }

                fn query_setting(&mut self, name: String) -> Result<Option<String>> {
                    let r = HostState::query_setting(self, &name);
                    self.lift(r)
                }
            }
        }
    };
}

impl_host_traits!(impl_v1, v1, conv_v1);
impl_host_traits!(impl_v2, v2, conv_v2);

/// Add both versions' host interfaces to one linker.
pub(crate) fn add_to_linker(linker: &mut wasmtime::component::Linker<HostState>) -> wasmtime::Result<()> {
    use wasmtime::component::HasSelf;
    v1::Wrappers::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    v2::Wrappers::add_to_linker::<HostState, HasSelf<HostState>>(linker, |s| s)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn unsupported_qual_value_is_a_host_error() {
        let v = Value::Unsupported {
            reason: "convert cell failed: values of type time cannot be passed to a Wasm FDW".into(),
            text: "'12:00:00'".into(),
        };
        for t in [conv_v1::value_out(&v).err(), conv_v2::value_out(&v).err()] {
            let t = t.map(crate::error::FdwError::from);
            assert_eq!(t.as_ref().map(|e| e.kind()), Some(ErrorKind::Host));
            assert_eq!(
                t.map(|e| e.to_string()).as_deref(),
                Some("convert cell failed: values of type time cannot be passed to a Wasm FDW")
            );
        }
        assert!(conv_v2::value_out(&Value::Cell(Cell::I32(1))).is_ok());
    }
}
