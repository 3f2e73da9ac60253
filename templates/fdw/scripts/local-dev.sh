#!/usr/bin/env bash
# Build the FDW and copy the .wasm into a running Supabase CLI database container, so that
# `fdw_package_url 'file:///<output>.wasm'` finds it (see README.md, "Local development with the
# Supabase CLI"). Usage: ./scripts/local-dev.sh [container]
#   (default container: supabase_db_<project_id from supabase/config.toml, else this directory's name>)
set -euo pipefail
cd "$(dirname "$0")/.."

output=$(node -p "const f = require('./fdw.json'); f.output ?? f.name.split(':')[1].replaceAll('-', '_') + '.wasm'")
npx tsfdw build --url "file:///$output" >/dev/null

container="${1:-}"
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
