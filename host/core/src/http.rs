//! The `http` host interface (contract §2.1, §10 item 9), on a blocking ureq client.

use crate::error::HostTrap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ureq::http::{self as h, HeaderMap, HeaderName, HeaderValue, StatusCode};
use ureq::ResponseExt;

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

/// HTTP behaviour knobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Base of the exponential retry backoff (Supabase: 1 s). Waits are about
    /// `base * 3^n`, jittered by a factor in [0.5, 1.5).
    pub retry_base: Duration,
    /// Retries after the first attempt (Supabase: 3).
    pub max_retries: u32,
    /// Redirects followed (Supabase/reqwest: 10).
    pub max_redirects: u32,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig { retry_base: Duration::from_secs(1), max_retries: 3, max_redirects: 10 }
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
pub fn error_for_status(status_code: u16, url: &str) -> Result<(), String> {
    let code = StatusCode::from_u16(status_code).map_err(|e| e.to_string())?;
    if code.is_client_error() || code.is_server_error() {
        Err(format!("HTTP status error ({code}) for url ({url})"))
    } else {
        Ok(())
    }
}

fn is_transient_status(status: u16) -> bool {
    (500..600).contains(&status) || status == 408 || status == 429
}

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

/// A blocking HTTP client with Supabase's behaviour.
#[derive(Debug, Clone)]
pub struct HttpClient {
    config: HttpConfig,
    agent: ureq::Agent,
}

impl HttpClient {
    pub fn new(config: HttpConfig) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(config.max_redirects)
            .max_redirects_will_error(true)
            .redirect_auth_headers(ureq::config::RedirectAuthHeaders::SameHost)
            .user_agent(ureq::config::AutoHeaderValue::None)
            .accept("*/*")
            // a new connection per request, like Supabase's client-per-call
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .build()
            .into();
        HttpClient { config, agent }
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Perform a request. The outer `Err` is a host error (invalid header name/value) that
    /// aborts the guest call; the inner `Err` is the transport failure text returned to the guest.
    /// Every attempt sent is added to `traffic.requests`, the returned body to `traffic.bytes`.
    pub(crate) fn send(&self, req: &HttpRequest, traffic: &mut Traffic) -> Result<Result<HttpResponse, String>, HostTrap> {
        let headers = build_header_map(&req.headers).map_err(HostTrap::host)?;
        let url = match url::Url::parse(&req.url) {
            Ok(u) => u,
            Err(e) => return Ok(Err(format!("builder error: {e}"))),
        };
        let uri: h::Uri = match url.as_str().parse() {
            Ok(u) => u,
            Err(e) => return Ok(Err(format!("builder error for url ({url}): {e}"))),
        };
        let method = req.method.to_http();
        let mut attempt: u32 = 0;
        loop {
            let mut builder = h::Request::builder().method(method.clone()).uri(uri.clone());
            if let Some(hm) = builder.headers_mut() {
                *hm = headers.clone();
            }
            let result = if req.body.is_empty() && method == h::Method::GET {
                builder.body(()).map(|r| self.agent.run(r))
            } else {
                builder.body(req.body.as_str()).map(|r| self.agent.run(r))
            };
            let result = match result {
                Ok(r) => r,
                Err(e) => return Ok(Err(format!("builder error for url ({url}): {e}"))),
            };
            traffic.requests += 1;
            let transient = match &result {
                Ok(resp) => is_transient_status(resp.status().as_u16()),
                Err(e) => is_transient_error(e),
            };
            if transient && attempt < self.config.max_retries {
                drop(result);
                std::thread::sleep(backoff_delay(self.config.retry_base, attempt));
                attempt += 1;
                continue;
            }
            let mut resp = match result {
                Ok(r) => r,
                Err(e) => return Ok(Err(format!("error sending request for url ({url}): {e}"))),
            };
            let final_url = resp.get_uri().to_string();
            let status_code = resp.status().as_u16();
            let resp_headers: Vec<(String, String)> = resp
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
                .collect();
            let body = match resp.body_mut().with_config().limit(u64::MAX).read_to_vec() {
                Ok(b) => b,
                Err(e) => return Ok(Err(format!("error decoding response body: {e}"))),
            };
            traffic.bytes += body.len() as u64;
            return Ok(Ok(HttpResponse {
                url: final_url,
                status_code,
                headers: resp_headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            }));
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
