#!/usr/bin/env bash
# scripts/with-mysql: the exported URL reaches a password-protected database over TCP (MySQL's
# caching_sha2_password, no TLS), the server commits durably, stop/start/kill work, the
# command's exit code passes through, the folder is removed, and it fails loudly without MySQL.
set -uo pipefail
script=${1:?usage: with_mysql_test.sh PATH/TO/with-mysql}
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

client=${EVS_MYSQL_BIN:-${EVS_MYSQL_PREFIX:-/opt/evs-mysql}/bin}/mysql
[[ -x $client ]] || client=mysql
export client

marker=$(mktemp)
# shellcheck disable=SC2016 # expanded by the inner shell, under with-mysql
"$script" bash -c '
  set -u
  rest=${EVS_TEST_MYSQL_URL#mysql://}
  user=${rest%%:*}; rest=${rest#*:}
  password=${rest%%@*}; rest=${rest#*@}
  host=${rest%%:*}; rest=${rest#*:}
  port=${rest%%/*}; db=${rest#*/}
  # Without TLS, caching_sha2_password sends the password encrypted with the server'"'"'s key.
  sql() {
    "$client" --no-defaults -h "$host" -P "$port" -u "$user" --ssl-mode=DISABLED \
      --get-server-public-key "$@" -N -B "$db" 2> >(grep -v "password on the command line" >&2)
  }
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 10
  sql -p"wrong" -e "SELECT 1" 2>/dev/null && exit 11
  [[ $(sql -p"$password" -e "SELECT @@innodb_flush_log_at_trx_commit") == 1 ]] || exit 12
  [[ $(sql -p"$password" -e "SELECT @@sync_binlog") == 1 ]] || exit 13
  [[ $(sql -p"$password" -e "SELECT @@version_comment") != *MariaDB* ]] || exit 22
  "$EVS_TEST_MYSQL_CTL" stop || exit 14
  "$EVS_TEST_MYSQL_CTL" status && exit 15
  sql -p"$password" -e "SELECT 1" 2>/dev/null && exit 16
  "$EVS_TEST_MYSQL_CTL" start || exit 17
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 18
  "$EVS_TEST_MYSQL_CTL" kill || exit 19
  "$EVS_TEST_MYSQL_CTL" start || exit 20
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 21
  dirname "$EVS_TEST_MYSQL_CTL" >'"$marker"'
  exit 3'
rc=$?
[[ $rc -eq 3 ]] || fail "exit code $rc, expected the command's 3 (a check inside failed otherwise)"
folder=$(cat "$marker")
rm -f "$marker"
[[ -n $folder ]] || fail "EVS_TEST_MYSQL_CTL was not exported"
[[ -n $folder && ! -e $folder ]] || fail "$folder was not removed"

if EVS_MYSQL_BIN=/nonexistent "$script" true 2>/dev/null; then
  fail "succeeded without mysqld"
fi
EVS_MYSQL_BIN=/nonexistent "$script" true 2>/dev/null
rc=$?
[[ $rc -eq 127 ]] || fail "exit code $rc without mysqld, expected 127"

[[ $failed -eq 0 ]] && echo "with-mysql: ok"
exit "$failed"
