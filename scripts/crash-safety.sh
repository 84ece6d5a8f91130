#!/usr/bin/env bash
# Crash safety: kills the release server with SIGKILL at random moments while exams are being
# submitted, N rounds (default 50) on SQLite and on PostgreSQL, and checks after every kill that
# no acknowledged submission is lost or duplicated, SQLite's integrity_check is ok, the audit
# chain verifies and the coverage credits equal a recompute (server/examples/crash_safety.rs).
# Writes the results, with the date and the machine, to docs/RELIABILITY.md.
# Usage: scripts/crash-safety.sh [ROUNDS]     (not part of the test command: about 5 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
scripts/setup.sh --test >/dev/null
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"
export RUSTFLAGS="--cfg erase_components"
cargo leptos build --release
cargo build --release -p server --features app/ssr --example crash_safety
driver=target/release/examples/crash_safety
out=$(mktemp -d)

echo "== SQLite"
"$driver" --binary target/release/taphuan --rounds "$rounds" --port 3291 | tee "$out/sqlite.txt"

echo "== PostgreSQL (fsync on)"
eval "$(PG_DURABLE=1 scripts/pg-test-cluster.sh)"
trap 'scripts/pg-test-cluster.sh stop "$PG_TEST_DIR"' EXIT
"$driver" --binary target/release/taphuan --rounds "$rounds" --port 3292 \
  --database-url "$TEST_DATABASE_URL" | tee "$out/postgres.txt"

pg_version=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1 | sed 's|/usr/lib/postgresql/\([0-9]*\)/bin|\1|')
sqlite_version=$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)' 2>/dev/null || echo "bundled")
{
  sed -n '1,/^<!-- results -->$/p' docs/RELIABILITY.md
  echo
  echo "### $(date -u +%Y-%m-%d) — $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ":!docs" || echo " with uncommitted changes")"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr); PostgreSQL $pg_version (fsync on), SQLite in WAL mode with synchronous=FULL."
  echo
  echo '```'
  grep -h '^RESULT' "$out/sqlite.txt" "$out/postgres.txt"
  echo '```'
  echo
  echo "<details><summary>Every round</summary>"
  echo
  echo '```'
  cat "$out/sqlite.txt" "$out/postgres.txt"
  echo '```'
  echo
  echo "</details>"
} > "$out/doc.md"
cp "$out/doc.md" docs/RELIABILITY.md
rm -rf "$out"
echo "results written to docs/RELIABILITY.md"
