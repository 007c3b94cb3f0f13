//! The generated SDK on the wire, one or more operations of every namespace
//! plus the client's own `check`, `track`, `track_tokens` and `batch_track`,
//! against a local mock server.
//!
//! Each test builds its parameters with the generated builders, as a user
//! would, and checks what went over the wire (method, path, `Authorization:
//! Bearer`, `x-api-version: 2.5.0`, the exact JSON body) and that a
//! realistic answer (nulls, nested shapes, a field the SDK does not know)
//! decodes. Every request body and every answer used here is also checked
//! against the operation's schema in `spec/autumn.yaml`, so the test data
//! cannot drift from the API.

use std::collections::BTreeMap;

use autumn_sdk::models::*;
use autumn_sdk::Autumn;
use serde_json::{json, Value};
use tests::spec_check::{assert_fits, escape, schema_errors, with_unknown_field};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "am_sk_test_wire_ops";

#[test]
fn the_spec_check_rejects_wrong_shapes() {
    let schema = "/paths/~1v1~1balances.check/post/responses/200/content/application~1json/schema";
    let mut answer = check_answer();
    assert!(schema_errors(schema, &answer).is_empty());
    answer["balance"]["remaining"] = json!("many"); // deep inside a $ref'd component
    answer.as_object_mut().unwrap().remove("flag"); // required
    let errors = schema_errors(schema, &answer);
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

/// One call: the mock server answering `status` with `answer` (plus a field
/// the SDK does not know) on `POST path`, and a client pointed at it.
struct Wire {
    server: MockServer,
    path: &'static str,
    autumn: Autumn,
}

impl Wire {
    async fn answer(op_path: &'static str, status: u16, answer: Value) -> Wire {
        assert_fits(
            &format!(
                "/paths/{}/post/responses/{status}/content/application~1json/schema",
                escape(op_path)
            ),
            &answer,
        );
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(op_path))
            .respond_with(ResponseTemplate::new(status).set_body_json(with_unknown_field(answer)))
            .expect(1)
            .mount(&server)
            .await;
        let autumn = Autumn::builder()
            .secret_key(KEY)
            .server_url(server.uri())
            .build()
            .expect("valid config");
        Wire {
            server,
            path: op_path,
            autumn,
        }
    }

    /// The one request the server got, with the checks every call shares.
    async fn request(&self) -> Request {
        let mut requests = self.server.received_requests().await.expect("recording");
        assert_eq!(requests.len(), 1, "exactly one request");
        let request = requests.remove(0);
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), self.path);
        assert_eq!(request.url.query(), None);
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .map(|v| v.to_str().expect("ASCII header").to_owned())
        };
        assert_eq!(
            header("authorization").as_deref(),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert_eq!(header("x-api-version").as_deref(), Some("2.5.0"));
        assert_eq!(header("accept").as_deref(), Some("application/json"));
        request
    }

    /// Checks the request body is exactly `expected` (and fits the spec).
    async fn sent_body(&self, expected: Value) {
        let request = self.request().await;
        assert_eq!(
            request
                .headers
                .get("content-type")
                .map(|v| v.to_str().unwrap()),
            Some("application/json")
        );
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        assert_eq!(body, expected);
        assert_fits(
            &format!(
                "/paths/{}/post/requestBody/content/application~1json/schema",
                escape(self.path)
            ),
            &body,
        );
    }
}

