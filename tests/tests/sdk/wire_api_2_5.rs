//! The operations API 2.5.0 added, on the wire against a local mock server:
//!
//! - `invoices`: `create`, `finalize`, `pay`, `void`, `update`, `reissue`,
//!   `issue_credit_note`, `list_templates`;
//! - the new namespaces `sandboxes` (`create`, `list`, `reset`, `delete`),
//!   `webhooks` (`create`, `get`, `list`, `update`, `delete`,
//!   `preview_sync`, `sync`) and `logs` (`search`);
//! - `customers.list_subscriptions`, `customers.list_purchases` (also paged
//!   with `.stream()`), `customers.advance_test_clock`, `balances.list`,
//!   `billing.verify`, `platform.get_stripe_connection` and
//!   `platform.disconnect_stripe`.
//!
//! Same style as `wire_operations.rs`: each test builds its parameters with
//! the generated builders, as a user would, and checks what went over the
//! wire (method, path, `Authorization: Bearer`, `x-api-version: 2.5.0`, the
//! exact JSON body) and that a realistic answer (nulls, nested shapes, unions,
//! a field the SDK does not know) decodes. Every request body and every answer
//! used here is also checked against the operation's schema in
//! `spec/autumn.yaml`, so the test data cannot drift from the API.

use autumn_sdk::models::*;
use autumn_sdk::Autumn;
use futures_util::TryStreamExt;
use serde_json::{json, Value};
use tests::spec_check::{assert_fits, escape, schema_errors, with_unknown_field};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "am_sk_test_wire_api_2_5";

fn answer_schema(op_path: &str) -> String {
    format!(
        "/paths/{}/post/responses/200/content/application~1json/schema",
        escape(op_path)
    )
}

fn request_schema(op_path: &str) -> String {
    format!(
        "/paths/{}/post/requestBody/content/application~1json/schema",
        escape(op_path)
    )
}

#[test]
fn the_spec_check_rejects_wrong_shapes_of_2_5_answers() {
    let schema = answer_schema("/v1/webhooks.preview_sync");
    let mut answer = preview_sync_answer();
    assert!(schema_errors(&schema, &answer).is_empty());
    answer["changes"][0]["action"] = json!("rename"); // no variant of the union
    answer["errors"][0]
        .as_object_mut()
        .unwrap()
        .remove("message"); // required
    let errors = schema_errors(&schema, &answer);
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

/// One call: the mock server answering `200` with `answer` (plus a field the
/// SDK does not know) on `POST path`, and a client pointed at it.
struct Wire {
    server: MockServer,
    path: &'static str,
    autumn: Autumn,
}

impl Wire {
    async fn answer(op_path: &'static str, answer: Value) -> Wire {
        assert_fits(&answer_schema(op_path), &answer);
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(op_path))
            .respond_with(ResponseTemplate::new(200).set_body_json(with_unknown_field(answer)))
            .expect(1)
            .mount(&server)
            .await;
        Wire {
            autumn: client(&server),
            server,
            path: op_path,
        }
    }

    /// The one request the server got, with the checks every call shares.
    async fn request(&self) -> Request {
        let mut requests = self.server.received_requests().await.expect("recording");
        assert_eq!(requests.len(), 1, "exactly one request");
        let request = requests.remove(0);
        check_common(&request, self.path);
        request
    }

    /// Checks the request body is exactly `expected` (and fits the spec).
    async fn sent_body(&self, expected: Value) {
        let request = self.request().await;
        check_body(&request, self.path, &expected);
    }
}

fn client(server: &MockServer) -> Autumn {
    Autumn::builder()
        .secret_key(KEY)
        .server_url(server.uri())
        .build()
        .expect("valid config")
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header").to_owned())
}

fn check_common(request: &Request, op_path: &str) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), op_path);
    assert_eq!(request.url.query(), None);
    assert_eq!(
        header(request, "authorization").as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(header(request, "x-api-version").as_deref(), Some("2.5.0"));
    assert_eq!(
        header(request, "accept").as_deref(),
        Some("application/json")
    );
}

fn check_body(request: &Request, op_path: &str, expected: &Value) {
    assert_eq!(
        header(request, "content-type").as_deref(),
        Some("application/json")
    );
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(&body, expected);
    assert_fits(&request_schema(op_path), &body);
}

// ---------------------------------------------------------------- realistic answers

const SEP_1: u64 = 1_788_220_800_000; // 2026-09-01T00:00:00Z in ms
const SEP_21: u64 = 1_789_948_800_000;
const NOW: u64 = 1_790_000_000_000; // 2026-09-21T14:13:20Z
const OCT_1: u64 = 1_790_812_800_000;
const OCT_15: u64 = 1_792_022_400_000;
const NOV_1: u64 = 1_793_491_200_000;
const DAY: u64 = 86_400_000;

/// An invoice as `invoices.*` answer it: Autumn and Stripe ids, nullable
/// customer fields, and items of which one has no plan or feature.
fn seats_invoice(id: &str, status: &str, amount_paid: Value) -> Value {
    json!({
        "plan_ids": ["team_seats"],
        "stripe_id": "in_1RbAcmeSeats",
        "processor_type": "stripe",
        "status": status,
        "total": 550,
        "currency": "usd",
        "created_at": SEP_21,
        "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1Acme/test_in_1RbAcmeSeats",
        "items": [
            {
                "id": "il_3Fq8Zr1V",
                "description": "12 × Seats (at $25.00 / seat)",
                "period_start": SEP_21,
                "period_end": SEP_21 + 30 * DAY,
                "plan_id": "team_seats",
                "feature_id": "seats",
                "feature_name": "Seats",
                "quantity": 12,
                "amount": 300,
                "entities": [
                    {"entity_id": "seat_ana", "quantity": 1, "amount": 25},
                    {"entity_id": "seat_bo", "quantity": null, "amount": 25}
                ]
            },
            {
                "id": "il_9Wd4Tq6N",
                "description": "Onboarding workshop",
                "period_start": null,
                "period_end": null,
                "plan_id": null,
                "feature_id": null,
                "feature_name": null,
                "quantity": null,
                "amount": 250,
                "entities": []
            }
        ],
        "id": id,
        "customer_id": "cus_acme_42",
        "entity_id": null,
        "amount_paid": amount_paid,
        "refunded_amount": 0
    })
}

/// What `invoices.create` and `invoices.reissue` computed: 20% off, no tax.
fn seats_preview() -> Value {
    json!({
        "currency": "usd",
        "lines": [
            {
                "plan_id": "team_seats",
                "feature_id": "seats",
                "entity_id": null,
                "description": "12 × Seats (at $25.00 / seat)",
                "amount": 300,
                "amount_after_discounts": 240,
                "quantity": 12,
                "prorated": false,
                "period_start": SEP_21,
                "period_end": SEP_21 + 30 * DAY
            },
            {
                "plan_id": null,
                "feature_id": null,
                "entity_id": null,
                "description": "Onboarding workshop",
                "amount": 250,
                "amount_after_discounts": 200,
                "quantity": null,
                "prorated": false,
                "period_start": null,
                "period_end": null
            }
        ],
        "subtotal": 550,
        "discount_total": 110,
        "tax": null,
        "total": 440,
        "amount_due": 440,
        "issue_date": SEP_21,
        "due_date": SEP_21 + 30 * DAY,
        "invoice_credits": {"balance": 0, "currency": "usd"}
    })
}

