#!/usr/bin/env bash
# Holds the change report's rules against cargo-semver-checks on two fixture
# pairs under tests/changes: `compatible_release` (the report says
# "compatible": a patch release while the crate is 0.x) and `field_removed`
# (the report says "breaking": a minor release while it is 0.x).
#
# For each pair: generate both crates, ask `generator changes` for the bump,
# then run cargo-semver-checks on the two crates:
#   - with the report's bump, the release must pass;
#   - for the breaking pair, a patch release must fail (the tool sees the
#     same breakage the report names).
#
# Needs cargo-semver-checks on PATH (`cargo install --locked cargo-semver-checks`).
# Builds in target/semver (about 3 minutes cold on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work="$root/target/semver"
export CARGO_TARGET_DIR="$work/target"
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
  printf '[package]\nversion = "0.1.0"\n' > "$dir/new.sdk.toml"
  for side in old new; do
    "$generator" --quiet --spec "$dir/$side.yaml" --out "$dir/$side-crate" --crate-name pet-shop-sdk
  done
  local report verdict bump
  report=$("$generator" --crate-name pet-shop-sdk changes --from "$dir/old.yaml" --to "$dir/new.yaml" --json)
  verdict=$(printf '%s' "$report" | sed -n 's/^  "verdict": "\(.*\)",$/\1/p')
  bump=$(printf '%s' "$report" | sed -n 's/^  "bump": "\(.*\)",$/\1/p')
  echo "== $case: the report says $verdict, $bump bump"
  if [ "$verdict" != "$expected" ]; then
    echo "FAIL: expected the report to say $expected" >&2
    status=1
  fi
  if cargo semver-checks check-release --manifest-path "$dir/new-crate/Cargo.toml" \
      --baseline-root "$dir/old-crate" --release-type "$bump" --all-features; then
    echo "ok: cargo-semver-checks accepts a $bump release"
  else
    echo "FAIL: cargo-semver-checks refuses a $bump release" >&2
    status=1
  fi
  if [ "$verdict" = breaking ]; then
    if cargo semver-checks check-release --manifest-path "$dir/new-crate/Cargo.toml" \
        --baseline-root "$dir/old-crate" --release-type patch --all-features; then
      echo "FAIL: cargo-semver-checks accepts a patch release of a breaking change" >&2
      status=1
    else
      echo "ok: cargo-semver-checks refuses a patch release too"
    fi
  fi
}

check compatible_release compatible
check field_removed breaking
exit $status