fn metadata(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

// ---------------------------------------------------------------- realistic answers

const JAN_1: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z in ms
const FEB_1: u64 = 1_769_904_000_000;
const MAR_1: u64 = 1_772_323_200_000;

/// A metered balance with a reset, a priced breakdown and nulls.
fn api_calls_balance() -> Value {
    json!({
        "feature_id": "api_calls",
        "granted": 20000,
        "remaining": 12475,
        "usage": 7525,
        "unlimited": false,
        "overage_allowed": true,
        "max_purchase": null,
        "next_reset_at": MAR_1,
        "breakdown": [{
            "id": "cus_ent_api_calls_growth",
            "plan_id": "growth_monthly",
            "included_grant": 20000,
            "prepaid_grant": 0,
            "remaining": 12475,
            "usage": 7525,
            "unlimited": false,
            "reset": {"interval": "month", "interval_count": 1, "resets_at": MAR_1},
            "price": {
                "tiers": [{"to": 100000, "amount": 2}, {"to": "inf", "amount": 1.5}],
                "tier_behavior": "graduated",
                "billing_units": 1000,
                "billing_method": "usage_based",
                "max_purchase": null
            },
            "expires_at": null
        }]
    })
}

fn growth_subscription() -> Value {
    json!({
        "id": "sub_acme_growth",
        "plan_id": "growth_monthly",
        "auto_enable": false,
        "add_on": false,
        "status": "active",
        "past_due": false,
        "canceled_at": null,
        "expires_at": null,
        "trial_ends_at": null,
        "started_at": JAN_1,
        "current_period_start": FEB_1,
        "current_period_end": MAR_1,
        "quantity": 1,
        "scope": "customer"
    })
}

fn base_customer() -> Value {
    json!({
        "id": "cus_acme_42",
        "name": "Acme Robotics Inc.",
        "email": null,
        "created_at": JAN_1,
        "fingerprint": null,
        "stripe_id": "cus_Rq81AcmeRobotics",
        "env": "live",
        "metadata": {"crm_account": "00417", "tier": "gold"},
        "send_email_receipts": true,
        "billing_controls": {
            "usage_alerts": [{
                "feature_id": "api_calls", "enabled": true, "threshold": 80,
                "threshold_type": "usage_percentage", "name": "80% of monthly calls", "source": "plan"
            }]
        },
        "subscriptions": [growth_subscription()],
        "purchases": [],
        "licenses": [],
        "balances": {"api_calls": api_calls_balance()},
        "flags": {
            "sso": {"id": "cus_ent_acme_sso", "plan_id": "growth_monthly", "expires_at": null, "feature_id": "sso"}
        }
    })
}

fn api_calls_feature() -> Value {
    json!({
        "id": "api_calls",
        "name": "API calls",
        "type": "metered",
        "consumable": true,
        "event_names": ["api_call"],
        "display": {"singular": "API call", "plural": null},
        "archived": false
    })
}

fn growth_plan() -> Value {
    json!({
        "id": "growth_monthly",
        "name": "Growth",
        "description": null,
        "group": "main",
        "version": 3,
        "add_on": false,
        "auto_enable": false,
        "price": {
            "amount": 49,
            "interval": "month",
            "display": {"primary_text": "$49", "secondary_text": "per month"}
        },
        "items": [
            {
                "feature_id": "api_calls",
                "included": 20000,
                "unlimited": false,
                "reset": {"interval": "month"},
                "price": {
                    "tiers": [{"to": 100000, "amount": 2}, {"to": "inf", "amount": 1.5}],
                    "tier_behavior": "graduated",
                    "interval": "month",
                    "billing_units": 1000,
                    "billing_method": "usage_based",
                    "max_purchase": null
                },
                "display": {"primary_text": "20,000 API calls", "secondary_text": "then $2 per 1,000"}
            },
            {
                "feature_id": "sso",
                "feature": {"id": "sso", "name": null, "type": "boolean", "archived": false},
                "included": 0,
                "unlimited": false,
                "reset": null,
                "price": null
            }
        ],
        "created_at": JAN_1,
        "env": "live",
        "archived": false,
        "base_variant_id": null,
        "config": {"ignore_past_due": false},
        "metadata": {"sales_owner": "emea"}
    })
}

fn seat_entity() -> Value {
    json!({
        "id": "seat_ana",
        "name": "Ana Lima",
        "customer_id": "cus_acme_42",
        "feature_id": "seats",
        "created_at": FEB_1,
        "env": "sandbox",
        "subscriptions": [],
        "purchases": [],
        "balances": {"api_calls": api_calls_balance()},
        "flags": {}
    })
}

// ---------------------------------------------------------------- customers

#[tokio::test]
async fn customers_update_sends_set_and_cleared_fields() {
    let wire = Wire::answer("/v1/customers.update", 200, base_customer()).await;
    let customer = wire
        .autumn
        .customers()
        .update(
            UpdateCustomerParams::new("cus_acme_42")
                .name("Acme Robotics Inc.")
                .clear_email()
                .metadata(metadata(&[
                    ("crm_account", json!("00417")),
                    ("tier", json!("gold")),
                ]))
                .send_email_receipts(true),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "name": "Acme Robotics Inc.",
        "email": null,
        "metadata": {"crm_account": "00417", "tier": "gold"},
        "send_email_receipts": true
    }))
    .await;

    assert_eq!(customer.id.as_deref(), Some("cus_acme_42"));
    assert_eq!(customer.email, None);
    assert_eq!(customer.env, Environment::Live);
    assert_eq!(customer.metadata["tier"], json!("gold"));
    assert_eq!(customer.subscriptions[0].canceled_at, None);
    assert_eq!(
        customer.subscriptions[0].current_period_end,
        Some(MAR_1 as f64)
    );
    let balance = &customer.balances["api_calls"];
    assert_eq!(balance.remaining, 12475.0);
    assert_eq!(balance.max_purchase, None);
    let breakdown = &balance.breakdown.as_ref().expect("breakdown")[0];
    assert_eq!(breakdown.plan_id.as_deref(), Some("growth_monthly"));
    assert_eq!(customer.flags["sso"].expires_at, None);
}

