//! The client: the configuration every call shares (key, server, headers,
//! timeout, retries, fail-open, hooks) and the builder that makes it.
//!
//! Everything API-specific (names, environment variables, default server,
//! global headers) comes from the generated `api_info` module, so this file is
//! the same in every generated crate.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, USER_AGENT};

use crate::api_info;
use crate::error::Error;
use crate::hooks::Hook;
use crate::retry::RetryPolicy;

/// A header sent on every call whose value the caller may set once on the
/// client (upstream `x-speakeasy-globals`, e.g. the API version).
// Constructed only in the generated `api_info`, and only for APIs that have
// global headers.
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct GlobalHeader {
    /// Header name, lowercase.
    pub name: &'static str,
    /// Value used when neither the builder nor the environment sets one.
    pub default: Option<&'static str>,
    /// Environment variable read when the builder does not set a value.
    pub env: Option<&'static str>,
}

/// The API client.
///
/// Cheap to clone (the configuration is shared behind an `Arc`), `Send` and
/// `Sync`: build one and share it across tasks. Every call made through it
/// carries its key, headers, timeout, retry policy and hooks; each of them can
/// be changed for one call on the request builder.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// The shared state behind a client.
pub(crate) struct Inner {
    /// `None` only when the HTTP client could not be built (see `config_error`).
    pub(crate) http: Option<reqwest::Client>,
    /// Base URL without a trailing slash.
    pub(crate) server_url: String,
    /// Headers sent on every call: user agent, global headers,
    /// authorization, then the caller's default headers.
    pub(crate) headers: HeaderMap,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) fail_open: bool,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    /// Set when `Client::new` met a configuration it cannot use; every call
    /// then fails with `Error::Config` instead of the constructor panicking.
    pub(crate) config_error: Option<String>,
    has_secret_key: bool,
    default_header_names: Vec<String>,
}

impl Client {
    /// Creates a client that authenticates with `secret_key`, with every
    /// other setting at its default (or from the environment, for the API's
    /// global headers and the fail-open switch).
    ///
    /// This never panics: if the key is empty or cannot be sent in an HTTP
    /// header, every call made with the client returns `Error::Config`
    /// without sending anything. Use
    /// [`builder`](Self::builder) to get such problems as an error up front.
    pub fn new(secret_key: impl Into<String>) -> Self {
        let (inner, error) = ClientBuilder::default().secret_key(secret_key).assemble();
        Self::from_inner(inner, error)
    }

    /// Creates a client from the environment: the secret key from the API's
    /// secret-key variable (required) and the server URL from its server-URL
    /// variable (optional), plus the global headers and the fail-open switch.
    pub fn from_env() -> Result<Self, Error> {
        let builder = ClientBuilder::default().with_env();
        if builder.secret_key.is_none() {
            return Err(Error::Config(format!(
                "the environment variable {} is not set",
                api_info::SECRET_KEY_ENV
            )));
        }
        builder.build()
    }

    /// Starts building a client with custom settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL calls go to (without a trailing slash).
    pub fn server_url(&self) -> &str {
        &self.inner.server_url
    }

    /// The default timeout of one HTTP attempt, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    /// The retry policy calls use unless a call sets its own.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Whether operations that can fail open return their fallback answer
    /// when the server cannot be reached or fails (5xx).
    pub fn fail_open(&self) -> bool {
        self.inner.fail_open
    }

    fn from_inner(mut inner: Inner, error: Option<String>) -> Self {
        inner.config_error = error;
        Client {
            inner: Arc::new(inner),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct(api_info::CLIENT_NAME)
            .field("server_url", &inner.server_url)
            .field("secret_key", &redacted(inner.has_secret_key))
            .field("timeout", &inner.timeout)
            .field("retry_policy", &inner.retry)
            .field("fail_open", &inner.fail_open)
            .field("default_headers", &inner.default_header_names)
            .field("hooks", &inner.hooks.len())
            .field("config_error", &inner.config_error)
            .finish()
    }
}

/// Builds a client with custom settings; start with the client's
/// `builder()`.
///
/// Every setting but the secret key is optional. Values that cannot work (no
/// key, a malformed server URL or header) are reported by
/// [`build`](Self::build) as `Error::Config`.
#[derive(Default)]
pub struct ClientBuilder {
    secret_key: Option<String>,
    server_url: Option<String>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    default_headers: Vec<(String, String)>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    fail_open: Option<bool>,
    hooks: Vec<Arc<dyn Hook>>,
    globals: Vec<(&'static str, String)>,
}

impl ClientBuilder {
    /// Sets the secret key, sent as `Authorization: Bearer <key>`.
    /// Surrounding whitespace (such as a newline read from a file) is removed.
    pub fn secret_key(mut self, secret_key: impl Into<String>) -> Self {
        self.secret_key = Some(secret_key.into());
        self
    }

