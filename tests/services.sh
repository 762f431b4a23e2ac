#!/usr/bin/env bash
# Starts the PostgreSQL and Redis servers the multi-node tests need and the S3-compatible object store
# the file store tests need (tests/object-store.sh), on loopback only, and prints the environment the
# tests read. Sourced by tests/run.sh; `tests/services.sh stop` stops them.
set -euo pipefail

redis_port=6391
redis_dir=/tmp/crosswiki-test-redis

if [ "${1:-}" = "stop" ]; then
  bash "$(dirname "$0")/object-store.sh" stop || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
  exit 0
fi

need=()
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
# The object store's packages too, so that one apt-get update serves all.
[ -f /usr/lib/python3/dist-packages/swift/__init__.py ] || need+=(python3-swift)
command -v memcached >/dev/null || need+=(memcached)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: Debian's default cluster (it listens on localhost only); a role that may create databases.
pg_lsclusters -h | grep -q '^15 *main' || pg_createcluster 15 main >/dev/null
pg_ctlcluster 15 main start >/dev/null 2>&1 || pg_lsclusters -h | grep -q online
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='crosswiki'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE crosswiki LOGIN CREATEDB PASSWORD 'crosswiki'\""

# Redis: a throwaway instance without persistence.
mkdir -p "$redis_dir"
redis-cli -p "$redis_port" ping >/dev/null 2>&1 \
  || redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$redis_dir" >/dev/null

echo "export CROSSWIKI_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=crosswiki;Password=crosswiki'"
echo "export CROSSWIKI_TEST_REDIS='127.0.0.1:$redis_port'"

# OpenStack Swift with s3api: prints the CROSSWIKI_S3_* variables.
bash "$(dirname "$0")/object-store.sh"
