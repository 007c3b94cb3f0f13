//! The change report: what a new version of the spec changes in the public
//! API of the generated crate, whether each change is compatible or
//! breaking, and the semver bump the crate needs.
//!
//! Both documents go through the pipeline as far as naming (the names are
//! the crate's API), then [`compare`] walks the two IRs. The rules follow
//! from how the crate is emitted: every model struct and enum is
//! `#[non_exhaustive]`, request types are built with `new(required..)` and
//! setters, and string enums keep unknown values in an opaque `Unknown`.
//! [`render`] prints a report as text, JSON or a changelog entry.

mod diff;
pub mod render;
pub mod source;

use serde::Serialize;

pub use diff::compare;
/// Crate versions, as Cargo reads them.
pub use semver::Version;

/// The changelog of the spec at `spec`, beside it (`autumn.changelog.md`
/// beside `autumn.yaml`); generation copies it to the crate's `CHANGELOG.md`.
pub fn changelog_beside(spec: &std::path::Path) -> std::path::PathBuf {
    spec.with_extension("changelog.md")
}

/// Whether a change can break code that compiled against the old crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compatibility {
    /// Code written for the old crate still compiles and means the same.
    Compatible,
    /// Some code written for the old crate no longer compiles.
    Breaking,
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new operation (a client method and a function in `funcs`).
    OperationAdded,
    /// An operation is gone.
    OperationRemoved,
    /// An operation's arguments or answer type changed.
    OperationSignatureChanged,
    /// A new model.
    TypeAdded,
    /// A model is gone.
    TypeRemoved,
    /// A model has a new name and the same shape.
    TypeRenamed,
    /// A model changed what it is (a struct became an enum, an alias points elsewhere...).
    TypeReshaped,
    /// A struct has a new field.
    FieldAdded,
    /// A struct lost a field.
    FieldRemoved,
    /// A field holds another type.
    FieldRetyped,
    /// A field must now be given (request types) or is always present (answers).
    FieldMadeRequired,
    /// A field may now be left out or be absent.
    FieldMadeOptional,
    /// A string enum has a new value.
    ValueAdded,
    /// A string enum lost a value.
    ValueRemoved,
    /// A union has a new variant.
    VariantAdded,
    /// A union lost a variant.
    VariantRemoved,
    /// A union variant holds another type.
    VariantRetyped,
}

impl ChangeKind {
    /// The words the text report uses.
    pub fn words(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation added",
            ChangeKind::OperationRemoved => "operation removed",
            ChangeKind::OperationSignatureChanged => "operation signature changed",
            ChangeKind::TypeAdded => "type added",
            ChangeKind::TypeRemoved => "type removed",
            ChangeKind::TypeRenamed => "type renamed",
            ChangeKind::TypeReshaped => "type reshaped",
            ChangeKind::FieldAdded => "field added",
            ChangeKind::FieldRemoved => "field removed",
            ChangeKind::FieldRetyped => "field retyped",
            ChangeKind::FieldMadeRequired => "field made required",
            ChangeKind::FieldMadeOptional => "field made optional",
            ChangeKind::ValueAdded => "enum value added",
            ChangeKind::ValueRemoved => "enum value removed",
            ChangeKind::VariantAdded => "union variant added",
            ChangeKind::VariantRemoved => "union variant removed",
            ChangeKind::VariantRetyped => "union variant retyped",
        }
    }

    /// The changelog section (Keep a Changelog) the change belongs to.
    pub fn section(self) -> Section {
        match self {
            ChangeKind::OperationAdded
            | ChangeKind::TypeAdded
            | ChangeKind::FieldAdded
            | ChangeKind::ValueAdded
            | ChangeKind::VariantAdded => Section::Added,
            ChangeKind::OperationRemoved
            | ChangeKind::TypeRemoved
            | ChangeKind::FieldRemoved
            | ChangeKind::ValueRemoved
            | ChangeKind::VariantRemoved => Section::Removed,
            ChangeKind::OperationSignatureChanged
            | ChangeKind::TypeRenamed
            | ChangeKind::TypeReshaped
            | ChangeKind::FieldRetyped
            | ChangeKind::FieldMadeRequired
            | ChangeKind::FieldMadeOptional
            | ChangeKind::VariantRetyped => Section::Changed,
        }
    }
}

