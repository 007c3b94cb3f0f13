//! The client's environment variables: secret key, server URL, the
//! `x-api-version` global header and the fail-open switch.
//!
//! The environment is shared by the whole process, so these tests live in
//! their own test binary and take a lock.

use std::sync::{Mutex, MutexGuard};

use autumn_sdk::models::*;
use autumn_sdk::{Autumn, Error};
use serde_json::{json, Value};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VARS: [&str; 4] = [
    "AUTUMN_SECRET_KEY",
    "AUTUMN_SERVER_URL",
    "AUTUMN_X_API_VERSION",
    "AUTUMN_FAIL_OPEN",
];

static ENV: Mutex<()> = Mutex::new(());

/// Holds the lock with every variable cleared; clears them again when done.
struct Env(#[allow(dead_code)] MutexGuard<'static, ()>);

impl Env {
    fn lock() -> Env {
        let guard = ENV.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for var in VARS {
            std::env::remove_var(var);
        }
        Env(guard)
    }
    fn set(&self, var: &str, value: &str) {
        std::env::set_var(var, value);
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for var in VARS {
            std::env::remove_var(var);
        }
    }
}

fn customer_json(id: &str) -> Value {
    json!({
        "id": id, "name": null, "email": null, "created_at": 1_767_225_600_000_u64,
        "fingerprint": null, "stripe_id": null, "env": "live", "metadata": {},
        "send_email_receipts": false, "billing_controls": {}, "subscriptions": [],
        "purchases": [], "licenses": [], "balances": {}, "flags": {}
    })
}

fn check_params() -> CheckParams {
    CheckParams::new("cus_1", "messages")
}

#[test]
fn from_env_needs_the_secret_key() {
    let env = Env::lock();
    let err = Autumn::from_env().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    assert!(err.to_string().contains("AUTUMN_SECRET_KEY"), "{err}");
    // Set but empty (or only spaces) is no key either, also on the builder.
    for empty in ["", "  \n"] {
        env.set("AUTUMN_SECRET_KEY", empty);
        let err = Autumn::from_env().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        let err = Autumn::builder().with_env().build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err}");
        assert!(err.to_string().contains("no secret key"), "{err}");
    }
}

#[tokio::test]
async fn from_env_reads_key_server_and_api_version() {
    let env = Env::lock();
    let server = MockServer::start().await;
    Mock::given(path("/v1/customers.get_or_create"))
        .and(header("authorization", "Bearer sk_from_env"))
        .and(header("x-api-version", "2.0.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers.get_or_create"))
        .and(header("x-api-version", "9.9.9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("d")))
        .expect(1)
        .mount(&server)
        .await;
    env.set("AUTUMN_SECRET_KEY", " sk_from_env\n");
    env.set("AUTUMN_SERVER_URL", &server.uri());
    env.set("AUTUMN_X_API_VERSION", "2.0.0");

    let autumn = Autumn::from_env().unwrap();
    assert_eq!(autumn.server_url(), server.uri());
    let customer = autumn
        .customers()
        .get_or_create(GetOrCreateCustomerParams::new("c"))
        .await
        .unwrap();
    assert_eq!(customer.id.as_deref(), Some("c"));

    // A value set on the builder beats the environment.
    let pinned = Autumn::builder()
        .with_env()
        .api_version("9.9.9")
        .build()
        .unwrap();
    let customer = pinned
        .customers()
        .get_or_create(GetOrCreateCustomerParams::new("d"))
        .await
        .unwrap();
    assert_eq!(customer.id.as_deref(), Some("d"));
}

#[tokio::test]
async fn fail_open_env_switch() {
    let env = Env::lock();
    let server = MockServer::start().await;
    Mock::given(path("/v1/balances.check"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(path("/v1/plans.list"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let build = |fail_open: Option<bool>| {
        let builder = Autumn::builder().secret_key("k").server_url(server.uri());
        match fail_open {
            Some(on) => builder.fail_open(on),
            None => builder,
        }
        .build()
        .unwrap()
    };

    for off in ["false", "0", "OFF", "no"] {
        env.set("AUTUMN_FAIL_OPEN", off);
        let autumn = build(None);
        assert!(!autumn.fail_open(), "{off}");
        let err = autumn.check(check_params()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        let err = autumn
            .plans()
            .list(ListPlansParams::new())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    }
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 8);
    assert!(sent.iter().all(|r| r.headers.get("fail-open").is_none()));

    // The builder beats the environment.
    let check = build(Some(true)).check(check_params()).await.unwrap();
    assert!(check.is_fallback());

    env.set("AUTUMN_FAIL_OPEN", "true");
    assert!(build(None)
        .check(check_params())
        .await
        .unwrap()
        .is_fallback());
    assert!(build(Some(false)).check(check_params()).await.is_err());
}
