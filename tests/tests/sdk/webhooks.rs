//! Webhooks: every event of `spec/autumn.yaml` decodes its examples into its
//! own variant of `WebhookEvent`, unknown kinds into `Unknown`; `Webhook`
//! verifies deliveries through the public API (the Standard Webhooks vectors
//! themselves are checked by the runtime's unit tests, `src/webhook.rs`).

use std::time::{SystemTime, UNIX_EPOCH};

use autumn_sdk::reqwest::header::{HeaderMap, HeaderName};
use autumn_sdk::{Webhook, WebhookError, WebhookEvent};
use serde_json::{json, Value};
use tests::workspace;

/// The event each variant stands for. The enum is `#[non_exhaustive]`, so
/// the match needs a wildcard; a variant missing here reads as `None`, which
/// fails the test that decodes every event of the spec into its own variant.
fn event_of(event: &WebhookEvent) -> Option<&'static str> {
    Some(match event {
        WebhookEvent::BalancesUsageAlertTriggered(_) => "balances.usage_alert_triggered",
        WebhookEvent::BalancesLimitReached(_) => "balances.limit_reached",
        WebhookEvent::BillingAutoTopupFailed(_) => "billing.auto_topup_failed",
        WebhookEvent::BillingAutoTopupSucceeded(_) => "billing.auto_topup_succeeded",
        WebhookEvent::BillingUpdated(_) => "billing.updated",
        WebhookEvent::InvoiceFinalized(_) => "invoice.finalized",
        WebhookEvent::VercelResourcesDeleted(_) => "vercel.resources.deleted",
        WebhookEvent::VercelResourcesProvisioned(_) => "vercel.resources.provisioned",
        WebhookEvent::VercelResourcesRotateSecrets(_) => "vercel.resources.rotate_secrets",
        WebhookEvent::VercelWebhooksEvent(_) => "vercel.webhooks.event",
        WebhookEvent::Unknown(_) => return None,
        _ => return None,
    })
}

/// Every webhook of the spec with the examples of its body schema.
fn spec_events() -> Vec<(String, Vec<Value>)> {
    let text =
        std::fs::read_to_string(workspace().join("spec/autumn.yaml")).expect("spec is there");
    let doc: Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let hooks = doc["webhooks"].as_object().expect("the spec has webhooks");
    hooks
        .iter()
        .map(|(key, item)| {
            let schema = &item["post"]["requestBody"]["content"]["application/json"]["schema"];
            let examples = schema["examples"].as_array().cloned().unwrap_or_default();
            (key.clone(), examples)
        })
        .collect()
}

/// `value` without the object members that are `null` (the SDK leaves unset
/// options out), numbers as floats (`80` in the spec is `80.0` in an `f64` field).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        Value::Number(n) => json!(n.as_f64()),
        other => other.clone(),
    }
}

#[test]
fn every_event_decodes_its_spec_examples_into_its_own_variant() {
    let events = spec_events();
    assert_eq!(
        events.len(),
        10,
        "spec/autumn.yaml (API 2.5.0) has 10 events"
    );
    let mut decoded = Vec::new();
    for (key, examples) in &events {
        assert!(!examples.is_empty(), "{key} has no example in the spec");
        for example in examples {
            let event: WebhookEvent = serde_json::from_value(example.clone())
                .unwrap_or_else(|e| panic!("{key}: example does not decode: {e}\n{example}"));
            assert_eq!(event_of(&event), Some(key.as_str()), "{key}");
            let again = serde_json::to_value(&event).expect("encodes");
            assert_eq!(without_nulls(&again), without_nulls(example), "{key}");
        }
        decoded.push(key.as_str());
    }
    // One variant per event: every variant was reached by the spec's own examples.
    decoded.sort();
    decoded.dedup();
    assert_eq!(decoded.len(), 10);
}