    /// Sets the base URL of the server (default: the API's production server).
    pub fn server_url(mut self, server_url: impl Into<String>) -> Self {
        self.server_url = Some(server_url.into());
        self
    }

    /// Sets the default timeout of each HTTP attempt (connecting, sending and
    /// reading the whole answer). There is none by default, except for
    /// operations that fail open, which have their own default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy of every call (default: no retries).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds a header sent on every call. It replaces any header of the same
    /// name that the client would send itself.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the `User-Agent` header sent on every call.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this HTTP client for every call, as it is: its proxy, TLS,
    /// connection-pool and default-header settings apply, and the client
    /// never replaces it.
    ///
    /// Without one, the client builds its own: rustls, HTTP/1.1 and HTTP/2,
    /// and no proxy (proxy environment variables are ignored; pass your own
    /// client to use a proxy).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Turns failing open on or off (default: on, unless the API's fail-open
    /// environment variable is `false`, `0`, `off` or `no`).
    ///
    /// When on, an operation that can fail open answers with its documented
    /// fallback when the server cannot be reached, times out or fails (5xx).
    /// Client errors (4xx) are never hidden.
    pub fn fail_open(mut self, enabled: bool) -> Self {
        self.fail_open = Some(enabled);
        self
    }

    /// Adds a hook that sees every call. Hooks run in the order they were
    /// added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Fills the settings not yet set from the environment: the secret key
    /// and the server URL, from the API's environment variables.
    pub fn with_env(mut self) -> Self {
        if self.secret_key.is_none() {
            self.secret_key = env_var(api_info::SECRET_KEY_ENV);
        }
        if self.server_url.is_none() {
            self.server_url = env_var(api_info::SERVER_URL_ENV);
        }
        self
    }

    /// Sets the value of one of the API's global headers; the generated
    /// crate wraps this in a typed setter per header.
    // Used only by generated code, and only for APIs that have global headers.
    #[allow(dead_code)]
    pub(crate) fn global_header(mut self, name: &'static str, value: String) -> Self {
        self.globals.retain(|(n, _)| *n != name);
        self.globals.push((name, value));
        self
    }

    /// Builds the client, or says which setting cannot work.
    pub fn build(self) -> Result<Client, Error> {
        match self.assemble() {
            (inner, None) => Ok(Client::from_inner(inner, None)),
            (_, Some(message)) => Err(Error::Config(message)),
        }
    }

    /// Builds the shared state; settings that cannot work are left out and
    /// the first problem is returned alongside.
    fn assemble(self) -> (Inner, Option<String>) {
        let mut errors: Vec<String> = Vec::new();

        let server_url = self
            .server_url
            .map(|url| url.trim().trim_end_matches('/').to_owned())
            .unwrap_or_else(|| api_info::DEFAULT_SERVER_URL.to_owned());
        match reqwest::Url::parse(&server_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {}
            _ => errors.push(format!("invalid server URL `{server_url}`")),
        }

        let fail_open = self
            .fail_open
            .unwrap_or_else(|| match env_var(api_info::FAIL_OPEN_ENV) {
                Some(value) => !is_off(&value),
                None => true,
            });

        let mut headers = HeaderMap::new();
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| api_info::USER_AGENT.to_owned());
        match HeaderValue::try_from(user_agent) {
            Ok(value) => {
                headers.insert(USER_AGENT, value);
            }
            Err(_) => errors.push("invalid user agent".to_owned()),
        }
        for global in api_info::GLOBAL_HEADERS {
            let value = self
                .globals
                .iter()
                .find(|(name, _)| *name == global.name)
                .map(|(_, value)| value.clone())
                .or_else(|| global.env.and_then(env_var))
                .or_else(|| global.default.map(str::to_owned));
            if let Some(value) = value {
                insert_header(&mut headers, global.name, &value, &mut errors);
            }
        }
        let secret_key = self
            .secret_key
            .map(|key| key.trim().to_owned())
            .filter(|key| !key.is_empty());
        if secret_key.is_none() && api_info::SECRET_KEY_REQUIRED {
            errors.push(format!(
                "no secret key: pass one to `{client}::new` or to `.secret_key(..)` on the \
                 builder, or set {env} and use `{client}::from_env`",
                client = api_info::CLIENT_NAME,
                env = api_info::SECRET_KEY_ENV,
            ));
        }
        if let Some(key) = &secret_key {
            match HeaderValue::try_from(format!("Bearer {key}")) {
                Ok(mut value) => {
                    value.set_sensitive(true);
                    headers.insert(AUTHORIZATION, value);
                }
                // Never echo the key itself.
                Err(_) => errors
                    .push("the secret key contains characters not allowed in a header".to_owned()),
            }
        }
        for (name, value) in &self.default_headers {
            insert_header(&mut headers, name, value, &mut errors);
        }

