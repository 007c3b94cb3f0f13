//! The golden crates of `tests/fixtures/*/expected` compiled (as the
//! dev-dependencies of this package, made whole with the runtime under
//! `crates/`), and used: JSON samples that exercise what each fixture is
//! about decode into its models and encode back to the same JSON, and wrong
//! samples (a wrong type, a missing required field, a value no branch of a
//! union takes) are refused. Where a fixture is about requests, a hook
//! captures the request an operation would send.
//!
//! A fixture crate that does not compile fails `cargo test` before any test
//! runs; that is a generator bug (fix the generator, then accept the new
//! goldens with `UPDATE_GOLDEN=1 cargo test -p tests --test generation golden::`).

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Decodes `sample` as `T`, encodes it again and requires the same JSON.
fn round_trip<T: DeserializeOwned + Serialize + Debug>(sample: Value) -> T {
    let name = std::any::type_name::<T>();
    let decoded: T = serde_json::from_value(sample.clone())
        .unwrap_or_else(|e| panic!("{name} does not decode {sample}: {e}"));
    let encoded = serde_json::to_value(&decoded)
        .unwrap_or_else(|e| panic!("{name} does not encode {decoded:?}: {e}"));
    assert_eq!(
        encoded, sample,
        "{name} does not give back its JSON ({decoded:?})"
    );
    decoded
}

/// `T` must refuse `sample`; `why` says what is wrong with it.
fn refused<T: DeserializeOwned + Debug>(sample: Value, why: &str) {
    if let Ok(decoded) = serde_json::from_value::<T>(sample.clone()) {
        panic!(
            "{} accepted {sample} ({why}) as {decoded:?}",
            std::any::type_name::<T>()
        );
    }
}

/// `good` must round-trip as `T`; with one key set to a wrong value
/// (`wrong`: key, value, what is wrong), or with one `required` key left
/// out, it must be refused.
fn refused_variants<T: DeserializeOwned + Serialize + Debug>(
    good: Value,
    wrong: &[(&str, Value, &str)],
    required: &[&str],
) {
    round_trip::<T>(good.clone());
    for (key, value, why) in wrong {
        let mut sample = good.clone();
        sample[*key] = value.clone();
        refused::<T>(sample, why);
    }
    for key in required {
        let mut sample = good.clone();
        sample.as_object_mut().expect("an object").remove(*key);
        refused::<T>(sample, &format!("no {key}"));
    }
}

/// What an operation would send: captured by a hook, which then stops the call.
#[derive(Debug, Default)]
struct Sent {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Sent {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn body_text(&self) -> &str {
        std::str::from_utf8(self.body.as_deref().unwrap_or_default()).expect("a UTF-8 body")
    }
}

/// Captures one request; `$hook` is the fixture crate's `Hook` trait, `$error` its `Error`.
macro_rules! capture_hook {
    ($name:ident, $krate:ident) => {
        #[derive(Clone, Default)]
        struct $name(Arc<Mutex<Option<Sent>>>);

        impl $krate::Hook for $name {
            fn before_request(
                &self,
                _ctx: &$krate::HookContext,
                request: &mut $krate::reqwest::Request,
            ) -> Result<(), $krate::Error> {
                let sent = Sent {
                    method: request.method().to_string(),
                    url: request.url().to_string(),
                    headers: request
                        .headers()
                        .iter()
                        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("?").to_owned()))
                        .collect(),
                    body: request
                        .body()
                        .and_then(|b| b.as_bytes())
                        .map(<[u8]>::to_vec),
                };
                *self.0.lock().unwrap() = Some(sent);
                Err($krate::Error::hook("captured; not sent"))
            }
        }

        impl $name {
            /// The request, after the call `result` was stopped by this hook.
            fn take<T: Debug>(&self, result: Result<T, $krate::Error>) -> Sent {
                match result {
                    Err($krate::Error::Hook(_)) => {}
                    other => panic!("the hook did not stop the call: {other:?}"),
                }
                self.0.lock().unwrap().take().expect("a captured request")
            }
        }
    };
}

/// A server address that is never reached (the hook stops every call first).
const NOWHERE: &str = "http://127.0.0.1:9";

mod minimal {
    //! A 3.1 object with a required string enum (open: unknown values kept)
    //! and an optional `anyOf [string, null]`; an inline request body named
    //! by its title; a path and a query parameter.
    use super::*;
    use minimal_sdk::models::{CreatePetParams, GetPetParams, Pet, PetKind};

    #[test]
    fn pet_round_trips_with_and_without_its_optional_tag() {
        let pet: Pet =
            round_trip(json!({"id": 7, "name": "Rex", "kind": "dog", "tag": "good boy"}));
        assert_eq!(pet.kind, PetKind::Dog);
        assert_eq!(pet.tag.as_deref(), Some("good boy"));
        let pet: Pet = round_trip(json!({"id": -1, "name": "", "kind": "fish"}));
        assert_eq!((pet.kind, pet.tag), (PetKind::Fish, None));
        // An answer's `null` and an absent key mean the same; it encodes as absent.
        let pet: Pet =
            serde_json::from_value(json!({"id": 1, "name": "Tom", "kind": "cat", "tag": null}))
                .unwrap();
        assert_eq!(pet.tag, None);
        assert_eq!(
            serde_json::to_value(&pet).unwrap(),
            json!({"id": 1, "name": "Tom", "kind": "cat"})
        );
    }

