//! Verifying webhook deliveries signed by the Standard Webhooks scheme (the
//! one Svix uses): an HMAC-SHA256 over `"{id}.{timestamp}.{body}"` with a
//! `whsec_`-prefixed base64 secret, sent in the `webhook-*` (or `svix-*`)
//! headers, then the body decoded into a [`WebhookEvent`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use reqwest::header::HeaderMap;
use sha2::Sha256;

use crate::models::WebhookEvent;

type HmacSha256 = Hmac<Sha256>;

/// How far a delivery's timestamp may be from the clock, by default: 5 minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Each header the scheme needs, in its Standard Webhooks and its Svix spelling.
const ID: [&str; 2] = ["webhook-id", "svix-id"];
const TIMESTAMP: [&str; 2] = ["webhook-timestamp", "svix-timestamp"];
const SIGNATURE: [&str; 2] = ["webhook-signature", "svix-signature"];

/// Verifies webhook deliveries with your endpoint's signing secret.
///
/// ```ignore
/// let webhook = Webhook::new(&std::env::var("WEBHOOK_SECRET")?)?;
/// let event = webhook.verify(&headers, &body)?; // headers: http::HeaderMap, body: the raw bytes
/// ```
#[derive(Clone)]
pub struct Webhook {
    key: Vec<u8>,
    tolerance: Duration,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is never printed.
        f.debug_struct("Webhook")
            .field("key", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Why a delivery was refused. Messages never include the secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not base64 (after an optional `whsec_` prefix), or is empty.
    #[error("the webhook secret is not valid: expected `whsec_` followed by base64")]
    InvalidSecret,
    /// A header the scheme needs is absent (in both spellings).
    #[error("the `{}` header (or `{}`) is missing", .0[0], .0[1])]
    MissingHeader([&'static str; 2]),
    /// A header is not visible ASCII text.
    #[error("the `{0}` header is not valid text")]
    InvalidHeader(&'static str),
    /// The timestamp header is not a whole number of seconds.
    #[error("the timestamp header is not a number of seconds: {0:?}")]
    InvalidTimestamp(String),
    /// The delivery is older than the tolerance (a replay, or a clock far behind).
    #[error("the delivery's timestamp is {age:?} old, more than the {tolerance:?} allowed")]
    TimestampTooOld {
        /// How old it is.
        age: Duration,
        /// The tolerance in force.
        tolerance: Duration,
    },
    /// The delivery's timestamp is further in the future than the tolerance.
    #[error(
        "the delivery's timestamp is {ahead:?} in the future, more than the {tolerance:?} allowed"
    )]
    TimestampTooNew {
        /// How far ahead it is.
        ahead: Duration,
        /// The tolerance in force.
        tolerance: Duration,
    },
    /// None of the `v1` signatures listed matches the body with this secret.
    #[error("no signature matches the body ({listed} `v1` signatures listed)")]
    NoMatchingSignature {
        /// How many `v1` signatures the header listed.
        listed: usize,
    },
    /// The signature is good but the body is not an event this SDK can decode.
    #[error("the body is not a valid event: {0}")]
    InvalidBody(#[source] serde_json::Error),
}

impl Webhook {
    /// A verifier for the signing secret of your endpoint (`whsec_...`; the
    /// prefix is optional), with the default 5-minute tolerance.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
        let key = BASE64
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret)?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Ok(Webhook {
            key,
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Sets how far a delivery's timestamp may be from the clock, either way.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The tolerance in force.
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// Checks the signature and timestamp of a delivery, then decodes its body.
    ///
    /// `body` must be the bytes exactly as received: the signature covers
    /// them, so a body parsed and written again will not verify.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
        self.verify_signature(headers, body)?;
        serde_json::from_slice(body).map_err(WebhookError::InvalidBody)
    }

    /// Checks the signature and timestamp of a delivery without decoding its body.
    pub fn verify_signature(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        self.check(headers, body, SystemTime::now())
    }

    /// The signature header's value for a delivery (`v1,<base64>`), as the
    /// sender computes it: for tests of your own handler.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.mac(id, timestamp, body).finalize().into_bytes();
        format!("v1,{}", BASE64.encode(tag))
    }

    /// The MAC over `"{id}.{timestamp}.{body}"`.
    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
        // HMAC takes keys of any length, so this cannot fail.
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC accepts any key length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The whole check, against the clock reading `now`.
    fn check(&self, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Result<(), WebhookError> {
        let id = header(headers, ID)?;
        let timestamp_text = header(headers, TIMESTAMP)?;
        let signatures = header(headers, SIGNATURE)?;
        let timestamp: i64 = timestamp_text
            .trim()
            .parse()
            .map_err(|_| WebhookError::InvalidTimestamp(timestamp_text.to_owned()))?;
        self.check_timestamp(timestamp, now)?;
        let mac = self.mac(id, timestamp, body);
        let mut listed = 0;
        for signature in signatures.split_whitespace() {
            let Some(encoded) = signature.strip_prefix("v1,") else {
                continue;
            };
            listed += 1;
            let Ok(candidate) = BASE64.decode(encoded) else {
                continue;
            };
            // `verify_slice` compares in constant time.
            if mac.clone().verify_slice(&candidate).is_ok() {
                return Ok(());
            }
        }
        Err(WebhookError::NoMatchingSignature { listed })
    }

    fn check_timestamp(&self, timestamp: i64, now: SystemTime) -> Result<(), WebhookError> {
        let now = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(_) => 0,
        };
        let tolerance = self.tolerance;
        // Positive: the delivery is from the past; negative: from the future.
        let age = now.saturating_sub(timestamp);
        let distance = Duration::from_secs(age.unsigned_abs());
        if distance <= tolerance {
            return Ok(());
        }
        Err(if age > 0 {
            WebhookError::TimestampTooOld {
                age: distance,
                tolerance,
            }
        } else {
            WebhookError::TimestampTooNew {
                ahead: distance,
                tolerance,
            }
        })
    }
}

/// The first spelling of a header that is present, as text.
fn header<'h>(headers: &'h HeaderMap, names: [&'static str; 2]) -> Result<&'h str, WebhookError> {
    let (name, value) = names
        .iter()
        .find_map(|n| headers.get(*n).map(|v| (*n, v)))
        .ok_or(WebhookError::MissingHeader(names))?;
    value
        .to_str()
        .map_err(|_| WebhookError::InvalidHeader(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The test vector of the Standard Webhooks reference libraries
    // (github.com/standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py,
    // `test_sign_function`; the same values in the other libraries' tests).
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID_VALUE: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP_VALUE: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE_VALUE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn at(seconds: i64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds as u64)
    }

    fn headers(prefix: &str, signature: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            reqwest::header::HeaderName::from_bytes(format!("{prefix}-id").as_bytes()).unwrap(),
            ID_VALUE.parse().unwrap(),
        );
        h.insert(
            reqwest::header::HeaderName::from_bytes(format!("{prefix}-timestamp").as_bytes())
                .unwrap(),
            TIMESTAMP_VALUE.to_string().parse().unwrap(),
        );
        h.insert(
            reqwest::header::HeaderName::from_bytes(format!("{prefix}-signature").as_bytes())
                .unwrap(),
            signature.parse().unwrap(),
        );
        h
    }

    #[test]
    fn the_standard_vector_signs_and_verifies_in_both_spellings() {
        let webhook = Webhook::new(SECRET).unwrap();
        assert_eq!(
            webhook.sign(ID_VALUE, TIMESTAMP_VALUE, BODY),
            SIGNATURE_VALUE
        );
        for prefix in ["webhook", "svix"] {
            let h = headers(prefix, SIGNATURE_VALUE);
            webhook.check(&h, BODY, at(TIMESTAMP_VALUE)).unwrap();
        }
        // The prefix is optional.
        let bare = Webhook::new(SECRET.trim_start_matches("whsec_")).unwrap();
        bare.check(
            &headers("webhook", SIGNATURE_VALUE),
            BODY,
            at(TIMESTAMP_VALUE),
        )
        .unwrap();
    }

    #[test]
    fn tampering_is_refused_with_the_reason() {
        let webhook = Webhook::new(SECRET).unwrap();
        let h = headers("webhook", SIGNATURE_VALUE);
        let now = at(TIMESTAMP_VALUE);
        assert!(matches!(
            webhook.check(&h, br#"{"test": 2432232315}"#, now),
            Err(WebhookError::NoMatchingSignature { listed: 1 })
        ));
        let other = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert!(matches!(
            other.check(&h, BODY, now),
            Err(WebhookError::NoMatchingSignature { .. })
        ));
        assert!(matches!(
            webhook.check(&h, BODY, at(TIMESTAMP_VALUE + 301)),
            Err(WebhookError::TimestampTooOld { .. })
        ));
        assert!(matches!(
            webhook.check(&h, BODY, at(TIMESTAMP_VALUE - 301)),
            Err(WebhookError::TimestampTooNew { .. })
        ));
        // At the edge of the tolerance it still verifies; a wider one accepts more.
        webhook.check(&h, BODY, at(TIMESTAMP_VALUE + 300)).unwrap();
        webhook
            .clone()
            .with_tolerance(Duration::from_secs(3600))
            .check(&h, BODY, at(TIMESTAMP_VALUE + 3000))
            .unwrap();
    }

    #[test]
    fn any_listed_v1_signature_may_match() {
        let webhook = Webhook::new(SECRET).unwrap();
        let wrong = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        let listed = format!(
            "{wrong} v2,{} not-base64 v1,%%% {SIGNATURE_VALUE} {wrong}",
            &SIGNATURE_VALUE[3..]
        );
        webhook
            .check(&headers("webhook", &listed), BODY, at(TIMESTAMP_VALUE))
            .unwrap();
        // A `v2` entry with the right bytes does not count.
        let only_v2 = format!("{wrong} v2,{}", &SIGNATURE_VALUE[3..]);
        assert!(matches!(
            webhook.check(&headers("webhook", &only_v2), BODY, at(TIMESTAMP_VALUE)),
            Err(WebhookError::NoMatchingSignature { listed: 1 })
        ));
    }

    #[test]
    fn missing_and_malformed_headers_are_named() {
        let webhook = Webhook::new(SECRET).unwrap();
        let now = at(TIMESTAMP_VALUE);
        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            let mut h = headers("webhook", SIGNATURE_VALUE);
            h.remove(name);
            let err = webhook.check(&h, BODY, now).unwrap_err();
            assert!(matches!(err, WebhookError::MissingHeader([n, _]) if n == name));
            assert!(err.to_string().contains(name), "{err}");
        }
        let mut h = headers("webhook", SIGNATURE_VALUE);
        h.insert("webhook-timestamp", "hello".parse().unwrap());
        assert!(matches!(
            webhook.check(&h, BODY, now),
            Err(WebhookError::InvalidTimestamp(t)) if t == "hello"
        ));
    }

    #[test]
    fn bad_secrets_are_refused_and_never_printed() {
        assert!(matches!(
            Webhook::new("whsec_%%%"),
            Err(WebhookError::InvalidSecret)
        ));
        assert!(matches!(
            Webhook::new("whsec_"),
            Err(WebhookError::InvalidSecret)
        ));
        let webhook = Webhook::new(SECRET).unwrap();
        let printed = format!("{webhook:?}");
        assert!(!printed.contains("MfKQ9r8"), "{printed}");
        let err = webhook
            .check(&headers("webhook", "v1,AAAA"), BODY, at(TIMESTAMP_VALUE))
            .unwrap_err();
        assert!(!err.to_string().contains("MfKQ9r8"), "{err}");
    }
}