fn webhook(id: &str, url: &str, description: Value, events: &[&str], disabled: bool) -> Value {
    json!({
        "id": id,
        "url": url,
        "description": description,
        "events": events,
        "disabled": disabled,
        "created_at": SEP_1,
        "updated_at": NOW
    })
}

fn billing_hook() -> Value {
    webhook(
        "acme_billing_events",
        "https://hooks.acme.example/autumn/billing",
        json!("Billing events for the Acme back office"),
        &["billing.updated", "invoice.finalized"],
        false,
    )
}

fn usage_hook() -> Value {
    webhook(
        "acme_usage_alerts",
        "https://hooks.acme.example/autumn/usage",
        Value::Null,
        &["balances.usage_alert_triggered", "balances.limit_reached"],
        false,
    )
}

// ---------------------------------------------------------------- invoices

#[tokio::test]
async fn invoices_create_sends_plans_custom_lines_and_settings() {
    let answer = json!({
        "invoice": seats_invoice("inv_7Hk2Lm9Q", "open", json!(0)),
        "preview": seats_preview()
    });
    let wire = Wire::answer("/v1/invoices.create", answer).await;
    let created = wire
        .autumn
        .invoices()
        .create(
            CreateInvoiceParams::new("cus_acme_42")
                .plans(vec![InvoicePlanLine::new("team_seats").feature_quantities(
                    vec![
                        InvoicePlanLineFeatureQuantity::new("seats", BillingMethod::Prepaid)
                            .quantity(12),
                    ],
                )])
                .custom_line_items(vec![AddLine::new(250, "Onboarding workshop")])
                .discounts(vec![InvoiceDiscount::new().reward_id("rew_launch20")])
                .invoice_template_id("tmpl_bank_transfer_eu")
                .net_terms_days(30)
                .payment_method_types(vec![
                    PaymentMethodType::Card,
                    PaymentMethodType::UsBankAccount,
                ])
                .issue_method(IssueMethod::Send),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "plans": [{
            "plan_id": "team_seats",
            "feature_quantities": [
                {"feature_id": "seats", "billing_behavior": "prepaid", "quantity": 12.0}
            ]
        }],
        "custom_line_items": [{"amount": 250.0, "description": "Onboarding workshop"}],
        "discounts": [{"reward_id": "rew_launch20"}],
        "invoice_template_id": "tmpl_bank_transfer_eu",
        "net_terms_days": 30,
        "payment_method_types": ["card", "us_bank_account"],
        "issue_method": "send"
    }))
    .await;

    let invoice = created.invoice.expect("an invoice, not a preview");
    assert_eq!(invoice.id, "inv_7Hk2Lm9Q");
    assert_eq!(invoice.status, "open");
    assert_eq!(invoice.processor_type, Some(InvoiceProcessorType::Stripe));
    assert_eq!(invoice.entity_id, None);
    assert_eq!(invoice.amount_paid, Some(0.0));
    let items = invoice.items.expect("items");
    assert_eq!(items[0].quantity, Some(12.0));
    assert_eq!(items[0].entities[1].quantity, None);
    assert_eq!(items[1].plan_id, None);
    assert_eq!(items[1].period_start, None);
    let preview = created.preview;
    assert!(preview.tax.is_none());
    assert_eq!(preview.lines.len(), 2);
    assert_eq!(preview.lines[0].amount_after_discounts, 240.0);
    assert_eq!(preview.lines[1].quantity, None);
    assert_eq!(preview.discount_total, 110.0);
    assert_eq!(preview.due_date, Some((SEP_21 + 30 * DAY) as f64));
    let credits = preview.invoice_credits.expect("invoice credits");
    assert_eq!(credits.applied, None);
}

#[tokio::test]
async fn invoices_create_preview_creates_nothing() {
    let mut preview = seats_preview();
    preview["tax"] = json!({
        "total": 84, "amount_inclusive": 0, "amount_exclusive": 84, "status": "complete"
    });
    preview["total"] = json!(524);
    preview["amount_due"] = json!(524);
    let answer = json!({"invoice": null, "preview": preview});
    let wire = Wire::answer("/v1/invoices.create", answer).await;
    let previewed = wire
        .autumn
        .invoices()
        .create(
            CreateInvoiceParams::new("cus_acme_42")
                .entity_id("seat_ana")
                .plans(vec![InvoicePlanLine::new("growth_monthly")
                    .version(3)
                    .clear_entity_id()
                    .prorate(true)
                    .period_start(SEP_21 as i64)
                    .period_end(OCT_1 as i64)])
                .tax_rate_id("txr_1AcmeDE19")
                .period_start(SEP_21 as i64)
                .period_end(OCT_1 as i64)
                .preview(true),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "entity_id": "seat_ana",
        "plans": [{
            "plan_id": "growth_monthly",
            "version": 3.0,
            "entity_id": null,
            "prorate": true,
            "period_start": SEP_21,
            "period_end": OCT_1
        }],
        "tax_rate_id": "txr_1AcmeDE19",
        "period_start": SEP_21,
        "period_end": OCT_1,
        "preview": true
    }))
    .await;
    assert!(previewed.invoice.is_none());
    let tax = previewed.preview.tax.expect("tax");
    assert_eq!(tax.status, TaxPreviewStatus::Complete);
    assert_eq!(tax.amount_exclusive, 84.0);
    assert_eq!(previewed.preview.amount_due, 524.0);
}

#[tokio::test]
async fn invoices_finalize() {
    let answer = json!({"invoice": seats_invoice("inv_7Hk2Lm9Q", "open", Value::Null)});
    let wire = Wire::answer("/v1/invoices.finalize", answer).await;
    let result = wire
        .autumn
        .invoices()
        .finalize(FinalizeInvoiceParams::new("inv_7Hk2Lm9Q"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"invoice_id": "inv_7Hk2Lm9Q"})).await;
    assert_eq!(result.invoice.status, "open");
    assert_eq!(result.invoice.amount_paid, None);
    assert_eq!(
        result.invoice.hosted_invoice_url.as_deref(),
        Some("https://invoice.stripe.com/i/acct_1Acme/test_in_1RbAcmeSeats")
    );
}