    #[test]
    fn an_unknown_kind_is_kept() {
        let pet: Pet =
            round_trip(json!({"id": 9007199254740993_i64, "name": "Liz", "kind": "lizard"}));
        assert!(
            matches!(&pet.kind, PetKind::Unknown(v) if v.as_str() == "lizard"),
            "{:?}",
            pet.kind
        );
        assert_eq!(pet.kind, PetKind::from("lizard"));
        assert_eq!(pet.kind.as_str(), "lizard");
        assert_eq!(pet.id, 9_007_199_254_740_993);
    }

    #[test]
    fn enums_list_parse_and_print_their_values() {
        assert_eq!(PetKind::values(), ["cat", "dog", "fish"]);
        for value in PetKind::values() {
            let kind: PetKind = value.parse().unwrap_or_else(|never| match never {});
            assert!(!matches!(kind, PetKind::Unknown(_)), "{value} is known");
            assert_eq!(kind.to_string(), *value);
            assert_eq!(kind, PetKind::from(*value));
        }
        assert_eq!("dog".parse::<PetKind>(), Ok(PetKind::Dog));
        assert_eq!(PetKind::Cat.to_string(), "cat");
    }

    #[test]
    fn wrong_pets_are_refused() {
        refused::<Pet>(json!({"id": 7, "kind": "dog"}), "no name");
        refused::<Pet>(json!({"name": "Rex", "kind": "dog"}), "no id");
        refused::<Pet>(
            json!({"id": "7", "name": "Rex", "kind": "dog"}),
            "id as a string",
        );
        refused::<Pet>(
            json!({"id": 7.5, "name": "Rex", "kind": "dog"}),
            "id not an integer",
        );
        refused::<Pet>(
            json!({"id": 7, "name": "Rex", "kind": 3}),
            "kind not a string",
        );
        refused::<Pet>(
            json!({"id": 7, "name": "Rex", "kind": "dog", "tag": 5}),
            "tag a number",
        );
        refused::<Pet>(json!("Rex"), "not an object");
    }

    // Generator bug, found by this test: every generated struct derives
    // `serde::Deserialize`, which also takes a JSON array as the fields in
    // declaration order, so `[7, "Rex", "dog"]` decodes as
    // `Pet { id: 7, name: "Rex", kind: Dog, tag: None }` although the schema
    // says `type: object` (an answer of the wrong shape is decoded by position
    // instead of refused). Fixing it is the generator's business (e.g. refuse
    // sequences in the models' `Deserialize`).
    //
    // Ignored, so `cargo test` lists it with the reason; `should_panic`, so
    // `.ci/run`'s `--ignored` run passes while the bug is there, and this test
    // fails as soon as the generator refuses arrays: then remove both marks.
    #[test]
    #[ignore = "generator bug: generated structs decode a JSON array by position (models/pet.rs, derived Deserialize)"]
    #[should_panic(expected = "accepted [7,\"Rex\",\"dog\"] (an array, not an object)")]
    fn an_array_is_not_a_pet() {
        refused::<Pet>(json!([7, "Rex", "dog"]), "an array, not an object");
    }

    #[test]
    fn create_pet_params_round_trip_and_match_their_builder() {
        let params: CreatePetParams = round_trip(json!({"name": "Nemo", "kind": "fish"}));
        assert_eq!(params, CreatePetParams::new("Nemo", PetKind::Fish));
        refused::<CreatePetParams>(json!({"name": "Nemo"}), "no kind");
    }

    capture_hook!(Capture, minimal_sdk);

    #[tokio::test]
    async fn get_pet_sends_its_path_and_query_parameters_and_the_bearer_key() {
        let hook = Capture::default();
        let client = minimal_sdk::PetShop::builder()
            .secret_key("sk_fixture")
            .server_url(NOWHERE)
            .hook(hook.clone())
            .build()
            .unwrap();
        let sent = hook.take(client.pets().get(GetPetParams::new(42).verbose(true)).await);
        assert_eq!(sent.method, "GET");
        assert_eq!(sent.url, format!("{NOWHERE}/pets/42?verbose=true"));
        assert_eq!(sent.header("authorization"), Some("Bearer sk_fixture"));
        let sent = hook.take(client.pets().get(GetPetParams::new(42)).await);
        assert_eq!(sent.url, format!("{NOWHERE}/pets/42"));
        let sent = hook.take(
            client
                .pets()
                .create(CreatePetParams::new("Nemo", "fish"))
                .await,
        );
        assert_eq!(
            (sent.method.as_str(), sent.url.as_str()),
            ("POST", "http://127.0.0.1:9/pets")
        );
        assert_eq!(sent.header("content-type"), Some("application/json"));
        let body: Value = serde_json::from_slice(sent.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!({"name": "Nemo", "kind": "fish"}));
    }
}

