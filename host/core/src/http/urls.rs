//! URL helpers: credentials in URLs never reach a message, and URL userinfo becomes basic auth
//! as reqwest (Supabase's client) does it.

/// The URL as shown in messages and in `response.url`: without `user:password@` (and without a
/// fragment, which is never sent).
pub(crate) fn display_url(url: &url::Url) -> String {
    if url.username().is_empty() && url.password().is_none() && url.fragment().is_none() {
        return url.as_str().to_string();
    }
    let mut u = url.clone();
    // cannot fail for the http(s) URLs the host sends (they have a host)
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_fragment(None);
    u.as_str().to_string()
}

/// `text` with the userinfo of an absolute URL at its start hidden (`scheme://***@…`), for
/// URLs that did not parse; anything else unchanged.
pub fn redact_url_text(text: &str) -> String {
    if let Ok(u) = url::Url::parse(text) {
        if u.has_host() {
            return display_url(&u);
        }
    }
    match (text.find("://"), text.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let end_of_authority = text[s + 3..].find(['/', '?', '#']).map_or(text.len(), |i| s + 3 + i);
            if at < end_of_authority {
                return format!("{}***{}", &text[..s + 3], &text[at..]);
            }
            text.to_string()
        }
        _ => text.to_string(),
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Remove `user:password@` from `url`; returns the `authorization` value reqwest sends for it
/// (`Basic base64(user:password)`, percent-decoded), if the userinfo is valid UTF-8.
pub(crate) fn take_userinfo(url: &mut url::Url) -> Option<String> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let user = String::from_utf8(percent_decode(url.username())).ok();
    let pass = url.password().map(|p| String::from_utf8(percent_decode(p)).ok());
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let user = user?;
    let creds = match pass {
        None => format!("{user}:"),
        Some(Some(p)) => format!("{user}:{p}"),
        Some(None) => return None,
    };
    Some(format!("Basic {}", base64(creds.as_bytes())))
}

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(chunk.get(1).copied().unwrap_or(0)) << 8)
            | u32::from(chunk.get(2).copied().unwrap_or(0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_credentials() {
        let u = url::Url::parse("http://user:pa%20ss@127.0.0.1:8080/x?q=1#frag").unwrap();
        assert_eq!(display_url(&u), "http://127.0.0.1:8080/x?q=1");
        let u = url::Url::parse("https://api.github.com/events").unwrap();
        assert_eq!(display_url(&u), "https://api.github.com/events");
        assert_eq!(redact_url_text("http://user:secret@host:1/p"), "http://host:1/p");
        assert_eq!(redact_url_text("http://user:secret@[bad/p"), "http://***@[bad/p");
        assert_eq!(redact_url_text("not a url"), "not a url");
        assert_eq!(redact_url_text("http://host/p?a=b@c"), "http://host/p?a=b@c");
    }

    #[test]
    fn userinfo_becomes_basic_auth() {
        let mut u = url::Url::parse("http://Aladdin:open%20sesame@h/").unwrap();
        assert_eq!(take_userinfo(&mut u).as_deref(), Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        assert_eq!(u.as_str(), "http://h/");
        let mut u = url::Url::parse("http://only@h/").unwrap();
        assert_eq!(take_userinfo(&mut u).as_deref(), Some(&*format!("Basic {}", base64(b"only:"))));
        let mut u = url::Url::parse("http://h/").unwrap();
        assert_eq!(take_userinfo(&mut u), None);
        // not UTF-8: no header, but the userinfo is still removed
        let mut u = url::Url::parse("http://%ff:x@h/").unwrap();
        assert_eq!(take_userinfo(&mut u), None);
        assert_eq!(u.as_str(), "http://h/");
    }

    #[test]
    fn base64_vectors() {
        for (i, o) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }
}
