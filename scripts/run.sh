#!/usr/bin/env bash
# Builds and serves Taphuan on http://127.0.0.1:3000 (TAPHUAN_ADDR to change) with a SQLite
# database under data/, seeded with the demo province on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
# The same flags as scripts/test.sh, so `make run` and `make test` share one release build instead
# of each throwing the other's away (23 minutes on 2 cores). Leptos' erased components also make
# the browser bundle smaller (1.05 MB → 683 KB gzip, measured for issue 17).
export RUSTFLAGS="--cfg erase_components"
cargo leptos build --release
scripts/build-checker.sh
export LEPTOS_SITE_ROOT=target/site
echo
echo "Taphuan: http://${TAPHUAN_ADDR:-127.0.0.1:3000}  (demo accounts: see README.md; password taphuan-demo)"
exec target/release/taphuan serve
