#!/usr/bin/env bash
# scripts/with-mariadb: the exported URL reaches a password-protected database, the server
# commits durably, stop/start/kill work, the command's exit code passes through, the folder is
# removed, and it fails loudly without MariaDB.
set -uo pipefail
script=${1:?usage: with_mariadb_test.sh PATH/TO/with-mariadb}
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

marker=$(mktemp)
# shellcheck disable=SC2016 # expanded by the inner shell, under with-mariadb
"$script" bash -c '
  set -u
  rest=${EVS_TEST_MARIADB_URL#mysql://}
  user=${rest%%:*}; rest=${rest#*:}
  password=${rest%%@*}; rest=${rest#*@}
  host=${rest%%:*}; rest=${rest#*:}
  port=${rest%%/*}; db=${rest#*/}
  sql() { mariadb --no-defaults -h "$host" -P "$port" -u "$user" "$@" -N -B "$db"; }
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 10
  sql -p"wrong" -e "SELECT 1" 2>/dev/null && exit 11
  [[ $(sql -p"$password" -e "SELECT @@innodb_flush_log_at_trx_commit") == 1 ]] || exit 12
  [[ $(sql -p"$password" -e "SELECT @@sync_binlog") == 1 ]] || exit 13
  "$EVS_TEST_MARIADB_CTL" stop || exit 14
  "$EVS_TEST_MARIADB_CTL" status && exit 15
  sql -p"$password" -e "SELECT 1" 2>/dev/null && exit 16
  "$EVS_TEST_MARIADB_CTL" start || exit 17
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 18
  "$EVS_TEST_MARIADB_CTL" kill || exit 19
  "$EVS_TEST_MARIADB_CTL" start || exit 20
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 21
  dirname "$EVS_TEST_MARIADB_CTL" >'"$marker"'
  exit 3'
rc=$?
[[ $rc -eq 3 ]] || fail "exit code $rc, expected the command's 3 (a check inside failed otherwise)"
folder=$(cat "$marker")
rm -f "$marker"
[[ -n $folder ]] || fail "EVS_TEST_MARIADB_CTL was not exported"
[[ -n $folder && ! -e $folder ]] || fail "$folder was not removed"

if EVS_MARIADB_BIN=/nonexistent "$script" true 2>/dev/null; then
  fail "succeeded without mariadbd"
fi
EVS_MARIADB_BIN=/nonexistent "$script" true 2>/dev/null
rc=$?
[[ $rc -eq 127 ]] || fail "exit code $rc without mariadbd, expected 127"

[[ $failed -eq 0 ]] && echo "with-mariadb: ok"
exit "$failed"
