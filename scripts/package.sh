#!/usr/bin/env bash
# Builds the provider and packs it in the layout of a Terraform provider release (the one the
# Registry and `terraform providers mirror` use):
#
#   dist/terraform-provider-alicloudvpc_<version>_<os>_<arch>.zip   (holds terraform-provider-alicloudvpc_v<version>)
#   dist/terraform-provider-alicloudvpc_<version>_SHA256SUMS
#   dist/terraform-provider-alicloudvpc_<version>_manifest.json     (plugin protocol 5.0)
#
# Usage: scripts/package.sh [VERSION]      VERSION defaults to the version in Cargo.toml.
# Environment:
#   PACKAGE_PROFILE=release|debug   cargo profile to build (default release)
#   PACKAGE_BINARY=/path            pack this already built provider binary instead of building
#   DIST_DIR=/path                  output directory (default dist/ in the repository)
# Packs the binary for the machine it runs on (no cross-compilation).
set -euo pipefail

# Paths given in the environment are relative to where the script was started.
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
[ -z "${PACKAGE_BINARY:-}" ] || PACKAGE_BINARY=$(abs "$PACKAGE_BINARY")
[ -z "${DIST_DIR:-}" ] || DIST_DIR=$(abs "$DIST_DIR")
cd "$(dirname "$0")/.."
ROOT=$(pwd)
NAME=terraform-provider-alicloudvpc

die() {
  printf 'package: %s\n' "$*" >&2
  exit 1
}

VERSION=${1:-$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)}
VERSION=${VERSION#v}
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] ||
  die "VERSION must be a semantic version such as 1.2.3 (got '$VERSION')."

# shellcheck source=scripts/platform.sh
. "$ROOT/scripts/platform.sh"

if [ -n "${PACKAGE_BINARY:-}" ]; then
  BINARY=$PACKAGE_BINARY
  [ -x "$BINARY" ] || die "PACKAGE_BINARY=$BINARY is not an executable file."
else
  PROFILE=${PACKAGE_PROFILE:-release}
  case "$PROFILE" in
  release) flags=(--release) ;;
  debug) flags=() ;;
  *) die "PACKAGE_PROFILE must be release or debug, not '$PROFILE'." ;;
  esac
  command -v cargo >/dev/null 2>&1 || die "cargo is not installed; install Rust with rustup (https://rustup.rs)."
  echo "==> cargo build ${flags[*]:-} --bin $NAME"
  cargo build "${flags[@]}" --bin "$NAME"
  BINARY="$ROOT/target/$PROFILE/$NAME"
fi

DIST=${DIST_DIR:-$ROOT/dist}
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
ZIP="${NAME}_${VERSION}_${os}_${arch}.zip"
SUMS="${NAME}_${VERSION}_SHA256SUMS"
MANIFEST="${NAME}_${VERSION}_manifest.json"
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

echo "==> Packing $BINARY as ${NAME}_v${VERSION} in $DIST/$ZIP"
cp "$BINARY" "$STAGE/${NAME}_v${VERSION}"
chmod 0755 "$STAGE/${NAME}_v${VERSION}"
rm -f "$DIST/$ZIP"
if command -v zip >/dev/null 2>&1; then
  (cd "$STAGE" && zip -q -X "$DIST/$ZIP" "${NAME}_v${VERSION}")
elif command -v python3 >/dev/null 2>&1; then
  python3 - "$STAGE/${NAME}_v${VERSION}" "$DIST/$ZIP" <<'EOF'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
info = zipfile.ZipInfo(os.path.basename(src), date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = (0o100755 << 16)  # a regular, executable file once unpacked
info.compress_type = zipfile.ZIP_DEFLATED
info.create_system = 3  # Unix, so that the mode above is honoured
with open(src, "rb") as f, zipfile.ZipFile(dst, "w") as z:
    z.writestr(info, f.read())
EOF
else
  die "neither zip nor python3 is installed; install one of them (e.g. apt-get install zip)."
fi

echo "==> Writing $DIST/$MANIFEST"
printf '{\n  "version": 1,\n  "metadata": {\n    "protocol_versions": ["5.0"]\n  }\n}\n' >"$DIST/$MANIFEST"

echo "==> Writing $DIST/$SUMS"
if command -v sha256sum >/dev/null 2>&1; then
  sha=(sha256sum)
else
  sha=(shasum -a 256)
fi
# Every zip of this version in dist/ (other platforms packed earlier included) and the manifest.
(cd "$DIST" && "${sha[@]}" "${NAME}_${VERSION}"_*.zip "$MANIFEST") >"$DIST/$SUMS"
cat "$DIST/$SUMS"
