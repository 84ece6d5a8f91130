#!/usr/bin/env bash
# Installs what Taphuan needs to build and test on a fresh Debian machine of this kind, and skips
# whatever is already there. Usage: scripts/setup.sh [--test]   (--test adds Chromium, PostgreSQL
# and the browser-test npm packages). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n==> %s\n' "$*"; }

# The toolchain (channel, wasm target, rustfmt, clippy) comes from rust-toolchain.toml; rustup
# installs it on the first cargo call. Make that explicit so the output says what happened.
say "Rust toolchain from rust-toolchain.toml"
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# cargo-leptos must be built without its downloads (no GitHub here): it then uses the tools on
# PATH. It needs a newer rustc than 1.95 to build, which the pinned toolchain provides.
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (no_downloads; 13-25 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# wasm-bindgen's CLI must equal the crate version in Cargo.lock exactly. Not --locked: its lock
# pins a webpki-roots the index no longer serves.
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# cargo-deny: the licence, ban and source checks of the test command (its advisory database
# lives on GitHub, which these machines cannot reach: see the README).
CARGO_DENY_VERSION=0.18.9
if $want_test && ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
  say "Installing cargo-deny $CARGO_DENY_VERSION (a few minutes, once per machine)"
  cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
fi

# npm packages: Playwright (no browser download: Debian's Chromium is used) and binaryen's
# wasm-opt for release builds (Debian's binaryen 108 breaks the release wasm in the browser).
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ]; then
  say "npm packages (end2end/)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

if $want_test; then
  need_apt=()
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
  if [ ${#need_apt[@]} -gt 0 ]; then
    say "Debian packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  fi
fi
say "Setup complete"