#[tokio::test]
async fn invoices_pay() {
    let answer = json!({"invoice": seats_invoice("inv_7Hk2Lm9Q", "paid", json!(550))});
    let wire = Wire::answer("/v1/invoices.pay", answer).await;
    let result = wire
        .autumn
        .invoices()
        .pay(PayInvoiceParams::new("inv_7Hk2Lm9Q"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"invoice_id": "inv_7Hk2Lm9Q"})).await;
    assert_eq!(result.invoice.status, "paid");
    assert_eq!(result.invoice.amount_paid, Some(550.0));
    assert_eq!(result.invoice.plan_ids, ["team_seats"]);
}

#[tokio::test]
async fn invoices_void() {
    let mut invoice = seats_invoice("inv_7Hk2Lm9Q", "void", json!(0));
    let object = invoice.as_object_mut().unwrap();
    object.remove("items");
    object.remove("processor_type");
    object.insert("hosted_invoice_url".into(), Value::Null);
    let wire = Wire::answer("/v1/invoices.void", json!({"invoice": invoice})).await;
    let result = wire
        .autumn
        .invoices()
        .void(VoidInvoiceParams::new("inv_7Hk2Lm9Q"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"invoice_id": "inv_7Hk2Lm9Q"})).await;
    assert_eq!(result.invoice.status, "void");
    assert!(result.invoice.items.is_none());
    assert!(result.invoice.processor_type.is_none());
    assert_eq!(result.invoice.hosted_invoice_url, None);
}

#[tokio::test]
async fn invoices_update_replaces_the_payment_methods() {
    let answer = json!({"invoice": seats_invoice("inv_7Hk2Lm9Q", "open", json!(0))});
    let wire = Wire::answer("/v1/invoices.update", answer).await;
    let result = wire
        .autumn
        .invoices()
        .update(UpdateInvoiceParams::new(
            "inv_7Hk2Lm9Q",
            vec![
                PaymentMethodType::Card,
                PaymentMethodType::SepaDebit,
                PaymentMethodType::Link,
            ],
        ))
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "invoice_id": "inv_7Hk2Lm9Q",
        "payment_method_types": ["card", "sepa_debit", "link"]
    }))
    .await;
    assert_eq!(result.invoice.id, "inv_7Hk2Lm9Q");
    assert_eq!(result.invoice.customer_id.as_deref(), Some("cus_acme_42"));
}

#[tokio::test]
async fn invoices_reissue_sends_invoice_customer_and_line_changes() {
    let answer = json!({
        "invoice": seats_invoice("inv_8Jm3Np0R", "open", json!(0)),
        "voided_invoice_id": "inv_7Hk2Lm9Q",
        "credit_note_id": null,
        "preview": seats_preview()
    });
    let wire = Wire::answer("/v1/invoices.reissue", answer).await;
    let reissued = wire
        .autumn
        .invoices()
        .reissue(
            ReissueInvoiceParams::new("inv_7Hk2Lm9Q")
                .invoice_template_id("tmpl_bank_transfer_eu")
                .net_terms_days(14)
                .issue_method(IssueMethod::Send)
                .update_customer_email("billing@acme.example")
                .invoice(
                    ReissueInvoiceParamsInvoice::new()
                        .memo("Replaces the earlier invoice; please pay by bank transfer.")
                        .clear_footer()
                        .custom_fields(vec![CustomField::new("PO number", "PO-2026-0917")]),
                )
                .customer(
                    ReissueInvoiceParamsCustomer::new()
                        .name("Acme Robotics GmbH")
                        .address(
                            ReissueInvoiceParamsAddress::new()
                                .line1("Hauptstraße 5")
                                .city("Berlin")
                                .postal_code("10115")
                                .country("DE"),
                        )
                        .tax_ids(vec![TaxId::new("eu_vat", "DE123456789")]),
                )
                .lines(
                    ReissueInvoiceParamsLines::new()
                        .add(vec![
                            ReissueInvoiceParamsAddItem::CustomLineItem(CustomLineItem::new(
                                120,
                                "Priority support add-on",
                            )),
                            ReissueInvoiceParamsAddItem::InvoicePlanLine(
                                InvoicePlanLine::new("growth_monthly").feature_quantities(vec![
                                    InvoicePlanLineFeatureQuantity::new(
                                        "api_calls",
                                        BillingMethod::UsageBased,
                                    )
                                    .quantity(35000),
                                ]),
                            ),
                        ])
                        .update(vec![UpdateItem::new("il_3Fq8Zr1V")
                            .amount(275)
                            .description("11 × Seats (at $25.00 / seat)")])
                        .remove(vec!["il_9Wd4Tq6N".to_owned()]),
                ),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "invoice_id": "inv_7Hk2Lm9Q",
        "invoice_template_id": "tmpl_bank_transfer_eu",
        "net_terms_days": 14,
        "issue_method": "send",
        "update_customer_email": "billing@acme.example",
        "invoice": {
            "memo": "Replaces the earlier invoice; please pay by bank transfer.",
            "footer": null,
            "custom_fields": [{"name": "PO number", "value": "PO-2026-0917"}]
        },
        "customer": {
            "name": "Acme Robotics GmbH",
            "address": {
                "line1": "Hauptstraße 5", "city": "Berlin", "postal_code": "10115", "country": "DE"
            },
            "tax_ids": [{"type": "eu_vat", "value": "DE123456789"}]
        },
        "lines": {
            "add": [
                {"amount": 120.0, "description": "Priority support add-on"},
                {
                    "plan_id": "growth_monthly",
                    "feature_quantities": [{
                        "feature_id": "api_calls",
                        "billing_behavior": "usage_based",
                        "quantity": 35000.0
                    }]
                }
            ],
            "update": [
                {"id": "il_3Fq8Zr1V", "amount": 275.0, "description": "11 × Seats (at $25.00 / seat)"}
            ],
            "remove": ["il_9Wd4Tq6N"]
        }
    }))
    .await;
    assert_eq!(reissued.voided_invoice_id.as_deref(), Some("inv_7Hk2Lm9Q"));
    assert_eq!(reissued.credit_note_id, None);
    assert_eq!(
        reissued.invoice.expect("the new invoice").id,
        "inv_8Jm3Np0R"
    );
    assert_eq!(reissued.preview.total, 440.0);
}