#[test]
fn unknown_types_decode_to_unknown_with_the_json_as_sent() {
    for body in [
        json!({"type": "balances.something_new", "data": {"x": 1}}),
        json!({"data": {}}),
        json!({"type": 5}),
    ] {
        let event: WebhookEvent = serde_json::from_value(body.clone()).expect("decodes");
        assert_eq!(event, WebhookEvent::Unknown(body.clone()));
        assert_eq!(serde_json::to_value(&event).unwrap(), body);
    }
    // A known type whose body does not fit is an error, not `Unknown`.
    let broken = json!({"type": "balances.limit_reached", "data": 5});
    assert!(serde_json::from_value::<WebhookEvent>(broken).is_err());
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The headers of a delivery, in the `webhook-*` or `svix-*` spelling.
fn headers(prefix: &str, id: &str, timestamp: i64, signature: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in [
        ("id", id.to_owned()),
        ("timestamp", timestamp.to_string()),
        ("signature", signature.to_owned()),
    ] {
        let name = HeaderName::from_bytes(format!("{prefix}-{name}").as_bytes()).unwrap();
        h.insert(name, value.parse().unwrap());
    }
    h
}

fn limit_reached() -> Vec<u8> {
    let (_, examples) = spec_events()
        .into_iter()
        .find(|(k, _)| k == "balances.limit_reached")
        .expect("the event is in the spec");
    serde_json::to_vec(&examples[0]).unwrap()
}

#[test]
fn the_standard_webhooks_vector_signs_as_published() {
    // From the Standard Webhooks reference libraries' tests
    // (github.com/standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py, `test_sign_function`).
    let webhook = Webhook::new(SECRET).unwrap();
    assert_eq!(
        webhook.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#
        ),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    );
}

#[test]
fn a_signed_delivery_verifies_in_both_spellings_and_decodes() {
    let webhook = Webhook::new(SECRET).unwrap();
    let body = limit_reached();
    let ts = now();
    let signature = webhook.sign("msg_1", ts, &body);
    for prefix in ["webhook", "svix"] {
        let event = webhook
            .verify(&headers(prefix, "msg_1", ts, &signature), &body)
            .unwrap_or_else(|e| panic!("{prefix}: {e}"));
        assert!(
            matches!(event, WebhookEvent::BalancesLimitReached(_)),
            "{event:?}"
        );
    }
    // Several signatures (a rotated secret): any one that matches will do.
    let other = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
    let several = format!("{} {signature}", other.sign("msg_1", ts, &body));
    webhook
        .verify(&headers("webhook", "msg_1", ts, &several), &body)
        .unwrap();
    other
        .verify(&headers("webhook", "msg_1", ts, &several), &body)
        .unwrap();
}

#[test]
fn tampered_deliveries_are_refused_with_the_reason() {
    let webhook = Webhook::new(SECRET).unwrap();
    let body = limit_reached();
    let ts = now();
    let good = headers("webhook", "msg_1", ts, &webhook.sign("msg_1", ts, &body));

    // The body changed by one byte.
    let mut tampered = body.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 1;
    let err = webhook.verify(&good, &tampered).unwrap_err();
    assert!(
        matches!(err, WebhookError::NoMatchingSignature { listed: 1 }),
        "{err}"
    );

    // Another id, with the same signature.
    let sig = webhook.sign("msg_1", ts, &body);
    let err = webhook
        .verify(&headers("webhook", "msg_2", ts, &sig), &body)
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::NoMatchingSignature { .. }),
        "{err}"
    );

    // The wrong secret.
    let other = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
    let err = other.verify(&good, &body).unwrap_err();
    assert!(
        matches!(err, WebhookError::NoMatchingSignature { .. }),
        "{err}"
    );
    assert!(!err.to_string().contains("MfKQ9r8"), "{err}");

    // Too old, and too far ahead, though correctly signed.
    let old = ts - 301;
    let err = webhook
        .verify(
            &headers("webhook", "msg_1", old, &webhook.sign("msg_1", old, &body)),
            &body,
        )
        .unwrap_err();
    assert!(matches!(err, WebhookError::TimestampTooOld { .. }), "{err}");
    let ahead = ts + 3600;
    let err = webhook
        .verify(
            &headers(
                "webhook",
                "msg_1",
                ahead,
                &webhook.sign("msg_1", ahead, &body),
            ),
            &body,
        )
        .unwrap_err();
    assert!(matches!(err, WebhookError::TimestampTooNew { .. }), "{err}");
    // A wider tolerance accepts the old one.
    webhook
        .clone()
        .with_tolerance(std::time::Duration::from_secs(600))
        .verify(
            &headers("webhook", "msg_1", old, &webhook.sign("msg_1", old, &body)),
            &body,
        )
        .unwrap();

    // A missing header.
    let mut missing = good.clone();
    missing.remove("webhook-signature");
    let err = webhook.verify(&missing, &body).unwrap_err();
    assert!(matches!(err, WebhookError::MissingHeader(_)), "{err}");
    assert!(err.to_string().contains("webhook-signature"), "{err}");

    // Correctly signed, but not an event the SDK can decode.
    let bad = br#"{"type": "balances.limit_reached", "data": 5}"#;
    let err = webhook
        .verify(
            &headers("webhook", "msg_1", ts, &webhook.sign("msg_1", ts, bad)),
            bad,
        )
        .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidBody(_)), "{err}");
}
