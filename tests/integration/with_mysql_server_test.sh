#!/usr/bin/env bash
# scripts/with-mariadb and scripts/with-mysql: the exported URL reaches a password-protected
# database over TCP (MySQL's caching_sha2_password without TLS on MySQL), the server is the one
# named and commits durably, stop/start/kill work, the command's exit code passes through, the
# folder is removed, and the script fails loudly without its server.
set -uo pipefail
usage="usage: with_mysql_server_test.sh mariadb|mysql PATH/TO/with-SERVER"
flavor=${1:?$usage}
script=${2:?$usage}
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

case $flavor in
  mariadb)
    prefix=MARIADB server=mariadbd bin_setting=EVS_MARIADB_BIN
    client=mariadb client_options="" ;;
  mysql)
    prefix=MYSQL server=mysqld bin_setting=EVS_MYSQL_BIN
    client=${EVS_MYSQL_BIN:-${EVS_MYSQL_PREFIX:-/opt/evs-mysql}/bin}/mysql
    [[ -x $client ]] || client=mysql
    # Without TLS, caching_sha2_password sends the password encrypted with the server's key.
    client_options="--ssl-mode=DISABLED --get-server-public-key" ;;
  *)
    echo "$usage" >&2
    exit 2 ;;
esac
export flavor prefix client client_options

marker=$(mktemp)
# shellcheck disable=SC2016 # expanded by the inner shell, under the script
"$script" bash -c '
  set -u
  url_var=EVS_TEST_${prefix}_URL ctl_var=EVS_TEST_${prefix}_CTL
  ctl=${!ctl_var}
  rest=${!url_var#mysql://}
  user=${rest%%:*}; rest=${rest#*:}
  password=${rest%%@*}; rest=${rest#*@}
  host=${rest%%:*}; rest=${rest#*:}
  port=${rest%%/*}; db=${rest#*/}
  sql() {
    # shellcheck disable=SC2086 # client_options is a list of words
    "$client" --no-defaults -h "$host" -P "$port" -u "$user" $client_options "$@" -N -B "$db" \
      2> >(grep -v "password on the command line" >&2)
  }
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 10
  sql -p"wrong" -e "SELECT 1" 2>/dev/null && exit 11
  [[ $(sql -p"$password" -e "SELECT @@innodb_flush_log_at_trx_commit") == 1 ]] || exit 12
  [[ $(sql -p"$password" -e "SELECT @@sync_binlog") == 1 ]] || exit 13
  version=$(sql -p"$password" -e "SELECT @@version")
  if [[ $flavor == mariadb ]]; then [[ $version == *MariaDB* ]] || exit 22
  else [[ $version != *MariaDB* ]] || exit 22; fi
  "$ctl" stop || exit 14
  "$ctl" status && exit 15
  sql -p"$password" -e "SELECT 1" 2>/dev/null && exit 16
  "$ctl" start || exit 17
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 18
  "$ctl" kill || exit 19
  "$ctl" start || exit 20
  [[ $(sql -p"$password" -e "SELECT 1") == 1 ]] || exit 21
  dirname "$ctl" >'"$marker"'
  exit 3'
rc=$?
[[ $rc -eq 3 ]] || fail "exit code $rc, expected the command's 3 (a check inside failed otherwise)"
folder=$(cat "$marker")
rm -f "$marker"
[[ -n $folder ]] || fail "EVS_TEST_${prefix}_CTL was not exported"
[[ -n $folder && ! -e $folder ]] || fail "$folder was not removed"

env "$bin_setting=/nonexistent" "$script" true 2>/dev/null
rc=$?
[[ $rc -eq 127 ]] || fail "exit code $rc without $server, expected 127"

[[ $failed -eq 0 ]] && echo "with-$flavor: ok"
exit "$failed"
