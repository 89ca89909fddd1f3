#!/usr/bin/env bash
# make bench: the consumer under wrk next to the same-run references (nginx answering a static
# 200 to the same request, and our own store called directly), one table, JSON under
# bench/results/. Every process it starts is stopped on exit.
set -euo pipefail
BUILD=${1:-build/release}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$BUILD" && pwd)
DURATION=${BENCH_SECONDS:-8}
WORK=$(mktemp -d /tmp/evs-bench.XXXXXX)
RESULTS="$WORK/results.jsonl"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# --- references: nginx static 200 ---
NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT reuseport;
    location / { default_type application/json; return 200 '{"status_code":"200","accepted":1,"duplicates":0}'; }
  }
}
CONF
/usr/sbin/nginx -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
PIDS+=($!)
wait_port "$NGINX_PORT"

run_wrk() { # label url events_per_request connections
  LABEL=$1 EVENTS_PER_REQUEST=$3 TOKEN=${TOKEN:-} wrk -t2 -c"$4" -d"${DURATION}s" --latency \
    -s "$ROOT/bench/ingest.lua" "$2" | grep '^{' | sed "s/}\$/,\"connections\":$4}/"
}

# measure_consumer BACKEND PID PORT "EVENTS_PER_REQUEST CONNECTIONS"...: one wrk run per
# workload, with the consumer's CPU time over the run and its peak RSS added to the line.
measure_consumer() {
  local backend=$1 pid=$2 port=$3 workload line before after
  shift 3
  for workload in "$@"; do
    set -- $workload
    echo "consumer ($backend), $1 events/request, $2 connections..." >&2
    before=$(cpu_ticks "$pid")
    line=$(run_wrk consumer "http://127.0.0.1:$port/api/event" "$1" "$2")
    after=$(cpu_ticks "$pid")
    echo "${line%\}},\"backend\":\"$backend\",\"cpu_ticks\":$((after - before)),\"peak_rss_kib\":$(peak_rss_kib "$pid")${ROUND:+,\"round\":$ROUND}}" >> "$RESULTS"
  done
}

echo "nginx static-200 reference, 8 connections..." >&2
run_wrk nginx "http://127.0.0.1:$NGINX_PORT/api/event" 1 8 >> "$RESULTS"

# --- raw store, no HTTP ---
for batch in 1 10 100; do
  echo "raw SQLite store, batch $batch..." >&2
  "$BUILD/bench/store_bench" --backend sqlite --target "$WORK/raw.db" --batch "$batch" --seconds 5 \
    | sed 's/^{/{"label":"store",/' >> "$RESULTS"
done

# The raw runs leave dirty pages behind; flush them so their writeback does not slow the next
# phase's fsyncs.
rm -f "$WORK"/raw.db*
sync

# --- the consumer on SQLite ---
export SECRET_KEY=bench-secret-$$
PORT=$(free_port)
# with-postgres exports DB_HOSTNAME & co, which would select PostgreSQL: unset them here.
env -u DB_HOSTNAME -u DATABASE_URL LOG_LEVEL=warn PORT=$PORT DB_PATH="$WORK/events.db" \
  "$BUILD/apps/event-consumer" --env-file /dev/null 2> "$WORK/consumer.log" &
CONSUMER=$!
PIDS+=($CONSUMER)
wait_port "$PORT"
TOKEN=$("$BUILD/apps/event-token" --env-file /dev/null --sub bench --scope events:write --ttl 1d)
export TOKEN
# Ratio A pairs nginx and the consumer back to back, RATIO_ROUNDS times: a shared machine's speed
# can drift by tens of percent within minutes, so the ratio is the median of the pairs' ratios.
for round in $(seq "${RATIO_ROUNDS:-3}"); do
  echo "ratio A round $round: nginx static-200, 1 event/request, 64 connections..." >&2
  run_wrk nginx "http://127.0.0.1:$NGINX_PORT/api/event" 1 64 | sed "s/}\$/,\"round\":$round}/" >> "$RESULTS"
  ROUND=$round measure_consumer sqlite "$CONSUMER" "$PORT" "1 64"
done
measure_consumer sqlite "$CONSUMER" "$PORT" "10 64" "100 64" "1 8"
# --- the propagator in burst mode against the same consumer ---
echo "propagator burst (INTERVAL_SECONDS=0, BATCH_SIZE=1000) into the consumer (sqlite)..." >&2
API_URL="http://127.0.0.1:$PORT/api/event" API_TOKEN=$TOKEN INTERVAL_SECONDS=0 BATCH_SIZE=1000 \
  SPOOL_PATH="$WORK/spool.db" LOG_LEVEL=info "$BUILD/apps/event-propagator" --env-file /dev/null \
  --count "${BENCH_PROPAGATOR_EVENTS:-500000}" 2> "$WORK/propagator.log"
grep 'count reached' "$WORK/propagator.log" | sed -E \
  's/.*delivered=([0-9]+).*requests=([0-9]+).*elapsed_s=([0-9.]+).*rate_per_s=([0-9.]+).*/{"label":"propagator","backend":"sqlite","events":\1,"requests":\2,"seconds":\3,"events_per_s":\4}/' \
  >> "$RESULTS"
kill -TERM "$CONSUMER"; wait "$CONSUMER" || true

# --- PostgreSQL, when run under scripts/with-postgres ---
if [[ -n ${EVS_TEST_PG_URL:-} ]]; then
  echo "raw PostgreSQL store, batch 100, 4 writers..." >&2
  "$BUILD/bench/store_bench" --backend postgres --target "$EVS_TEST_PG_URL" --batch 100 \
    --writers 4 --seconds 5 | sed 's/^{/{"label":"store",/' >> "$RESULTS"
  PORT=$(free_port)
  LOG_LEVEL=warn PORT=$PORT DATABASE_URL="$EVS_TEST_PG_URL" "$BUILD/apps/event-consumer" \
    --env-file /dev/null 2> "$WORK/consumer-pg.log" &
  CONSUMER=$!
  PIDS+=($CONSUMER)
  wait_port "$PORT"
  measure_consumer postgres "$CONSUMER" "$PORT" "1 64" "100 64"
  kill -TERM "$CONSUMER"; wait "$CONSUMER" || true
fi

echo "micro-benchmarks..." >&2
"$BUILD/bench/micro_bench" --benchmark_min_time=0.2 > "$WORK/micro.txt" 2>/dev/null || true

mkdir -p "$ROOT/bench/results"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
python3 "$ROOT/bench/report.py" "$RESULTS" "$(getconf CLK_TCK)" "$ROOT/bench/results/bench-$STAMP.json"
cat "$WORK/micro.txt"
