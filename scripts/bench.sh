#!/usr/bin/env bash
# End-to-end benchmark: terraform with the built-in `terraform_data` (no provider process: the
# floor) against terraform with alicloudvpc_public_ip_address_pool_service on the emulator.
# Runs alternate (A,B,A,B,...) so drift of a shared machine hits both sides alike.
# Also counts API calls per command, times the pool workflow (service, 16 pools, 64 CIDR blocks,
# 32 EIPs from the pools in one region), measures the provider's peak RSS and binary size, runs the criterion
# micro-benchmarks, and writes everything to benches/RESULTS.md.
# See docs/benchmarks.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/bench.sh [-n RUNS] [--no-build] [--no-micro] [--workflow-only] [--out FILE] [--provider BIN]

  -n RUNS      timed runs of each side per scenario (default 7, or $BENCH_RUNS)
  --no-build   use the existing target/release binaries
  --no-micro   skip the criterion micro-benchmarks (cargo bench)
  --workflow-only  run only the workflow scenario and replace its section of the report
               (the rest of FILE is kept)
  --out FILE   where to write the report (default benches/RESULTS.md)
  --provider BIN  measure this provider binary instead of target/release's (e.g. an older
               build kept for comparison); the micro-benchmarks still use the current source
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${BENCH_RUNS:-7}"
BUILD=1
MICRO=1
WORKFLOW_ONLY=0
OUT="$ROOT/benches/RESULTS.md"
PROVIDER=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-micro) MICRO=0; shift ;;
    --workflow-only) WORKFLOW_ONLY=1; shift ;;
    --out) OUT="$2"; shift 2 ;;
    --provider) PROVIDER="$(realpath "$2")"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
case "$RUNS" in ''|*[!0-9]*|0) echo "RUNS must be a positive integer" >&2; exit 2 ;; esac

for tool in terraform curl cargo; do
  command -v "$tool" >/dev/null || { echo "bench.sh needs $tool on PATH" >&2; exit 1; }
done

cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  cargo build --release --bins --quiet
fi
# cargo's CARGO_TARGET_DIR is honoured (relative to the repository, as cargo takes it).
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
PROVIDER="${PROVIDER:-$TARGET_DIR/release/terraform-provider-alicloudvpc}"
EMULATOR="$TARGET_DIR/release/alicloudvpc-emulator"
[ -x "$PROVIDER" ] && [ -x "$EMULATOR" ] || { echo "release binaries missing: run without --no-build" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/alicloudvpc-bench.XXXXXX")"
EMU_PID=""
cleanup() {
  if [ -n "${DEBUG_PID:-}" ]; then kill -INT "$DEBUG_PID" 2>/dev/null || true; wait "$DEBUG_PID" 2>/dev/null || true; fi
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- Emulator -------------------------------------------------------------------------------
ALICLOUDVPC_EMULATOR_LOG=warn "$EMULATOR" --listen 127.0.0.1:0 >"$WORK/emu.out" 2>"$WORK/emu.err" &
EMU_PID=$!
EMU_URL=""
for _ in $(seq 100); do
  line="$(head -1 "$WORK/emu.out" 2>/dev/null || true)"
  case "$line" in "listening on "*) EMU_URL="${line#listening on }"; break ;; esac
  sleep 0.1
done
[ -n "$EMU_URL" ] || { echo "emulator did not start: $(cat "$WORK/emu.err")" >&2; exit 1; }

emu() { curl -fsS -X "$1" "$EMU_URL/_emulator/$2" >/dev/null; }
emu_requests() { curl -fsS "$EMU_URL/_emulator/requests"; }
# Counts requests per action in the log: "Action=count ..." (sorted), or "none".
emu_counts() {
  emu_requests | python3 -c '
import collections, json, sys
v = json.load(sys.stdin)
reqs = v if isinstance(v, list) else v.get("requests", [])
c = collections.Counter(r.get("action") or "?" for r in reqs)
print(" ".join(f"{k}={n}" for k, n in sorted(c.items())) or "none", sum(c.values()))
'
}

# --- Terraform setup: a filesystem mirror, no direct {} block --------------------------------
make_mirror() { # $1 = mirror dir, $2 = binary to install
  local pkg="$1/registry.terraform.io/local/alicloudvpc/0.1.0/linux_amd64"
  mkdir -p "$pkg"
  cp "$2" "$pkg/terraform-provider-alicloudvpc"
  chmod +x "$pkg/terraform-provider-alicloudvpc"
}
make_cli_config() { # $1 = file, $2 = mirror dir
  cat >"$1" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$2"
    include = ["registry.terraform.io/local/*"]
  }
}
EOF
}
make_mirror "$WORK/mirror" "$PROVIDER"
make_cli_config "$WORK/terraform.tfrc" "$WORK/mirror"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export TF_CLI_CONFIG_FILE="$WORK/terraform.tfrc"
unset TF_LOG TF_LOG_PROVIDER TF_LOG_PATH TF_LOG_CORE TF_REATTACH_PROVIDERS TF_CLI_ARGS TF_DATA_DIR TF_PLUGIN_CACHE_DIR

