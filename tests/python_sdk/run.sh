#!/usr/bin/env bash
# Runs Alibaba's official Python SDK (alibabacloud-vpc20160428) against the emulator binary in
# both signing modes. Exits non-zero on any failure.
#   tests/python_sdk/run.sh
# The virtualenv lives in target/python-sdk-venv (ignored by git, reused across runs); set
# PYTHON_SDK_VENV to put it elsewhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${PYTHON_SDK_VENV:-$root/target/python-sdk-venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check alibabacloud-vpc20160428

cargo build --quiet --manifest-path "$root/Cargo.toml" --bin alicloudvpc-emulator
emulator="$root/target/debug/alicloudvpc-emulator"

tmp="$(mktemp -d)"
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$emulator" --listen 127.0.0.1:0 >"$tmp/stdout" 2>"$tmp/stderr" &
emu_pid=$!
for _ in $(seq 1 100); do
  if grep -q '^listening on ' "$tmp/stdout"; then break; fi
  if ! kill -0 "$emu_pid" 2>/dev/null; then cat "$tmp/stderr" >&2; echo "emulator exited" >&2; exit 1; fi
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$tmp/stdout")"
if [ -z "$url" ]; then echo "emulator did not report its address" >&2; exit 1; fi

if ! "$venv/bin/python" "$here/check.py" "$url"; then
  echo "--- emulator log ---" >&2
  cat "$tmp/stderr" >&2
  exit 1
fi
