#!/usr/bin/env bash
# Quickstart: build the provider and the emulator, start the emulator on a free local port,
# install the provider for Terraform from a local filesystem mirror, and run `terraform init`
# and `terraform apply` of examples/quickstart/ against the emulator: activate the feature,
# create a pool with tags, add a CIDR block by mask, allocate three EIPs from the pool, read
# them back with the data sources. Shows the outputs and that a second `terraform plan` is
# empty, then stops the emulator (its pools, blocks and EIPs live only in its memory) and
# removes every temporary file (also on failure or Ctrl-C).
#
# Needs: cargo (Rust via rustup) and terraform (1.11) on PATH. No Alibaba Cloud account and no
# internet access: Terraform only looks at the local mirror, and the emulator listens on
# 127.0.0.1.
#
# Environment:
#   PROFILE=release|debug   cargo profile to build and use (default release; debug reuses the
#                           build of `cargo build` / `cargo test`)
#   REGION=cn-hangzhou      region to work in (default cn-hangzhou)
#   CARGO_TARGET_DIR        honoured, as cargo does (default target/)
#   KEEP=1                  keep the temporary directory (Terraform state, emulator log)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PROFILE=${PROFILE:-release}
REGION=${REGION:-cn-hangzhou}

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf 'quickstart: %s\n' "$*" >&2
  exit 1
}

command -v cargo >/dev/null 2>&1 ||
  die "cargo is not installed. Install Rust with rustup (https://rustup.rs), then run this again."
command -v terraform >/dev/null 2>&1 ||
  die "terraform is not installed. Install Terraform 1.11 (https://developer.hashicorp.com/terraform/install), then run this again."

case "$PROFILE" in
release) cargo_flags=(--release) ;;
debug) cargo_flags=() ;;
*) die "PROFILE must be release or debug, not '$PROFILE'." ;;
esac

VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$VERSION" ] || die "cannot read the package version from Cargo.toml."
# shellcheck source=scripts/platform.sh
. "$ROOT/scripts/platform.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/alicloudvpc-quickstart.XXXXXX")
EMULATOR_PID=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    echo
    echo "==> Stopping the emulator (pid $EMULATOR_PID)"
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  if [ "${KEEP:-}" = 1 ]; then
    echo "==> Kept $TMP (Terraform working directory in work/, emulator log in emulator.log)"
  else
    echo "==> Removing $TMP"
    rm -rf "$TMP"
  fi
  if [ "$status" -ne 0 ]; then
    echo "quickstart: FAILED (exit status $status)" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Building the provider and the emulator (cargo build ${cargo_flags[*]:-}, profile $PROFILE)"
cargo build "${cargo_flags[@]}" --bin terraform-provider-alicloudvpc --bin alicloudvpc-emulator
# cargo builds into CARGO_TARGET_DIR when it is set (relative to this directory, like cargo).
TARGET_DIR=${CARGO_TARGET_DIR:-target}
case "$TARGET_DIR" in
/*) ;;
*) TARGET_DIR="$ROOT/$TARGET_DIR" ;;
esac
BIN_DIR="$TARGET_DIR/$PROFILE"

step "Starting the emulator on a free port of 127.0.0.1"
"$BIN_DIR/alicloudvpc-emulator" --listen 127.0.0.1:0 >"$TMP/emulator.out" 2>"$TMP/emulator.log" &
EMULATOR_PID=$!
URL=""
for _ in $(seq 1 100); do
  URL=$(sed -n 's/^listening on //p' "$TMP/emulator.out")
  [ -n "$URL" ] && break
  kill -0 "$EMULATOR_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ]; then
  cat "$TMP/emulator.log" >&2 || true
  die "the emulator did not start (its log is above)."
fi
echo "emulator listening on $URL (demo account 1234567890123456)"

MIRROR="$TMP/mirror"
PKG_DIR="$MIRROR/registry.terraform.io/local/alicloudvpc/$VERSION/${os}_${arch}"
step "Installing provider $VERSION into a filesystem mirror: $PKG_DIR"
mkdir -p "$PKG_DIR"
cp "$BIN_DIR/terraform-provider-alicloudvpc" "$PKG_DIR/terraform-provider-alicloudvpc"
# Only the local mirror, no `direct {}`: Terraform never tries to reach a registry.
cat >"$TMP/terraform.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/local/*"]
  }
}
EOF
echo "CLI configuration: $TMP/terraform.tfrc"

# Terraform and the provider read only what is set here: no ambient credentials, profiles,
# reattached providers or plugin caches from the calling shell.
unset ALIBABA_CLOUD_PROFILE ALICLOUD_PROFILE ALIBABA_CLOUD_SECURITY_TOKEN ALICLOUD_SECURITY_TOKEN \
  ALIBABA_CLOUD_ECS_METADATA ALICLOUD_ECS_ROLE_NAME ALICLOUD_ACCESS_KEY ALICLOUD_SECRET_KEY \
  TF_REATTACH_PROVIDERS TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_CLI_ARGS TF_WORKSPACE
export CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE="$TMP/terraform.tfrc"
export TF_IN_AUTOMATION=1
export TF_INPUT=0
export TF_VAR_region="$REGION"
export ALIBABA_CLOUD_ACCESS_KEY_ID=emulator-access-key
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-secret-key
export ALIBABA_CLOUD_REGION="$REGION"
export ALIBABA_CLOUD_ENDPOINT_VPC="$URL"
export ALIBABA_CLOUD_ENDPOINT_STS="$URL"

step "Copying examples/quickstart/ to $TMP/work"
mkdir -p "$TMP/work"
cp "$ROOT"/examples/quickstart/*.tf "$TMP/work/"
cd "$TMP/work"

step "terraform init"
terraform init -input=false

step "terraform apply -auto-approve (activates the feature in $REGION, creates a pool and a CIDR block, allocates 3 EIPs from the pool on the emulator)"
terraform apply -auto-approve -input=false

step "terraform output"
terraform output

step "terraform plan -detailed-exitcode (a second plan must be empty)"
plan_status=0
terraform plan -detailed-exitcode -input=false || plan_status=$?
case "$plan_status" in
0) echo "The second plan is empty: the state matches the configuration and the emulator." ;;
2) die "the second plan is not empty (above): the provider did not converge; please report it." ;;
*) die "terraform plan failed (exit status $plan_status, above)." ;;
esac

step "Done"
echo "The provider activated the feature in $REGION on the emulator, created a tagged pool with an"
echo "allocated CIDR block, allocated 3 EIPs from the pool, read them back with the data sources,"
echo "and a second plan was empty."
echo "Next: run 'cargo test' for the whole test suite, or see README.md to use real credentials."
