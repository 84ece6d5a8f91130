#!/usr/bin/env bash
# `make bench`: every benchmark, on SQLite and then on a throwaway PostgreSQL cluster with its
# durable defaults (fsync and synchronous commit on). Not a test: the figures depend on the
# machine; each is printed beside a baseline from the same run. docs/PERFORMANCE.md reads them.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="--cfg erase_components"
cargo build --release -p server --example http_bench
cargo build --release -p app --features ssr --example coverage_bench --example coverage_db_bench \
  --example roster_bench --example content_bench
ex=target/release/examples

echo "==== SQLite ===="
BENCH_NATIONAL=1 "$ex/http_bench"
"$ex/coverage_bench"
"$ex/coverage_db_bench"
"$ex/roster_bench"
"$ex/content_bench"

echo "==== PostgreSQL ===="
eval "$(PG_DURABLE=1 scripts/pg-test-cluster.sh)"
trap 'scripts/pg-test-cluster.sh stop "$PG_TEST_DIR"' EXIT
base=${TEST_DATABASE_URL%/postgres}
for db in http coverage; do psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE bench_$db"; done
BENCH_NATIONAL=1 BENCH_NODES=3 BENCH_DATABASE_URL="$base/bench_http" "$ex/http_bench"
BENCH_DATABASE_URL="$base/bench_coverage" "$ex/coverage_db_bench"