mod recursion_and_maps {
    //! Types that contain themselves (directly, in a list, and through a
    //! union of object branches), maps of integers, a `{}` schema (any
    //! JSON), and `allOf` merged into one struct.
    use super::*;
    use recursion_and_maps_sdk::models::{
        AllOfFilter, Combined, FieldFilter, Filter, GetTreeParams, Node,
    };

    #[test]
    fn trees_round_trip_through_children_parents_maps_and_any_json() {
        let node: Node = round_trip(json!({
            "name": "root",
            "parent": {"name": "above", "children": [], "parent": {"name": "top", "children": []}},
            "children": [
                {"name": "a", "children": [], "attributes": {"depth": 1, "width": -2}},
                {"name": "b", "children": [
                    {"name": "b1", "children": [], "extra": {"any": [1, "two", null, {"x": true}]}},
                    {"name": "b2", "children": [], "extra": "text", "attributes": {}}
                ]}
            ],
            "attributes": {"depth": 0, "max": 9007199254740991_i64}
        }));
        assert_eq!(
            node.parent
                .as_ref()
                .and_then(|p| p.parent.as_ref())
                .map(|p| p.name.as_str()),
            Some("top")
        );
        assert_eq!(
            node.children[1].children[0].extra,
            Some(json!({"any": [1, "two", null, {"x": true}]}))
        );
        assert_eq!(
            node.attributes.as_ref().and_then(|a| a.get("max")),
            Some(&9_007_199_254_740_991)
        );
    }

    #[test]
    fn a_deep_tree_round_trips() {
        let mut sample = json!({"name": "leaf", "children": []});
        for depth in 0..60 {
            sample = json!({"name": format!("n{depth}"), "children": [sample.clone()], "parent": {"name": "p", "children": []}});
        }
        let node: Node = round_trip(sample);
        let mut depth = 0;
        let mut at = &node;
        while let Some(child) = at.children.first() {
            at = child;
            depth += 1;
        }
        assert_eq!((depth, at.name.as_str()), (60, "leaf"));
    }

    #[test]
    fn wrong_trees_are_refused() {
        refused::<Node>(json!({"name": "x"}), "no children");
        refused::<Node>(json!({"name": "x", "children": {}}), "children not a list");
        refused::<Node>(
            json!({"name": "x", "children": [{"name": "y"}]}),
            "a child without children",
        );
        refused::<Node>(
            json!({"name": "x", "children": [], "attributes": {"a": "one"}}),
            "a map value not an integer",
        );
        refused::<Node>(
            json!({"name": "x", "children": [], "attributes": {"a": 1.5}}),
            "a map value not an integer",
        );
        refused::<Node>(
            json!({"name": "x", "children": [], "parent": {"children": []}}),
            "a parent without a name",
        );
    }

    #[test]
    fn recursive_filters_decode_into_the_branch_they_fit() {
        let filter: Filter = round_trip(json!({"all": [
            {"field": "status", "equals": "open"},
            {"all": [{"field": "owner", "equals": "me"}, {"all": []}]}
        ]}));
        let Filter::AllOfFilter(AllOfFilter { all, .. }) = &filter else {
            panic!("not the `all` branch: {filter:?}")
        };
        assert_eq!(
            all[0],
            Filter::FieldFilter(FieldFilter::new("status", "open"))
        );
        assert!(matches!(&all[1], Filter::AllOfFilter(inner) if inner.all.len() == 2));
        let params: GetTreeParams =
            round_trip(json!({"root": "r", "filter": {"field": "a", "equals": "b"}}));
        assert_eq!(
            params,
            GetTreeParams::new("r").filter(Filter::FieldFilter(FieldFilter::new("a", "b")))
        );
        round_trip::<GetTreeParams>(json!({"root": "r"}));
    }

    #[test]
    fn filters_that_fit_no_branch_are_refused() {
        refused::<Filter>(json!({"field": "a"}), "a field filter without `equals`");
        refused::<Filter>(
            json!({"all": [{"field": "a"}]}),
            "an inner filter that fits no branch",
        );
        refused::<Filter>(json!({"all": "a"}), "`all` not a list");
        refused::<Filter>(json!("status = open"), "not an object");
        refused::<GetTreeParams>(json!({"filter": {"all": []}}), "no root");
    }

    #[test]
    fn all_of_merges_the_node_and_its_weight() {
        let combined: Combined = round_trip(json!({
            "name": "c", "children": [{"name": "k", "children": []}],
            "parent": {"name": "p", "children": []}, "attributes": {"a": 1}, "extra": [], "weight": 0.25
        }));
        assert_eq!(combined.weight, 0.25);
        round_trip::<Combined>(json!({"name": "c", "children": [], "weight": 3.0}));
        refused::<Combined>(
            json!({"name": "c", "children": []}),
            "no weight (from the second part)",
        );
        refused::<Combined>(
            json!({"children": [], "weight": 1.0}),
            "no name (from the first part)",
        );
    }
}

