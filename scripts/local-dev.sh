#!/usr/bin/env bash
# Build an FDW and copy its .wasm into a running Supabase CLI database container, so that
# `fdw_package_url 'file:///<output>.wasm'` finds it (see README, "Local development").
# Usage: ./scripts/local-dev.sh [fdw-dir] [container]
#   fdw-dir    the directory holding fdw.json (default fdw/github-events)
#   container  default supabase_db_<project_id from supabase/config.toml, else this directory's name>
set -euo pipefail
cd "$(dirname "$0")/.."

fdw_dir="${1:-fdw/github-events}"
if [ ! -f "$fdw_dir/fdw.json" ]; then
  echo "no fdw.json in $fdw_dir (usage: $0 [fdw-dir] [container])" >&2
  exit 2
fi
output=$(node -p "const f = require('./$fdw_dir/fdw.json'); f.output ?? f.name.split(':')[1].replaceAll('-', '_') + '.wasm'")
node bin/tsfdw.mjs build "$fdw_dir" --url "file:///$output" >/dev/null

container="${2:-}"
if [ -z "$container" ]; then
  project_id=""
  if [ -f supabase/config.toml ]; then
    project_id=$(sed -n 's/^project_id *= *"\(.*\)"/\1/p' supabase/config.toml | head -n 1)
  fi
  project_id="${project_id:-$(basename "$PWD")}"
  container="supabase_db_${project_id}"
fi

if ! docker ps --format '{{.Names}}' | grep -qx "$container"; then
  echo "container '$container' is not running: start Supabase with 'supabase start', or pass the container name" >&2
  exit 1
fi

docker cp "dist/$output" "$container:/$output"
echo "copied dist/$output to $container:/$output; use fdw_package_url 'file:///$output' (no checksum needed)"
