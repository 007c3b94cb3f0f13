//! `multipart/form-data` bodies on real documents: OpenAI's and Resend's
//! uploads take a typed struct whose file fields are `FilePart`s, and the
//! generated methods send each field as a part. Needs `SHARED_SPECS`.

use generator::ir::{Api, BodyEncoding, PartKind, TypeKind, TypeRef};
use tests::shared_specs;

/// The corpus document `file`, loaded, lowered and named (on a deep stack:
/// these documents are large).
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

/// The body struct's name and its fields' wire names and Rust types (as
/// the SDK writes them), for operation `id`; fails unless the body is multipart.
fn multipart_body(api: &Api, id: &str) -> (String, Vec<(String, String)>) {
    let op = api
        .operations
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation `{id}`"));
    let body = op.body.as_ref().expect("a body");
    assert_eq!(body.encoding, BodyEncoding::Multipart, "{id}");
    let TypeRef::Named(ty) = &body.ty else {
        panic!("{id}: the body is not a named type: {:?}", body.ty)
    };
    let def = api.types.get(*ty);
    let TypeKind::Struct(s) = &def.kind else {
        panic!("{id}: the body is not a struct")
    };
    assert!(s.multipart, "{id}: the struct is not marked multipart");
    for part in &body.parts {
        assert!(
            s.fields.iter().any(|f| f.wire == part.wire),
            "{id}: part `{}` has no field",
            part.wire
        );
    }
    let files: Vec<&str> = body
        .parts
        .iter()
        .filter(|p| p.kind == PartKind::File)
        .map(|p| p.wire.as_str())
        .collect();
    let fields = s
        .fields
        .iter()
        .map(|f| {
            let ty = tests::rust_type(&api.types, &f.ty);
            if ty.contains("FilePart") {
                assert!(
                    files.contains(&f.wire.as_str()),
                    "{id}: `{}` is a file",
                    f.wire
                );
            }
            (f.wire.clone(), ty)
        })
        .collect();
    (def.name.clone(), fields)
}

fn field<'f>(fields: &'f [(String, String)], wire: &str) -> &'f str {
    fields
        .iter()
        .find(|(w, _)| w == wire)
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| panic!("no field `{wire}`"))
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn openai_uploads_take_typed_structs_with_file_parts() {
    let api = corpus_api("openai.yaml");
    let (name, fields) = multipart_body(&api, "createFile");
    assert_eq!(name, "CreateFileRequest");
    assert_eq!(field(&fields, "file"), "autumn_sdk::FilePart");
    assert_eq!(
        field(&fields, "purpose"),
        "autumn_sdk::models::CreateFileRequestPurpose"
    );
    let (_, fields) = multipart_body(&api, "createTranscription");
    assert_eq!(field(&fields, "file"), "autumn_sdk::FilePart");
    assert_eq!(field(&fields, "prompt"), "String");
    let (_, fields) = multipart_body(&api, "addUploadPart");
    assert_eq!(field(&fields, "data"), "autumn_sdk::FilePart");
    // Every upload that offers only multipart is typed; those that offer
    // JSON too are sent as JSON.
    let multipart = api
        .operations
        .iter()
        .filter(|o| {
            o.body
                .as_ref()
                .is_some_and(|b| b.encoding == BodyEncoding::Multipart)
        })
        .count();
    assert_eq!(multipart, 10);
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn resend_contact_import_takes_a_file_part() {
    let api = corpus_api("resend.yaml");
    let (name, fields) = multipart_body(&api, "contacts/create-import");
    assert_eq!(name, "CreateContactImportOptions");
    assert_eq!(field(&fields, "file"), "autumn_sdk::FilePart");
    assert_eq!(field(&fields, "column_map"), "String");
}