provider_block() {
  cat <<EOF
terraform {
  required_providers {
    alicloudvpc = { source = "local/alicloudvpc", version = "0.1.0" }
  }
}
provider "alicloudvpc" {
  region     = "cn-hangzhou"
  access_key = "emulator-access-key"
  secret_key = "emulator-secret-key"
  endpoints { vpc = "$EMU_URL" }
}
EOF
}

# A fresh working directory, initialised once. $1 = name, $2 = data|ours, $3 = count.
new_dir() {
  local dir="$WORK/$1"
  mkdir -p "$dir"
  if [ "$2" = ours ]; then
    { provider_block; echo "resource \"alicloudvpc_public_ip_address_pool_service\" \"r\" { count = $3 }"; } >"$dir/main.tf"
  else
    echo "resource \"terraform_data\" \"r\" { count = $3 }" >"$dir/main.tf"
  fi
  (cd "$dir" && terraform init -input=false -no-color >"$dir/init.log" 2>&1) \
    || { echo "terraform init failed in $dir:" >&2; cat "$dir/init.log" >&2; exit 1; }
  echo "$dir"
}

# Runs terraform in $1 with args $2..., prints the wall time in ms; output kept in $1/last.log.
timed() {
  local dir="$1"; shift
  local t0 t1
  t0=$EPOCHREALTIME
  if ! (cd "$dir" && terraform "$@" -no-color >"$dir/last.log" 2>&1); then
    echo "terraform $* failed in $dir:" >&2; cat "$dir/last.log" >&2; exit 1
  fi
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Makes the next apply a real create: empty state, and the region not yet activated.
fresh() { rm -f "$1/terraform.tfstate" "$1/terraform.tfstate.backup"; }

# A provider started once with --debug and reattached with TF_REATTACH_PROVIDERS: Terraform then
# starts no provider process (no client certificate, fork/exec, TLS, Shutdown) and hashes no
# package. Timing it beside the normal runs splits our cost into "per provider process" and
# "per call". Started per scenario so each gets a fresh server.
DEBUG_PID=""
start_attached() {
  "$PROVIDER" --debug >"$WORK/debug.out" 2>"$WORK/debug.err" &
  DEBUG_PID=$!
  REATTACH=""
  for _ in $(seq 100); do
    REATTACH="$(sed -n "s/^[[:space:]]*TF_REATTACH_PROVIDERS='\(.*\)'\$/\1/p" "$WORK/debug.out")"
    [ -n "$REATTACH" ] && break
    sleep 0.05
  done
  [ -n "$REATTACH" ] || { echo "debug provider did not start: $(cat "$WORK/debug.err")" >&2; exit 1; }
}
stop_attached() {
  kill -INT "$DEBUG_PID" 2>/dev/null || true
  wait "$DEBUG_PID" 2>/dev/null || true
  DEBUG_PID=""
}

ROWS=()
CALLS=()
# One scenario: $1 = label, $2 = terraform subcommand (validate|plan|apply), $3 = count.
scenario() {
  local label="$1" cmd="$2" n="$3" a b c i ta tb tc args
  a="$(new_dir "data-$cmd-$n" data "$n")"
  b="$(new_dir "ours-$cmd-$n" ours "$n")"
  c="$(new_dir "attached-$cmd-$n" ours "$n")"
  case "$cmd" in
    validate) args=(validate) ;;
    plan) args=(plan -input=false) ;;
    apply) args=(apply -input=false -auto-approve) ;;
  esac
  ta=""; tb=""; tc=""
  start_attached
  echo "== $label ($RUNS runs each, alternating)" >&2
  for i in $(seq "$RUNS"); do
    fresh "$a"; fresh "$b"; fresh "$c"
    ta+=" $(timed "$a" "${args[@]}")"
    [ "$cmd" = apply ] && emu POST reset
    emu DELETE requests
    tb+=" $(timed "$b" "${args[@]}")"
    # The request log now holds exactly this run of our side.
    [ "$i" = "$RUNS" ] && CALLS+=("| $label | $(emu_counts | awk '{ $NF = ""; print }' | sed 's/ *$//') | $(emu_counts | awk '{ print $NF }') |")
    [ "$cmd" = apply ] && emu POST reset
    tc+=" $(TF_REATTACH_PROVIDERS="$REATTACH" timed "$c" "${args[@]}")"
  done
  stop_attached
  local ma mb mc
  ma="$(echo "$ta" | median)"; mb="$(echo "$tb" | median)"; mc="$(echo "$tc" | median)"
  echo "   terraform_data:        $ta ms -> median $ma" >&2
  echo "   alicloudvpc:           $tb ms -> median $mb" >&2
  echo "   alicloudvpc, attached: $tc ms -> median $mc" >&2
  ROWS+=("| $label | $ma | $mb | $(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.2fx", b / a }') | $mc | $(awk -v a="$ma" -v b="$mc" 'BEGIN { printf "%.2fx", b / a }') |")
}

