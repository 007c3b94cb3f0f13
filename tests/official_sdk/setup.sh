#!/usr/bin/env bash
# Installs Autumn's official Python SDK and the test helpers into a virtualenv
# under target/official-sdk (skipped when it is already there with the same
# requirements). Prints the interpreter's path on its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
workspace="$(cd "$here/../.." && pwd)"
venv="$workspace/target/official-sdk/venv"
stamp="$venv/.requirements"
if ! cmp -s "$here/requirements.txt" "$stamp" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi
echo "$venv/bin/python"