mod types_3_0 {
    //! OpenAPI 3.0 spellings: `nullable: true` on an optional request field
    //! (absent, null and a value differ) and on a required answer field,
    //! integer formats (`int32`, `int64`, `uint64`), `number`/`float`,
    //! `date-time` as text, an open enum and an untyped property.
    use super::*;
    use types_3_0_sdk::models::{Record, RecordInput, RecordStatus};
    use types_3_0_sdk::Nullable;

    #[test]
    fn record_input_keeps_absent_null_and_a_value_apart() {
        let input: RecordInput = round_trip(
            json!({"label": "a", "note": "n", "size": 3, "weight": 2.5, "active": false}),
        );
        assert_eq!(input.note, Nullable::Value("n".into()));
        let input: RecordInput = round_trip(json!({"label": "a", "note": null}));
        assert_eq!(input.note, Nullable::Null);
        let input: RecordInput = round_trip(json!({"label": "a"}));
        assert_eq!(input.note, Nullable::Absent);
        assert_eq!(
            serde_json::to_value(RecordInput::new("a").clear_note().size(1)).unwrap(),
            json!({"label": "a", "note": null, "size": 1})
        );
    }

    #[test]
    fn wrong_record_inputs_are_refused() {
        refused::<RecordInput>(json!({"note": "n"}), "no label");
        refused::<RecordInput>(
            json!({"label": "a", "size": 2147483648_i64}),
            "size beyond int32",
        );
        refused::<RecordInput>(
            json!({"label": "a", "active": "yes"}),
            "active not a boolean",
        );
        refused::<RecordInput>(json!({"label": "a", "note": 5}), "note a number");
    }

    #[test]
    fn records_round_trip_every_format() {
        let record: Record = round_trip(json!({
            "id": -9223372036854775808_i64, "label": "l", "created_at": "2026-01-01T00:00:00Z",
            "note": null, "count": 3, "ratio": 0.5, "big": 18446744073709551615_u64,
            "status": "published", "anything": {"a": [1, 2.5, "x", null]}
        }));
        assert_eq!(
            (record.big, record.status),
            (Some(u64::MAX), Some(RecordStatus::Published))
        );
        let record: Record = round_trip(json!({
            "id": 1, "label": "l", "created_at": "yesterday", "note": "kept", "count": 0,
            "status": "archived", "anything": false
        }));
        assert_eq!(record.status, Some(RecordStatus::from("archived")));
        assert_eq!(record.anything, Some(json!(false)));
    }

    #[test]
    fn wrong_records_are_refused() {
        let good = json!({"id": 1, "label": "l", "created_at": "t", "note": null, "count": 0});
        refused_variants::<Record>(
            good,
            &[
                ("id", json!("1"), "id as a string"),
                ("count", json!(1.5), "count not an integer"),
                ("big", json!(-1), "a negative uint64"),
                ("ratio", json!("half"), "ratio not a number"),
                ("created_at", json!(1767225600), "a date-time as a number"),
                ("status", json!(["draft"]), "status not a string"),
            ],
            &["id", "label", "created_at", "count"],
        );
    }
}

mod types_3_1 {
    //! OpenAPI 3.1 spellings: `type: [string, "null"]`, `anyOf` with
    //! `{type: "null"}`, `const`, merged `anyOf` of enums, a number-or-"inf"
    //! union, `$ref` with siblings, `prefixItems`, and maps from
    //! `propertyNames` + `additionalProperties: {}`.
    use super::*;
    use types_3_1_sdk::models::{
        Item, ItemColor, ItemScore, UpdateItemParams, Widget, WidgetInput,
    };
    use types_3_1_sdk::Nullable;

    capture_hook!(Capture, types_3_1_sdk);

    #[tokio::test]
    async fn a_widget_request_leaves_out_what_the_server_sets() {
        // `id` and `created_at` are readOnly: the request form has neither.
        let input: WidgetInput = round_trip(json!({"name": "w", "api_key": "k"}));
        assert_eq!(input, WidgetInput::new("w", "k"));
        let hook = Capture::default();
        let client = types_3_1_sdk::ModernShapes::builder()
            .secret_key("sk")
            .server_url(NOWHERE)
            .hook(hook.clone())
            .build()
            .unwrap();
        let sent = hook.take(client.items().create(WidgetInput::new("w", "k")).await);
        let body: Value = serde_json::from_str(sent.body_text()).unwrap();
        assert_eq!(body, json!({"name": "w", "api_key": "k"}));
    }

    #[test]
    fn a_widget_answer_does_not_need_its_write_only_key() {
        // `api_key` is writeOnly: an answer without it decodes.
        let widget: Widget =
            round_trip(json!({"id": "w_1", "created_at": "2024-01-01T00:00:00Z", "name": "w"}));
        assert_eq!(widget.id, "w_1");
        refused::<Widget>(json!({"name": "w", "created_at": "t"}), "no id");
    }