#[tokio::test]
async fn invoices_issue_credit_note() {
    let answer = json!({
        "credit_note": {
            "id": "cn_1RcAcme0001",
            "invoice_id": "inv_7Hk2Lm9Q",
            "number": "ACME-0042-CN-01",
            "status": "issued",
            "currency": "usd",
            "subtotal": 50,
            "discount_amount": 0,
            "tax_amount": 0,
            "total": 50,
            "pre_payment_amount": 0,
            "post_payment_amount": 50,
            "refund_amount": 50,
            "credit_amount": 0,
            "out_of_band_amount": 0,
            "reason": "order_change",
            "memo": "Two unused seats returned after a team downsize.",
            "pdf": null,
            "lines": [{
                "invoice_line_item_id": "il_3Fq8Zr1V",
                "description": null,
                "quantity": 2,
                "amount": 50,
                "discount_amount": 0
            }]
        }
    });
    let wire = Wire::answer("/v1/invoices.issue_credit_note", answer).await;
    let issued = wire
        .autumn
        .invoices()
        .issue_credit_note(
            IssueCreditNoteParams::new("inv_7Hk2Lm9Q")
                .lines(vec![
                    IssueCreditNoteParamsLine::new("il_3Fq8Zr1V").quantity(2)
                ])
                .destination(IssueCreditNoteParamsDestination::Refund)
                .send_email(false)
                .reason(CreditNoteReason::OrderChange)
                .memo("Two unused seats returned after a team downsize."),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "invoice_id": "inv_7Hk2Lm9Q",
        "lines": [{"id": "il_3Fq8Zr1V", "quantity": 2.0}],
        "destination": "refund",
        "send_email": false,
        "reason": "order_change",
        "memo": "Two unused seats returned after a team downsize."
    }))
    .await;
    let note = issued.credit_note;
    assert_eq!(note.id.as_deref(), Some("cn_1RcAcme0001"));
    assert_eq!(note.reason, Some(CreditNoteReason::OrderChange));
    assert_eq!(note.refund_amount, 50.0);
    assert_eq!(note.pdf, None);
    assert_eq!(note.lines[0].description, None);
    assert_eq!(note.lines[0].quantity, Some(2.0));
}

#[tokio::test]
async fn invoices_list_templates_uses_the_camel_case_path() {
    let answer = json!({
        "list": [
            {
                "id": "tmpl_bank_transfer_eu",
                "name": "Bank transfer (EU)",
                "footer": "IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX",
                "memo": "Please quote the invoice number with your transfer.",
                "net_terms_days": 14,
                "created_at": SEP_1
            },
            {"id": "tmpl_default", "name": "Default"}
        ],
        "total": 7,
        "limit": 2,
        "offset": 0,
        "has_more": true
    });
    let wire = Wire::answer("/v1/invoices.listTemplates", answer).await;
    let page = wire
        .autumn
        .invoices()
        .list_templates(ListInvoiceTemplatesParams::new().offset(0).limit(2))
        .await
        .expect("decodes");
    wire.sent_body(json!({"offset": 0, "limit": 2})).await;
    assert!(page.has_more);
    assert_eq!(page.total, 7.0);
    let ids: Vec<_> = page.list.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["tmpl_bank_transfer_eu", "tmpl_default"]);
    assert_eq!(page.list[0].net_terms_days, Some(14));
    assert_eq!(page.list[1].footer, None);
    assert_eq!(page.list[1].created_at, None);
}

// ---------------------------------------------------------------- sandboxes

#[tokio::test]
async fn sandboxes_create_returns_the_secret_key_once() {
    let answer = json!({
        "id": "sbx_acme_staging",
        "name": "acme-staging",
        "slug": "acme-staging",
        "created_at": NOW,
        "color": "blue",
        "icon": "Rocket",
        "secret_key": "am_sk_test_sbx_3kP9wQ7mZ2"
    });
    let wire = Wire::answer("/v1/sandboxes.create", answer).await;
    let sandbox = wire
        .autumn
        .sandboxes()
        .create(
            CreateSandboxParams::new("acme-staging")
                .color(SandboxColor::Blue)
                .icon("Rocket"),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({"name": "acme-staging", "color": "blue", "icon": "Rocket"}))
        .await;
    assert_eq!(sandbox.id, "sbx_acme_staging");
    assert_eq!(sandbox.color, SandboxColor::Blue);
    assert_eq!(sandbox.secret_key, "am_sk_test_sbx_3kP9wQ7mZ2");
    assert_eq!(sandbox.created_at, NOW as f64);
}

#[tokio::test]
async fn sandboxes_list_sends_an_empty_object() {
    let answer = json!({
        "list": [
            {
                "id": "sbx_acme_staging", "name": "acme-staging", "slug": "acme-staging",
                "created_at": NOW, "color": "blue", "icon": "Rocket"
            },
            {
                "id": "sbx_acme_qa", "name": "acme-qa", "slug": "acme-qa",
                "created_at": SEP_1, "color": "gray", "icon": "Flask"
            }
        ]
    });
    let wire = Wire::answer("/v1/sandboxes.list", answer).await;
    // `ListSandboxesParams` is an alias of an open map, so "no filters" is
    // an empty map.
    let sandboxes = wire
        .autumn
        .sandboxes()
        .list(ListSandboxesParams::new())
        .await
        .expect("decodes");
    wire.sent_body(json!({})).await;
    let slugs: Vec<_> = sandboxes.list.iter().map(|s| s.slug.as_str()).collect();
    assert_eq!(slugs, ["acme-staging", "acme-qa"]);
    assert_eq!(sandboxes.list[1].color, SandboxColor::Gray);
    assert_eq!(sandboxes.list[1].icon, "Flask");
}

#[tokio::test]
async fn sandboxes_reset() {
    let wire = Wire::answer("/v1/sandboxes.reset", json!({"success": true})).await;
    let reset = wire
        .autumn
        .sandboxes()
        .reset(ResetSandboxParams::new())
        .await
        .expect("decodes");
    wire.sent_body(json!({})).await;
    assert!(reset.success);
}

#[tokio::test]
async fn sandboxes_delete() {
    let wire = Wire::answer("/v1/sandboxes.delete", json!({"success": true})).await;
    let deleted = wire
        .autumn
        .sandboxes()
        .delete(DeleteSandboxParams::new("sbx_acme_qa"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"id": "sbx_acme_qa"})).await;
    assert!(deleted.success);
}

// ---------------------------------------------------------------- webhooks

#[tokio::test]
async fn webhooks_create_returns_the_signing_secret() {
    let mut answer = billing_hook();
    answer["events"] = json!([
        "billing.updated",
        "invoice.finalized",
        "balances.limit_reached"
    ]);
    answer["created_at"] = json!(NOW);
    answer["secret"] = json!("whsec_9fQ2Lm7Acme");
    let wire = Wire::answer("/v1/webhooks.create", answer).await;
    let hook = wire
        .autumn
        .webhooks()
        .create(
            CreateWebhookParams::new(
                "acme_billing_events",
                "https://hooks.acme.example/autumn/billing",
            )
            .events(vec![
                WebhookEventType::BillingUpdated,
                WebhookEventType::InvoiceFinalized,
                WebhookEventType::BalancesLimitReached,
            ])
            .description("Billing events for the Acme back office")
            .disabled(false),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "id": "acme_billing_events",
        "url": "https://hooks.acme.example/autumn/billing",
        "events": ["billing.updated", "invoice.finalized", "balances.limit_reached"],
        "description": "Billing events for the Acme back office",
        "disabled": false
    }))
    .await;
    assert_eq!(hook.secret, "whsec_9fQ2Lm7Acme");
    assert_eq!(hook.events.len(), 3);
    assert_eq!(
        hook.description.as_deref(),
        Some("Billing events for the Acme back office")
    );
}

