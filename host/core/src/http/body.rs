//! Response bodies: read with a size limit, gzip-decoded with a size limit, checked as UTF-8.
//!
//! Supabase's client reads any amount, decodes gzip without a limit (a 306 KB gzip body once
//! cost a backend 3.8 GiB) and replaces invalid UTF-8 silently. This host stops at
//! `tsfdw_http_max_response_bytes` as received and at `tsfdw_http_max_decoded_bytes` after
//! decoding, and refuses invalid UTF-8 with the byte offset, so corrupt text never reaches a row.

use crate::limits::{OPT_MAX_DECODED, OPT_MAX_RESPONSE};
use std::io::Read;

/// Read the whole body, but no more than `max` bytes: one byte more is an error.
/// `describe` turns a read error into the message's detail.
pub(crate) fn read_capped(
    reader: &mut dyn Read,
    max: u64,
    shown: &str,
    describe: &dyn Fn(std::io::Error) -> String,
    abort: &dyn Fn() -> bool,
) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if abort() {
            return Err(format!("error reading response body for url ({shown}): the request was abandoned"));
        }
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(body),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("error reading response body for url ({shown}): {}", describe(e))),
        };
        if body.len() as u64 + n as u64 > max {
            return Err(too_large(shown, max));
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

/// The error for a body over `tsfdw_http_max_response_bytes`.
pub(crate) fn too_large(shown: &str, max: u64) -> String {
    format!("response body for url ({shown}) exceeds {max} bytes (server option {OPT_MAX_RESPONSE})")
}

/// Whether a `content-encoding` value means gzip (as reqwest decodes it).
pub(crate) fn is_gzip(content_encoding: &str) -> bool {
    let v = content_encoding.trim();
    v.eq_ignore_ascii_case("gzip") || v.eq_ignore_ascii_case("x-gzip")
}

/// Decode a gzip body, producing at most `max` bytes: more is an error (a gzip bomb stops
/// after `max + 1` bytes of output, whatever its ratio).
pub(crate) fn gunzip_capped(data: &[u8], max: u64, shown: &str) -> Result<Vec<u8>, String> {
    if data.is_empty() {
        // e.g. a 204 or 304 that still says `content-encoding: gzip`
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(data).take(max.saturating_add(1));
    dec.read_to_end(&mut out)
        .map_err(|e| format!("error decoding response body for url ({shown}): invalid gzip data: {e}"))?;
    if out.len() as u64 > max {
        return Err(format!(
            "gzip-decoded response body for url ({shown}) exceeds {max} bytes (server option {OPT_MAX_DECODED})"
        ));
    }
    Ok(out)
}

/// The `charset` parameter of a `content-type` value, lowercase, if any.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_ascii_lowercase())
    })
}

/// The body as text, as the guest receives it. Like reqwest's `text()`, a UTF-8 byte-order mark
/// is removed. Unlike it (which replaces invalid sequences with U+FFFD and decodes other
/// charsets), invalid UTF-8 is an error naming the byte offset, and a body with non-ASCII bytes
/// in a declared charset other than UTF-8 is an error too (this host decodes UTF-8 only).
pub(crate) fn into_text(mut body: Vec<u8>, content_type: Option<&str>, shown: &str) -> Result<String, String> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bom = if body.starts_with(BOM) { BOM.len() } else { 0 };
    if bom == 0 && !body.is_ascii() {
        if let Some(cs) = content_type.and_then(charset) {
            if cs != "utf-8" && cs != "utf8" {
                let shown_cs: String = cs.chars().filter(|c| c.is_ascii_graphic()).take(40).collect();
                return Err(format!(
                    "response body for url ({shown}) has charset {shown_cs}, which this host does not decode (only UTF-8)"
                ));
            }
        }
    }
    body.drain(..bom);
    String::from_utf8(body).map_err(|e| {
        let offset = e.utf8_error().valid_up_to() + bom;
        let len = e.as_bytes().len() + bom;
        format!("response body for url ({shown}) is not valid UTF-8: invalid byte sequence at byte offset {offset} (of {len} bytes)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn bodies_over_the_limit_are_refused() {
        let never = || false;
        let describe = |e: std::io::Error| e.to_string();
        let data = vec![b'a'; 200_000];
        let got = read_capped(&mut &data[..], 200_000, "http://u/", &describe, &never).unwrap();
        assert_eq!(got.len(), 200_000);
        let e = read_capped(&mut &data[..], 199_999, "http://u/", &describe, &never).unwrap_err();
        assert_eq!(e, "response body for url (http://u/) exceeds 199999 bytes (server option tsfdw_http_max_response_bytes)");
        let e = read_capped(&mut &data[..], 10, "http://u/", &describe, &|| true).unwrap_err();
        assert!(e.contains("abandoned"), "{e}");
    }

    #[test]
    fn gzip_is_decoded_within_the_limit() {
        let text = b"{\"a\": 1}".repeat(1000);
        assert_eq!(gunzip_capped(&gzip(&text), 8000, "u").unwrap(), text);
        assert!(gunzip_capped(&gzip(&text), 7999, "u").unwrap_err().contains("exceeds 7999 bytes (server option tsfdw_http_max_decoded_bytes)"));
        // a bomb: 64 MiB of zeros in a few tens of KB stops at the limit
        let bomb = gzip(&vec![0u8; 64 << 20]);
        assert!(bomb.len() < 200_000, "{}", bomb.len());
        let e = gunzip_capped(&bomb, 1 << 20, "http://h/b").unwrap_err();
        assert_eq!(e, "gzip-decoded response body for url (http://h/b) exceeds 1048576 bytes (server option tsfdw_http_max_decoded_bytes)");
        assert!(gunzip_capped(b"not gzip", 100, "http://h/").unwrap_err().contains("invalid gzip data"));
        assert_eq!(gunzip_capped(b"", 100, "u").unwrap(), b"");
        assert!(is_gzip(" GZIP ") && is_gzip("x-gzip") && !is_gzip("br") && !is_gzip("gzip, br"));
    }

    #[test]
    fn text_is_strict_utf8() {
        assert_eq!(into_text(b"{\"a\":\"\xC3\xA9\"}".to_vec(), None, "u").unwrap(), "{\"a\":\"é\"}");
        let e = into_text(b"ok \xFF\xFE rest".to_vec(), Some("application/json"), "http://h/x").unwrap_err();
        assert_eq!(e, "response body for url (http://h/x) is not valid UTF-8: invalid byte sequence at byte offset 3 (of 10 bytes)");
        // a UTF-8 BOM is removed, as reqwest's text() does; offsets still count it
        assert_eq!(into_text(b"\xEF\xBB\xBF[1]".to_vec(), None, "u").unwrap(), "[1]");
        assert!(into_text(b"\xEF\xBB\xBF[\xC3]".to_vec(), None, "u").unwrap_err().contains("byte offset 4 (of 6 bytes)"));
        // other declared charsets: ASCII passes, anything else is refused
        assert_eq!(into_text(b"[1]".to_vec(), Some("text/plain; charset=iso-8859-1"), "u").unwrap(), "[1]");
        let e = into_text(b"caf\xE9".to_vec(), Some("text/plain; charset=\"ISO-8859-1\""), "u").unwrap_err();
        assert!(e.contains("has charset iso-8859-1"), "{e}");
        assert_eq!(into_text("é".as_bytes().to_vec(), Some("application/json; charset=UTF-8"), "u").unwrap(), "é");
    }
}