    #[test]
    fn update_item_params_round_trip_the_spec_example_and_every_field() {
        let params: UpdateItemParams = round_trip(json!({"item_id": "it_1", "name": null}));
        assert_eq!(params.name, Nullable::Null);
        let params: UpdateItemParams = round_trip(json!({
            "item_id": "it_2", "name": "n", "kind": "widget", "tags": ["a", "b"], "limit": 0.5,
            "metadata": {"k": {"nested": [true, null]}, "n": 1, "s": "x", "z": null}
        }));
        assert_eq!(params.metadata.as_ref().map(|m| m.len()), Some(4));
        assert_eq!(
            serde_json::to_value(
                UpdateItemParams::new("it_3")
                    .clear_name()
                    .tags(vec!["t".to_owned()])
            )
            .unwrap(),
            json!({"item_id": "it_3", "name": null, "tags": ["t"]})
        );
        refused::<UpdateItemParams>(json!({"name": "n"}), "no item_id");
        refused::<UpdateItemParams>(json!({"item_id": "i", "tags": "a,b"}), "tags not a list");
        refused::<UpdateItemParams>(
            json!({"item_id": "i", "metadata": ["k"]}),
            "metadata not a map",
        );
    }

    #[test]
    fn items_round_trip_both_score_branches_and_every_color() {
        let item: Item = round_trip(json!({
            "id": "i", "name": null, "kind": "widget", "color": "blue", "score": "inf",
            "owner": {"id": "o"}, "pair": ["a", 1]
        }));
        assert_eq!(
            (item.color, item.score),
            (Some(ItemColor::Blue), ItemScore::Inf)
        );
        let item: Item = round_trip(
            json!({"id": "i", "name": "n", "kind": "widget", "color": null, "score": 3.5}),
        );
        assert_eq!((item.color, item.score), (None, ItemScore::Number(3.5)));
        let item: Item = round_trip(
            json!({"id": "i", "name": "n", "kind": "widget", "color": "red", "score": -0.0}),
        );
        assert_eq!(item.color, Some(ItemColor::Red));
        let item: Item = round_trip(
            json!({"id": "i", "name": "n", "kind": "widget", "color": "purple", "score": 0.0}),
        );
        assert!(
            matches!(&item.color, Some(ItemColor::Unknown(v)) if v.as_str() == "purple"),
            "{:?}",
            item.color
        );
    }

    #[test]
    fn wrong_items_are_refused() {
        let good =
            json!({"id": "i", "name": null, "kind": "widget", "color": "green", "score": 1.0});
        refused_variants::<Item>(
            good,
            &[
                (
                    "score",
                    json!("infinite"),
                    "a string other than the constant",
                ),
                ("score", json!(true), "a boolean score"),
                ("score", json!(null), "a null score"),
                ("owner", json!({}), "an owner without an id"),
                ("name", json!(5), "a number name"),
                ("color", json!(1), "a number color"),
                ("pair", json!("a"), "pair not a list"),
            ],
            &["id", "kind", "score"],
        );
    }
}

mod unions {
    //! A `oneOf` with a discriminator and a mapping, an `anyOf` tagged by a
    //! `const` property, both with an `Unknown` catch-all, and an untagged
    //! union of scalars and a list.
    use super::*;
    use unions_sdk::models::{BankTransfer, Card, Created, Deleted, Event, PaymentMethod, Scalar};

    #[test]
    fn payment_methods_dispatch_on_the_discriminator() {
        let card: PaymentMethod = round_trip(json!({"method": "card", "last4": "4242"}));
        assert_eq!(card, PaymentMethod::Card(Card::new("card", "4242")));
        let bank: PaymentMethod =
            round_trip(json!({"method": "bank_transfer", "iban": "DE89370400440532013000"}));
        assert_eq!(
            bank,
            PaymentMethod::BankTransfer(BankTransfer::new(
                "bank_transfer",
                "DE89370400440532013000"
            ))
        );
        // A kind this SDK does not know yet is kept whole.
        let later: PaymentMethod =
            round_trip(json!({"method": "crypto", "wallet": "0xabc", "extra": [1]}));
        assert!(matches!(later, PaymentMethod::Unknown(_)), "{later:?}");
    }

    #[test]
    fn known_payment_methods_must_fit_their_branch() {
        refused::<PaymentMethod>(json!({"method": "card"}), "a card without last4");
        refused::<PaymentMethod>(json!({"method": "card", "last4": 4242}), "last4 a number");
        refused::<PaymentMethod>(
            json!({"method": "bank_transfer", "last4": "4242"}),
            "a transfer without an iban",
        );
    }

    #[test]
    fn events_dispatch_on_their_constant_type() {
        let created: Event = round_trip(json!({"type": "created", "id": "e1"}));
        assert!(
            matches!(&created, Event::Created(Created { id, .. }) if id == "e1"),
            "{created:?}"
        );
        let deleted: Event = round_trip(json!({"type": "deleted", "id": "e2", "reason": null}));
        assert!(
            matches!(&deleted, Event::Deleted(Deleted { reason: None, .. })),
            "{deleted:?}"
        );
        let deleted: Event =
            round_trip(json!({"type": "deleted", "id": "e3", "reason": "duplicate"}));
        assert!(
            matches!(&deleted, Event::Deleted(Deleted { reason: Some(r), .. }) if r == "duplicate")
        );
        let later: Event = round_trip(json!({"type": "archived", "id": "e4"}));
        assert!(matches!(later, Event::Unknown(_)), "{later:?}");
        refused::<Event>(json!({"type": "created"}), "a created event without an id");
        refused::<Event>(
            json!({"type": "deleted", "id": 4, "reason": null}),
            "an id that is a number",
        );
    }

