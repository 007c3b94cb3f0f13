//! The change report on Autumn's own documents: 2.1.0 → 2.2.0 → 2.3.0
//! (`SHARED_SPECS/autumn`). The operations it adds and removes must be the
//! ones the documents add and remove (read from the documents' text, not
//! through the generator: an operation is its first tag and its name,
//! `x-speakeasy-name-override` else `operationId`, as the crate's method
//! is; a new path for the same method changes nothing in the crate), and
//! changes upstream is known to have made must be named with the right
//! verdict.

use std::collections::BTreeSet;

use generator::changes::{ChangeKind, Compatibility, Report, Verdict, Version};
use tests::shared_specs;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

fn text(version: &str) -> String {
    let path = shared_specs().join(format!("autumn/autumn-{version}.yml"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e} (set SHARED_SPECS)", path.display()))
}

/// An operation's identity: `tag name`.
fn identity(tag: Option<&str>, name: &str) -> String {
    format!("{} {name}", tag.unwrap_or("-"))
}

/// The name of an operation object, as the crate's method takes it.
fn name_of(op: &serde_json::Value) -> Option<&str> {
    op.get("x-speakeasy-name-override")
        .or_else(|| op.get("operationId"))
        .and_then(serde_json::Value::as_str)
}

/// The identity of every operation, read from the document's text.
fn operations(text: &str) -> BTreeSet<String> {
    let doc: serde_json::Value = serde_yaml::from_str(text).expect("YAML");
    let mut out = BTreeSet::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for op in METHODS.iter().filter_map(|m| item.get(*m)) {
            let tag = op["tags"].get(0).and_then(serde_json::Value::as_str);
            out.insert(identity(
                tag,
                name_of(op).expect("every operation is named"),
            ));
        }
    }
    out
}

fn report(from: &str, to: &str) -> (Report, generator::ir::Api, generator::ir::Api) {
    let old = generator::named_api_str(&text(from)).expect("old document");
    let new = generator::named_api_str(&text(to)).expect("new document");
    let report = Report::new(&old, &new, "autumn-sdk", &Version::new(0, 1, 0));
    (report, old, new)
}

fn has(report: &Report, kind: ChangeKind, item: &str, member: Option<&str>) -> Compatibility {
    report
        .changes
        .iter()
        .find(|c| c.kind == kind && c.item == item && c.member.as_deref() == member)
        .unwrap_or_else(|| panic!("no {kind:?} of {item} {member:?}"))
        .compatibility
}

/// The identity of the operations the report lists as `kind`.
fn listed(report: &Report, api: &generator::ir::Api, kind: ChangeKind) -> BTreeSet<String> {
    report
        .changes
        .iter()
        .filter(|c| c.kind == kind)
        .map(|c| {
            let op = api
                .operations
                .iter()
                .find(|o| o.sdk_name == c.item)
                .expect("the operation is in its document");
            let name = op
                .extensions
                .get("x-speakeasy-name-override")
                .and_then(serde_json::Value::as_str)
                .unwrap_or(&op.id);
            identity(op.tag.as_deref(), name)
        })
        .collect()
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn upstream_releases_report_the_operations_they_add_and_remove() {
    for (from, to) in [("2.1.0", "2.2.0"), ("2.2.0", "2.3.0")] {
        let (report, old, new) = report(from, to);
        let (before, after) = (operations(&text(from)), operations(&text(to)));
        let added: BTreeSet<String> = after.difference(&before).cloned().collect();
        let removed: BTreeSet<String> = before.difference(&after).cloned().collect();
        assert_eq!(
            listed(&report, &new, ChangeKind::OperationAdded),
            added,
            "{from} → {to}: operations added"
        );
        assert_eq!(
            listed(&report, &old, ChangeKind::OperationRemoved),
            removed,
            "{from} → {to}: operations removed"
        );
        assert!(!added.is_empty(), "{from} → {to} adds operations");
        assert_eq!(report.verdict, Verdict::Breaking, "{from} → {to}");
        assert_eq!(report.next_version, "0.2.0");
        println!(
            "{from} → {to}: {} changes, {} breaking; {} operations added, {} removed",
            report.changes.len(),
            report
                .changes
                .iter()
                .filter(|c| c.compatibility == Compatibility::Breaking)
                .count(),
            added.len(),
            removed.len()
        );
    }
}

#[test]
#[ignore = "reads the shared reference specs (SHARED_SPECS); run with --include-ignored"]
fn upstream_2_3_0_moved_lists_to_cursors() {
    let (report, ..) = report("2.2.0", "2.3.0");
    // 2.3.0 pages customers and entities by cursor: the offset fields are gone.
    for item in [
        "ListCustomersParams",
        "ListEntitiesParams",
        "EventsListParams",
    ] {
        assert_eq!(
            has(&report, ChangeKind::FieldRemoved, item, Some("offset")),
            Compatibility::Breaking
        );
    }
    assert_eq!(
        has(
            &report,
            ChangeKind::FieldRemoved,
            "ListCustomersResponse",
            Some("total")
        ),
        Compatibility::Breaking
    );
    // The list body became required. An operation takes its body by value
    // whether it is required or not (one rule for every body), so the
    // method's signature, and what callers write, stays the same.
    assert!(!report.changes.iter().any(|c| {
        c.kind == ChangeKind::OperationSignatureChanged && c.item == "customers.list"
    }));
    assert_eq!(
        has(&report, ChangeKind::OperationAdded, "invoices.list", None),
        Compatibility::Compatible
    );
}