// ---------------------------------------------------------------- plans

#[tokio::test]
async fn plans_get_decodes_items_tiers_and_nulls() {
    let wire = Wire::answer("/v1/plans.get", 200, growth_plan()).await;
    let plan = wire
        .autumn
        .plans()
        .get(GetPlanParams::new("growth_monthly").version(3))
        .await
        .expect("decodes");
    wire.sent_body(json!({"plan_id": "growth_monthly", "version": 3.0}))
        .await;

    assert_eq!(plan.id, "growth_monthly");
    assert_eq!(plan.description, None);
    assert_eq!(plan.group.as_deref(), Some("main"));
    assert_eq!(plan.price.as_ref().expect("a price").amount, 49.0);
    assert_eq!(plan.items.len(), 2);
    let calls = &plan.items[0];
    let price = calls.price.as_ref().expect("priced");
    assert_eq!(price.billing_units, 1000.0);
    assert_eq!(price.tiers.as_ref().expect("tiers").len(), 2);
    assert!(plan.items[1].reset.is_none());
    assert!(plan.items[1].price.is_none());
    assert_eq!(plan.metadata["sales_owner"], json!("emea"));
}

#[tokio::test]
async fn plans_list_sends_its_filters() {
    let mut listed = growth_plan();
    listed["customer_eligibility"] = json!({"trial_available": true, "attach_action": "upgrade"});
    let answer = json!({"list": [listed]});
    let wire = Wire::answer("/v1/plans.list", 200, answer).await;
    let plans = wire
        .autumn
        .plans()
        .list(
            ListPlansParams::new()
                .customer_id("cus_acme_42")
                .include_archived(false),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "include_archived": false}))
        .await;
    assert!(!plans.is_fallback());
    assert_eq!(plans.list.len(), 1);
    assert_eq!(plans.list[0].name, "Growth");
}

// ---------------------------------------------------------------- features

#[tokio::test]
async fn features_create_sends_the_enum_by_its_wire_name() {
    let wire = Wire::answer("/v1/features.create", 200, api_calls_feature()).await;
    let feature = wire
        .autumn
        .features()
        .create(
            CreateFeatureParams::new("API calls", FeatureType::Metered, "api_calls")
                .consumable(true)
                .event_names(vec!["api_call".to_owned()])
                .display(FeatureUnitNames::new("API call", "API calls")),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "name": "API calls",
        "type": "metered",
        "consumable": true,
        "display": {"singular": "API call", "plural": "API calls"},
        "event_names": ["api_call"],
        "feature_id": "api_calls"
    }))
    .await;
    assert_eq!(feature.r#type, FeatureType::Metered);
    assert!(feature.consumable);
    let display = feature.display.expect("display");
    assert_eq!(display.singular.as_deref(), Some("API call"));
    assert_eq!(display.plural, None);
}

