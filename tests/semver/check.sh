#!/usr/bin/env bash
# Holds the change report's rules against cargo-semver-checks on two fixture
# pairs under tests/changes: `compatible_release` (the report says
# "compatible": a patch release while the crate is 0.x) and `field_removed`
# (the report says "breaking": a minor release while it is 0.x).
#
# For each pair: generate the old crate (version 0.1.0), then release the new
# one the way a maintainer does, with `generator changes --write` (which
# bumps the version by the report and generates the crate), and run
# cargo-semver-checks on the two crates:
#   - the release with the report's version must pass;
#   - for the breaking pair, a patch release must be refused for the
#     breakage the report names (a lint, not an error of the tool).
#
# Needs cargo-semver-checks on PATH (`cargo install --locked cargo-semver-checks`).
# Works in target/semver (about 2 minutes on 2 cores once the tool is installed).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work="$root/target/semver"
mkdir -p "$work"
cargo build -q -p generator
generator="$root/target/debug/generator"
cargo semver-checks --version

status=0
check() {
  local case=$1 expected=$2
  local dir="$work/$case"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "tests/changes/$case/old.yaml" "$dir/old.yaml"
  cp "tests/changes/$case/new.yaml" "$dir/new.yaml"
  "$generator" --quiet --spec "$dir/old.yaml" --out "$dir/old-crate" --crate-name pet-shop-sdk
  printf '[package]\nversion = "0.1.0"\n' > "$dir/new.sdk.toml"
  local report verdict next
  report=$("$generator" --quiet --crate-name pet-shop-sdk --out "$dir/new-crate" \
    changes --from "$dir/old.yaml" --to "$dir/new.yaml" --json --write)
  verdict=$(printf '%s\n' "$report" | sed -n 's/^  "verdict": "\(.*\)",$/\1/p')
  next=$(printf '%s\n' "$report" | sed -n 's/^  "next_version": "\(.*\)",$/\1/p')
  echo "== $case: the report says $verdict, 0.1.0 → $next"
  if [ "$verdict" != "$expected" ]; then
    echo "FAIL: expected the report to say $expected" >&2
    status=1
  fi
  # Both crates sit in this workspace's target directory, outside the workspace
  # (the generator gives such a crate its own `[workspace]`).
  for side in old new; do
    grep -q '^\[workspace\]' "$dir/$side-crate/Cargo.toml" || printf '\n[workspace]\n' >> "$dir/$side-crate/Cargo.toml"
  done
  if semver_checks "$dir" > "$dir/release.log" 2>&1; then
    echo "ok: cargo-semver-checks accepts the release as $next"
  else
    cat "$dir/release.log"
    echo "FAIL: cargo-semver-checks refuses the release as $next" >&2
    status=1
  fi
  if [ "$verdict" = breaking ]; then
    semver_checks "$dir" --release-type patch > "$dir/patch.log" 2>&1 || true
    if grep -q "semver requires new" "$dir/patch.log"; then
      echo "ok: cargo-semver-checks refuses it as a patch release:"
      grep -E '^--- failure|^ *Summary|^  [a-z].* of ' "$dir/patch.log" | sed 's/^ */    /'
    else
      cat "$dir/patch.log"
      echo "FAIL: cargo-semver-checks does not refuse a patch release of a breaking change" >&2
      status=1
    fi
  fi
}

semver_checks() {
  local dir=$1
  shift
  CARGO_TARGET_DIR="$work/target" cargo semver-checks check-release \
    --manifest-path "$dir/new-crate/Cargo.toml" --baseline-root "$dir/old-crate" --all-features "$@"
}

check compatible_release compatible
check field_removed breaking
exit $status