    #[test]
    fn scalars_take_the_branch_of_their_json_type() {
        assert_eq!(round_trip::<Scalar>(json!(true)), Scalar::Boolean(true));
        assert_eq!(round_trip::<Scalar>(json!(-12)), Scalar::Integer(-12));
        assert_eq!(
            round_trip::<Scalar>(json!("12")),
            Scalar::String("12".into())
        );
        assert_eq!(
            round_trip::<Scalar>(json!(["a", "b"])),
            Scalar::List(vec!["a".into(), "b".into()])
        );
        assert_eq!(round_trip::<Scalar>(json!([])), Scalar::List(vec![]));
        refused::<Scalar>(json!(1.5), "a number that is not an integer");
        refused::<Scalar>(json!(null), "null");
        refused::<Scalar>(json!({"a": 1}), "an object");
        refused::<Scalar>(json!([1, 2]), "a list of numbers");
    }
}

mod bodies_and_params {
    //! Bodies other than JSON (an octet stream, a form), several success
    //! answers of different shapes, and parameters in the path (declared on
    //! the path item), a header, the query (a list) and two cookies, given
    //! in one parameters struct per operation.
    use super::*;
    use bodies_and_params_sdk::models::{
        DownloadFilesParams, SendMessageParams, SendMessageRequest, UploadFileAcceptedResponse,
        UploadFileParams, UploadFileResponse,
    };

    #[test]
    fn the_form_body_model_keeps_the_wire_names() {
        let request: SendMessageRequest = round_trip(
            json!({"To": "+15550100", "Body": "hi", "StatusCallback": "https://example.com/cb"}),
        );
        assert_eq!(
            (request.to.as_str(), request.body.as_str()),
            ("+15550100", "hi")
        );
        round_trip::<SendMessageRequest>(json!({"To": "+15550100", "Body": ""}));
        refused::<SendMessageRequest>(json!({"To": "+15550100"}), "no Body");
        refused::<SendMessageRequest>(
            json!({"to": "+15550100", "body": "hi"}),
            "the Rust names, not the wire names",
        );
        refused::<SendMessageRequest>(json!({"To": 15550100, "Body": "hi"}), "To a number");
    }

    #[test]
    fn answers_of_both_statuses_round_trip() {
        assert_eq!(
            round_trip::<UploadFileResponse>(json!({"id": "f1"}))
                .id
                .as_deref(),
            Some("f1")
        );
        assert_eq!(
            round_trip::<UploadFileResponse>(json!({})),
            UploadFileResponse::default()
        );
        assert_eq!(
            round_trip::<UploadFileAcceptedResponse>(json!({"job": "j1"}))
                .job
                .as_deref(),
            Some("j1")
        );
        refused::<UploadFileResponse>(json!({"id": 5}), "id a number");
        refused::<UploadFileAcceptedResponse>(json!({"job": ["j1"]}), "job a list");
    }

    capture_hook!(Capture, bodies_and_params_sdk);

