#!/usr/bin/env bash
# The demo behind `make run`: event-consumer on the embedded SQLite store and event-propagator
# sending to it, in the foreground, until Ctrl-C stops both (propagator first, so it can
# deliver what it holds).
#
#   scripts/run-demo.sh [BIN_DIR]    BIN_DIR holds the binaries (or a build folder with apps/);
#                                    default: $EVS_BIN_DIR, else build/release/apps.
#
# Settings come from .env in the working directory, as for the programs themselves. When there
# is no .env, one is made from .env.example with a random SECRET_KEY and an API_TOKEN minted
# by event-token; an existing .env only gets the two keys added if it lacks them (and is then
# made readable by its owner only). The
# propagator logs at debug level here, one line per event (DEMO_PROPAGATOR_LOG_LEVEL=info for
# status lines only).
set -euo pipefail

bin_dir=${1:-${EVS_BIN_DIR:-build/release/apps}}
[[ -x "$bin_dir/event-consumer" ]] || { [[ -x "$bin_dir/apps/event-consumer" ]] && bin_dir=$bin_dir/apps; }
for program in event-consumer event-propagator event-token; do
  if [[ ! -x "$bin_dir/$program" ]]; then
    echo "run-demo: $bin_dir/$program not found; build first (make build)" >&2
    exit 2
  fi
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# What was done to .env, said after the summary of where things are.
notes=()

# .env holds the HMAC secret and a token: only its owner may read it.
umask 077

# KEY is set, non-empty, in the environment or in .env.
given() {
  [[ -n "${!1:-}" ]] && return 0
  [[ -f .env ]] && grep -Eq "^[[:space:]]*(export[[:space:]]+)?$1=[\"']?[^\"'[:space:]#]" .env
}

# The value a program will see for KEY: the environment, else the last KEY= line of .env, else
# DEFAULT.
setting() {
  if [[ -n "${!1:-}" ]]; then
    echo "${!1}"
    return
  fi
  local value=""
  [[ -f .env ]] && value=$(sed -n -E "s/^[[:space:]]*(export[[:space:]]+)?$1=[\"']?([^\"'#]*).*/\2/p" .env |
    tail -1 | sed 's/[[:space:]]*$//')
  echo "${value:-$2}"
}

if [[ ! -f .env ]]; then
  if [[ -f .env.example ]]; then cp .env.example .env; else : > .env; fi
  chmod 600 .env
  notes+=("created .env (settings for both programs; edit it to change them)")
fi

# Writes KEY=VALUE into .env: fills an empty KEY= line, or adds one. The file is made private
# first, since what goes in is a secret.
put_secret() {
  chmod 600 .env
  if grep -q "^$1=\$" .env; then
    sed -i "s|^$1=\$|$1=$2|" .env
  else
    printf '\n%s=%s\n' "$1" "$2" >> .env
  fi
}

if ! given SECRET_KEY; then
  put_secret SECRET_KEY "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  notes+=("wrote a random SECRET_KEY to .env")
fi

if ! given API_TOKEN; then
  # event-token reads SECRET_KEY and ALGORITHM from the environment or .env, as the consumer does.
  # No expiry: a demo token that lapses would make the consumer refuse every event a month on.
  put_secret API_TOKEN "$("$bin_dir/event-token" --sub event-propagator --scope events:write --ttl never)"
  notes+=("minted an API_TOKEN for the propagator (scope events:write, no expiry) into .env")
fi

host=$(setting HOST 127.0.0.1)
port=$(setting PORT 8000)
# The propagator follows the consumer's port unless told otherwise.
if ! given API_URL; then
  export API_URL="http://localhost:$port/api/event"
fi
if [[ -n $(setting DATABASE_URL "") ]]; then
  data="DATABASE_URL from .env"
elif [[ -n $(setting DB_HOSTNAME "") ]]; then
  case $(setting DB_DRIVER postgresql) in
    mysql | mariadb) data="MariaDB/MySQL at $(setting DB_HOSTNAME "")" ;;
    *) data="PostgreSQL at $(setting DB_HOSTNAME "")" ;;
  esac
  db_port=$(setting DB_PORT 0)
  [[ $db_port == 0 ]] || data+=" port $db_port"
else
  data=$(setting DB_PATH ./data/events.db)
fi

say "event-consumer listens on http://$host:$port (POST /api/event; events stored in $data)"
# The dashboard follows /metrics: off with METRICS=off, on the admin listener with ADMIN_PORT.
admin_port=$(setting ADMIN_PORT 0)
[[ $admin_port != 0 ]] || admin_port=$port
if [[ $(setting METRICS public | tr '[:upper:]' '[:lower:]') != off ]]; then
  say "live dashboard: http://$host:$admin_port/dashboard (API docs: http://$host:$admin_port/docs)"
fi
say "event-propagator sends sample events to $(setting API_URL "http://localhost:$port/api/event"), spooled in $(setting SPOOL_PATH ./data/propagator-spool.db)"
say "Ctrl-C stops both (the propagator first, delivering what it holds)"
for note in "${notes[@]}"; do say "$note"; done

# Each program in its own session: Ctrl-C reaches this script only, which stops them in order.
# The log prefixers ignore Ctrl-C too, so the programs' last lines (their summaries) show.
setsid "$bin_dir/event-consumer" 2> >(trap '' INT; sed -u 's/^/[consumer]   /' >&2) &
consumer=$!
# The propagator shows each event it generates and delivers (debug), unless told otherwise.
LOG_LEVEL=${DEMO_PROPAGATOR_LOG_LEVEL:-debug} \
  setsid "$bin_dir/event-propagator" 2> >(trap '' INT; sed -u 's/^/[propagator] /' >&2) &
propagator=$!

stop() {
  trap '' INT TERM
  echo
  say "stopping: the propagator delivers what it holds, then the consumer stops"
  kill -TERM "$propagator" 2>/dev/null || true
  wait "$propagator" 2>/dev/null || true
  kill -TERM "$consumer" 2>/dev/null || true
  wait "$consumer" 2>/dev/null || true
  say "stopped; the events are in $data"
  exit 0
}
trap stop INT TERM

say "try: kill -9 $consumer (the consumer), watch the propagator retry and its pending count grow,"
say "     then restart the consumer alone (make run_consumer) and watch the backlog drain"

# Either program ending on its own ends the demo; the other is stopped cleanly.
status=0
wait -n "$consumer" "$propagator" || status=$?
if kill -0 "$propagator" 2>/dev/null; then
  say "event-consumer exited ($status); the propagator keeps events in its spool and retries"
  say "restart the consumer in another terminal (make run_consumer), or Ctrl-C to stop"
  wait "$propagator" || true
else
  say "event-propagator exited ($status); stopping the consumer"
  kill -TERM "$consumer" 2>/dev/null || true
  wait "$consumer" 2>/dev/null || true
fi
exit "$status"
