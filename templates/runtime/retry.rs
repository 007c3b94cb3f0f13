//! Retry policy: which failures are tried again, and how long to wait
//! between tries (exponential backoff with jitter, `Retry-After` honoured,
//! a cap on the total time).

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

/// When and how a failed call is tried again.
///
/// Retries are off unless the client or the call opts in:
///
/// ```no_run
/// use autumn_sdk::RetryPolicy;
///
/// let policy = RetryPolicy::standard() // 429, 500, 502, 503, 504
///     .with_connection_errors(true) // also retry network failures
///     .with_max_attempts(4);
/// ```
///
/// Every try sends the same request body. Client errors (4xx) other than the
/// listed status codes are never retried.
#[derive(Clone, PartialEq)]
pub struct RetryPolicy {
    enabled: bool,
    backoff: Backoff,
    status_codes: Vec<StatusPattern>,
    connection_errors: bool,
    max_attempts: Option<u32>,
}

impl RetryPolicy {
    /// The standard policy: retries answers with status 429, 500, 502, 503
    /// or 504, waiting as [`Backoff::default`] says, for up to an hour in
    /// total. Network errors and timeouts are not retried unless
    /// [`with_connection_errors`](Self::with_connection_errors) says so.
    pub fn standard() -> Self {
        RetryPolicy {
            enabled: true,
            backoff: Backoff::default(),
            status_codes: [429, 500, 502, 503, 504]
                .into_iter()
                .map(StatusPattern::Exact)
                .collect(),
            connection_errors: false,
            max_attempts: None,
        }
    }

    /// No retries: every call is tried once. This is the client's default.
    pub fn disabled() -> Self {
        RetryPolicy {
            enabled: false,
            ..Self::standard()
        }
    }

    /// Replaces the waiting schedule.
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Replaces the status codes that are retried.
    pub fn with_status_codes(mut self, codes: impl IntoIterator<Item = StatusPattern>) -> Self {
        self.status_codes = codes.into_iter().collect();
        self
    }

    /// Whether network errors (no answer: connection refused or reset, DNS
    /// failure) and timeouts are retried too.
    pub fn with_connection_errors(mut self, retry: bool) -> Self {
        self.connection_errors = retry;
        self
    }

    /// Caps the number of tries, the first one included (default: no cap
    /// other than the backoff's total time).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts.max(1));
        self
    }

    /// Whether this policy retries at all.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The waiting schedule.
    pub fn backoff(&self) -> &Backoff {
        &self.backoff
    }

    /// The status codes that are retried.
    pub fn status_codes(&self) -> &[StatusPattern] {
        &self.status_codes
    }

    /// Whether network errors and timeouts are retried.
    pub fn retries_connection_errors(&self) -> bool {
        self.connection_errors
    }

    /// The cap on the number of tries, if any.
    pub fn max_attempts(&self) -> Option<u32> {
        self.max_attempts
    }

    /// Whether an answer with this status is tried again.
    pub(crate) fn retries_status(&self, status: StatusCode) -> bool {
        self.enabled && self.status_codes.iter().any(|code| code.matches(status))
    }

    /// Whether a failure without an answer (network error, timeout) is
    /// tried again.
    pub(crate) fn retries_no_answer(&self) -> bool {
        self.enabled && self.connection_errors
    }

    /// Whether another try may follow try number `attempt` (1-based).
    pub(crate) fn allows_attempt_after(&self, attempt: u32) -> bool {
        self.max_attempts.map_or(true, |max| attempt < max)
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.enabled {
            return f.write_str("RetryPolicy::disabled()");
        }
        f.debug_struct("RetryPolicy")
            .field("backoff", &self.backoff)
            .field("status_codes", &self.status_codes)
            .field("connection_errors", &self.connection_errors)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

/// How long to wait between tries: exponential growth plus random jitter,
/// each wait capped, and all tries together capped.
///
/// The wait before retry *n* (counting from 0) is
/// `initial_interval × exponentⁿ + random(0..jitter)`, at most
/// `max_interval`. When the server sends `Retry-After`, its value is used
/// instead (still at most `max_interval`). No wait starts that would end
/// after `max_elapsed_time` from the first try; the last failure is returned
/// instead.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Backoff {
    /// Wait before the first retry, before jitter (default 500 ms).
    pub initial_interval: Duration,
    /// Longest single wait (default 60 s).
    pub max_interval: Duration,
    /// Growth factor between waits (default 1.5).
    pub exponent: f64,
    /// Cap on the time from the first try to the start of the last one
    /// (default 1 hour).
    pub max_elapsed_time: Duration,
    /// Upper bound of the random time added to each wait (default 1 s).
    pub jitter: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(60),
            exponent: 1.5,
            max_elapsed_time: Duration::from_secs(3600),
            jitter: Duration::from_secs(1),
        }
    }
}

impl Backoff {
    /// Sets the wait before the first retry.
    pub fn with_initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// Sets the longest single wait.
    pub fn with_max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// Sets the growth factor between waits.
    pub fn with_exponent(mut self, exponent: f64) -> Self {
        self.exponent = exponent;
        self
    }

    /// Sets the cap on the total time spent trying.
    pub fn with_max_elapsed_time(mut self, time: Duration) -> Self {
        self.max_elapsed_time = time;
        self
    }