#[tokio::test]
async fn webhooks_get_decodes_a_null_description() {
    let wire = Wire::answer("/v1/webhooks.get", usage_hook()).await;
    let hook = wire
        .autumn
        .webhooks()
        .get(GetWebhookParams::new("acme_usage_alerts"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"id": "acme_usage_alerts"})).await;
    assert_eq!(hook.description, None);
    assert_eq!(
        hook.events,
        ["balances.usage_alert_triggered", "balances.limit_reached"]
    );
    assert!(!hook.disabled);
    assert_eq!(hook.updated_at, NOW as f64);
}

#[tokio::test]
async fn webhooks_list() {
    let answer = json!({"list": [billing_hook(), usage_hook()]});
    let wire = Wire::answer("/v1/webhooks.list", answer).await;
    let hooks = wire
        .autumn
        .webhooks()
        .list(ListWebhooksParams::new())
        .await
        .expect("decodes");
    wire.sent_body(json!({})).await;
    let ids: Vec<_> = hooks.list.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["acme_billing_events", "acme_usage_alerts"]);
    assert_eq!(hooks.list[1].description, None);
    assert_eq!(
        hooks.list[0].url,
        "https://hooks.acme.example/autumn/billing"
    );
}

#[tokio::test]
async fn webhooks_update() {
    let answer = webhook(
        "acme_usage_alerts",
        "https://hooks.acme.example/autumn/usage-v2",
        json!("Usage alerts for the ops channel"),
        &["balances.usage_alert_triggered"],
        true,
    );
    let wire = Wire::answer("/v1/webhooks.update", answer).await;
    let hook = wire
        .autumn
        .webhooks()
        .update(
            UpdateWebhookParams::new("acme_usage_alerts")
                .url("https://hooks.acme.example/autumn/usage-v2")
                .events(vec![WebhookEventType::BalancesUsageAlertTriggered])
                .description("Usage alerts for the ops channel")
                .disabled(true),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "id": "acme_usage_alerts",
        "url": "https://hooks.acme.example/autumn/usage-v2",
        "events": ["balances.usage_alert_triggered"],
        "description": "Usage alerts for the ops channel",
        "disabled": true
    }))
    .await;
    assert!(hook.disabled);
    assert_eq!(hook.url, "https://hooks.acme.example/autumn/usage-v2");
}

#[tokio::test]
async fn webhooks_delete() {
    let wire = Wire::answer("/v1/webhooks.delete", json!({"success": true})).await;
    let deleted = wire
        .autumn
        .webhooks()
        .delete(DeleteWebhookParams::new("acme_usage_alerts"))
        .await
        .expect("decodes");
    wire.sent_body(json!({"id": "acme_usage_alerts"})).await;
    assert!(deleted.success);
}

/// The hooks a deploy script wants: billing events (to be changed), usage
/// alerts (new) and a CRM hook whose URL is refused.
fn desired_hooks() -> SyncWebhooksParams {
    SyncWebhooksParams::new(vec![
        SyncWebhooksParamsWebhook::new(
            "acme_billing_events",
            "https://hooks.acme.example/autumn/billing",
        )
        .events(vec![
            WebhookEventType::BillingUpdated,
            WebhookEventType::InvoiceFinalized,
            WebhookEventType::CustomerProductsUpdated,
        ]),
        SyncWebhooksParamsWebhook::new(
            "acme_usage_alerts",
            "https://hooks.acme.example/autumn/usage",
        )
        .events(vec![
            WebhookEventType::BalancesUsageAlertTriggered,
            WebhookEventType::BalancesLimitReached,
        ]),
        SyncWebhooksParamsWebhook::new("acme_crm_sync", "http://crm.acme.example/autumn")
            .disabled(true),
    ])
    .skip_deletions(false)
}

fn desired_hooks_body() -> Value {
    json!({
        "webhooks": [
            {
                "id": "acme_billing_events",
                "url": "https://hooks.acme.example/autumn/billing",
                "events": ["billing.updated", "invoice.finalized", "customer.products.updated"]
            },
            {
                "id": "acme_usage_alerts",
                "url": "https://hooks.acme.example/autumn/usage",
                "events": ["balances.usage_alert_triggered", "balances.limit_reached"]
            },
            {"id": "acme_crm_sync", "url": "http://crm.acme.example/autumn", "disabled": true}
        ],
        "skip_deletions": false
    })
}

fn preview_sync_answer() -> Value {
    let mut after = billing_hook();
    after["events"] = json!([
        "billing.updated",
        "invoice.finalized",
        "customer.products.updated"
    ]);
    let legacy = webhook(
        "legacy_zapier",
        "https://hooks.zapier.example/hooks/catch/4471/acme",
        Value::Null,
        &["customer.products.updated"],
        true,
    );
    json!({
        "changes": [
            {"action": "create", "id": "acme_usage_alerts", "webhook": usage_hook()},
            {"action": "update", "id": "acme_billing_events", "before": billing_hook(), "after": after},
            {"action": "delete", "id": "legacy_zapier", "webhook": legacy}
        ],
        "errors": [{"id": "acme_crm_sync", "message": "Webhook URLs must use https"}]
    })
}

#[tokio::test]
async fn webhooks_preview_sync_decodes_each_kind_of_change() {
    let wire = Wire::answer("/v1/webhooks.preview_sync", preview_sync_answer()).await;
    let preview = wire
        .autumn
        .webhooks()
        .preview_sync(desired_hooks())
        .await
        .expect("decodes");
    wire.sent_body(desired_hooks_body()).await;

    assert_eq!(preview.changes.len(), 3);
    match &preview.changes[0] {
        PreviewSyncWebhooksResponseChange::Create(create) => {
            assert_eq!(create.id, "acme_usage_alerts");
            assert_eq!(create.webhook.description, None);
        }
        other => panic!("expected a create, got {other:?}"),
    }
    match &preview.changes[1] {
        PreviewSyncWebhooksResponseChange::Update(update) => {
            assert_eq!(update.before.events.len(), 2);
            assert_eq!(update.after.events[2], "customer.products.updated");
        }
        other => panic!("expected an update, got {other:?}"),
    }
    match &preview.changes[2] {
        PreviewSyncWebhooksResponseChange::Delete(delete) => {
            assert_eq!(delete.id, "legacy_zapier");
            assert!(delete.webhook.disabled);
        }
        other => panic!("expected a delete, got {other:?}"),
    }
    assert_eq!(preview.errors[0].id, "acme_crm_sync");

    // A kind of change a later API version adds is kept, not an error (not
    // a wire answer: the spec's union has no room for it).
    let later: PreviewSyncWebhooksResponseChange = serde_json::from_value(
        json!({"action": "rename", "id": "acme_usage_alerts", "to": "acme_usage"}),
    )
    .expect("decodes");
    match later {
        PreviewSyncWebhooksResponseChange::Unknown(raw) => {
            assert_eq!(raw.as_json()["to"], "acme_usage")
        }
        other => panic!("expected an unknown change, got {other:?}"),
    }
}

