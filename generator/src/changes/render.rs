//! A [`Report`] as text for people, as JSON for tools, and as a changelog entry.

use std::fmt::Write as _;

use super::{Bump, Change, ChangeKind, Compatibility, Report, Section, Verdict};

/// The report as text: the verdict and bump, then one line per change,
/// breaking changes first.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let breaking = count(report, Compatibility::Breaking);
    let compatible = count(report, Compatibility::Compatible);
    let _ = writeln!(
        out,
        "API {} → {}: {} ({breaking} breaking, {compatible} compatible)",
        report.api_from,
        report.api_to,
        verdict_word(report.verdict)
    );
    let _ = writeln!(
        out,
        "{} {} → {}: {}",
        report.crate_name,
        report.crate_version,
        report.next_version,
        bump_reason(report)
    );
    for (title, level) in [
        ("Breaking", Compatibility::Breaking),
        ("Compatible", Compatibility::Compatible),
    ] {
        let lines: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.compatibility == level)
            .collect();
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for c in lines {
            let _ = writeln!(out, "  {:<28} {}", c.kind.words(), line(c));
        }
    }
    out
}

/// The report as pretty-printed JSON.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| panic!("internal error: the report is not JSON: {e}"));
    text.push('\n');
    text
}

/// A Keep a Changelog entry for the new version, dated `date` (`YYYY-MM-DD`).
pub fn changelog_entry(report: &Report, date: &str) -> String {
    let mut out = format!("## [{}] - {date}\n\n", report.next_version);
    let summary = match report.verdict {
        Verdict::None => "No change to the public API.".to_owned(),
        Verdict::Compatible => {
            "Compatible: code written for the previous version still compiles.".to_owned()
        }
        Verdict::Breaking => format!(
            "Breaking: code written for {} may need changes (marked **Breaking** below).",
            report.crate_version
        ),
    };
    let _ = writeln!(
        out,
        "Generated from API {} (was {}). {summary}",
        report.api_to, report.api_from
    );
    for (title, section) in [
        ("Added", Section::Added),
        ("Changed", Section::Changed),
        ("Removed", Section::Removed),
    ] {
        let items: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.kind.section() == section)
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n");
        for c in items {
            let mark = if c.compatibility == Compatibility::Breaking {
                "**Breaking:** "
            } else {
                ""
            };
            let _ = writeln!(out, "- {mark}{}", entry(c));
        }
    }
    out
}

/// Puts `entry` at the top of a changelog's entries (below its heading),
/// making the heading when the changelog is new.
pub fn prepend_entry(changelog: Option<&str>, entry: &str) -> String {
    const HEAD: &str = "# Changelog\n\nEvery release of this crate, newest first. The format follows\n[Keep a Changelog](https://keepachangelog.com/en/1.1.0/), and the crate\nfollows [Semantic Versioning](https://semver.org/) as Cargo reads it (while\nit is `0.x`, a breaking change bumps the minor version).\n";
    let existing = changelog.unwrap_or(HEAD);
    match existing.find("\n## ") {
        Some(at) => format!("{}{entry}\n{}", &existing[..at + 1], &existing[at + 1..]),
        None => format!(
            "{}\n{entry}",
            existing.trim_end_matches('\n').to_owned() + "\n"
        ),
    }
}

fn count(report: &Report, level: Compatibility) -> usize {
    report
        .changes
        .iter()
        .filter(|c| c.compatibility == level)
        .count()
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::None => "no public API change",
        Verdict::Compatible => "compatible",
        Verdict::Breaking => "breaking",
    }
}

fn bump_reason(report: &Report) -> &'static str {
    let pre_one = report.crate_version.starts_with("0.");
    match (report.bump, report.verdict) {
        (Bump::Patch, Verdict::None) => "patch bump (no change to the public API)",
        (Bump::Patch, _) => "patch bump (additions only, while the crate is 0.x)",
        (Bump::Minor, Verdict::Breaking) if pre_one => {
            "minor bump (breaking changes, while the crate is 0.x)"
        }
        (Bump::Minor, _) => "minor bump (additions only)",
        (Bump::Major, _) => "major bump (breaking changes)",
    }
}

