//! Where the output folder sits among Cargo workspaces: a crate written
//! inside a workspace that does not list it as a member must declare a
//! workspace of its own, or Cargo refuses to build it ("current package
//! believes it's in a workspace when it's not").

use std::path::Path;

use crate::write::guard::resolved;

/// Whether a crate written at `out` needs its own `[workspace]` table: true
/// when the nearest enclosing `Cargo.toml` with a `[workspace]` does not
/// list `out` among its `members` (or lists it in `exclude`), false when it
/// is a member or no workspace encloses it.
pub fn needs_own_workspace(out: &Path) -> bool {
    let out = resolved(out);
    for root in out.ancestors().skip(1) {
        let Ok(text) = std::fs::read_to_string(root.join("Cargo.toml")) else {
            continue;
        };
        let Ok(manifest) = text.parse::<toml::Table>() else {
            continue;
        };
        let Some(workspace) = manifest.get("workspace").and_then(|w| w.as_table()) else {
            continue;
        };
        let Ok(rel) = out.strip_prefix(root) else {
            return false;
        };
        let paths = |key: &str| -> Vec<String> {
            workspace
                .get(key)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let listed = paths("members").iter().any(|m| {
            glob::Pattern::new(m.trim_end_matches('/')).is_ok_and(|p| p.matches_path(rel))
        });
        let excluded = paths("exclude")
            .iter()
            .any(|e| rel.starts_with(e.trim_end_matches('/')));
        return !listed || excluded;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_told_apart_from_folders_a_workspace_does_not_list() {
        let dir = std::env::temp_dir().join(format!("gen-workspace-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("ws")).unwrap();
        std::fs::write(
            dir.join("ws/Cargo.toml"),
            "[workspace]\nmembers = [\"generated\", \"crates/*\"]\nexclude = [\"crates/old\"]\n",
        )
        .unwrap();
        for (out, own) in [
            ("ws/generated", false),
            ("ws/crates/new-sdk", false),
            ("ws/crates/old", true),
            ("ws/elsewhere/sdk", true),
            ("ws/target/tmp/sdk", true),
            ("outside/sdk", false),
        ] {
            assert_eq!(needs_own_workspace(&dir.join(out)), own, "{out}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