#[tokio::test]
async fn webhooks_sync_returns_secrets_of_created_hooks() {
    let answer = json!({
        "webhooks": [billing_hook(), usage_hook()],
        "secrets": [{"id": "acme_usage_alerts", "secret": "whsec_4Tq6NAcmeUsage"}],
        "errors": [{"id": "acme_crm_sync", "message": "Webhook URLs must use https"}]
    });
    let wire = Wire::answer("/v1/webhooks.sync", answer).await;
    let synced = wire
        .autumn
        .webhooks()
        .sync(desired_hooks())
        .await
        .expect("decodes");
    wire.sent_body(desired_hooks_body()).await;
    assert_eq!(synced.webhooks.len(), 2);
    assert_eq!(synced.webhooks[1].description, None);
    assert_eq!(synced.secrets[0].id, "acme_usage_alerts");
    assert_eq!(synced.secrets[0].secret, "whsec_4Tq6NAcmeUsage");
    assert_eq!(synced.errors[0].message, "Webhook URLs must use https");
}

// ---------------------------------------------------------------- logs

#[tokio::test]
async fn logs_search_decodes_api_and_stripe_entries() {
    let answer = json!({
        "list": [
            {
                "timestamp": "2026-09-21T14:13:20.418Z",
                "source": "api_request",
                "status_code": 200,
                "request": {
                    "method": "POST",
                    "url": "https://api.useautumn.com/v1/balances.track",
                    "path": "/v1/balances.track"
                },
                "context": {
                    "org_id": "org_2AcmeRobotics",
                    "customer_id": "cus_acme_42",
                    "entity_id": null,
                    "auth_type": "secret_key",
                    "user_id": null,
                    "user_email": null
                },
                "stripe": {"event_id": null, "event_type": null, "object_id": null},
                "request_body": {"customer_id": "cus_acme_42", "feature_id": "api_calls", "value": 3},
                "response_body": null
            },
            {
                "timestamp": "2026-09-21T09:02:11.007Z",
                "source": "stripe_webhook",
                "status_code": 200,
                "request": {"method": null, "url": null, "path": null},
                "context": {
                    "org_id": "org_2AcmeRobotics",
                    "customer_id": "cus_acme_42",
                    "entity_id": null,
                    "auth_type": null,
                    "user_id": null,
                    "user_email": null
                },
                "stripe": {
                    "event_id": "evt_1RbAcmeInvPaid",
                    "event_type": "invoice.paid",
                    "object_id": "in_1RbAcmeSeats"
                }
            }
        ]
    });
    let wire = Wire::answer("/v1/logs.search", answer).await;
    let logs = wire
        .autumn
        .logs()
        .search(
            SearchRequestLogsParams::new()
                .query("cus_acme_42")
                .range(
                    SearchLogsRange::new()
                        .start_date("2026-09-20T00:00:00Z")
                        .end_date("2026-09-22T00:00:00Z"),
                )
                .limit(50),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "query": "cus_acme_42",
        "range": {"start_date": "2026-09-20T00:00:00Z", "end_date": "2026-09-22T00:00:00Z"},
        "limit": 50
    }))
    .await;

    assert_eq!(logs.list.len(), 2);
    let api = &logs.list[0];
    assert_eq!(api.source, SearchRequestLogsResponseSource::ApiRequest);
    assert_eq!(api.status_code, 200.0);
    assert_eq!(api.request.path.as_deref(), Some("/v1/balances.track"));
    assert_eq!(api.context.entity_id, None);
    assert_eq!(api.context.auth_type.as_deref(), Some("secret_key"));
    assert_eq!(api.stripe.event_id, None);
    assert_eq!(
        api.request_body.as_ref().expect("request body")["feature_id"],
        "api_calls"
    );
    assert_eq!(api.response_body, None);
    let stripe = &logs.list[1];
    assert_eq!(
        stripe.source,
        SearchRequestLogsResponseSource::StripeWebhook
    );
    assert_eq!(stripe.request.method, None);
    assert_eq!(stripe.stripe.event_type.as_deref(), Some("invoice.paid"));
    assert!(stripe.request_body.is_none());
}

// ---------------------------------------------------------------- customers

#[tokio::test]
async fn customers_list_subscriptions() {
    let answer = json!({
        "list": [
            {
                "id": "sub_acme_growth",
                "plan_id": "growth_monthly",
                "auto_enable": false,
                "add_on": false,
                "past_due": false,
                "canceled_at": null,
                "expires_at": null,
                "trial_ends_at": null,
                "started_at": SEP_1,
                "current_period_start": SEP_1,
                "current_period_end": OCT_1,
                "quantity": 1,
                "status": "active",
                "customer_id": "cus_acme_42",
                "entity_id": null,
                "created_at": SEP_1,
                "scope": "customer"
            },
            {
                "id": "sub_acme_seat_ana_pro",
                "plan_id": "pro_seat_monthly",
                "auto_enable": false,
                "add_on": true,
                "past_due": true,
                "canceled_at": SEP_21,
                "expires_at": OCT_1,
                "trial_ends_at": null,
                "started_at": SEP_1,
                "current_period_start": SEP_1,
                "current_period_end": OCT_1,
                "quantity": 1,
                "status": "active",
                "customer_id": "cus_acme_42",
                "entity_id": "seat_ana",
                "created_at": SEP_1
            }
        ],
        "has_more": true,
        "next_cursor": "sub_acme_seat_ana_pro"
    });
    let wire = Wire::answer("/v1/subscriptions.list", answer).await;
    let page = wire
        .autumn
        .customers()
        .list_subscriptions(
            ListSubscriptionsParams::new()
                .customer_id("cus_acme_42")
                .statuses(vec![PurchaseStatus::Active, PurchaseStatus::PastDue])
                .limit(2),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "statuses": ["active", "past_due"],
        "limit": 2
    }))
    .await;
    assert!(page.has_more);
    assert_eq!(page.next_cursor.as_deref(), Some("sub_acme_seat_ana_pro"));
    let growth = &page.list[0];
    assert_eq!(growth.status, ListPurchasesResponseStatus::Active);
    assert_eq!(growth.canceled_at, None);
    assert_eq!(growth.scope, Some(SubscriptionScope::Customer));
    assert_eq!(growth.current_period_end, Some(OCT_1 as f64));
    let seat = &page.list[1];
    assert!(seat.add_on && seat.past_due);
    assert_eq!(seat.entity_id.as_deref(), Some("seat_ana"));
    assert_eq!(seat.canceled_at, Some(SEP_21 as f64));
    assert!(seat.scope.is_none());
}

fn purchase(id: &str, plan_id: &str, status: &str, expires_at: Value) -> Value {
    json!({
        "id": id,
        "plan_id": plan_id,
        "expires_at": expires_at,
        "started_at": SEP_1,
        "quantity": 1,
        "status": status,
        "customer_id": "cus_acme_42",
        "entity_id": null,
        "created_at": SEP_1,
        "scope": "customer"
    })
}

