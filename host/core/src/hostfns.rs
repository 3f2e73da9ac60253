//! Pure implementations of the `time` and `jwt` host interfaces (contract §2.2, §2.3).

use chrono::DateTime;
use std::time::{SystemTime, UNIX_EPOCH};

/// `time.epoch-secs`: seconds since the Unix epoch (wall clock).
pub fn epoch_secs() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

/// `time.parse-from-rfc3339`: microseconds since the Unix epoch.
pub fn parse_from_rfc3339(s: &str) -> Result<i64, String> {
    DateTime::parse_from_rfc3339(s).map(|t| t.timestamp_micros()).map_err(|e| e.to_string())
}

/// `time.parse-from-str`: chrono strftime format; the input must carry a UTC offset.
pub fn parse_from_str(s: &str, fmt: &str) -> Result<i64, String> {
    DateTime::parse_from_str(s, fmt).map(|t| t.timestamp_micros()).map_err(|e| e.to_string())
}

/// `time.epoch-ms-to-rfc3339`: despite the name, the argument is **microseconds**.
pub fn epoch_ms_to_rfc3339(micros: i64) -> Result<String, String> {
    DateTime::from_timestamp_micros(micros)
        .map(|t| t.to_rfc3339())
        .ok_or_else(|| "invalid microseconds since Unix Epoch".to_string())
}

/// `jwt.encode`: RS256 only, claims `iss`/`sub` only, validity `ttl_hours`.
pub fn jwt_encode(payload: &[(String, String)], algo: &str, key: &str, ttl_hours: u32) -> Result<String, String> {
    use jwt_simple::prelude::*;

    let mut claims = Claims::create(Duration::from_hours(u64::from(ttl_hours)));
    for (k, v) in payload {
        match k.as_str() {
            "iss" => claims = claims.with_issuer(v),
            "sub" => claims = claims.with_subject(v),
            other => return Err(format!("claim {other} not implemented")),
        }
    }
    if algo != "RS256" {
        return Err(format!("algorithm {algo} not implemented"));
    }
    let key_pair = RS256KeyPair::from_pem(key).map_err(|e| e.to_string())?;
    key_pair.sign(claims).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_units() {
        assert_eq!(parse_from_rfc3339("2024-01-15T10:30:00Z").unwrap(), 1_705_314_600_000_000);
        assert_eq!(parse_from_rfc3339("2024-01-15T12:30:00.5+02:00").unwrap(), 1_705_314_600_500_000);
        assert!(parse_from_rfc3339("2024-01-15").is_err());
        assert_eq!(
            parse_from_str("2024-01-15 10:30:00 +0000", "%Y-%m-%d %H:%M:%S %z").unwrap(),
            1_705_314_600_000_000
        );
        assert!(parse_from_str("2024-01-15 10:30:00", "%Y-%m-%d %H:%M:%S").is_err());
        assert_eq!(epoch_ms_to_rfc3339(1_705_314_600_000_000).unwrap(), "2024-01-15T10:30:00+00:00");
        assert_eq!(epoch_ms_to_rfc3339(1_705_314_600_250_000).unwrap(), "2024-01-15T10:30:00.250+00:00");
        assert_eq!(epoch_ms_to_rfc3339(i64::MAX).unwrap_err(), "invalid microseconds since Unix Epoch");
        assert!(epoch_secs() > 1_700_000_000);
    }

    #[test]
    fn jwt_restrictions() {
        let p = vec![("aud".to_string(), "x".to_string())];
        assert_eq!(jwt_encode(&p, "RS256", "", 1).unwrap_err(), "claim aud not implemented");
        let p = vec![("iss".to_string(), "x".to_string())];
        assert_eq!(jwt_encode(&p, "HS256", "", 1).unwrap_err(), "algorithm HS256 not implemented");
        assert!(jwt_encode(&p, "RS256", "not a pem", 1).is_err());
    }

    #[test]
    fn jwt_rs256_roundtrip() {
        use jwt_simple::prelude::*;
        let kp = RS256KeyPair::generate(2048).unwrap();
        let pem = kp.to_pem().unwrap();
        let payload = vec![("iss".to_string(), "me".to_string()), ("sub".to_string(), "you".to_string())];
        let token = jwt_encode(&payload, "RS256", &pem, 2).unwrap();
        let claims = kp.public_key().verify_token::<NoCustomClaims>(&token, None).unwrap();
        assert_eq!(claims.issuer.as_deref(), Some("me"));
        assert_eq!(claims.subject.as_deref(), Some("you"));
        let (iat, exp) = (claims.issued_at.unwrap(), claims.expires_at.unwrap());
        assert_eq!((exp - iat).as_secs(), 2 * 3600);
        assert!(token.split('.').count() == 3);
    }
}