    fn client(hook: &Capture) -> bodies_and_params_sdk::BodiesAndParams {
        bodies_and_params_sdk::BodiesAndParams::builder()
            .secret_key("sk_fixture")
            .server_url(NOWHERE)
            .hook(hook.clone())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn upload_sends_path_header_and_list_query_parameters_and_raw_bytes() {
        let hook = Capture::default();
        let client = client(&hook);
        let params = UploadFileParams::new("acc 1/ü")
            .x_request_id("req-7")
            .tags(vec!["a".to_owned(), "b c".to_owned()]);
        let result = client
            .files()
            .upload(params, bytes::Bytes::from_static(b"\x00\x01binary"))
            .await;
        let sent = hook.take(result);
        assert_eq!(sent.method, "POST");
        assert_eq!(
            sent.url,
            format!("{NOWHERE}/accounts/acc%201%2F%C3%BC/files?tags=a&tags=b+c")
        );
        assert_eq!(sent.header("x-request-id"), Some("req-7"));
        assert_eq!(
            sent.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(sent.header("cookie"), None);
        assert_eq!(sent.body.as_deref(), Some(&b"\x00\x01binary"[..]));
        let sent = hook.take(
            client
                .files()
                .upload(UploadFileParams::new("a"), bytes::Bytes::new())
                .await,
        );
        assert_eq!(sent.url, format!("{NOWHERE}/accounts/a/files"));
        assert_eq!(sent.header("x-request-id"), None);
        let sent = hook.take(client.files().download(DownloadFilesParams::new("a")).await);
        assert_eq!((sent.method.as_str(), sent.body), ("GET", None));
    }

    #[tokio::test]
    async fn cookie_parameters_share_one_cookie_header() {
        let hook = Capture::default();
        let params = UploadFileParams::new("a").session("s1").theme("dark; x");
        let sent = hook.take(
            client(&hook)
                .files()
                .upload(params, bytes::Bytes::new())
                .await,
        );
        assert_eq!(sent.header("cookie"), Some("session=s1; theme=dark%3B%20x"));
        let params = UploadFileParams::new("a").theme("light");
        let sent = hook.take(
            client(&hook)
                .files()
                .upload(params, bytes::Bytes::new())
                .await,
        );
        assert_eq!(sent.header("cookie"), Some("theme=light"));
    }

    #[test]
    fn parameters_structs_start_from_their_required_fields() {
        let params = UploadFileParams::new("acc").session("s");
        assert_eq!(params.account_id, "acc");
        assert_eq!(params.session.as_deref(), Some("s"));
        assert_eq!(
            (params.x_request_id, params.tags, params.theme),
            (None, None, None)
        );
    }

    /// The parts of a `multipart/form-data` body: each part's header lines
    /// (lower-cased) and its content.
    fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<(Vec<String>, Vec<u8>)> {
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_else(|| panic!("not multipart: {content_type}"));
        let delimiter = format!("--{boundary}");
        let mut parts = Vec::new();
        let mut rest = body;
        // Split on the delimiter; the first piece is the empty preamble.
        let mut pieces = Vec::new();
        while let Some(at) = find(rest, delimiter.as_bytes()) {
            pieces.push(&rest[..at]);
            rest = &rest[at + delimiter.len()..];
        }
        assert!(
            rest.starts_with(b"--"),
            "the body ends with the closing delimiter"
        );
        for piece in pieces.into_iter().skip(1) {
            let piece = piece
                .strip_prefix(b"\r\n")
                .expect("CRLF after the delimiter");
            let piece = piece
                .strip_suffix(b"\r\n")
                .expect("CRLF before the delimiter");
            let split = find(piece, b"\r\n\r\n").expect("a blank line after the headers");
            let headers = String::from_utf8(piece[..split].to_vec())
                .unwrap()
                .split("\r\n")
                .map(str::to_ascii_lowercase)
                .collect();
            parts.push((headers, piece[split + 4..].to_vec()));
        }
        parts
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[tokio::test]
    async fn upload_attachment_sends_files_text_and_json_as_multipart_even_on_a_retry() {
        use bodies_and_params_sdk::models::{
            UploadAttachmentParams, UploadAttachmentRequest, UploadAttachmentRequestMetadata,
            UploadAttachmentRequestPurpose,
        };
        use bodies_and_params_sdk::{Backoff, FilePart, RetryPolicy};
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        // The first try fails with a 503, the second is taken: both must
        // carry the whole body.
        Mock::given(method("POST"))
            .and(path("/accounts/acc/attachments"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/accounts/acc/attachments"))
            .respond_with(ResponseTemplate::new(201))
            .mount(&server)
            .await;
        let client = bodies_and_params_sdk::BodiesAndParams::builder()
            .secret_key("sk_fixture")
            .server_url(server.uri())
            .retry_policy(RetryPolicy::standard().with_backoff(
                Backoff::default().with_initial_interval(std::time::Duration::from_millis(1)),
            ))
            .build()
            .unwrap();
        let file = FilePart::new(b"%PDF\x00\x01".to_vec()).file_name("invoice.pdf");
        assert_eq!(
            format!("{file:?}"),
            "FilePart { file_name: Some(\"invoice.pdf\"), content_type: None, bytes: <6 bytes> }"
        );
        let mut metadata = UploadAttachmentRequestMetadata::default();
        metadata.pages = Some(3);
        let body = UploadAttachmentRequest::new(file, UploadAttachmentRequestPurpose::Receipt)
            .metadata(metadata)
            .extra(vec![
                FilePart::new(bytes::Bytes::from_static(b"one")),
                FilePart::new(b"<svg/>".to_vec())
                    .file_name("two.svg")
                    .content_type("image/svg+xml"),
            ]);
        client
            .files()
            .upload_attachment(UploadAttachmentParams::new("acc"), body)
            .await
            .unwrap();

        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 2, "one retry");
        for request in &received {
            let content_type = request.headers["content-type"].to_str().unwrap();
            assert_eq!(
                multipart_parts(content_type, &request.body),
                vec![
                    (
                        vec![
                            "content-disposition: form-data; name=\"file\"; filename=\"invoice.pdf\"".to_owned(),
                            "content-type: application/pdf".to_owned(),
                        ],
                        b"%PDF\x00\x01".to_vec()
                    ),
                    (
                        vec!["content-disposition: form-data; name=\"purpose\"".to_owned()],
                        b"receipt".to_vec()
                    ),
                    (
                        vec![
                            "content-disposition: form-data; name=\"metadata\"".to_owned(),
                            "content-type: application/json".to_owned(),
                        ],
                        b"{\"pages\":3}".to_vec()
                    ),
                    (
                        vec![
                            "content-disposition: form-data; name=\"extra\"".to_owned(),
                            "content-type: application/octet-stream".to_owned(),
                        ],
                        b"one".to_vec()
                    ),
                    (
                        vec![
                            "content-disposition: form-data; name=\"extra\"; filename=\"two.svg\"".to_owned(),
                            "content-type: image/svg+xml".to_owned(),
                        ],
                        b"<svg/>".to_vec()
                    ),
                ],
                "the note, not set, is left out"
            );
        }
        let boundaries: Vec<&str> = received
            .iter()
            .map(|r| r.headers["content-type"].to_str().unwrap())
            .collect();
        assert_ne!(boundaries[0], boundaries[1], "each try builds its own form");
    }

    #[tokio::test]
    async fn a_bad_media_type_for_a_file_is_a_typed_error_before_sending() {
        use bodies_and_params_sdk::models::{
            UploadAttachmentParams, UploadAttachmentRequest, UploadAttachmentRequestPurpose,
        };
        let hook = Capture::default();
        let body = UploadAttachmentRequest::new(
            bodies_and_params_sdk::FilePart::new(b"x".to_vec()).content_type("not a type"),
            UploadAttachmentRequestPurpose::Invoice,
        );
        let result = client(&hook)
            .files()
            .upload_attachment(UploadAttachmentParams::new("acc"), body)
            .await;
        match result {
            Err(bodies_and_params_sdk::Error::InvalidRequest(message)) => {
                assert!(message.contains("not a type"), "{message}")
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn send_message_sends_a_form() {
        let hook = Capture::default();
        let message = SendMessageRequest::new("+15550100", "hi & bye")
            .status_callback("https://example.com/cb?x=1");
        let sent = hook.take(
            client(&hook)
                .messages()
                .send(SendMessageParams::new("acc"), message)
                .await,
        );
        assert_eq!(sent.url, format!("{NOWHERE}/accounts/acc/messages"));
        assert_eq!(
            sent.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            sent.body_text(),
            "To=%2B15550100&Body=hi+%26+bye&StatusCallback=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1"
        );
    }
}

mod webhooks {
    //! Webhooks: one event enum dispatched on a constant (a `const` and an
    //! `enum` of one value, inline and behind `$ref`s), verified deliveries;
    //! and, in `bodies_and_params`, the enum of a document whose one event has
    //! no constant.

    use super::*;
    use webhooks_sdk::models::{DogAdopted, DogArrivedEvent};
    use webhooks_sdk::reqwest::header::HeaderMap;
    use webhooks_sdk::{Webhook, WebhookError, WebhookEvent};

    #[test]
    fn events_dispatch_on_their_constant_and_keep_unknown_ones() {
        let arrived = json!({"event": "dog.arrived", "dog": {"id": "d1", "name": "Rex"}, "kennel": {"row": 3}});
        let event: WebhookEvent = round_trip(arrived);
        assert!(matches!(
            event,
            WebhookEvent::DogArrived(DogArrivedEvent { .. })
        ));
        let adopted = json!({"event": "dog.adopted", "dog": {"id": "d2", "name": "Ada"}});
        let event: WebhookEvent = round_trip(adopted);
        assert!(matches!(event, WebhookEvent::DogAdopted(DogAdopted { .. })));
        let unknown = json!({"event": "dog.walked", "minutes": 30});
        let event: WebhookEvent = round_trip(unknown.clone());
        assert!(
            matches!(&event, WebhookEvent::Unknown(raw) if *raw == unknown),
            "{event:?}"
        );
        refused::<WebhookEvent>(json!({"event": "dog.arrived"}), "no dog");
    }

    #[test]
    fn a_signed_delivery_verifies_and_decodes() {
        let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"event":"dog.adopted","dog":{"id":"d1","name":"Rex"},"adopter":"Ada"}"#;
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let mut headers = HeaderMap::new();
        headers.insert("svix-id", "msg_1".parse().unwrap());
        headers.insert("svix-timestamp", ts.to_string().parse().unwrap());
        headers.insert(
            "svix-signature",
            webhook.sign("msg_1", ts, body).parse().unwrap(),
        );
        let event = webhook.verify(&headers, body).unwrap();
        assert!(matches!(event, WebhookEvent::DogAdopted(_)), "{event:?}");
        let err = webhook.verify(&headers, b"{}").unwrap_err();
        assert!(
            matches!(err, WebhookError::NoMatchingSignature { .. }),
            "{err}"
        );
    }

    #[test]
    fn without_a_constant_events_are_tried_in_order() {
        use bodies_and_params_sdk::WebhookEvent;
        let event: WebhookEvent = round_trip(json!({"text": "hi"}));
        match &event {
            WebhookEvent::MessageReceived(message) => {
                assert_eq!(message.text.as_deref(), Some("hi"))
            }
            other => panic!("not a received message: {other:?}"),
        }
        // A body that fits no event is kept as sent.
        let event: WebhookEvent = round_trip(json!({"text": 5}));
        assert_eq!(event, WebhookEvent::Unknown(json!({"text": 5})));
    }
}