#[tokio::test]
async fn features_list_has_no_body() {
    let sso = json!({"id": "sso", "name": "SSO", "type": "boolean", "consumable": false, "archived": false});
    let credits = json!({
        "id": "ai_credits", "name": "AI credits", "type": "ai_credit_system", "consumable": true,
        "model_markups": null, "default_markup": 20, "archived": false
    });
    let wire = Wire::answer(
        "/v1/features.list",
        200,
        json!({"list": [api_calls_feature(), sso, credits]}),
    )
    .await;
    let features = wire.autumn.features().list().await.expect("decodes");
    let request = wire.request().await;
    assert!(request.body.is_empty(), "{:?}", request.body);
    assert!(request.headers.get("content-type").is_none());
    let types: Vec<_> = features.list.iter().map(|f| f.r#type.clone()).collect();
    assert_eq!(
        types,
        [
            FeatureType::Metered,
            FeatureType::Boolean,
            FeatureType::AiCreditSystem
        ]
    );
    assert_eq!(features.list[2].model_markups, None);
}

// ---------------------------------------------------------------- billing

#[tokio::test]
async fn billing_attach_decodes_a_required_action() {
    let answer = json!({
        "customer_id": "cus_acme_42",
        "invoice": {
            "status": "open",
            "stripe_id": "in_1QxAcme",
            "total": 490,
            "currency": "usd",
            "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1Acme/test_in_1QxAcme"
        },
        "payment_url": null,
        "required_action": {
            "code": "3ds_required",
            "reason": "The card issuer asks the customer to confirm the payment."
        }
    });
    let wire = Wire::answer("/v1/billing.attach", 200, answer).await;
    let result = wire
        .autumn
        .billing()
        .attach(
            AttachParams::new("cus_acme_42", "team_seats")
                .feature_quantities(vec![FeatureQuantity::new("seats").quantity(10)])
                .redirect_mode(RedirectMode::IfRequired)
                .success_url("https://app.acme-robotics.example/billing/done"),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "plan_id": "team_seats",
        "feature_quantities": [{"feature_id": "seats", "quantity": 10.0}],
        "redirect_mode": "if_required",
        "success_url": "https://app.acme-robotics.example/billing/done"
    }))
    .await;
    assert_eq!(result.payment_url, None);
    let invoice = result.invoice.expect("invoice");
    assert_eq!(invoice.status.as_deref(), Some("open"));
    assert_eq!(invoice.total, 490.0);
    let action = result.required_action.expect("action");
    assert_eq!(
        action.reason,
        "The card issuer asks the customer to confirm the payment."
    );
    assert_eq!(
        serde_json::to_value(&action.code).unwrap(),
        json!("3ds_required")
    );
}

// ---------------------------------------------------------------- balances

#[tokio::test]
async fn balances_finalize_accepts_a_202() {
    let wire = Wire::answer("/v1/balances.finalize", 202, json!({"success": true})).await;
    let done = wire
        .autumn
        .balances()
        .finalize(
            FinalizeBalanceParams::new("lock_render_7f31", FinalizeBalanceParamsAction::Confirm)
                .override_value(3),
        )
        .await
        .expect("decodes");
    wire.sent_body(
        json!({"lock_id": "lock_render_7f31", "action": "confirm", "override_value": 3.0}),
    )
    .await;
    assert!(done.success);
}

#[tokio::test]
async fn balances_create() {
    let wire = Wire::answer("/v1/balances.create", 200, json!({"success": true})).await;
    let done = wire
        .autumn
        .balances()
        .create(CreateBalanceParams::new("cus_acme_42", "ai_credits").included_grant(5000))
        .await
        .expect("decodes");
    wire.sent_body(
        json!({"customer_id": "cus_acme_42", "feature_id": "ai_credits", "included_grant": 5000.0}),
    )
    .await;
    assert!(done.success);
}

// ---------------------------------------------------------------- events

#[tokio::test]
async fn events_list() {
    let answer = json!({
        "list": [{
            "id": "evt_2nV0a1",
            "timestamp": FEB_1 + 3_600_000,
            "feature_id": "api_calls",
            "customer_id": "cus_acme_42",
            "value": 3,
            "properties": {"endpoint": "/v2/render", "region": "eu-west-1"},
            "deductions": null
        }],
        "next_cursor": "evt_2nV0a1"
    });
    let wire = Wire::answer("/v1/events.list", 200, answer).await;
    let page = wire
        .autumn
        .events()
        .list(EventsListParams::new().customer_id("cus_acme_42").limit(1))
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "limit": 1}))
        .await;
    assert_eq!(page.next_cursor.as_deref(), Some("evt_2nV0a1"));
    let event = &page.list[0];
    assert_eq!(event.value, 3.0);
    assert_eq!(event.properties["region"], json!("eu-west-1"));
    assert!(event.deductions.is_none());
}

// ---------------------------------------------------------------- invoices

