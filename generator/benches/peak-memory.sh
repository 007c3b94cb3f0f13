#!/usr/bin/env bash
# Peak memory (maximum resident set size) and wall time of one generator run
# (release build) on Autumn's upstream 2.3.0 document, or on
# the document given as the first argument. Needs GNU time (`apt-get install -y time`).
set -euo pipefail
cd "$(dirname "$0")/../.."
spec="${1:-${SHARED_SPECS:-$(cd .. && pwd)/shared/specs}/autumn/autumn-2.3.0.yml}"
if [ ! -x /usr/bin/time ]; then
  echo "peak-memory: /usr/bin/time is missing (apt-get install -y time)" >&2
  exit 1
fi
cargo build -q --release -p generator
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if ! /usr/bin/time -v target/release/generator --spec "$spec" --out "$scratch/sdk" --quiet 2> "$scratch/time.txt"; then
  cat "$scratch/time.txt" >&2
  exit 1
fi
echo "peak memory of generating $(basename "$spec") (release):"
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$scratch/time.txt" | sed 's/^\s*/  /'
