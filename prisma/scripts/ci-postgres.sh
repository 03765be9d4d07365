#!/usr/bin/env bash
# Local PostgreSQL 15 for @hydra/db's PostgreSQL path (TOOLCHAIN.md, "PostgreSQL"): installs the
# Debian package if missing, starts the cluster on 127.0.0.1:5432, creates role and database
# `hydra` (password `hydra`, CREATEDB so `migrate diff` can make shadow databases) and prints the
# URL on stdout. Idempotent: safe to run again. Needs root (apt, su postgres).
#
#   export HYDRA_PG_URL="$(prisma/scripts/ci-postgres.sh)"
set -euo pipefail

log() { echo "ci-postgres: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql from apt"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  log "starting cluster $version/main"
  pg_ctlcluster "$version" main start >&2
fi

for _ in $(seq 1 30); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432"; then break; fi
  sleep 1
done
su postgres -c "pg_isready -h 127.0.0.1 -p 5432" >&2

su postgres -c "psql -v ON_ERROR_STOP=1 -q -d postgres" >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hydra') THEN
    CREATE ROLE hydra LOGIN PASSWORD 'hydra' CREATEDB;
  ELSE
    ALTER ROLE hydra LOGIN PASSWORD 'hydra' CREATEDB;
  END IF;
END
$$;
SQL
if ! su postgres -c "psql -tAq -d postgres -c \"SELECT 1 FROM pg_database WHERE datname = 'hydra'\"" | grep -q 1; then
  su postgres -c "createdb -O hydra hydra" >&2
fi

echo "postgresql://hydra:hydra@127.0.0.1:5432/hydra"
