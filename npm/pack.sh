#!/usr/bin/env bash
# Writes the npm packages' tarballs into OUT_DIR: `wxpack` (launcher, JS API, types) and the
# platform package holding BINARY (default target/release/wxpack, for the machine this runs on;
# PLATFORM names another, as the release workflow does for cross builds, e.g. linux-x64-musl).
# Every version comes from Cargo.toml; a package.json that says otherwise stops it.
#
#   cargo build --release && npm/pack.sh target/npm
#   npm/pack.sh OUT_DIR [BINARY [PLATFORM]]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
[ $# -ge 1 ] || { echo "usage: npm/pack.sh OUT_DIR [BINARY [PLATFORM]]" >&2; exit 2; }
out="$1"
bin="${2:-$root/target/release/wxpack}"

version="$(node "$here/versions.js")"
if [ -n "${3:-}" ]; then
  platform="@wxpack/$3"
else
  platform="$(node -e 'const p = require(process.argv[1]).platformPackage(); if (!p) process.exit(1); console.log(p)' \
    "$here/wxpack/lib/platform.js")" || { echo "npm/pack.sh: no platform package fits this machine; pass PLATFORM" >&2; exit 1; }
fi
[ -f "$here/$platform/package.json" ] || { echo "npm/pack.sh: npm/$platform does not exist" >&2; exit 1; }
[ -x "$bin" ] || { echo "npm/pack.sh: no binary at $bin (cargo build --release)" >&2; exit 1; }
if [ -z "${3:-}" ]; then
  # A binary of another version would ship under this one's name.
  said="$("$bin" --version)"
  [ "$said" = "wxpack $version" ] || { echo "npm/pack.sh: $bin says '$said', Cargo.toml $version" >&2; exit 1; }
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$here/wxpack" "$stage/wxpack"
cp -R "$here/$platform" "$stage/platform"
name=wxpack
case "$platform" in @wxpack/win32-*) name=wxpack.exe ;; esac
mkdir -p "$stage/platform/bin"
cp "$bin" "$stage/platform/bin/$name"
chmod 755 "$stage/platform/bin/$name"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
(cd "$stage" && npm pack --silent --pack-destination "$out" ./wxpack ./platform)
