//! `readOnly` on real documents: Paddle and OpenMeter mark ids and
//! timestamps read-only hundreds of times, and their create requests must
//! not ask for them. Needs `SHARED_SPECS`.

use generator::ir::{Api, TypeKind, TypeRef};
use tests::shared_specs;

/// The corpus document `file`, loaded, lowered and named (on a deep stack: these documents are large).
fn corpus_api(file: &str) -> Api {
    let path = shared_specs().join("corpus").join(file);
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let loaded = generator::load::load_file(&path).expect("loads");
            let mut api = generator::lower::lower(&loaded).expect("lowers").api;
            generator::naming::assign(&mut api, None);
            api
        })
        .unwrap()
        .join()
        .unwrap()
}

/// The name and the wire names of the fields of the struct `t` names.
fn struct_fields(api: &Api, t: &TypeRef) -> (String, Vec<String>) {
    let TypeRef::Named(id) = t.non_null() else {
        panic!("not a named type: {t:?}")
    };
    let def = api.types.get(*id);
    let TypeKind::Struct(s) = &def.kind else {
        panic!("{} is not a struct", def.name)
    };
    (
        def.name.clone(),
        s.fields.iter().map(|f| f.wire.clone()).collect(),
    )
}

/// The body type of operation `id` and the type of its first success answer.
fn body_and_answer<'a>(api: &'a Api, id: &str) -> (&'a TypeRef, &'a TypeRef) {
    let op = api
        .operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"));
    let body = &op.body.as_ref().expect("a body").ty;
    let answer = op.success[0].ty.as_ref().expect("an answer");
    (body, answer)
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn paddle_create_address_does_not_ask_for_an_id() {
    let api = corpus_api("paddle.yaml");
    let (body, _) = body_and_answer(&api, "create-address");
    let (name, fields) = struct_fields(&api, body);
    assert!(!fields.contains(&"id".to_owned()), "{name}: {fields:?}");
    assert!(
        fields.contains(&"first_line".to_owned()),
        "{name}: {fields:?}"
    );
    // No type a Paddle request sends has an `id`, `created_at` or `updated_at`
    // that the document marks read-only.
    let (customer, fields) = struct_fields(&api, body_and_answer(&api, "create-customer").0);
    for read_only in ["id", "created_at", "updated_at"] {
        assert!(
            !fields.contains(&read_only.to_owned()),
            "{customer}: {fields:?}"
        );
    }
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn openmeter_create_portal_token_sends_an_input_form() {
    let api = corpus_api("openmeter.yaml");
    let (body, answer) = body_and_answer(&api, "createPortalToken");
    let (request, sent) = struct_fields(&api, body);
    let (response, answered) = struct_fields(&api, answer);
    // One schema both ways: two types, the request's without the read-only fields.
    assert_eq!(
        (request.as_str(), response.as_str()),
        ("PortalTokenInput", "PortalToken")
    );
    for read_only in ["id", "expiresAt", "expired", "createdAt", "token"] {
        assert!(!sent.contains(&read_only.to_owned()), "{request}: {sent:?}");
        assert!(
            answered.contains(&read_only.to_owned()),
            "{response}: {answered:?}"
        );
    }
}
