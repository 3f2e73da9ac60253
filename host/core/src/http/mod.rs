//! The `http` host interface (contract §2.1, §10 item 9), on a blocking ureq client.
//!
//! Guest-visible behaviour follows Supabase's reqwest client (method from the record, lowercase
//! request header names, default `accept: */*` and `accept-encoding: gzip`, gzip decoded, up to
//! 10 redirects, 3 retries with backoff on 5xx/408/429 and connect errors, any status returned as
//! `ok`, `error-for-status` text). Stricter than Supabase, never looser (README "Host limits"):
//! connect/read/overall timeouts, body size limits before and after gzip decoding, strict UTF-8,
//! credentials dropped on redirects to another origin, no URL userinfo in any message, and the
//! waits can be interrupted (a Postgres cancel) — each attempt runs on a helper thread while the
//! calling thread polls [`Interrupts`].

mod body;
mod redirect;
mod urls;

pub use redirect::KEPT_ACROSS_ORIGINS;
pub use urls::redact_url_text;

use crate::error::HostTrap;
use crate::interrupt::{sleep_interruptibly, spawn_quiet, Interrupts, NoInterrupts, POLL};
use crate::limits::{OPT_CONNECT_TIMEOUT, OPT_READ_TIMEOUT, OPT_TIMEOUT};
use redirect::Redirect;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use ureq::http::{self as h, header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use ureq::RequestExt;

/// HTTP method of a request record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    fn to_http(self) -> h::Method {
        match self {
            HttpMethod::Get => h::Method::GET,
            HttpMethod::Post => h::Method::POST,
            HttpMethod::Put => h::Method::PUT,
            HttpMethod::Patch => h::Method::PATCH,
            HttpMethod::Delete => h::Method::DELETE,
        }
    }
}

/// A guest request (version-neutral form of the WIT `request` record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: HttpMethod,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A response (version-neutral form of the WIT `response` record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub url: String,
    pub status_code: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// HTTP behaviour knobs. The timeouts and size limits are this host's own (Supabase has none);
/// servers change them with the `tsfdw_http_*` options (see [`crate::limits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Base of the exponential retry backoff (Supabase: 1 s). Waits are about
    /// `base * 3^n`, jittered by a factor in [0.5, 1.5).
    pub retry_base: Duration,
    /// Retries after the first attempt (Supabase: 3).
    pub max_retries: u32,
    /// Redirects followed (Supabase/reqwest: 10).
    pub max_redirects: u32,
    /// Connect timeout per attempt: DNS, TCP and TLS handshake (`tsfdw_http_connect_timeout_ms`).
    pub connect_timeout: Duration,
    /// Read timeout: longest wait for the next byte from the server, or for the server to
    /// accept the next byte of the request (`tsfdw_http_read_timeout_ms`).
    pub read_timeout: Duration,
    /// Overall timeout of one attempt: connect, request, response headers and body, redirects
    /// included (`tsfdw_http_timeout_ms`).
    pub total_timeout: Duration,
    /// Largest response body as received, before gzip decoding (`tsfdw_http_max_response_bytes`).
    pub max_response_bytes: u64,
    /// Largest response body after gzip decoding (`tsfdw_http_max_decoded_bytes`).
    pub max_decoded_bytes: u64,
}

impl Default for HttpConfig {
    /// Timeouts: connect 10 s (a healthy TCP + TLS handshake takes well under a second even
    /// across continents; 10 s covers a slow DNS answer and Linux's SYN retransmits at 1 s and
    /// 3 s, and a dead host still fails fast), read 30 s (an API may think for seconds before it
    /// answers or between chunks; 30 s of silence means it is stuck), overall 120 s per attempt
    /// (bounds a server that drips bytes just fast enough to beat the read timeout, and still
    /// lets a maximal 32 MiB body arrive at 280 KB/s). Bodies: 32 MiB before and after decoding
    /// (JSON API pages are KBs to a few MBs; the guest needs several times a body in memory
    /// to parse it, see [`crate::GuestLimits`]).
    fn default() -> Self {
        HttpConfig {
            retry_base: Duration::from_secs(1),
            max_retries: 3,
            max_redirects: 10,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            max_response_bytes: 32 * 1024 * 1024,
            max_decoded_bytes: 32 * 1024 * 1024,
        }
    }
}

