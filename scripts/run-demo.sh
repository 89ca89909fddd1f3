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
# by event-token; an existing .env only gets the two keys added if it lacks them. The
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

# KEY is set, non-empty, in the environment or in .env.
given() {
  [[ -n "${!1:-}" ]] && return 0
  [[ -f .env ]] && grep -Eq "^[[:space:]]*(export[[:space:]]+)?$1=[\"']?[^\"'[:space:]#]" .env
}

if [[ ! -f .env ]]; then
  if [[ -f .env.example ]]; then cp .env.example .env; else : > .env; fi
  chmod 600 .env
  say "created .env (settings for both programs; edit it to change them)"
fi

if ! given SECRET_KEY; then
  secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # Replace an empty SECRET_KEY= line, or add one.
  if grep -q '^SECRET_KEY=$' .env; then
    sed -i "s/^SECRET_KEY=\$/SECRET_KEY=$secret/" .env
  else
    printf '\nSECRET_KEY=%s\n' "$secret" >> .env
  fi
  say "wrote a random SECRET_KEY to .env"
fi

if ! given API_TOKEN; then
  # event-token reads SECRET_KEY and ALGORITHM from the environment or .env, as the consumer does.
  # No expiry: a demo token that lapses would make the consumer refuse every event a month on.
  token=$("$bin_dir/event-token" --sub event-propagator --scope events:write --ttl never)
  if grep -q '^API_TOKEN=$' .env; then
    sed -i "s/^API_TOKEN=\$/API_TOKEN=$token/" .env
  else
    printf '\nAPI_TOKEN=%s\n' "$token" >> .env
  fi
  say "minted an API_TOKEN for the propagator (scope events:write, no expiry) into .env"
fi

# The propagator follows the consumer's port unless told otherwise.
if ! given API_URL; then
  port=${PORT:-$(sed -n 's/^[[:space:]]*PORT=\([0-9]*\).*/\1/p' .env 2>/dev/null | tail -1)}
  export API_URL="http://localhost:${port:-8000}/api/event"
fi

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
  say "stopped; the events are in the consumer database (DB_PATH, default ./data/events.db)"
  exit 0
}
trap stop INT TERM

say "consumer pid $consumer, propagator pid $propagator; Ctrl-C stops both"
say "try: kill -9 $consumer, watch the propagator retry and its pending count grow, then restart"
say "     the consumer alone (make run_consumer) and watch the backlog drain"

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
