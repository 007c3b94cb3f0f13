//! The change report (`generator changes`) on fixture pairs under
//! `tests/changes/<case>/`: `old.yaml`, `new.yaml`, and the expected report
//! `report.txt` (`UPDATE_GOLDEN=1` rewrites the reports; read the diff).
//! Each case holds one class of change; `compatible_release` and
//! `field_retyped` are also checked with cargo-semver-checks
//! (`tests/semver/check.sh`).

use std::path::PathBuf;

use generator::changes::{render, Report, Verdict};
use tests::workspace;

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(workspace().join("tests/changes"))
        .expect("tests/changes exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("old.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn report(case: &str) -> Report {
    let dir = workspace().join("tests/changes").join(case);
    let api = |file: &str| {
        let text = std::fs::read_to_string(dir.join(file)).expect("fixture readable");
        generator::named_api_str(&text).unwrap_or_else(|e| panic!("{case}/{file}: {e:?}"))
    };
    Report::new(
        &api("old.yaml"),
        &api("new.yaml"),
        "pet-shop-sdk",
        &generator::changes::Version::new(0, 3, 1),
    )
}

#[test]
fn every_case_reports_what_its_expected_report_says() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 14, "the fixture pairs are missing: {all:?}");
    for dir in all {
        let case = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = render::text(&report(&case));
        let expected_path = dir.join("report.txt");
        if update {
            std::fs::write(&expected_path, &text).expect("report writable");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if text != expected {
            failures.push(format!(
                "{case}:\n--- expected\n{expected}\n--- got\n{text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_class_of_change_gets_its_verdict_and_bump() {
    use generator::changes::Bump;
    let expect = [
        ("docs_only", Verdict::None, Bump::Patch),
        ("operation_added", Verdict::Compatible, Bump::Patch),
        ("field_added", Verdict::Compatible, Bump::Patch),
        ("enum_value_added", Verdict::Compatible, Bump::Patch),
        (
            "nested_inline_type_changed",
            Verdict::Compatible,
            Bump::Patch,
        ),
        ("compatible_release", Verdict::Compatible, Bump::Patch),
        ("operation_removed", Verdict::Breaking, Bump::Minor),
        (
            "required_field_added_to_request",
            Verdict::Breaking,
            Bump::Minor,
        ),
        ("field_removed", Verdict::Breaking, Bump::Minor),
        ("field_retyped", Verdict::Breaking, Bump::Minor),
        ("field_made_required", Verdict::Breaking, Bump::Minor),
        ("field_made_optional", Verdict::Breaking, Bump::Minor),
        ("enum_value_removed", Verdict::Breaking, Bump::Minor),
        ("type_renamed", Verdict::Breaking, Bump::Minor),
        (
            "nested_inline_type_field_removed",
            Verdict::Breaking,
            Bump::Minor,
        ),
    ];
    for (case, verdict, bump) in expect {
        let r = report(case);
        assert_eq!((r.verdict, r.bump), (verdict, bump), "{case}");
        let next = match bump {
            Bump::Patch => "0.3.2",
            Bump::Minor => "0.4.0",
            Bump::Major => "1.0.0",
        };
        assert_eq!(r.next_version, next, "{case}");
    }
}

#[test]
fn from_one_zero_on_breaking_changes_bump_the_major_version() {
    use generator::changes::{Bump, Compatibility};
    let v = generator::changes::Version::new(1, 4, 2);
    assert_eq!(Bump::needed(Some(Compatibility::Breaking), &v), Bump::Major);
    assert_eq!(
        Bump::needed(Some(Compatibility::Compatible), &v),
        Bump::Minor
    );
    assert_eq!(Bump::needed(None, &v), Bump::Patch);
    assert_eq!(Bump::Major.apply(&v).to_string(), "2.0.0");
}

#[test]
fn a_rename_is_one_change_not_a_removal_and_an_addition() {
    let r = report("type_renamed");
    let kinds: Vec<String> = r
        .changes
        .iter()
        .map(|c| format!("{:?} {}", c.kind, c.item))
        .collect();
    assert_eq!(kinds, ["TypeRenamed Species"], "{kinds:?}");
    assert_eq!(r.changes[0].before.as_deref(), Some("PetKind"));
}

#[test]
fn the_json_report_holds_every_change() {
    let r = report("compatible_release");
    let json: serde_json::Value = serde_json::from_str(&render::json(&r)).expect("JSON");
    assert_eq!(json["verdict"], "compatible");
    assert_eq!(json["bump"], "patch");
    assert_eq!(json["next_version"], "0.3.2");
    let changes = json["changes"].as_array().expect("a list");
    assert_eq!(changes.len(), r.changes.len());
    assert!(changes
        .iter()
        .any(|c| c["kind"] == "operation_added" && c["item"] == "pets.delete"));
}

#[test]
fn the_changelog_entry_sorts_changes_into_added_changed_removed() {
    let entry = render::changelog_entry(&report("field_made_required"), "2026-12-05");
    assert!(entry.starts_with("## [0.4.0] - 2026-12-05\n"), "{entry}");
    assert!(
        entry.contains("### Changed\n\n- **Breaking:** Field `CreatePetParams.kind` is required"),
        "{entry}"
    );
    assert!(
        entry.contains(
            "\n- **Breaking:** Field `Pet.tag` is required: `Option<String>` → `String`.\n"
        ),
        "{entry}"
    );
    let entry = render::changelog_entry(&report("compatible_release"), "2026-12-05");
    for section in [
        "### Added",
        "Operation `pets.delete`",
        "Value `\"fish\"` of `PetKind`",
    ] {
        assert!(entry.contains(section), "{section} in {entry}");
    }
    assert!(
        !entry.contains("### Removed") && !entry.contains("Breaking"),
        "{entry}"
    );
}
