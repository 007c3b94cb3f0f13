//! The generated SDK on the wire, against a local mock server: the
//! `customers` operations' requests, decoding of realistic answers, and errors.

use autumn_sdk::models::{
    CustomerExpand, Environment, GetOrCreateCustomerParams, ListCustomersParams,
};
use autumn_sdk::{Autumn, Error};
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Autumn {
    Autumn::builder()
        .secret_key("am_sk_test_123")
        .server_url(server.uri())
        .build()
        .expect("valid config")
}

/// A customer as the server sends it: nulls, nested balances, an extra field, a new `env` value.
fn realistic_customer() -> Value {
    json!({
        "id": "cus_123",
        "name": null,
        "email": null,
        "created_at": 1767225600000u64,
        "fingerprint": null,
        "stripe_id": null,
        "env": "staging",
        "metadata": {},
        "send_email_receipts": false,
        "billing_controls": {},
        "subscriptions": [{
            "id": "sub_1", "plan_id": "pro", "auto_enable": false, "add_on": false, "status": "active",
            "past_due": false, "canceled_at": null, "expires_at": null, "trial_ends_at": null,
            "started_at": 1767225600000u64, "current_period_start": 1767225600000u64,
            "current_period_end": 1769904000000u64, "quantity": 1
        }],
        "purchases": [],
        "licenses": [],
        "balances": {
            "messages": {
                "feature_id": "messages", "granted": 100, "remaining": 40, "usage": 60, "unlimited": false,
                "overage_allowed": false, "max_purchase": null, "next_reset_at": null
            }
        },
        "flags": {},
        "a_field_added_later": {"nested": true}
    })
}

#[tokio::test]
async fn get_or_create_sends_the_documented_request_and_decodes_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers.get_or_create"))
        .and(header("authorization", "Bearer am_sk_test_123"))
        .and(header("x-api-version", "2.5.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(realistic_customer()))
        .expect(1)
        .mount(&server)
        .await;

    let autumn = client(&server);
    let customer = autumn
        .customers()
        .get_or_create(
            GetOrCreateCustomerParams::new("cus_123")
                .name("John Doe")
                .email("john@example.com"),
        )
        .await
        .expect("decodes");

    assert_eq!(customer.id.as_deref(), Some("cus_123"));
    assert_eq!(customer.name, None);
    assert!(
        matches!(&customer.env, Environment::Unknown(v) if v == "staging"),
        "{:?}",
        customer.env
    );
    assert_eq!(customer.balances["messages"].remaining, 40.0);
    assert_eq!(customer.balances["messages"].max_purchase, None);
    assert_eq!(customer.subscriptions[0].plan_id, "pro");

    let requests: Vec<Request> = server.received_requests().await.expect("recording is on");
    let body: Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    // snake_case keys, and unset optional fields are left out entirely.
    assert_eq!(
        body,
        json!({"customer_id": "cus_123", "name": "John Doe", "email": "john@example.com"})
    );
    assert_eq!(
        requests[0]
            .headers
            .get("content-type")
            .map(|v| v.to_str().unwrap()),
        Some("application/json")
    );
}

#[tokio::test]
async fn standalone_function_sends_the_same_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers.list"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"list": [], "next_cursor": null})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let autumn = client(&server);
    let page = autumn_sdk::funcs::customers_list(&autumn, ListCustomersParams::new().limit(10))
        .await
        .expect("decodes");
    assert!(page.list.is_empty());
    let requests = server.received_requests().await.expect("recording is on");
    let body: Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(body, json!({"limit": 10}));
}

#[tokio::test]
async fn expand_values_serialize_as_their_wire_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers.get_or_create"))
        .respond_with(ResponseTemplate::new(200).set_body_json(realistic_customer()))
        .mount(&server)
        .await;
    let params =
        GetOrCreateCustomerParams::new("cus_123").expand(vec![CustomerExpand::from("invoices")]);
    client(&server)
        .customers()
        .get_or_create(params)
        .await
        .expect("decodes");
    let requests = server.received_requests().await.expect("recording is on");
    let body: Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(body["expand"], json!(["invoices"]));
}

#[tokio::test]
async fn not_found_becomes_the_api_error_with_the_parsed_message() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers.get_or_create"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"message": "Customer cus_404 not found", "code": "customer_not_found"}),
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .customers()
        .get_or_create(GetOrCreateCustomerParams::new("cus_404"))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected the API error, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.message(), Some("Customer cus_404 not found"));
    assert_eq!(api.code(), Some("customer_not_found"));
    assert!(
        err.to_string()
            .starts_with("Customer cus_404 not found: Status 404"),
        "{err}"
    );
}

#[tokio::test]
async fn malformed_success_body_becomes_the_decode_error_with_the_body_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/customers.get_or_create"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"id\": \"cus_1\", oops", "application/json"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .customers()
        .get_or_create(GetOrCreateCustomerParams::new("cus_1"))
        .await
        .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected the decode error, got {err:?}")
    };
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.body().as_ref(), b"{\"id\": \"cus_1\", oops");
}