#[tokio::test]
async fn customers_list_purchases() {
    let answer = json!({
        "list": [
            purchase("pur_acme_credits_10k", "credits_10k", "active", Value::Null),
            purchase("pur_acme_onboarding", "onboarding_pack", "expired", json!(SEP_21))
        ],
        "has_more": false,
        "next_cursor": null
    });
    let wire = Wire::answer("/v1/purchases.list", answer).await;
    let page = wire
        .autumn
        .customers()
        .list_purchases(
            ListPurchasesParams::new()
                .customer_id("cus_acme_42")
                .statuses(vec![PurchaseStatus::Active, PurchaseStatus::Expired]),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "statuses": ["active", "expired"]}))
        .await;
    assert!(!page.has_more);
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.list[0].plan_id, "credits_10k");
    assert_eq!(page.list[0].expires_at, None);
    assert_eq!(page.list[1].status, ListPurchasesResponseStatus::Expired);
    assert_eq!(page.list[1].expires_at, Some(SEP_21 as f64));
}

#[tokio::test]
async fn customers_list_purchases_streams_every_page() {
    let op_path = "/v1/purchases.list";
    let first = json!({
        "list": [purchase("pur_acme_credits_10k", "credits_10k", "active", Value::Null)],
        "has_more": true,
        "next_cursor": "pur_acme_credits_10k"
    });
    let last = json!({
        "list": [purchase("pur_acme_onboarding", "onboarding_pack", "expired", json!(SEP_21))],
        "has_more": false,
        "next_cursor": null
    });
    assert_fits(&answer_schema(op_path), &first);
    assert_fits(&answer_schema(op_path), &last);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(op_path))
        .respond_with(move |request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let page = if body.get("start_cursor").is_some() {
                &last
            } else {
                &first
            };
            ResponseTemplate::new(200).set_body_json(with_unknown_field(page.clone()))
        })
        .expect(2)
        .mount(&server)
        .await;

    let purchases: Vec<ListPurchasesResponseListItem> = client(&server)
        .customers()
        .list_purchases(
            ListPurchasesParams::new()
                .customer_id("cus_acme_42")
                .limit(1),
        )
        .stream()
        .try_collect()
        .await
        .expect("both pages decode");
    let ids: Vec<_> = purchases.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["pur_acme_credits_10k", "pur_acme_onboarding"]);

    let requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 2);
    check_common(&requests[0], op_path);
    check_body(
        &requests[0],
        op_path,
        &json!({"customer_id": "cus_acme_42", "limit": 1}),
    );
    check_common(&requests[1], op_path);
    check_body(
        &requests[1],
        op_path,
        &json!({"customer_id": "cus_acme_42", "limit": 1, "start_cursor": "pur_acme_credits_10k"}),
    );
}

#[tokio::test]
async fn customers_advance_test_clock() {
    let answer =
        json!({"customer_id": "cus_acme_42", "frozen_time": OCT_15, "status": "advancing"});
    let wire = Wire::answer("/v1/customers.advance_test_clock", answer).await;
    let clock = wire
        .autumn
        .customers()
        .advance_test_clock(AdvanceTestClockParams::new("cus_acme_42", OCT_15 as i64))
        .await
        .expect("decodes");
    wire.sent_body(json!({"customer_id": "cus_acme_42", "frozen_time": OCT_15}))
        .await;
    assert_eq!(clock.frozen_time, OCT_15 as i64);
    assert_eq!(clock.status, AdvanceTestClockResponseStatus::Advancing);
}

// ---------------------------------------------------------------- balances

#[tokio::test]
async fn balances_list_decodes_plan_and_standalone_grants() {
    let answer = json!({
        "list": [
            {
                "id": "cus_ent_api_calls_growth",
                "plan_id": "growth_monthly",
                "included_grant": 20000,
                "prepaid_grant": 0,
                "remaining": 12475,
                "usage": 7525,
                "unlimited": false,
                "reset": {"interval": "month", "interval_count": 1, "resets_at": OCT_1},
                "price": {
                    "billing_units": 1000,
                    "billing_method": "usage_based",
                    "max_purchase": null,
                    "tiers": [{"to": 100000, "amount": 2}, {"to": "inf", "amount": 1.5}],
                    "tier_behavior": "graduated"
                },
                "expires_at": null,
                "feature_id": "api_calls",
                "status": "active",
                "rollovers": [{"granted": 5000, "balance": 1200, "expires_at": NOV_1}],
                "customer_id": "cus_acme_42",
                "entity_id": null,
                "created_at": SEP_1,
                "source": "customer"
            },
            {
                "id": "cus_ent_api_calls_topup_0917",
                "plan_id": null,
                "included_grant": 50000,
                "prepaid_grant": 0,
                "remaining": 50000,
                "usage": 0,
                "unlimited": false,
                "reset": null,
                "price": null,
                "expires_at": NOV_1,
                "feature_id": "api_calls",
                "status": "active",
                "rollovers": [],
                "customer_id": "cus_acme_42",
                "entity_id": "seat_ana",
                "created_at": SEP_21,
                "source": "entity",
                "allocation": {"amount": 50000}
            }
        ],
        "has_more": false,
        "next_cursor": null
    });
    let wire = Wire::answer("/v1/balances.list", answer).await;
    let page = wire
        .autumn
        .balances()
        .list(
            ListBalancesParams::new()
                .customer_id("cus_acme_42")
                .feature_id("api_calls")
                .statuses(vec![BalanceStatus::Active]),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "feature_id": "api_calls",
        "statuses": ["active"]
    }))
    .await;
    assert_eq!(page.next_cursor, None);
    let plan = &page.list[0];
    assert_eq!(plan.status, BalanceStatus::Active);
    let reset = plan.reset.as_ref().expect("reset");
    assert_eq!(reset.interval, BalanceResetInterval::Month);
    assert_eq!(reset.resets_at, Some(OCT_1 as f64));
    let price = plan.price.as_ref().expect("price");
    assert_eq!(price.max_purchase, None);
    assert_eq!(price.billing_method, BillingMethod::UsageBased);
    let tiers = price.tiers.as_ref().expect("tiers");
    assert_eq!(tiers[0].to, PriceTierTo::Number(100000.0));
    assert_eq!(tiers[1].to, PriceTierTo::Inf);
    assert_eq!(plan.rollovers[0].balance, 1200.0);
    assert_eq!(plan.source, Some(SubscriptionScope::Customer));
    assert!(plan.allocation.is_none());
    let top_up = &page.list[1];
    assert_eq!(top_up.plan_id, None);
    assert!(top_up.reset.is_none() && top_up.price.is_none());
    assert_eq!(top_up.expires_at, Some(NOV_1 as f64));
    assert_eq!(top_up.entity_id.as_deref(), Some("seat_ana"));
    assert_eq!(
        top_up.allocation.as_ref().expect("allocation").amount,
        50000.0
    );
}

