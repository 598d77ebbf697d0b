#!/usr/bin/env bash
# Builds every real app (../shared/corpus/apps), planner on and off, with two wxpack binaries,
# and says whether each pair of outputs (every file, byte for byte) and --json reports is
# identical. For refactors that must not change behaviour. Exit 1 when one differs.
#
#   tests/support/same_outputs.sh BASE_BINARY HEAD_BINARY
#   WXPACK_FLAGS="--strict" tests/support/same_outputs.sh ...   (extra flags for both)
#   IGNORE_KEYS="cause" tests/support/same_outputs.sh ...       (report keys a change adds)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 BASE_BINARY HEAD_BINARY" >&2; exit 2; }
base="$1"; head="$2"
here="$(cd "$(dirname "$0")/../.." && pwd)"
apps="$here/../shared/corpus/apps"
export PATH="$here/tests/support/node_modules/.bin:$PATH" CI=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
differ=0
for app in "$apps"/*/; do
  name="$(basename "$app")"
  for mode in plan no-plan; do
    read -r -a flag <<<"${WXPACK_FLAGS:-}"
    [ "$mode" = no-plan ] && flag+=(--no-plan)
    for side in base head; do
      bin="$base"; [ "$side" = head ] && bin="$head"
      # Same output path for both sides: the report names it.
      rm -rf "$work/out" "$work/$side"
      code=0
      "$bin" build "$app" -o "$work/out" -q --json "$work/out.json" "${flag[@]}" 2>"$work/$side.err" || code=$?
      mkdir -p "$work/$side"
      echo "exit $code" >"$work/$side/exit"
      [ -d "$work/out" ] && mv "$work/out" "$work/$side/tree"
      [ -f "$work/out.json" ] && mv "$work/out.json" "$work/$side/report.json"
      if [ -n "${IGNORE_KEYS:-}" ] && [ -f "$work/$side/report.json" ]; then
        python3 - "$work/$side/report.json" "$IGNORE_KEYS" <<'PY'
import json, sys
path, keys = sys.argv[1], set(sys.argv[2].split(","))
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if k not in keys}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
with open(path) as f:
    report = json.load(f)
with open(path, "w") as f:
    json.dump(strip(report), f, indent=2)
PY
      fi
    done
    if diff -r "$work/base" "$work/head" >/dev/null; then
      echo "same    $name $mode"
    else
      echo "DIFFERS $name $mode"; differ=1
      diff -r "$work/base" "$work/head" | head -5
    fi
  done
done
exit $differ
