#!/usr/bin/env bash
# Builds the browser editor's checker into target/site/pkg/checker/ (after `cargo leptos build
# --release`, which empties target/site/pkg): the same wasm profile and target directory as the
# app's bundle, so the dependencies compiled for it are reused.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo build -p taphuan-checker --lib --target wasm32-unknown-unknown --profile wasm-release --target-dir target/front
out=target/site/pkg/checker
rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  target/front/wasm32-unknown-unknown/wasm-release/taphuan_checker.wasm
if command -v wasm-opt > /dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    "$out/taphuan_checker_bg.wasm" -o "$out/taphuan_checker_bg.wasm"
fi
cp app/checker/loader.js "$out/loader.js"
echo "checker: $(wc -c < "$out/taphuan_checker_bg.wasm") bytes ($(gzip -9c "$out/taphuan_checker_bg.wasm" | wc -c) gzip)"
