#!/bin/sh
# Builds MicroQuickJS' `mqjs` REPL natively (gcc) from the C sources in the mquickjs-sys crate, for
# tests of the ES5 lowering and the polyfills (tools/build/lower.ts). Not the guest engine: that is
# engines/micro/ (the `micro` build), compiled to wasm32. Same flags as upstream's Makefile.
#   usage: build-mqjs.sh SRC_DIR OUT_DIR   (SRC_DIR = …/mquickjs-sys-0.2.0/vendor/mquickjs)
set -eu
src=$1
out=$2
cc=${CC:-gcc}
mkdir -p "$out"
tmp=$(mktemp -d "$out/build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cflags="-O2 -D_GNU_SOURCE -fno-math-errno -fno-trapping-math -w -I$src -I$tmp"
# 1. the stdlib generator (host tool), 2. the atom table and the stdlib ROM it generates
$cc $cflags -o "$tmp/mqjs_stdlib" "$src/mqjs_stdlib.c" "$src/mquickjs_build.c"
"$tmp/mqjs_stdlib" -a > "$tmp/mquickjs_atom.h"
"$tmp/mqjs_stdlib" > "$tmp/mqjs_stdlib.h"
# 3. the REPL
$cc $cflags -o "$tmp/mqjs" "$src/mqjs.c" "$src/readline_tty.c" "$src/readline.c" "$src/mquickjs.c" \
  "$src/dtoa.c" "$src/libm.c" "$src/cutils.c" -lm
mv "$tmp/mqjs" "$out/mqjs"