/// A section of a Keep a Changelog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// New things.
    Added,
    /// Things that work differently.
    Changed,
    /// Things that are gone.
    Removed,
}

/// One change to the crate's public API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Compatible or breaking.
    pub compatibility: Compatibility,
    /// What changed.
    pub kind: ChangeKind,
    /// The operation (its SDK name, e.g. `customers.list`) or model (its Rust name).
    pub item: String,
    /// The field, enum value or union variant, when the change is inside a model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// What it was (a Rust type, a signature, an old name), when that says something.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// What it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Why the change is breaking or compatible, when the kind alone does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The version bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing public changed (documentation, wire details): `x.y.z+1`.
    Patch,
    /// Additions only, or breaking changes while the crate is `0.x`.
    Minor,
    /// Breaking changes from `1.0.0` on.
    Major,
}

impl Bump {
    /// The bump for changes of at most `worst` compatibility, for a crate at `current`.
    ///
    /// Cargo treats the left-most non-zero part as the major version, so
    /// while the crate is `0.x` a breaking change bumps the minor version
    /// and an addition the patch version.
    pub fn needed(worst: Option<Compatibility>, current: &semver::Version) -> Bump {
        let pre_one = current.major == 0;
        match worst {
            None => Bump::Patch,
            Some(Compatibility::Compatible) if pre_one => Bump::Patch,
            Some(Compatibility::Compatible) => Bump::Minor,
            Some(Compatibility::Breaking) if pre_one => Bump::Minor,
            Some(Compatibility::Breaking) => Bump::Major,
        }
    }

    /// `current` with this bump applied.
    pub fn apply(self, current: &semver::Version) -> semver::Version {
        let mut next = semver::Version::new(current.major, current.minor, current.patch);
        match self {
            Bump::Patch => next.patch += 1,
            Bump::Minor => {
                next.minor += 1;
                next.patch = 0;
            }
            Bump::Major => {
                next.major += 1;
                next.minor = 0;
                next.patch = 0;
            }
        }
        next
    }
}

/// The whole report: the two API versions, every change, and the bump.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `info.version` of the old document.
    pub api_from: String,
    /// `info.version` of the new document.
    pub api_to: String,
    /// The crate's package name.
    pub crate_name: String,
    /// The crate's current version.
    pub crate_version: String,
    /// `breaking` when any change is, else `compatible` when there are
    /// changes, else `none`.
    pub verdict: Verdict,
    /// The bump the changes need.
    pub bump: Bump,
    /// The version after the bump.
    pub next_version: String,
    /// Every change, breaking ones first, then by item and member.
    pub changes: Vec<Change>,
}

/// The report's one-word summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No change to the public API.
    None,
    /// Only compatible changes.
    Compatible,
    /// At least one breaking change.
    Breaking,
}

impl Report {
    /// The report on going from `old` to `new`, for the crate `crate_name` now at `current`.
    pub fn new(
        old: &crate::ir::Api,
        new: &crate::ir::Api,
        crate_name: &str,
        current: &semver::Version,
    ) -> Report {
        let mut changes = compare(old, new);
        changes.sort_by(|a, b| {
            b.compatibility
                .cmp(&a.compatibility)
                .then_with(|| a.item.cmp(&b.item))
                .then_with(|| a.kind.cmp(&b.kind))
                .then_with(|| a.member.cmp(&b.member))
        });
        let worst = changes.iter().map(|c| c.compatibility).max();
        let bump = Bump::needed(worst, current);
        Report {
            api_from: old.info.version.clone(),
            api_to: new.info.version.clone(),
            crate_name: crate_name.to_owned(),
            crate_version: current.to_string(),
            verdict: match worst {
                None => Verdict::None,
                Some(Compatibility::Compatible) => Verdict::Compatible,
                Some(Compatibility::Breaking) => Verdict::Breaking,
            },
            bump,
            next_version: bump.apply(current).to_string(),
            changes,
        }
    }
}