#[tokio::test]
async fn invoices_list() {
    let answer = json!({
        "list": [{
            "plan_ids": ["growth_monthly"],
            "stripe_id": "in_1QxAcme",
            "processor_type": "stripe",
            "status": "paid",
            "total": 49,
            "currency": "usd",
            "created_at": FEB_1,
            "hosted_invoice_url": null,
            "id": "inv_01HZX",
            "customer_id": "cus_acme_42",
            "entity_id": null,
            "amount_paid": 49,
            "refunded_amount": 0
        }],
        "next_cursor": null
    });
    let wire = Wire::answer("/v1/invoices.list", 200, answer).await;
    let page = wire
        .autumn
        .invoices()
        .list(
            ListInvoicesParams::new()
                .customer_id("cus_acme_42")
                .status(vec![InvoiceStatus::Paid, InvoiceStatus::Open]),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "status": ["paid", "open"]}))
        .await;
    assert_eq!(page.next_cursor, None);
    let invoice = &page.list[0];
    assert_eq!(invoice.plan_ids, ["growth_monthly"]);
    assert_eq!(invoice.entity_id, None);
    assert_eq!(invoice.amount_paid, Some(49.0));
    assert_eq!(invoice.hosted_invoice_url, None);
}

// ---------------------------------------------------------------- licenses

#[tokio::test]
async fn licenses_attach() {
    let wire = Wire::answer("/v1/licenses.attach", 200, json!({"success": true})).await;
    let done = wire
        .autumn
        .licenses()
        .attach(AttachLicenseParams::new(
            "cus_acme_42",
            "team_seats",
            vec![
                AttachLicenseParamsEntity::new("seat_ana").name("Ana Lima"),
                AttachLicenseParamsEntity::new("seat_bo").feature_id("seats"),
            ],
        ))
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "plan_id": "team_seats",
        "entities": [
            {"entity_id": "seat_ana", "name": "Ana Lima"},
            {"entity_id": "seat_bo", "feature_id": "seats"}
        ]
    }))
    .await;
    assert!(done.success);
}

// ---------------------------------------------------------------- entities

#[tokio::test]
async fn entities_create() {
    let wire = Wire::answer("/v1/entities.create", 200, seat_entity()).await;
    let entity = wire
        .autumn
        .entities()
        .create(CreateEntityParams::new("seats", "cus_acme_42", "seat_ana").name("Ana Lima"))
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "name": "Ana Lima",
        "feature_id": "seats",
        "customer_id": "cus_acme_42",
        "entity_id": "seat_ana"
    }))
    .await;
    assert_eq!(entity.id.as_deref(), Some("seat_ana"));
    assert_eq!(entity.env, Environment::Sandbox);
    assert_eq!(entity.balances["api_calls"].usage, 7525.0);
    assert!(entity.flags.is_empty());
    assert!(entity.invoices.is_none());
}

#[tokio::test]
async fn entities_get() {
    let wire = Wire::answer("/v1/entities.get", 200, seat_entity()).await;
    let entity = wire
        .autumn
        .entities()
        .get(GetEntityParams::new("seat_ana").customer_id("cus_acme_42"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "entity_id": "seat_ana"}))
        .await;
    assert!(!entity.is_fallback());
    assert_eq!(entity.name.as_deref(), Some("Ana Lima"));
}

// ---------------------------------------------------------------- referrals

#[tokio::test]
async fn referrals_create_code() {
    let answer = json!({"code": "ACME-7Q2K", "customer_id": "cus_acme_42", "created_at": FEB_1});
    let wire = Wire::answer("/v1/referrals.create_code", 200, answer).await;
    let code = wire
        .autumn
        .referrals()
        .create_code(CreateReferralCodeParams::new("cus_acme_42", "friends_2026"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "program_id": "friends_2026"}))
        .await;
    assert_eq!(code.code, "ACME-7Q2K");
    assert_eq!(code.created_at, FEB_1 as f64);
}

#[tokio::test]
async fn referrals_redeem_code() {
    let answer =
        json!({"id": "red_91c2", "customer_id": "cus_globex_7", "reward_id": "rew_month_free"});
    let wire = Wire::answer("/v1/referrals.redeem_code", 200, answer).await;
    let redemption = wire
        .autumn
        .referrals()
        .redeem_code(RedeemReferralCodeParams::new("ACME-7Q2K", "cus_globex_7"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"code": "ACME-7Q2K", "customer_id": "cus_globex_7"}))
        .await;
    assert_eq!(redemption.reward_id, "rew_month_free");
}

// ---------------------------------------------------------------- rewards