#[tokio::test]
async fn balances_list_sends_a_null_plan_for_standalone_grants_only() {
    let answer = json!({"list": [], "has_more": false, "next_cursor": null});
    let wire = Wire::answer("/v1/balances.list", answer).await;
    let page = wire
        .autumn
        .balances()
        .list(
            ListBalancesParams::new()
                .customer_id("cus_acme_42")
                .clear_plan_id()
                .start_cursor("cus_ent_api_calls_topup_0917")
                .limit(100),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "plan_id": null,
        "start_cursor": "cus_ent_api_calls_topup_0917",
        "limit": 100
    }))
    .await;
    assert!(page.list.is_empty());
}

// ---------------------------------------------------------------- billing

#[tokio::test]
async fn billing_verify_decodes_customer_and_subscription_mismatches() {
    let answer = json!({
        "customer_id": "cus_acme_42",
        "customer_mismatches": [{
            "type": "shared_stripe_customer",
            "stripe_customer_id": "cus_Rq81AcmeRobotics",
            "other_customer_ids": ["cus_acme_legacy"],
            "message": "Another Autumn customer uses the same Stripe customer.",
            "severity": "warning",
            "other_customers": [
                {"id": "cus_acme_legacy", "name": "Acme Robotics (2024)", "email": null}
            ]
        }],
        "subscriptions": [
            {
                "stripe_subscription_id": "sub_1RbAcmeSeats",
                "status": "mismatched",
                "mismatches": [
                    {
                        "type": "item_mismatch",
                        "reason": "quantity_mismatch",
                        "message": "Stripe bills 10 seats, Autumn expects 12.",
                        "severity": "error",
                        "expected_price_id": "price_1AcmeSeats",
                        "actual_price_id": "price_1AcmeSeats",
                        "price_type": "prepaid",
                        "feature_id": "seats",
                        "expected_quantity": 12,
                        "actual_quantity": 10,
                        "plan_name": "Team",
                        "plan_id": "team_seats"
                    },
                    {
                        "type": "cancel_state_mismatch",
                        "expected_canceling": false,
                        "actual_canceling": true,
                        "severity": "error"
                    },
                    {"type": "stale_subscription_link", "message": "Linked to a replaced subscription."}
                ]
            },
            {"stripe_subscription_id": "sub_1RbAcmeGrowth", "status": "correct", "mismatches": []}
        ]
    });
    let wire = Wire::answer("/v1/billing.verify", answer).await;
    let report = wire
        .autumn
        .billing()
        .verify(
            VerifyParams::new("cus_acme_42")
                .subscription_ids(vec![
                    "sub_1RbAcmeSeats".to_owned(),
                    "sub_1RbAcmeGrowth".to_owned(),
                ])
                .strict(true),
        )
        .await
        .expect("decodes");
    wire.sent_body(json!({
        "customer_id": "cus_acme_42",
        "subscription_ids": ["sub_1RbAcmeSeats", "sub_1RbAcmeGrowth"],
        "strict": true
    }))
    .await;

    match &report.customer_mismatches[0] {
        CustomerMismatch::SharedStripeCustomer(shared) => {
            assert_eq!(shared.other_customer_ids, ["cus_acme_legacy"]);
            assert_eq!(shared.severity, Some(VerifyResponseSeverity::Warning));
            let other = &shared.other_customers.as_ref().expect("other customers")[0];
            assert_eq!(other.email, None);
        }
        other => panic!("expected a shared Stripe customer, got {other:?}"),
    }
    let seats = &report.subscriptions[0];
    assert_eq!(seats.status, VerifyResponseStatus::Mismatched);
    match &seats.mismatches[0] {
        CustomerMismatch::ItemMismatch(item) => {
            assert_eq!(item.reason, ItemMismatchReason::QuantityMismatch);
            assert_eq!(item.price_type, Some(PriceType::Prepaid));
            assert_eq!(item.expected_quantity, Some(12.0));
            assert_eq!(item.actual_quantity, Some(10.0));
        }
        other => panic!("expected an item mismatch, got {other:?}"),
    }
    match &seats.mismatches[1] {
        CustomerMismatch::CancelStateMismatch(cancel) => {
            assert!(!cancel.expected_canceling && cancel.actual_canceling);
            assert_eq!(cancel.message, None);
        }
        other => panic!("expected a cancel-state mismatch, got {other:?}"),
    }
    match &seats.mismatches[2] {
        CustomerMismatch::StaleSubscriptionLink(stale) => {
            assert_eq!(stale.r#type, "stale_subscription_link");
            assert_eq!(stale.severity, None);
        }
        other => panic!("expected a stale subscription link, got {other:?}"),
    }
    assert_eq!(
        report.subscriptions[1].status,
        VerifyResponseStatus::Correct
    );
    assert!(report.subscriptions[1].mismatches.is_empty());
}

// ---------------------------------------------------------------- platform

#[tokio::test]
async fn platform_get_stripe_connection_when_connected() {
    let answer =
        json!({"connected": true, "account_id": "acct_1AcmeRobotics", "connected_at": SEP_1});
    let wire = Wire::answer("/v1/platform.get_stripe_connection", answer).await;
    let connection = wire
        .autumn
        .platform()
        .get_stripe_connection(GetStripeConnectionParams::new(
            "acme-robotics",
            PlatformEnvironment::Live,
        ))
        .await
        .expect("decodes");
    wire.sent_body(json!({"organization_slug": "acme-robotics", "env": "live"}))
        .await;
    assert!(connection.connected);
    assert_eq!(connection.account_id.as_deref(), Some("acct_1AcmeRobotics"));
    assert_eq!(connection.connected_at, Some(SEP_1 as f64));
}

#[tokio::test]
async fn platform_get_stripe_connection_when_not_connected() {
    let answer = json!({"connected": false, "account_id": null, "connected_at": null});
    let wire = Wire::answer("/v1/platform.get_stripe_connection", answer).await;
    let connection = wire
        .autumn
        .platform()
        .get_stripe_connection(GetStripeConnectionParams::new(
            "acme-robotics",
            PlatformEnvironment::Test,
        ))
        .await
        .expect("decodes");
    wire.sent_body(json!({"organization_slug": "acme-robotics", "env": "test"}))
        .await;
    assert!(!connection.connected);
    assert_eq!(connection.account_id, None);
    assert_eq!(connection.connected_at, None);
}

#[tokio::test]
async fn platform_disconnect_stripe() {
    let wire = Wire::answer("/v1/platform.disconnect_stripe", json!({"success": true})).await;
    let done = wire
        .autumn
        .platform()
        .disconnect_stripe(DisconnectStripeParams::new(
            "acme-robotics",
            PlatformEnvironment::Test,
        ))
        .await
        .expect("decodes");
    wire.sent_body(json!({"organization_slug": "acme-robotics", "env": "test"}))
        .await;
    assert!(done.success);
}