/// Validate and collect request headers. Names must be lowercase valid header names (a host
/// error otherwise, where Supabase panics); values must be valid header values. Error texts
/// name the header but never contain its value. Duplicate names: the last one wins.
pub fn build_header_map(headers: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let header_name = match HeaderName::from_lowercase(name.as_bytes()) {
            Ok(n) => n,
            Err(_) => {
                let printable: String = name.escape_debug().collect();
                if name.chars().any(|c| c.is_ascii_uppercase())
                    && HeaderName::from_bytes(name.as_bytes()).is_ok()
                {
                    return Err(format!("http request header name '{printable}' is not lowercase"));
                }
                return Err(format!("http request header name '{printable}' is not a valid header name"));
            }
        };
        let header_value = HeaderValue::from_str(value)
            .map_err(|_| format!("http request header '{header_name}' has an invalid value"))?;
        map.insert(header_name, header_value);
    }
    Ok(map)
}

/// `error-for-status`: 400–599 → `HTTP status error (<code> <reason>) for url (<url>)`;
/// an invalid status code → its parse error text; anything else → ok.
/// (Stricter than Supabase: a `user:password@` in the URL is not shown.)
pub fn error_for_status(status_code: u16, url: &str) -> Result<(), String> {
    let code = StatusCode::from_u16(status_code).map_err(|e| e.to_string())?;
    if code.is_client_error() || code.is_server_error() {
        Err(format!("HTTP status error ({code}) for url ({})", redact_url_text(url)))
    } else {
        Ok(())
    }
}

fn is_transient_status(status: u16) -> bool {
    (500..600).contains(&status) || status == 408 || status == 429
}

/// Transport errors reqwest-retry treats as transient: timeouts, connect errors, resets.
fn is_transient_error(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Timeout(_)
        | ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::Tls(_)
        | ureq::Error::Rustls(_) => true,
        ureq::Error::Io(io) => {
            use std::io::ErrorKind as K;
            matches!(
                io.kind(),
                K::ConnectionRefused
                    | K::ConnectionReset
                    | K::ConnectionAborted
                    | K::NotConnected
                    | K::BrokenPipe
                    | K::TimedOut
                    | K::UnexpectedEof
                    | K::Interrupted
            )
        }
        _ => false,
    }
}

fn millis(d: Duration) -> u128 {
    d.as_millis()
}