# --- The pool workflow: the service, 16 pools, 64 CIDR blocks (4 per pool) and 32 EIPs (2 per
# pool), one region ------------------------------------------------------------------------------
# From empty state a plan and an apply (the emulator reset first, so the apply activates the
# feature too), then a plan with that state (every object refreshed). API calls per command are
# those of the last run.
WORKFLOW_ROWS=()
workflow() {
  local d="$WORK/workflow" i tp="" ta="" tr="" cp="" ca="" cr=""
  mkdir -p "$d"
  {
    provider_block
    cat <<'EOF'
resource "alicloudvpc_public_ip_address_pool_service" "s" {}
resource "alicloudvpc_public_ip_address_pool" "p" {
  count                       = 16
  region_id                   = alicloudvpc_public_ip_address_pool_service.s.region_id
  public_ip_address_pool_name = "bench-${count.index}"
  tags                        = { bench = "workflow" }
}
resource "alicloudvpc_public_ip_address_pool_cidr_block" "b" {
  count                     = 64
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.p[floor(count.index / 4)].id
  cidr_mask                 = 28
}
resource "alicloudvpc_eip_address" "e" {
  count                     = 32
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.p[floor(count.index / 2)].id
  address_name              = "bench-${count.index}"
  depends_on                = [alicloudvpc_public_ip_address_pool_cidr_block.b]
}
EOF
  } >"$d/main.tf"
  (cd "$d" && terraform init -input=false -no-color >"$d/init.log" 2>&1) \
    || { echo "terraform init failed in $d:" >&2; cat "$d/init.log" >&2; exit 1; }
  WORKFLOW_LOAD="$(cut -d' ' -f1 /proc/loadavg)"
  echo "== workflow: service, 16 pools, 64 blocks, 32 EIPs ($RUNS runs)" >&2
  for i in $(seq "$RUNS"); do
    fresh "$d"; emu POST reset
    tp+=" $(timed "$d" plan -input=false)"; cp="$(emu_counts)"; emu DELETE requests
    ta+=" $(timed "$d" apply -input=false -auto-approve)"; ca="$(emu_counts)"; emu DELETE requests
    tr+=" $(timed "$d" plan -input=false)"; cr="$(emu_counts)"; emu DELETE requests
  done
  echo "   plan (empty state): $tp ms" >&2
  echo "   apply (create):     $ta ms" >&2
  echo "   plan (refresh):     $tr ms" >&2
  workflow_row "plan, empty state" "$tp" "$cp"
  workflow_row "apply (create: activation, 16 pools, 64 blocks, 32 EIPs)" "$ta" "$ca"
  workflow_row "plan with state (refresh of 113 objects)" "$tr" "$cr"
}
workflow_row() { # $1 = label, $2 = times, $3 = counts ("A=n B=m total")
  WORKFLOW_ROWS+=("| $1 | $(echo "$2" | median) | $(echo "$3" | awk '{ $NF = ""; print }' | sed 's/ *$//') | $(echo "$3" | awk '{ print $NF }') |")
}
workflow_section() {
  echo "## Workflow: service, 16 pools, 64 CIDR blocks, 32 EIPs in one region (median of $RUNS)"
  echo
  local cpu load
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  echo "Measured on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPU(s) ($cpu), the release build on"
  # Wall times on a busy machine are not comparable with those of an idle one: say which it was.
  echo "the emulator. Load average $WORKFLOW_LOAD at the start of the scenario, $load at its end$(
    awk -v a="$WORKFLOW_LOAD" -v n="$(nproc)" 'BEGIN { if (a >= n / 2) printf "\n(the cores were shared with other work: compare with other rows of this run only)" }')."
  echo
  echo "| command | wall time (ms) | API calls by action (last run) | total |"
  echo "|---|---|---|---|"
  printf '%s\n' "${WORKFLOW_ROWS[@]}"
  echo
  echo "One \`ListPublicIpAddressPools\` per region and one \`ListPublicIpAddressPoolCidrBlocks\` per"
  echo "pool serve every read of one provider process (shared/spec/pools.md: at most 1 + 16 List"
  echo "calls for the pools and blocks, where the official provider makes one List per resource,"
  echo "80), and the 32 EIPs share one \`DescribeEipAddresses\` page of 100 per region (the official"
  echo "provider: one call per EIP). Expected for the refresh: 1 + 16 + 1 List/Describe calls and"
  echo "1 \`GetPublicIpAddressPoolServiceStatus\`, 19 in all."
  echo
  echo "In the apply, each EIP create reads its pool's line type from the region's pool listing,"
  echo "which every allocation makes stale (the pool's used count changes): creates running at"
  echo "the same time share one, the others list again (the pool creates' waits make 16 more). Each"
  echo "EIP create then waits for \`Available\` with one \`DescribeEipAddresses\` of its own ID."
}

