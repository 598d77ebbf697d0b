#!/usr/bin/env bash
# Rebuild timings of every app in ../shared/corpus/apps, each paired in one hyperfine run with
# `cp -r` of the same project (docs/benchmarks.md, "Rebuilds"):
#   cp        cp -r PROJECT (the floor: reading and writing every byte once)
#   no-op     wxpack build PROJECT, nothing changed, cache warm, output present
#   one edit  the same after a one-line change to the first page's JS (a new value each run,
#             so the file is minified again and the output rewritten)
#   cold      wxpack build --no-cache into an empty folder
# Usage: cargo build --release && benches/rebuild.sh [APP...] > /tmp/rebuild.md
# GENERATED=1 adds the generated 2,000-page project (benches/gen_project.rs, written by
# `cargo bench --bench write_generated`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
wxpack=${WXPACK:-$root/target/release/wxpack}
apps_dir=$root/../shared/corpus/apps
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
apps=("$@")
if [ -n "${GENERATED:-}" ]; then
  (cd "$root" && cargo bench -q --bench write_generated -- "$work/generated" >/dev/null)
  mkdir -p "$work/apps" && mv "$work/generated" "$work/apps/generated"
fi
[ ${#apps[@]} -gt 0 ] || mapfile -t apps < <(cd "$apps_dir" && for d in */; do [ -f "$d/project.config.json" ] && echo "${d%/}"; done)
[ -z "${GENERATED:-}" ] || apps+=(generated)
median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join('%.1f' % (x['median']*1000) for x in r))" "$1"; }
echo "| app | files | cp -r | no-op | no-op / cp | one edit | edit / no-op | cold |"
echo "|---|---|---|---|---|---|---|---|"
for app in "${apps[@]}"; do
  src=$work/$app
  if [ "$app" = generated ]; then mv "$work/apps/generated" "$src"; else cp -r "$apps_dir/$app" "$src"; fi
  # A project whose first page has no .js of its own (TypeScript, Less) is timed without the edit.
  page=$(python3 - "$src" <<'PY'
import json, os, sys
p = sys.argv[1]
root = json.load(open(os.path.join(p, "project.config.json"))).get("miniprogramRoot", "")
app = json.load(open(os.path.join(p, root, "app.json"), encoding="utf-8-sig"))
print(os.path.join(p, root, app["pages"][0] + ".js"))
PY
)
  out=$work/out-$app
  build="$wxpack build $src -o $out --quiet --cache-dir $work/cache"
  $build >/dev/null 2>&1 || true
  files=$(find "$src" -type f | wc -l)
  printf '#!/bin/sh\nprintf "\\n;console.log(%%s);\\n" "$(date +%%s%%N)" >> "%s"\nsync\n' "$page" > "$work/edit.sh"
  chmod +x "$work/edit.sh"
  edit=(-n one-edit --prepare "$work/edit.sh" "$build")
  [ -f "$page" ] || edit=()
  # Every run starts from a synced file system: the writeback of one command's files (cp and a
  # cold build write thousands) must not land in the next command's time.
  hyperfine -N -w 2 -r 10 -i --export-json "$work/h.json" \
    -n cp --prepare "sh -c 'rm -rf $work/cp && sync'" "cp -r $src $work/cp" \
    -n no-op --prepare sync "$build" "${edit[@]}" \
    -n cold --prepare "sh -c 'rm -rf $work/cold && sync'" "$wxpack build $src -o $work/cold --quiet --no-cache" >/dev/null
  read -r -a m <<<"$(median "$work/h.json")"
  if [ -f "$page" ]; then e=${m[2]}; c=${m[3]}; else e=-; c=${m[2]}; fi
  ratio=$(python3 -c "print('%.2fx' % (${m[1]}/${m[0]}))")
  eratio=$([ "$e" = - ] && echo - || python3 -c "print('%.2fx' % ($e/${m[1]}))")
  echo "| $app | $files | ${m[0]} ms | ${m[1]} ms | $ratio | $e ms | $eratio | $c ms |"
done