/// The message text of a transport error: timeouts say which one, its value and the server
/// option that sets it.
fn describe_error(e: &ureq::Error, config: &HttpConfig) -> String {
    use ureq::Timeout as T;
    match e {
        ureq::Error::Timeout(T::Resolve | T::Connect) => format!(
            "connect timeout: no connection within {} ms (server option {OPT_CONNECT_TIMEOUT})",
            millis(config.connect_timeout)
        ),
        ureq::Error::Timeout(T::PerRead | T::PerWrite) => format!(
            "read timeout: no data received for {} ms (server option {OPT_READ_TIMEOUT})",
            millis(config.read_timeout)
        ),
        ureq::Error::Timeout(_) => total_timeout_text(config),
        ureq::Error::HostNotFound => "dns error: host not found".to_string(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

fn total_timeout_text(config: &HttpConfig) -> String {
    format!(
        "timeout: the request did not complete within {} ms (server option {OPT_TIMEOUT})",
        millis(config.total_timeout)
    )
}

static JITTER_STATE: AtomicU64 = AtomicU64::new(0);

/// A jitter factor in [0.5, 1.5) (splitmix64 seeded from the clock; no rand dependency).
fn jitter() -> f64 {
    let seed = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0);
    let mut z = JITTER_STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    0.5 + (z >> 11) as f64 / (1u64 << 53) as f64
}

/// The wait before retry number `n` (0-based).
pub fn backoff_delay(base: Duration, n: u32) -> Duration {
    let nominal = base.as_secs_f64() * 3f64.powi(n as i32);
    Duration::from_secs_f64((nominal * jitter()).min(1800.0))
}

/// What a client sent and received (for [`crate::Timings`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Traffic {
    pub(crate) requests: u64,
    pub(crate) bytes: u64,
}

/// A request ready to send: validated headers (defaults added), the URL without userinfo.
#[derive(Debug, Clone)]
struct Prepared {
    method: h::Method,
    url: url::Url,
    headers: HeaderMap,
    /// `None`: no body at all (a GET with an empty body, as before).
    body: Option<String>,
}

/// A response as received (body decoded from gzip, not yet text).
#[derive(Debug)]
struct Raw {
    url: String,
    status: u16,
    headers: Vec<(String, String)>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// The result of one attempt (one request, its redirects and its body).
#[derive(Debug)]
enum Attempt {
    Done(Raw),
    /// A transient status while a retry is still allowed: the body is not read (reqwest-retry
    /// retries before the guest reads anything).
    RetryStatus,
    Failed { message: String, transient: bool },
}

/// Turn a guest request into a [`Prepared`] one; `Err` is the transport error text for the guest.
fn prepare(req: &HttpRequest, mut headers: HeaderMap) -> Result<Prepared, String> {
    let mut url = url::Url::parse(&req.url).map_err(|e| format!("builder error: {e}"))?;
    if (url.scheme() != "http" && url.scheme() != "https") || !url.has_host() {
        return Err(format!("builder error for url ({}): URL scheme is not allowed", urls::display_url(&url)));
    }
    // like reqwest: `user:password@` becomes basic auth (taking precedence over a guest
    // `authorization`, as reqwest's request header does over the client's default headers)
    if let Some(auth) = urls::take_userinfo(&mut url) {
        if let Ok(v) = HeaderValue::from_str(&auth) {
            headers.insert(header::AUTHORIZATION, v);
        }
    }
    url.set_fragment(None);
    // reqwest's defaults, unless the guest set them
    if !headers.contains_key(header::ACCEPT) {
        headers.insert(header::ACCEPT, HeaderValue::from_static("*/*"));
    }
    if !headers.contains_key(header::ACCEPT_ENCODING) && !headers.contains_key(header::RANGE) {
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    }
    let method = req.method.to_http();
    let body = if req.body.is_empty() && method == h::Method::GET { None } else { Some(req.body.clone()) };
    Ok(Prepared { method, url, headers, body })
}

fn new_agent(config: &HttpConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        // redirects are followed by `attempt` (credential rules of its own)
        .max_redirects(0)
        .user_agent(ureq::config::AutoHeaderValue::None)
        .accept(ureq::config::AutoHeaderValue::None)
        .accept_encoding(ureq::config::AutoHeaderValue::None)
        // a new connection per request, like Supabase's client-per-call
        .max_idle_connections(0)
        .max_idle_connections_per_host(0)
        .timeout_resolve(Some(config.connect_timeout))
        .timeout_connect(Some(config.connect_timeout))
        .timeout_per_read(Some(config.read_timeout))
        .timeout_per_write(Some(config.read_timeout))
        .build()
        .into()
}

/// One attempt, run on a helper thread: the request, its redirects, and the body (read with
/// the size limits), all within `config.total_timeout`. Never touches the caller's state.
fn attempt(agent: &ureq::Agent, p: &Prepared, config: &HttpConfig, retry_on_status: bool, abort: &AtomicBool) -> Attempt {
    let deadline = Instant::now() + config.total_timeout;
    let (mut url, mut method, mut headers, mut body) = (p.url.clone(), p.method.clone(), p.headers.clone(), p.body.clone());
    let mut followed: u32 = 0;
    loop {
        let shown = urls::display_url(&url);
        if abort.load(Ordering::Relaxed) {
            return Attempt::Failed { message: format!("error sending request for url ({shown}): the request was abandoned"), transient: false };
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Attempt::Failed {
                message: format!("error sending request for url ({shown}): {}", total_timeout_text(config)),
                transient: true,
            };
        }
        let uri: h::Uri = match url.as_str().parse() {
            Ok(u) => u,
            Err(e) => return Attempt::Failed { message: format!("builder error for url ({shown}): {e}"), transient: false },
        };
        let mut builder = h::Request::builder().method(method.clone()).uri(uri);
        if let Some(hm) = builder.headers_mut() {
            *hm = headers.clone();
        }
        let sent = match &body {
            None => builder.body(()).map(|r| r.with_agent(agent).configure().timeout_global(Some(remaining)).run()),
            Some(b) => builder.body(b.as_str()).map(|r| r.with_agent(agent).configure().timeout_global(Some(remaining)).run()),
        };
        let resp = match sent {
            Err(e) => return Attempt::Failed { message: format!("builder error for url ({shown}): {e}"), transient: false },
            Ok(Err(e)) => {
                return Attempt::Failed {
                    message: format!("error sending request for url ({shown}): {}", describe_error(&e, config)),
                    transient: is_transient_error(&e),
                }
            }
            Ok(Ok(r)) => r,
        };
        let status = resp.status().as_u16();
        let location = resp.headers().get(header::LOCATION).map(|v| v.as_bytes().to_vec());
        match redirect::decide(status, &method, location.as_deref(), &url, &shown, followed, config.max_redirects) {
            Redirect::Return => {}
            Redirect::Fail(message) => return Attempt::Failed { message, transient: false },
            Redirect::Follow { url: next, method: next_method, drop_body, cross_origin } => {
                // the redirect's own body is not read; without pooling its connection just closes
                drop(resp);
                redirect::next_headers(&mut headers, drop_body, cross_origin);
                if drop_body {
                    body = None;
                }
                url = next;
                method = next_method;
                followed += 1;
                continue;
            }
        }
        if retry_on_status && is_transient_status(status) {
            return Attempt::RetryStatus;
        }
        return read_response(resp, &shown, config, abort);
    }
}

/// Headers, limits and decoding of a final response.
fn read_response(resp: h::Response<ureq::Body>, shown: &str, config: &HttpConfig, abort: &AtomicBool) -> Attempt {
    let fail = |message: String| Attempt::Failed { message, transient: false };
    let status = resp.status().as_u16();
    let gzip = resp.headers().get(header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(body::is_gzip);
    let declared = resp.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > config.max_response_bytes) {
        return fail(body::too_large(shown, config.max_response_bytes));
    }
    let content_type = resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    // one tuple per value, names lowercase, non-visible-ASCII values blanked (contract §2.1);
    // decoding gzip drops content-encoding and content-length, as reqwest does
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .filter(|(n, _)| !(gzip && (*n == header::CONTENT_ENCODING || *n == header::CONTENT_LENGTH)))
        .map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let mut reader = resp.into_body().into_reader();
    let describe = |e: std::io::Error| describe_error(&ureq::Error::from(e), config);
    let aborted = || abort.load(Ordering::Relaxed);
    let raw = match body::read_capped(&mut reader, config.max_response_bytes, shown, &describe, &aborted) {
        Ok(b) => b,
        Err(m) => return fail(m),
    };
    let body = if gzip {
        match body::gunzip_capped(&raw, config.max_decoded_bytes, shown) {
            Ok(b) => b,
            Err(m) => return fail(m),
        }
    } else if raw.len() as u64 > config.max_decoded_bytes {
        return fail(format!(
            "response body for url ({shown}) exceeds {} bytes (server option {})",
            config.max_decoded_bytes,
            crate::limits::OPT_MAX_DECODED
        ));
    } else {
        raw
    };
    Attempt::Done(Raw { url: shown.to_string(), status, headers, content_type, body })
}

/// Longer than any attempt can take by itself (ureq enforces the overall timeout); only if the
/// helper thread is stuck beyond it (it should not be) does the caller stop waiting for it.
const GRACE: Duration = Duration::from_secs(5);

/// A blocking HTTP client with Supabase's behaviour and this host's limits.
#[derive(Clone)]
pub struct HttpClient {
    config: HttpConfig,
    interrupts: Arc<dyn Interrupts>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A client that is never interrupted.
    pub fn new(config: HttpConfig) -> Self {
        Self::with_interrupts(config, Arc::new(NoInterrupts))
    }

    /// A client whose waits (network, retry backoff) end early when `interrupts` says so.
    pub fn with_interrupts(config: HttpConfig, interrupts: Arc<dyn Interrupts>) -> Self {
        HttpClient { config, interrupts }
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Run one attempt on a helper thread; meanwhile poll the interrupts every [`POLL`]. On an
    /// interrupt the attempt's agent is shut down (its socket I/O fails at once, so the helper
    /// ends promptly) and the interrupt is returned as a trap.
    fn run_attempt(&self, p: &Prepared, retry_on_status: bool) -> Result<Attempt, HostTrap> {
        let agent = new_agent(&self.config);
        let (tx, rx) = sync_channel(1);
        let abort = Arc::new(AtomicBool::new(false));
        let spawned = {
            let (agent, p, config, abort) = (agent.clone(), p.clone(), self.config.clone(), abort.clone());
            spawn_quiet("tsfdw-http", move || {
                let _ = tx.send(attempt(&agent, &p, &config, retry_on_status, &abort));
            })
        };
        let shown = urls::display_url(&p.url);
        if let Err(e) = spawned {
            return Ok(Attempt::Failed {
                message: format!("error sending request for url ({shown}): cannot start an HTTP thread: {e}"),
                transient: false,
            });
        }
        let give_up = Instant::now() + self.config.total_timeout + GRACE;
        let stop = |agent: ureq::Agent| {
            abort.store(true, Ordering::Relaxed);
            agent.shutdown();
        };
        loop {
            match rx.recv_timeout(POLL) {
                Ok(a) => return Ok(a),
                Err(RecvTimeoutError::Disconnected) => {
                    return Ok(Attempt::Failed {
                        message: format!("error sending request for url ({shown}): the HTTP thread failed"),
                        transient: false,
                    })
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Some(reason) = self.interrupts.check() {
                        stop(agent);
                        return Err(HostTrap::interrupted(reason));
                    }
                    if Instant::now() >= give_up {
                        stop(agent);
                        return Ok(Attempt::Failed {
                            message: format!("error sending request for url ({shown}): {}", total_timeout_text(&self.config)),
                            transient: false,
                        });
                    }
                }
            }
        }
    }

    /// Attempts with retries and backoff. The outer `Err` is an interrupt; the inner `Err` the
    /// transport failure text for the guest.
    fn exchange(&self, p: &Prepared, traffic: &mut Traffic) -> Result<Result<Raw, String>, HostTrap> {
        let mut retries: u32 = 0;
        loop {
            let can_retry = retries < self.config.max_retries;
            traffic.requests += 1;
            let outcome = self.run_attempt(p, can_retry)?;
            let transient = match &outcome {
                Attempt::Done(_) => false,
                Attempt::RetryStatus => true,
                Attempt::Failed { transient, .. } => *transient,
            };
            if transient && can_retry {
                sleep_interruptibly(backoff_delay(self.config.retry_base, retries), &*self.interrupts)?;
                retries += 1;
                continue;
            }
            return Ok(match outcome {
                Attempt::Done(raw) => Ok(raw),
                Attempt::Failed { message, .. } => Err(message),
                // not returned without a retry left; kept total for the compiler
                Attempt::RetryStatus => Err(format!("error sending request for url ({})", urls::display_url(&p.url))),
            });
        }
    }

    /// Perform a guest request. The outer `Err` is a host error (invalid header name/value) or
    /// an interrupt, which abort the guest call; the inner `Err` is the transport failure text
    /// returned to the guest. Every attempt sent is added to `traffic.requests`, the returned
    /// body to `traffic.bytes`.
    pub(crate) fn send(&self, req: &HttpRequest, traffic: &mut Traffic) -> Result<Result<HttpResponse, String>, HostTrap> {
        let headers = build_header_map(&req.headers).map_err(HostTrap::host)?;
        let p = match prepare(req, headers) {
            Ok(p) => p,
            Err(msg) => return Ok(Err(msg)),
        };
        let raw = match self.exchange(&p, traffic)? {
            Ok(raw) => raw,
            Err(msg) => return Ok(Err(msg)),
        };
        let body = match body::into_text(raw.body, raw.content_type.as_deref(), &raw.url) {
            Ok(b) => b,
            Err(msg) => return Ok(Err(msg)),
        };
        traffic.bytes += body.len() as u64;
        Ok(Ok(HttpResponse { url: raw.url, status_code: raw.status, headers: raw.headers, body }))
    }

    /// GET `url` for a package download: status and body bytes. `Err(Ok(text))` is a transport
    /// failure, `Err(Err(trap))` an interrupt.
    pub(crate) fn get_bytes(&self, url: &str) -> Result<(u16, Vec<u8>), Result<String, HostTrap>> {
        let req = HttpRequest { method: HttpMethod::Get, url: url.to_string(), headers: Vec::new(), body: String::new() };
        let p = prepare(&req, HeaderMap::new()).map_err(Ok)?;
        match self.exchange(&p, &mut Traffic::default()) {
            Ok(Ok(raw)) => Ok((raw.status, raw.body)),
            Ok(Err(msg)) => Err(Ok(msg)),
            Err(trap) => Err(Err(trap)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hdr(n: &str, v: &str) -> (String, String) {
        (n.to_string(), v.to_string())
    }

    #[test]
    fn header_checks() {
        assert!(build_header_map(&[hdr("authorization", "Bearer x")]).is_ok());
        assert_eq!(
            build_header_map(&[hdr("Authorization", "Bearer secret")]).unwrap_err(),
            "http request header name 'Authorization' is not lowercase"
        );
        let e = build_header_map(&[hdr("bad name", "v")]).unwrap_err();
        assert_eq!(e, "http request header name 'bad name' is not a valid header name");
        let e = build_header_map(&[hdr("x-token", "sec\nret")]).unwrap_err();
        assert_eq!(e, "http request header 'x-token' has an invalid value");
        assert!(!e.contains("sec"));
        let m = build_header_map(&[hdr("a", "1"), hdr("a", "2")]).unwrap();
        assert_eq!(m.get_all("a").iter().count(), 1);
        assert_eq!(m.get("a").unwrap(), "2");
    }

    #[test]
    fn error_for_status_text() {
        assert_eq!(
            error_for_status(404, "https://x/y").unwrap_err(),
            "HTTP status error (404 Not Found) for url (https://x/y)"
        );
        assert_eq!(
            error_for_status(503, "u").unwrap_err(),
            "HTTP status error (503 Service Unavailable) for url (u)"
        );
        assert!(error_for_status(200, "u").is_ok());
        assert!(error_for_status(302, "u").is_ok());
        assert!(error_for_status(99, "u").is_err());
        assert!(error_for_status(600, "u").is_ok());
    }

    /// A loopback HTTP/1.1 server on a thread: `answer(request head)` gives the raw response
    /// (`None`: accept and never answer). Returns its base URL and the request heads it saw.
    fn serve(answer: impl Fn(&str) -> Option<String> + Send + 'static) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for conn in listener.incoming() {
                let Ok(mut c) = conn else { return };
                let mut head = Vec::new();
                let mut b = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && c.read(&mut b).map(|n| n == 1).unwrap_or(false) {
                    head.push(b[0]);
                }
                let head = String::from_utf8_lossy(&head).to_string();
                log.lock().unwrap().push(head.clone());
                match answer(&head) {
                    Some(resp) => {
                        let _ = c.write_all(resp.as_bytes());
                    }
                    None => held.push(c),
                }
            }
        });
        (base, seen)
    }

    fn get(url: &str, headers: &[(&str, &str)]) -> HttpRequest {
        HttpRequest {
            method: HttpMethod::Get,
            url: url.to_string(),
            headers: headers.iter().map(|(n, v)| hdr(n, v)).collect(),
            body: String::new(),
        }
    }

    struct Flag(Arc<AtomicBool>);
    impl Interrupts for Flag {
        fn check(&self) -> Option<String> {
            self.0.load(Ordering::Relaxed).then(|| "interrupted by test".to_string())
        }
    }

    fn fast() -> HttpConfig {
        HttpConfig { retry_base: Duration::from_millis(1), ..HttpConfig::default() }
    }

    #[test]
    fn a_silent_server_is_a_read_timeout_after_the_retries() {
        let (base, seen) = serve(|_| None);
        let client = HttpClient::new(HttpConfig { read_timeout: Duration::from_millis(200), ..fast() });
        let mut traffic = Traffic::default();
        let r = client.send(&get(&format!("{base}/x"), &[]), &mut traffic).unwrap();
        assert_eq!(
            r.unwrap_err(),
            format!("error sending request for url ({base}/x): read timeout: no data received for 200 ms (server option tsfdw_http_read_timeout_ms)")
        );
        assert_eq!(traffic.requests, 4);
        assert_eq!(seen.lock().unwrap().len(), 4);
    }

    #[test]
    fn waits_and_backoff_end_on_an_interrupt() {
        let flag = Arc::new(AtomicBool::new(false));
        let (base, _) = serve(|_| None);
        let client = HttpClient::with_interrupts(fast(), Arc::new(Flag(flag.clone())));
        let f = flag.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            f.store(true, Ordering::Relaxed);
        });
        let e = client.send(&get(&format!("{base}/x"), &[]), &mut Traffic::default()).unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (crate::ErrorKind::Interrupted, "interrupted by test"));

        // in the backoff before a retry: one request only, then the interrupted wait
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        let (base, seen) = serve(move |_| {
            f.store(true, Ordering::Relaxed);
            Some("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n".into())
        });
        let slow = HttpConfig { retry_base: Duration::from_secs(3600), ..HttpConfig::default() };
        let client = HttpClient::with_interrupts(slow, Arc::new(Flag(flag)));
        let e = client.send(&get(&format!("{base}/x"), &[]), &mut Traffic::default()).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::Interrupted);
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[test]
    fn redirects_to_another_port_carry_no_credentials() {
        let (target, target_seen) = serve(|_| Some("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".into()));
        let to = target.clone();
        let (base, _) = serve(move |head| {
            let next = if head.starts_with("GET /same ") { "/final".to_string() } else { format!("{to}/final") };
            if head.starts_with("GET /final ") {
                return Some("HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nsame".into());
            }
            Some(format!("HTTP/1.1 302 Found\r\nlocation: {next}\r\ncontent-length: 0\r\n\r\n"))
        });
        let client = HttpClient::new(fast());
        let creds = [("authorization", "Bearer SECRET"), ("x-api-key", "SECRET"), ("accept", "application/json")];
        let r = client.send(&get(&format!("{base}/other"), &creds), &mut Traffic::default()).unwrap().unwrap();
        assert_eq!((r.status_code, r.url.as_str(), r.body.as_str()), (200, format!("{target}/final").as_str(), "ok"));
        let head = target_seen.lock().unwrap().join("\n").to_ascii_lowercase();
        assert!(!head.contains("secret") && head.contains("accept: application/json"), "{head}");
        // the same origin keeps them
        let r = client.send(&get(&format!("{base}/same"), &creds), &mut Traffic::default()).unwrap().unwrap();
        assert_eq!(r.body, "same");
    }

    #[test]
    fn timeouts_name_their_option() {
        let c = HttpConfig::default();
        let t = |t: ureq::Timeout| describe_error(&ureq::Error::Timeout(t), &c);
        assert_eq!(t(ureq::Timeout::Connect), "connect timeout: no connection within 10000 ms (server option tsfdw_http_connect_timeout_ms)");
        assert_eq!(t(ureq::Timeout::Resolve), t(ureq::Timeout::Connect));
        assert_eq!(t(ureq::Timeout::PerRead), "read timeout: no data received for 30000 ms (server option tsfdw_http_read_timeout_ms)");
        assert_eq!(t(ureq::Timeout::Global), "timeout: the request did not complete within 120000 ms (server option tsfdw_http_timeout_ms)");
    }

    #[test]
    fn urls_with_credentials_are_never_shown() {
        let client = HttpClient::new(HttpConfig { max_retries: 0, ..fast() });
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let r = client.send(&get(&format!("http://u:SECRET@127.0.0.1:{port}/x"), &[]), &mut Traffic::default()).unwrap();
        let e = r.unwrap_err();
        assert!(e.starts_with(&format!("error sending request for url (http://127.0.0.1:{port}/x)")), "{e}");
        assert!(!e.contains("SECRET"));
        assert_eq!(error_for_status(401, "http://u:SECRET@h/x").unwrap_err(), "HTTP status error (401 Unauthorized) for url (http://h/x)");
        let r = client.send(&get("ftp://u:SECRET@h/x", &[]), &mut Traffic::default()).unwrap();
        assert_eq!(r.unwrap_err(), "builder error for url (ftp://h/x): URL scheme is not allowed");
    }

    #[test]
    fn backoff_grows() {
        let base = Duration::from_millis(100);
        for n in 0..3 {
            let d = backoff_delay(base, n).as_secs_f64();
            let nominal = 0.1 * 3f64.powi(n as i32);
            assert!(d >= nominal * 0.5 - 1e-9 && d < nominal * 1.5 + 1e-9, "{n}: {d}");
        }
    }
}