        let http = match self.http {
            Some(client) => Some(client),
            None => match reqwest::Client::builder().no_proxy().build() {
                Ok(client) => Some(client),
                Err(err) => {
                    errors.push(format!("could not build the HTTP client: {err}"));
                    None
                }
            },
        };

        let inner = Inner {
            http,
            server_url,
            headers,
            timeout: self.timeout,
            retry: self.retry.unwrap_or_else(RetryPolicy::disabled),
            fail_open,
            hooks: self.hooks,
            config_error: None,
            has_secret_key: secret_key.is_some(),
            default_header_names: self.default_headers.into_iter().map(|(n, _)| n).collect(),
        };
        (inner, errors.into_iter().next())
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = format!("{}Builder", api_info::CLIENT_NAME);
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        f.debug_struct(&name)
            .field("secret_key", &redacted(self.secret_key.is_some()))
            .field("server_url", &self.server_url)
            .field("timeout", &self.timeout)
            .field("retry_policy", &self.retry)
            .field("default_headers", &header_names)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http.is_some())
            .field("fail_open", &self.fail_open)
            .field("hooks", &self.hooks.len())
            .field("global_headers", &self.globals)
            .finish()
    }
}

/// What `Debug` shows in place of the secret key.
fn redacted(present: bool) -> Option<&'static str> {
    present.then_some("<redacted>")
}

/// Reads an environment variable; unset, empty or non-Unicode counts as unset.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Whether an environment value switches a feature off.
fn is_off(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "false" | "0" | "off" | "no"
    )
}

fn insert_header(headers: &mut HeaderMap, name: &str, value: &str, errors: &mut Vec<String>) {
    let Ok(header_name) = HeaderName::try_from(name) else {
        errors.push(format!("invalid header name `{name}`"));
        return;
    };
    match HeaderValue::try_from(value) {
        Ok(value) => {
            headers.insert(header_name, value);
        }
        Err(_) => errors.push(format!("invalid value for header `{name}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_values() {
        for v in ["false", "FALSE", " 0 ", "off", "No"] {
            assert!(is_off(v), "{v}");
        }
        for v in ["true", "1", "on", "yes", ""] {
            assert!(!is_off(v), "{v}");
        }
    }

    #[test]
    fn invalid_settings_are_reported_not_panicked() {
        let err = Client::builder()
            .server_url("not a url")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        let err = Client::builder()
            .default_header("bad name", "v")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        let client = Client::new("sk_\nbad");
        assert!(client.inner.config_error.is_some());
        assert!(!format!("{:?}", client.inner.config_error).contains("sk_"));
    }

    #[test]
    fn key_is_trimmed_and_redacted() {
        let client = Client::new("  sk_test_secret\n");
        let auth = client.inner.headers.get(AUTHORIZATION).unwrap();
        assert_eq!(auth.to_str().unwrap(), "Bearer sk_test_secret");
        assert!(auth.is_sensitive());
        let debug = format!("{client:?}");
        assert!(!debug.contains("sk_test_secret"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        let builder = Client::builder().secret_key("sk_test_secret");
        assert!(!format!("{builder:?}").contains("sk_test_secret"));
    }

    #[test]
    fn server_url_loses_trailing_slash() {
        let client = Client::builder()
            .secret_key("k")
            .server_url("http://localhost:8080/api/")
            .build()
            .unwrap();
        assert_eq!(client.server_url(), "http://localhost:8080/api");
    }
}
