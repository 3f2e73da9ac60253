#!/usr/bin/env bash
# Build the FDW and copy the .wasm into a running Supabase CLI database container, so that
# `fdw_package_url 'file:///github_events_fdw.wasm'` finds it (see README, "Local development").
# Usage: ./scripts/local-dev.sh [container]   (default: supabase_db_<project_id from supabase/config.toml>)
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=dist/github_events_fdw.wasm
npm run build --silent

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

docker cp "$wasm" "$container:/$(basename "$wasm")"
echo "copied $wasm to $container:/$(basename "$wasm")"