#[tokio::test]
async fn rewards_get() {
    let answer = json!({
        "coupon": {
            "id": "rew_launch20",
            "name": null,
            "type": "percentage_discount",
            "value": 20,
            "duration": {"type": "months", "length": 3},
            "plan_ids": null,
            "promo_codes": [{"code": "LAUNCH20", "global_max_redemption": null}],
            "created_at": JAN_1
        }
    });
    let wire = Wire::answer("/v1/rewards.get", 200, answer).await;
    let reward = wire
        .autumn
        .rewards()
        .get(GetRewardParams::new("rew_launch20"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"reward_id": "rew_launch20"})).await;
    let coupon = reward.coupon.expect("a coupon");
    assert!(reward.feature_grant.is_none());
    assert_eq!(coupon.r#type, CouponType::PercentageDiscount);
    assert_eq!(coupon.name, None);
    assert_eq!(coupon.plan_ids, None);
    assert_eq!(coupon.duration.length, Some(3.0));
    assert_eq!(coupon.promo_codes[0].code, "LAUNCH20");
}

// ---------------------------------------------------------------- platform

#[tokio::test]
async fn platform_get_revenuecat_keys() {
    let answer = json!({
        "apps": [{
            "app_id": "app7f3e21",
            "app_type": "app_store",
            "name": "Acme Robotics iOS",
            "api_keys": [
                {"id": "key_1", "key": "appl_test_9sQ2", "environment": "sandbox", "app_id": "app7f3e21", "created_at": JAN_1},
                {"id": "key_2", "key": "appl_test_4Lm8", "environment": null}
            ]
        }],
        "oauth_access_token": null
    });
    let wire = Wire::answer("/v1/platform.get_revenuecat_keys", 200, answer).await;
    let keys = wire
        .autumn
        .platform()
        .get_revenue_cat_keys(GetRevenueCatKeysParams::new(
            "acme-robotics",
            RevenueCatEnvironment::Sandbox,
        ))
        .await
        .expect("decodes");
    wire.sent_body(json!({"organization_slug": "acme-robotics", "env": "sandbox"}))
        .await;
    assert_eq!(keys.oauth_access_token, None);
    assert_eq!(keys.apps[0].api_keys.len(), 2);
    assert_eq!(keys.apps[0].api_keys[1].environment, None);
}

// ---------------------------------------------------------------- keys

#[tokio::test]
async fn keys_mint() {
    let answer = json!({
        "access_token": "am_pk_cus_acme_42_live_3f9a",
        "refresh_token": "am_rt_cus_acme_42_8d01",
        "expires_at": null
    });
    let wire = Wire::answer("/v1/keys.mint", 200, answer).await;
    let key = wire
        .autumn
        .keys()
        .mint(MintKeyParams::new("cus_acme_42").indefinite(true))
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "indefinite": true}))
        .await;
    assert_eq!(key.expires_at, None);
    assert_eq!(key.refresh_expires_at, None);
    assert_eq!(key.refresh_token.as_deref(), Some("am_rt_cus_acme_42_8d01"));
}

#[tokio::test]
async fn keys_revoke() {
    let wire = Wire::answer("/v1/keys.revoke", 200, json!({"revoked": true})).await;
    let revoked = wire
        .autumn
        .keys()
        .revoke(RevokeKeyParams::new("cus_acme_42"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42"})).await;
    assert!(revoked.revoked);
}

// ---------------------------------------------------------------- check, track, track_tokens, batch_track

fn check_answer() -> Value {
    json!({
        "allowed": true,
        "customer_id": "cus_acme_42",
        "required_balance": 25,
        "balance": api_calls_balance(),
        "flag": null
    })
}

#[tokio::test]
async fn check_decodes_the_200_answer() {
    let wire = Wire::answer("/v1/balances.check", 200, check_answer()).await;
    let check = wire
        .autumn
        .check(
            CheckParams::new("cus_acme_42", "api_calls")
                .required_balance(25)
                .properties(metadata(&[("model", json!("draft-large"))])),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "feature_id": "api_calls",
        "required_balance": 25.0,
        "properties": {"model": "draft-large"}
    }))
    .await;
    assert!(!check.is_fallback());
    assert!(check.allowed);
    assert_eq!(check.required_balance, Some(25.0));
    assert!(check.flag.is_none());
    assert_eq!(check.balance.as_ref().expect("balance").granted, 20000.0);
}

