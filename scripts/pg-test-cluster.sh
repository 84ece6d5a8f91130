#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster from the machine's Debian packages on 127.0.0.1 and prints
# `export TEST_DATABASE_URL=…` and `export PG_TEST_DIR=…`. Stop it with: pg-test-cluster.sh stop DIR
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
if [ "${1:-}" = "stop" ]; then
  runuser -u postgres -- "$bin/pg_ctl" -D "$2/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$2"
  exit 0
fi
dir=$(mktemp -d /tmp/taphuan-pg.XXXXXX)
chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
# Tests trade durability for speed; PG_DURABLE=1 (the crash-safety run) keeps PostgreSQL's defaults.
fast="-c fsync=off -c synchronous_commit=off"
[ "${PG_DURABLE:-}" = "1" ] && fast=""
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $fast -c max_connections=300" start >/dev/null
echo "export PG_TEST_DIR=$dir"
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