    /// Sets the upper bound of the random time added to each wait.
    pub fn with_jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// The wait before retry number `retry` (0 for the first retry), given
    /// the server's `Retry-After`, if it sent one.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after.filter(|wait| !wait.is_zero()) {
            return wait.min(self.max_interval);
        }
        let exponent = i32::try_from(retry).unwrap_or(i32::MAX);
        let grown = self.initial_interval.as_secs_f64() * self.exponent.powi(exponent);
        let jitter = self.jitter.as_secs_f64() * fastrand::f64();
        let seconds = grown + jitter;
        if !seconds.is_finite() {
            return self.max_interval;
        }
        Duration::try_from_secs_f64(seconds.max(0.0))
            .unwrap_or(self.max_interval)
            .min(self.max_interval)
    }
}

/// A status code, or a class of them, that a retry policy retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusPattern {
    /// One status code, e.g. `Exact(429)`.
    Exact(u16),
    /// Every status code of a class: `Class(5)` is `5XX` (500 to 599).
    Class(u8),
}

impl StatusPattern {
    /// Parses the OpenAPI forms `"503"` and `"5XX"` (either case).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != 3 || !text.is_ascii() {
            return None;
        }
        if text[1..].eq_ignore_ascii_case("xx") {
            let class = text[..1].parse::<u8>().ok()?;
            return (1..=5)
                .contains(&class)
                .then_some(StatusPattern::Class(class));
        }
        let code = text.parse::<u16>().ok()?;
        (100..=599)
            .contains(&code)
            .then_some(StatusPattern::Exact(code))
    }

    /// Whether `status` is this code, or of this class.
    pub fn matches(&self, status: StatusCode) -> bool {
        match *self {
            StatusPattern::Exact(code) => status.as_u16() == code,
            StatusPattern::Class(class) => status.as_u16() / 100 == u16::from(class),
        }
    }
}

impl From<StatusCode> for StatusPattern {
    fn from(status: StatusCode) -> Self {
        StatusPattern::Exact(status.as_u16())
    }
}

impl fmt::Display for StatusPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusPattern::Exact(code) => write!(f, "{code}"),
            StatusPattern::Class(class) => write!(f, "{class}XX"),
        }
    }
}

/// How long the server asks us to wait: `retry-after-ms` (milliseconds, a
/// common extension), else `Retry-After` as delta seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name| headers.get(name)?.to_str().ok().map(str::trim);
    if let Some(millis) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if let Some(wait) = seconds(millis / 1000.0) {
            return Some(wait);
        }
    }
    let value = text(RETRY_AFTER.as_str())?;
    if let Ok(secs) = value.parse::<f64>() {
        return seconds(secs);
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn seconds(secs: f64) -> Option<Duration> {
    if secs.is_finite() && secs >= 0.0 {
        Duration::try_from_secs_f64(secs).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn patterns() {
        assert_eq!(StatusPattern::parse("5XX"), Some(StatusPattern::Class(5)));
        assert_eq!(StatusPattern::parse("4xx"), Some(StatusPattern::Class(4)));
        assert_eq!(StatusPattern::parse("429"), Some(StatusPattern::Exact(429)));
        assert_eq!(StatusPattern::parse("9XX"), None);
        assert_eq!(StatusPattern::parse("abc"), None);
        assert_eq!(StatusPattern::parse("é5"), None);
        assert!(StatusPattern::Class(5).matches(StatusCode::BAD_GATEWAY));
        assert!(!StatusPattern::Class(5).matches(StatusCode::BAD_REQUEST));
        assert_eq!(StatusPattern::Class(5).to_string(), "5XX");
    }

    #[test]
    fn standard_and_disabled() {
        let standard = RetryPolicy::standard();
        assert!(standard.retries_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(standard.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(!standard.retries_status(StatusCode::BAD_REQUEST));
        assert!(!standard.retries_status(StatusCode::NOT_IMPLEMENTED));
        assert!(!standard.retries_no_answer());
        let disabled = RetryPolicy::disabled();
        assert!(!disabled.retries_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!disabled.with_connection_errors(true).retries_no_answer());
    }

    #[test]
    fn delays_grow_and_are_capped() {
        let backoff = Backoff::default().with_jitter(Duration::ZERO);
        assert_eq!(backoff.delay(0, None), Duration::from_millis(500));
        assert_eq!(backoff.delay(1, None), Duration::from_millis(750));
        assert_eq!(backoff.delay(100, None), Duration::from_secs(60));
        assert_eq!(backoff.delay(u32::MAX, None), Duration::from_secs(60));
        assert_eq!(
            backoff.delay(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            backoff.delay(0, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
        let jittered = Backoff::default().delay(0, None);
        assert!(jittered >= Duration::from_millis(500) && jittered <= Duration::from_millis(1500));
        let nan = Backoff::default().with_exponent(f64::NAN).delay(3, None);
        assert_eq!(nan, Duration::from_secs(60));
    }

    #[test]
    fn retry_after_forms() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("-1"));
        assert_eq!(retry_after(&headers), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
        let later = SystemTime::now() + Duration::from_secs(30);
        let date = httpdate::fmt_http_date(later);
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(27) && wait <= Duration::from_secs(30));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
    }
}
