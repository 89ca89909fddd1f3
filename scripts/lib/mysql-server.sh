# shellcheck shell=bash
# What scripts/with-mariadb and scripts/with-mysql share, sourced after throwaway.sh: the server's
# folder, its control script, a free port, root's password, the test user and database, and what
# is exported. The script sets `product` (MariaDB, MySQL), `server_bin`, `admin` (its
# mysqladmin), `client` (its mysql client) and `server_options` (options of its own), then calls
# make_server_folder NAME, initialises the data folder, and calls start_server, secure_server
# and export_server PREFIX.

# The server refuses to run as root: as root, it switches to the unprivileged mysql user (or
# nobody) that owns the temporary folder.
run_user=""
if [[ $(id -u) -eq 0 ]]; then
  if id -u mysql >/dev/null 2>&1; then run_user=mysql; else run_user=nobody; fi
fi
user_arg=""
[[ -n $run_user ]] && user_arg="--user=$run_user"

db_user=evs
db_password=$(random_hex 12)
db_name=evs_test
root_password=$(random_hex 12)

# The data is thrown away: no need for a clean shutdown.
stop_servers() { if [[ -x ${ctl:-} ]]; then "$ctl" kill >/dev/null 2>&1 || true; fi; }

# make_server_folder NAME: the temporary folder, owned by the user the server runs as.
make_server_folder() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/evs-$1.XXXXXX")
  data=$tmp/data
  socket=$tmp/$1.sock
  pid_file=$tmp/$1.pid
  log=$tmp/server.log
  ctl=$tmp/ctl
  chmod 755 "$tmp"
  if [[ -n $run_user ]]; then chown -R "$run_user" "$tmp"; fi
}

# The control script: the one place that knows how this server starts and stops, for the
# clean-up and for tests that stop, kill and restart it.
write_ctl() {
  cat >"$ctl" <<CTL
#!/usr/bin/env bash
set -uo pipefail
server_pid() { [[ -s $pid_file ]] && cat $pid_file; }
running() { local p; p=\$(server_pid) && kill -0 "\$p" 2>/dev/null; }
wait_gone() {
  local p=\$1
  for _ in \$(seq 600); do kill -0 "\$p" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}
case \${1:-} in
  start)
    running && exit 0
    setsid $server_bin --no-defaults --datadir=$data $user_arg \\
      --socket=$socket --port=$port --bind-address=127.0.0.1 --pid-file=$pid_file \\
      --log-error=$log --skip-name-resolve --character-set-server=utf8mb4 \\
      --collation-server=utf8mb4_bin --innodb-flush-log-at-trx-commit=1 --sync-binlog=1 \\
      --max-connections=300 --max-allowed-packet=64M --skip-log-bin $server_options \\
      </dev/null >/dev/null 2>&1 &
    for _ in \$(seq 600); do
      # ping answers 0 once the server is up, even when it refuses the login.
      $admin --no-defaults --socket=$socket -uroot --connect-timeout=1 ping \\
        >/dev/null 2>&1 && exit 0
      sleep 0.1
    done
    echo "$(basename "$server_bin") did not start; the end of $log:" >&2
    tail -n 20 $log >&2
    exit 1 ;;
  stop)
    p=\$(server_pid) || exit 0
    kill -TERM "\$p" 2>/dev/null || exit 0
    wait_gone "\$p" ;;
  kill)
    p=\$(server_pid) || exit 0
    kill -KILL "\$p" 2>/dev/null || exit 0
    wait_gone "\$p" && rm -f $pid_file ;;
  freeze)
    p=\$(server_pid) && kill -STOP "\$p" ;;
  thaw)
    p=\$(server_pid) && kill -CONT "\$p" ;;
  status)
    running ;;
  *)
    echo "usage: \$0 start|stop|kill|freeze|thaw|status" >&2
    exit 2 ;;
esac
CTL
  chmod 755 "$ctl"
}

# A port can be taken between the check and the start: try a few.
start_server() {
  local started=0
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_is_free "$port" || continue
    write_ctl
    if "$ctl" start 2>>"$tmp/start.log"; then
      started=1
      break
    fi
    "$ctl" kill >/dev/null 2>&1 || true
  done
  if [[ $started -ne 1 ]]; then
    cat "$tmp/start.log" >&2 || true
    die "could not start $product"
  fi
}

# secure_server [SQL]: root gets a password before anything else (SQL runs next, as root); the
# test user reaches the server over TCP only, and may create and drop databases named evs_*.
secure_server() {
  cat >"$tmp/admin.cnf" <<CNF
[client]
user=root
password=$root_password
socket=$socket
CNF
  chmod 600 "$tmp/admin.cnf"
  "$client" --no-defaults --socket="$socket" -uroot <<SQL
ALTER USER root@localhost IDENTIFIED BY '$root_password';
${1:-}
CREATE USER '$db_user'@'%' IDENTIFIED BY '$db_password';
CREATE DATABASE $db_name CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
GRANT ALL PRIVILEGES ON \`evs\\_%\`.* TO '$db_user'@'%';
SQL
}

# export_server PREFIX: EVS_TEST_<PREFIX>_URL, _CTL, _SOCKET, _ADMIN_CNF and _LOG.
export_server() {
  export "EVS_TEST_$1_URL=mysql://$db_user:$db_password@127.0.0.1:$port/$db_name"
  export "EVS_TEST_$1_CTL=$ctl" "EVS_TEST_$1_SOCKET=$socket"
  export "EVS_TEST_$1_ADMIN_CNF=$tmp/admin.cnf" "EVS_TEST_$1_LOG=$log"
}