#[tokio::test]
async fn check_decodes_the_202_answer() {
    let mut answer = check_answer();
    answer["allowed"] = json!(false);
    answer["entity_id"] = json!(null);
    answer["balance"] = json!(null);
    answer["flag"] = json!({
        "id": "cus_ent_acme_sso", "plan_id": null, "expires_at": MAR_1, "feature_id": "sso"
    });
    let wire = Wire::answer("/v1/balances.check", 202, answer).await;
    let check = wire
        .autumn
        .check(
            CheckParams::new("cus_acme_42", "sso")
                .send_event(true)
                .with_preview(true),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "feature_id": "sso",
        "send_event": true,
        "with_preview": true
    }))
    .await;
    assert!(!check.is_fallback());
    assert!(!check.allowed);
    assert_eq!(check.entity_id, None);
    assert!(check.balance.is_none());
    let flag = check.flag.as_ref().expect("flag");
    assert_eq!(flag.plan_id, None);
    assert_eq!(flag.expires_at, Some(MAR_1 as f64));
}

fn track_answer() -> Value {
    json!({
        "customer_id": "cus_acme_42",
        "value": 3,
        "balance": api_calls_balance(),
        "deductions": [{
            "balance_id": "cus_ent_api_calls_growth",
            "feature_id": "api_calls",
            "plan_id": "growth_monthly",
            "reset": {"interval": "month", "resets_at": MAR_1},
            "value": 3
        }]
    })
}

#[tokio::test]
async fn track_decodes_the_200_answer() {
    let wire = Wire::answer("/v1/balances.track", 200, track_answer()).await;
    let tracked = wire
        .autumn
        .track(
            TrackParams::new("cus_acme_42")
                .feature_id("api_calls")
                .value(3)
                .timestamp(1_770_000_000_000_i64),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "feature_id": "api_calls",
        "value": 3.0,
        "timestamp": 1_770_000_000_000_i64
    }))
    .await;
    assert!(!tracked.is_fallback());
    assert_eq!(tracked.value, 3.0);
    assert_eq!(tracked.entity_id, None);
    let deduction = &tracked.deductions.as_ref().expect("deductions")[0];
    assert_eq!(deduction.plan_id.as_deref(), Some("growth_monthly"));
    assert_eq!(
        deduction.reset.as_ref().expect("reset").resets_at,
        Some(MAR_1 as f64)
    );
}

#[tokio::test]
async fn track_decodes_the_202_answer_of_an_async_call() {
    let answer =
        json!({"customer_id": "cus_acme_42", "event_name": "render", "value": 1, "balance": null});
    let wire = Wire::answer("/v1/balances.track", 202, answer).await;
    let tracked = wire
        .autumn
        .track(
            TrackParams::new("cus_acme_42")
                .event_name("render")
                .r#async(true),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "event_name": "render", "async": true}))
        .await;
    assert!(!tracked.is_fallback());
    assert!(tracked.balance.is_none());
    assert_eq!(tracked.event_name.as_deref(), Some("render"));
}

#[tokio::test]
async fn track_tokens() {
    let mut answer = track_answer();
    answer["value"] = json!(0.0124);
    answer["balance"]["feature_id"] = json!("ai_credits");
    answer["deductions"] = json!([]);
    let wire = Wire::answer("/v1/balances.track_tokens", 200, answer).await;
    let tracked = wire
        .autumn
        .track_tokens(
            TrackTokensParams::new("cus_acme_42", "openai/gpt-4o-mini", 1200, 350)
                .cache_read_tokens(800),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "model_id": "openai/gpt-4o-mini",
        "input_tokens": 1200,
        "output_tokens": 350,
        "cache_read_tokens": 800
    }))
    .await;
    assert_eq!(tracked.value, 0.0124);
    assert_eq!(tracked.deductions.as_deref().map(<[_]>::len), Some(0));
}

#[tokio::test]
async fn batch_track_sends_a_list_and_accepts_the_202() {
    let wire = Wire::answer("/v1/balances.batch_track", 202, json!({"success": true})).await;
    let accepted = wire
        .autumn
        .batch_track(vec![
            BatchTrackParamsItem::new("cus_acme_42")
                .feature_id("api_calls")
                .value(2),
            BatchTrackParamsItem::new("cus_globex_7")
                .event_name("render")
                .properties(metadata(&[("pages", json!(12))])),
        ])
        .await
        .expect("decodes");
    wire.sent_body(json!([
        {"customer_id": "cus_acme_42", "feature_id": "api_calls", "value": 2.0},
        {"customer_id": "cus_globex_7", "event_name": "render", "properties": {"pages": 12}}
    ]))
    .await;
    assert!(accepted.success);
}