if [ "$WORKFLOW_ONLY" = 1 ]; then
  [ -f "$OUT" ] || { echo "--workflow-only updates an existing report; $OUT is missing" >&2; exit 1; }
  workflow
  workflow_section >"$WORK/workflow.md"
  # Replaces the report's workflow section, or inserts it before "## Resources".
  python3 - "$OUT" "$WORK/workflow.md" <<'EOF'
import re, sys
out, new = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n\n"
text = open(out).read()
pat = re.compile(r"^## Workflow.*?(?=^## |\Z)", re.S | re.M)
if pat.search(text):
    text = pat.sub(lambda _: new, text, count=1)
elif "\n## Resources" in text:
    text = text.replace("\n## Resources", "\n" + new + "## Resources", 1)
else:
    text = text.rstrip("\n") + "\n\n" + new
open(out, "w").write(text.rstrip("\n") + "\n")
EOF
  echo "updated the workflow section of $OUT" >&2
  exit 0
fi

scenario "validate (1 resource)" validate 1
scenario "plan, 1 resource" plan 1
scenario "plan, 100 resources" plan 100
scenario "apply (create), 1 resource" apply 1
scenario "apply (create), 100 resources" apply 100
workflow

# --- API calls of a refreshing plan: state exists, every resource is read --------------------
refresh_calls() { # $1 = count
  local d
  d="$(new_dir "ours-refresh-$1" ours "$1")"
  emu POST reset
  timed "$d" apply -input=false -auto-approve >/dev/null
  emu DELETE requests
  timed "$d" plan -input=false >/dev/null
  CALLS+=("| plan with state (refresh), $1 resource(s) | $(emu_counts | awk '{ $NF = ""; print }' | sed 's/ *$//') | $(emu_counts | awk '{ print $NF }') |")
}
refresh_calls 1
refresh_calls 100

# --- Peak RSS: the provider runs under /usr/bin/time in a mirror of its own -------------------
RSS_LINE="not measured (/usr/bin/time missing: apt-get install time)"
if [ -x /usr/bin/time ]; then
  mkdir -p "$WORK/rss-bin"
  cp "$PROVIDER" "$WORK/rss-bin/real-provider"
  cat >"$WORK/rss-bin/wrapper" <<EOF
