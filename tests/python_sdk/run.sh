#!/usr/bin/env bash
# Runs Alibaba's official Python SDKs against the emulator binary. Exits non-zero on any failure.
#   tests/python_sdk/run.sh
# - check.py: alibabacloud-vpc20160428, activation, in both signing modes (V3 and V1)
# - pools.py: alibabacloud-vpc20160428, the IP address pool workflow and its refusals, both modes
#   (against an emulator started with --operation-delay, so the asynchronous states show)
# - eips.py: alibabacloud-vpc20160428, EIPs from a pool (allocate, describe, modify, tags,
#   protection, release) and their refusals, both modes, against the same emulator
# - legacy_sdk.py: aliyun-python-sdk-core, a CommonRequest POST with RegionId in query and body
# The binary is looked up in cargo's target directory (CARGO_TARGET_DIR is honoured). The
# virtualenv lives in <target>/python-sdk-venv (reused across runs); PYTHON_SDK_VENV puts it
# elsewhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-}"
if [ -z "$target" ]; then
  # Also honours target-dir from .cargo/config.toml; falls back to the default.
  target="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" 2>/dev/null \
    | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
  target="${target:-$root/target}"
fi
venv="${PYTHON_SDK_VENV:-$target/python-sdk-venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check alibabacloud-vpc20160428 aliyun-python-sdk-core

cargo build --quiet --manifest-path "$root/Cargo.toml" --bin alicloudvpc-emulator
emulator="$target/debug/alicloudvpc-emulator"

tmp="$(mktemp -d)"
emu_pid=""
stop_emulator() {
  if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi
  emu_pid=""
}
cleanup() {
  stop_emulator
  rm -rf "$tmp"
}
trap cleanup EXIT

# Starts the emulator with the given options; sets $url.
start_emulator() {
  stop_emulator
  : >"$tmp/stdout"
  "$emulator" --listen 127.0.0.1:0 "$@" >"$tmp/stdout" 2>"$tmp/stderr" &
  emu_pid=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$tmp/stdout"; then break; fi
    if ! kill -0 "$emu_pid" 2>/dev/null; then cat "$tmp/stderr" >&2; echo "emulator exited" >&2; exit 1; fi
    sleep 0.1
  done
  url="$(sed -n 's/^listening on //p' "$tmp/stdout")"
  if [ -z "$url" ]; then echo "emulator did not report its address" >&2; exit 1; fi
}

run_check() {
  if ! "$venv/bin/python" "$@" "$url"; then
    echo "--- emulator log ---" >&2
    cat "$tmp/stderr" >&2
    exit 1
  fi
}

start_emulator
run_check "$here/check.py"
run_check "$here/legacy_sdk.py"
start_emulator --operation-delay 300
run_check "$here/pools.py"
run_check "$here/eips.py"