/// What changed, after the kind: `Customer.email: String → Option<String> (note)`.
fn line(c: &Change) -> String {
    let subject = subject(c);
    let detail = match (&c.before, &c.after) {
        (Some(b), Some(a)) => format!(": {b} → {a}"),
        (Some(b), None) => format!(": was {b}"),
        (None, Some(a)) => format!(": {a}"),
        (None, None) => String::new(),
    };
    let note = c
        .note
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    format!("{subject}{detail}{note}")
}

fn subject(c: &Change) -> String {
    match &c.member {
        Some(m) => format!("{}.{m}", c.item),
        None => c.item.clone(),
    }
}

/// A changelog line: the change in words, naming the operation or type.
fn entry(c: &Change) -> String {
    let code = |s: &Option<String>| s.as_deref().map(|s| format!("`{s}`")).unwrap_or_default();
    let subject = format!("`{}`", subject(c));
    let text = match c.kind {
        ChangeKind::OperationAdded => format!("Operation {subject}."),
        ChangeKind::OperationRemoved => format!("Operation {subject}."),
        ChangeKind::OperationSignatureChanged => format!(
            "Operation {subject} takes or returns other types: {} → {}.",
            code(&c.before),
            code(&c.after)
        ),
        ChangeKind::TypeAdded => format!("Type {subject} ({}).", c.after.as_deref().unwrap_or("")),
        ChangeKind::TypeRemoved => format!("Type {subject}."),
        ChangeKind::TypeRenamed => format!("Type {} renamed to {subject}.", code(&c.before)),
        ChangeKind::TypeReshaped => format!(
            "Type {subject}: {} → {}.",
            c.before.as_deref().unwrap_or(""),
            c.after.as_deref().unwrap_or("")
        ),
        ChangeKind::FieldAdded => match &c.after {
            Some(_) => format!("Field {subject} ({}).", code(&c.after)),
            None => format!("Field {subject}."),
        },
        ChangeKind::FieldRemoved => format!("Field {subject}."),
        ChangeKind::FieldRetyped => {
            format!("Field {subject}: {} → {}.", code(&c.before), code(&c.after))
        }
        ChangeKind::FieldMadeRequired => format!(
            "Field {subject} is required: {} → {}.",
            code(&c.before),
            code(&c.after)
        ),
        ChangeKind::FieldMadeOptional => format!(
            "Field {subject} is optional: {} → {}.",
            code(&c.before),
            code(&c.after)
        ),
        ChangeKind::ValueAdded | ChangeKind::ValueRemoved => format!(
            "Value {} of `{}` (`{}`).",
            c.after
                .as_deref()
                .or(c.before.as_deref())
                .map(|v| format!("`{v}`"))
                .unwrap_or_default(),
            c.item,
            c.member.as_deref().unwrap_or("")
        ),
        ChangeKind::VariantAdded | ChangeKind::VariantRemoved => format!("Variant {subject}."),
        ChangeKind::VariantRetyped => format!(
            "Variant {subject}: {} → {}.",
            code(&c.before),
            code(&c.after)
        ),
    };
    match &c.note {
        Some(n) => format!("{} ({n}).", text.trim_end_matches('.')),
        None => text,
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_of_days(secs / 86_400)
}

/// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
fn date_of_days(days: u64) -> String {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_dates() {
        assert_eq!(date_of_days(0), "1970-01-01");
        assert_eq!(date_of_days(11_016), "2000-02-29");
        assert_eq!(date_of_days(20_792), "2026-12-05");
    }

    #[test]
    fn entries_go_above_older_ones() {
        let first = prepend_entry(None, "## [0.1.1] - d\n\nOne.\n");
        assert!(first.starts_with("# Changelog\n"));
        assert!(first.ends_with("\n## [0.1.1] - d\n\nOne.\n"), "{first}");
        let second = prepend_entry(Some(&first), "## [0.2.0] - e\n\nTwo.\n");
        let (new_at, old_at) = (
            second.find("[0.2.0]").unwrap(),
            second.find("[0.1.1]").unwrap(),
        );
        assert!(new_at < old_at, "{second}");
        assert!(second.contains("Two.\n\n## [0.1.1]"), "{second}");
    }
}