#!/bin/sh
exec /usr/bin/time -a -o "$WORK/rss.log" -f "%M" "$WORK/rss-bin/real-provider" "\$@"
EOF
  chmod +x "$WORK/rss-bin/wrapper"
  make_mirror "$WORK/rss-mirror" "$WORK/rss-bin/wrapper"
  make_cli_config "$WORK/rss.tfrc" "$WORK/rss-mirror"
  d="$(TF_CLI_CONFIG_FILE="$WORK/rss.tfrc" new_dir rss ours 100)"
  emu POST reset
  : >"$WORK/rss.log"
  TF_CLI_CONFIG_FILE="$WORK/rss.tfrc" timed "$d" apply -input=false -auto-approve >/dev/null
  peak_kib="$(grep -E '^[0-9]+$' "$WORK/rss.log" | sort -n | tail -1)"
  procs="$(grep -cE '^[0-9]+$' "$WORK/rss.log")"
  RSS_LINE="$(awk -v k="$peak_kib" 'BEGIN { printf "%.1f MiB", k / 1024 }') (max over the $procs provider processes of one 100-resource apply)"
fi
SIZE_BYTES="$(stat -c %s "$PROVIDER")"
SIZE_LINE="$(awk -v b="$SIZE_BYTES" 'BEGIN { printf "%.2f MB (%d bytes)", b / 1e6, b }')"

# --- Micro-benchmarks ------------------------------------------------------------------------
MICRO_TEXT="skipped (--no-micro)"
if [ "$MICRO" = 1 ]; then
  echo "== criterion micro-benchmarks" >&2
  PROVIDER_BIN="$PROVIDER" cargo bench --quiet --bench hot_paths -- --noplot 2>/dev/null \
    | tee "$WORK/micro.log" >&2 || true
  MICRO_TEXT="$(awk '
    /time:/ { name = ($1 == "time:") ? prev : $1; sub(/.*time: *\[/, ""); split($0, p, " ");
              printf "| %s | %s %s |\n", name, p[3], p[4] }
    { prev = $1 }' "$WORK/micro.log")"
  [ -n "$MICRO_TEXT" ] && MICRO_TEXT="| benchmark | median (criterion point estimate) |
|---|---|
$MICRO_TEXT"
fi

# --- Report ----------------------------------------------------------------------------------
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
mem="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
tfv="$(terraform version | head -1)"
rsv="$(rustc -V)"
mkdir -p "$(dirname "$OUT")"
{
  echo "# Benchmark results"
  echo
  echo "Generated by \`scripts/bench.sh -n $RUNS\` on $(date -u +%Y-%m-%dT%H:%MZ) (see docs/benchmarks.md)."
  echo "Machine: $(nproc) CPU(s), $cpu, $mem RAM, $(uname -sr); $tfv; $rsv; release profile."
  echo
  echo "## Wall time per terraform command (median of $RUNS, alternating runs)"
  echo
  echo "| scenario | terraform_data (ms) | alicloudvpc on the emulator (ms) | ratio | alicloudvpc, provider already running (ms) | ratio |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "\"Provider already running\": the same binary started once with \`--debug\` and attached with"
  echo "\`TF_REATTACH_PROVIDERS\`, so Terraform starts no provider process (no client certificate,"
  echo "fork/exec, TLS or Shutdown; no package hash). The gap between the two alicloudvpc columns is"
  echo "what the 3 to 4 provider processes per command cost; the gap to \`terraform_data\` in the last"
  echo "column is the cost of the gRPC calls themselves."
  echo
  echo "## Alibaba API calls per command (emulator request log, last run)"
  echo
  echo "| command | calls by action | total |"
  echo "|---|---|---|"
  printf '%s\n' "${CALLS[@]}"
  echo
  echo "Minimum: a plan from empty state needs no call; a refreshing plan one status read per"
  echo "account and region; a create one status read, one Open and the status polls until enabled"
  echo "(one poll with the emulator's default zero activation delay), however many resources."
  echo
  workflow_section
  echo
  echo "## Resources"
  echo
  echo "- Provider peak RSS: $RSS_LINE"
  echo "- Stripped release binary: $SIZE_LINE"
  echo
  echo "## Micro-benchmarks (cargo bench --bench hot_paths)"
  echo
  echo "$MICRO_TEXT"
  if [ -f "$ROOT/benches/ANALYSIS.md" ]; then
    echo
    cat "$ROOT/benches/ANALYSIS.md"
  fi
} >"$OUT"
echo "wrote $OUT" >&2
