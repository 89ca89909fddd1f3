#!/usr/bin/env bash
# scripts/with-postgres: passes the command's exit code through, removes its folder, and
# fails loudly without PostgreSQL.
set -uo pipefail
script=${1:?usage: with_postgres_test.sh PATH/TO/with-postgres}
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

marker=$(mktemp)
"$script" bash -c 'psql -X -q -t -c "SELECT 1" "$EVS_TEST_PG_URL" >/dev/null &&
  PGPASSWORD=$DB_PASSWORD psql -X -q -t -h "$DB_HOSTNAME" -p "$DB_PORT" -U "$DB_USER" -d "$DB_DATASET" -c "SELECT 1" >/dev/null &&
  psql -X -q -v ON_ERROR_STOP=1 -c "CHECKPOINT" "$EVS_TEST_PG_URL" &&
  echo "$EVS_TEST_PG_DATA" >'"$marker"' && exit 3'
rc=$?
[[ $rc -eq 3 ]] || fail "exit code $rc, expected the command's 3 (or the database was not reachable)"
data=$(cat "$marker")
rm -f "$marker"
[[ -n $data ]] || fail "EVS_TEST_PG_DATA was not exported"
[[ -n $data && ! -e $data ]] || fail "$data was not removed"

if EVS_PG_BIN=/nonexistent "$script" true 2>/dev/null; then
  fail "succeeded without PostgreSQL binaries"
fi

[[ $failed -eq 0 ]] && echo "with-postgres: ok"
exit "$failed"
