#!/usr/bin/env bash
# make bench: the consumer under wrk next to the same-run references (nginx answering a static
# 200 to the same request, and our own store called directly), one table, JSON under
# bench/results/. Every process it starts is stopped on exit.
#
# Only what succeeded counts: rates come from 2xx answers, every run reports its non-2xx
# answers and the rows the store gained (counted with sqlite3 / psql), and the table marks a
# run whose rows do not match its 2xx events. The consumer runs with bench/sync_counter.cpp
# preloaded, which counts its WAL syncs: rows stored / commits is its commit group size, and
# the raw store is also run at that size, for a like-for-like ratio B.
#
# Knobs: BENCH_SECONDS (each wrk run, default 8), RATIO_ROUNDS (ratio A pairs and PostgreSQL
# single-event rounds, default 3),
# BENCH_PROPAGATOR_EVENTS (default 500000), BENCH_TOKENS (distinct tokens of the many-clients
# run, default 8192: more than each I/O thread's share of the consumer's token cache holds, so
# every request is a cache miss).
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

# Rows in the events table of the store a consumer writes to (sqlite: the file; postgres,
# mariadb: the throwaway servers of scripts/with-postgres and scripts/with-mariadb).
stored_rows() {
  case $1 in
    sqlite) sqlite3 -readonly "$WORK/events.db" 'SELECT count(*) FROM events' ;;
    postgres) psql "$EVS_TEST_PG_URL" -XAtqc 'SELECT count(*) FROM events' ;;
    mariadb) mariadb --defaults-file="$EVS_TEST_MARIADB_ADMIN_CNF" -NBe \
      "SELECT count(*) FROM ${EVS_TEST_MARIADB_URL##*/}.events" ;;
    jetstream) stream_messages ;;
  esac
}
# Messages in the BENCH stream, as node 1 of scripts/with-nats reports them (every node holds a
# replica).
stream_messages() {
  curl -fsS "http://127.0.0.1:$EVS_TEST_NATS_MONITOR_1/jsz?streams=true&accounts=true" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
print(sum(s["state"]["messages"] for a in doc.get("account_details", [])
          for s in a.get("stream_detail", []) if s["name"] == "BENCH"))'
}
# The consumer's fsync/fdatasync calls so far: "WAL other" (bench/sync_counter.cpp).
SYNC_COUNTS=$WORK/sync-counts
sync_counts() { od -An -t u8 -N16 "$SYNC_COUNTS" 2>/dev/null | awk '{print $1 + 0, $2 + 0}' || echo "0 0"; }
# A run's last requests may still be committing when wrk returns: wait until the count settles.
settled_rows() {
  local before after
  after=$(stored_rows "$1")
  while sleep 0.5; before=$after; after=$(stored_rows "$1"); [[ $after != "$before" ]]; do :; done
  echo "$after"
}

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

run_wrk() { # label url events_per_request connections [tokens file]
  LABEL=$1 EVENTS_PER_REQUEST=$3 TOKEN=${TOKEN:-} TOKENS_FILE=${5:-} \
    GZIP_BODY_FILE=${GZIP_BODY_FILE:-} wrk -t2 -c"$4" \
    -d"${DURATION}s" --latency -s "$ROOT/bench/ingest.lua" "$2" | grep '^{' |
    sed "s/}\$/,\"connections\":$4}/"
}

# Says what a run got back that was not a 2xx, and whether the rows it stored match its 2xx.
report_run() { # json line
  python3 - "$1" >&2 <<'PY'
import json, sys
r = json.loads(sys.argv[1])
ok_events = (r["requests"] - r["non_2xx"]) * r["events_per_request"]
line = f"  {r['non_2xx']} non-2xx, {r['socket_errors']} socket errors; {ok_events} events in 2xx answers"
if "stored" in r:
    line += f", {r['stored']} rows stored"
print(line)
PY
}

# measure_consumer BACKEND PID PORT "EVENTS_PER_REQUEST CONNECTIONS [TOKENS_FILE|gzip]"...: one wrk
# run per workload, with the consumer's CPU time over the run, its peak RSS, the rows the store
# gained and (SQLite) the WAL and other syncs added to the line.
measure_consumer() {
  local backend=$1 pid=$2 port=$3 workload line before after rows_before rows_after
  local syncs_before syncs_after
  shift 3
  for workload in "$@"; do
    set -- $workload
    local tokens=${3:-} gzip_file=
    if [[ $tokens == gzip ]]; then tokens=; gzip_file=$(gzip_body "$1"); fi
    echo "consumer ($backend), $1 events/request, $2 connections${tokens:+, a new token per request}${gzip_file:+, gzip bodies}..." >&2
    rows_before=$(settled_rows "$backend")
    syncs_before=($(sync_counts))
    before=$(cpu_ticks "$pid")
    line=$(GZIP_BODY_FILE=$gzip_file run_wrk consumer "http://127.0.0.1:$port/api/event" "$1" "$2" "$tokens")
    after=$(cpu_ticks "$pid")
    rows_after=$(settled_rows "$backend")
    syncs_after=($(sync_counts))
    line="${line%\}},\"backend\":\"$backend\",\"cpu_ticks\":$((after - before)),\"peak_rss_kib\":$(peak_rss_kib "$pid")"
    line+=",\"stored\":$((rows_after - rows_before))"
    line+=",\"wal_syncs\":$((syncs_after[0] - syncs_before[0])),\"other_syncs\":$((syncs_after[1] - syncs_before[1]))"
    line+="${WAL_FILES:+,\"wal_files\":\"$WAL_FILES\"}${ROUND:+,\"round\":$ROUND}}"
    report_run "$line"
    echo "$line" >> "$RESULTS"
  done
}

# The body ingest.lua sends with N events per request, gzip-compressed into a file.
gzip_body() { # events_per_request
  python3 - "$1" "$WORK/body-$1.json.gz" <<'PY'
import gzip, sys
n, path = int(sys.argv[1]), sys.argv[2]
events = [('{"event_type":"message","event_payload":{"user":"ada","text":"hello there %d",'
           '"room":"general"}}' % i) for i in range(1, n + 1)]
body = events[0] if n == 1 else "[" + ",".join(events) + "]"
open(path, "wb").write(gzip.compress(body.encode()))
PY
  echo "$WORK/body-$1.json.gz"
}

measure_nginx() { # connections [round]
  local line
  line=$(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/api/event" 1 "$1")
  line="${line%\}}${2:+,\"round\":$2}}"
  report_run "$line"
  echo "$line" >> "$RESULTS"
}

echo "nginx static-200 reference, 8 connections..." >&2
measure_nginx 8

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
export SECRET_KEY=bench-secret-$$-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d " \n")
PORT=$(free_port)
# with-postgres exports DB_HOSTNAME & co, which would select PostgreSQL: unset them here.
env -u DB_HOSTNAME -u DATABASE_URL LOG_LEVEL=warn PORT=$PORT DB_PATH="$WORK/events.db" \
  EVS_SYNC_COUNTS="$SYNC_COUNTS" LD_PRELOAD="$BUILD/bench/libsync_counter.so" \
  "$BUILD/apps/event-consumer" --env-file /dev/null 2> "$WORK/consumer.log" &
CONSUMER=$!
PIDS+=($CONSUMER)
wait_port "$PORT"
TOKEN=$("$BUILD/apps/event-token" --env-file /dev/null --sub bench --scope events:write --ttl 1d)
export TOKEN
# Many clients: one token each, signed as pyjwt signs them (HS256, the same SECRET_KEY).
python3 - "${BENCH_TOKENS:-8192}" > "$WORK/tokens.txt" <<'PY'
import base64, hashlib, hmac, json, os, sys, time
def part(data):
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=")
key = os.environ["SECRET_KEY"].encode()
now = int(time.time())
for i in range(int(sys.argv[1])):
    signed = part({"alg": "HS256", "typ": "JWT"}) + b"." + part(
        {"sub": f"client-{i}", "scope": "events:write", "iat": now, "exp": now + 86400})
    signature = base64.urlsafe_b64encode(hmac.new(key, signed, hashlib.sha256).digest()).rstrip(b"=")
    print((signed + b"." + signature).decode())
PY
# Ratio A pairs nginx and the consumer back to back, RATIO_ROUNDS times: a shared machine's speed
# can drift by tens of percent within minutes, so the ratio is the median of the pairs' ratios.
for round in $(seq "${RATIO_ROUNDS:-3}"); do
  echo "ratio A round $round: nginx static-200, 1 event/request, 64 connections..." >&2
  measure_nginx 64 "$round"
  ROUND=$round measure_consumer sqlite "$CONSUMER" "$PORT" "1 64"
done
measure_consumer sqlite "$CONSUMER" "$PORT" "10 64" "100 64" "100 64 gzip" "1 8" \
  "1 64 $WORK/tokens.txt"
# --- the propagator in burst mode against the same consumer ---
rows_before=$(settled_rows sqlite)
echo "propagator burst (INTERVAL_SECONDS=0, BATCH_SIZE=1000) into the consumer (sqlite)..." >&2
API_URL="http://127.0.0.1:$PORT/api/event" API_TOKEN=$TOKEN INTERVAL_SECONDS=0 BATCH_SIZE=1000 \
  SPOOL_PATH="$WORK/spool.db" LOG_LEVEL=info "$BUILD/apps/event-propagator" --env-file /dev/null \
  --count "${BENCH_PROPAGATOR_EVENTS:-500000}" 2> "$WORK/propagator.log"
rows_after=$(settled_rows sqlite)
summary=$(grep 'count reached' "$WORK/propagator.log")
echo "  $(sed -E 's/.*(delivered=[0-9]+).*/\1/' <<<"$summary"), $((rows_after - rows_before)) rows stored" >&2
sed -E 's/.*delivered=([0-9]+).*requests=([0-9]+).*elapsed_s=([0-9.]+).*rate_per_s=([0-9.]+).*/{"label":"propagator","backend":"sqlite","events":\1,"requests":\2,"seconds":\3,"events_per_s":\4/' \
  <<<"$summary" | sed "s/\$/,\"stored\":$((rows_after - rows_before))}/" >> "$RESULTS"
kill -TERM "$CONSUMER"; wait "$CONSUMER" || true

# Ratio B like for like: the raw store committing groups of the size the consumer committed at
# 100 events/request (rows stored / commits; commits = WAL syncs less the two WAL syncs and one
# database sync that each checkpoint adds).
GROUP=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["label"] == "consumer" and r.get("backend") == "sqlite" and r["events_per_request"] == 100:
        commits = max(1, r["wal_syncs"] - 2 * r["other_syncs"])
        print(max(1, round(r["stored"] / commits)))
        break' "$RESULTS")
if [[ -n $GROUP ]]; then
  rm -f "$WORK"/raw.db*
  sync
  echo "raw SQLite store, batch $GROUP (the consumer's commit group at 100 events/request)..." >&2
  "$BUILD/bench/store_bench" --backend sqlite --target "$WORK/raw.db" --batch "$GROUP" --seconds 5 \
    | sed 's/^{/{"label":"store","observed_group":true,/' >> "$RESULTS"
fi

# --- PostgreSQL, when run under scripts/with-postgres ---
# A server in service recycles its WAL files at each checkpoint. A new one creates each 16 MB
# file when it needs it, zero-filled and synced (wal_init_zero), about once a second at these
# rates, and the commits waiting meanwhile wait for it: tens of milliseconds at p99. So the
# consumer is measured once on the new server (the row marked "new WAL files"), and every
# other run comes after about 700 MB of WAL have been written and a checkpoint has recycled
# them, as on a server that has been running.
recycle_postgres_wal() {
  psql "$EVS_TEST_PG_URL" -XAtq -v ON_ERROR_STOP=1 \
    -c "CREATE TABLE bench_wal_warmup AS SELECT g, repeat('x', 200) AS filler
          FROM generate_series(1, 3000000) AS g" \
    -c "DROP TABLE bench_wal_warmup" -c "CHECKPOINT"
}
if [[ -n ${EVS_TEST_PG_URL:-} ]]; then
  PORT=$(free_port)
  LOG_LEVEL=warn PORT=$PORT DATABASE_URL="$EVS_TEST_PG_URL" "$BUILD/apps/event-consumer" \
    --env-file /dev/null 2> "$WORK/consumer-pg.log" &
  CONSUMER=$!
  PIDS+=($CONSUMER)
  wait_port "$PORT"
  WAL_FILES=new measure_consumer postgres "$CONSUMER" "$PORT" "1 64"
  echo "recycling PostgreSQL's WAL files..." >&2
  recycle_postgres_wal
  echo "raw PostgreSQL store, batch 100, 4 writers..." >&2
  "$BUILD/bench/store_bench" --backend postgres --target "$EVS_TEST_PG_URL" --batch 100 \
    --writers 4 --seconds 5 | sed 's/^{/{"label":"store",/' >> "$RESULTS"
  # The single-event tail is a target of its own: as many rounds as ratio A has.
  for round in $(seq "${RATIO_ROUNDS:-3}"); do
    recycle_postgres_wal
    ROUND=$round measure_consumer postgres "$CONSUMER" "$PORT" "1 64"
  done
  recycle_postgres_wal
  measure_consumer postgres "$CONSUMER" "$PORT" "100 64"
  kill -TERM "$CONSUMER"; wait "$CONSUMER" || true
fi

# --- MariaDB, when run under scripts/with-mariadb ---
if [[ -n ${EVS_TEST_MARIADB_URL:-} ]]; then
  # Each raw run gets a new database of its own: the writers' seeds are fixed, so a second run
  # on one database would send the first run's event_ids again and time duplicates; and only a
  # new database takes the dialect asked for.
  fresh_mariadb_url() {
    mariadb --defaults-file="$EVS_TEST_MARIADB_ADMIN_CNF" \
      -e "DROP DATABASE IF EXISTS evs_bench_$1; CREATE DATABASE evs_bench_$1"
    echo "${EVS_TEST_MARIADB_URL%/*}/evs_bench_$1"
  }
  # auto: the native dialect on MariaDB; portable: the path MySQL gets, on the same server.
  for dialect in auto portable; do
    echo "raw MariaDB store ($dialect dialect), batch 100, 4 writers..." >&2
    "$BUILD/bench/store_bench" --backend mariadb --dialect "$dialect" \
      --target "$(fresh_mariadb_url "${dialect}_100")" --batch 100 --writers 4 --seconds 5 \
      | sed 's/^{/{"label":"store",/' >> "$RESULTS"
    # What a service doing one INSERT and COMMIT per event gets from the same server.
    echo "raw MariaDB store ($dialect dialect), batch 1 (one INSERT per event), 4 writers..." >&2
    "$BUILD/bench/store_bench" --backend mariadb --dialect "$dialect" \
      --target "$(fresh_mariadb_url "${dialect}_1")" --batch 1 --writers 4 --seconds 5 \
      | sed 's/^{/{"label":"store",/' >> "$RESULTS"
  done
  PORT=$(free_port)
  env -u DB_HOSTNAME LOG_LEVEL=warn PORT=$PORT DATABASE_URL="$EVS_TEST_MARIADB_URL" \
    "$BUILD/apps/event-consumer" --env-file /dev/null 2> "$WORK/consumer-mariadb.log" &
  CONSUMER=$!
  PIDS+=($CONSUMER)
  wait_port "$PORT"
  measure_consumer mariadb "$CONSUMER" "$PORT" "1 64" "100 64"
  kill -TERM "$CONSUMER"; wait "$CONSUMER" || true
fi

# --- JetStream mode and the loader, when run under scripts/with-nats (and with-postgres) ---
if [[ -n ${NATS_URL:-} && -n ${EVS_TEST_PG_URL:-} ]]; then
  PORT=$(free_port)
  LOG_LEVEL=warn PORT=$PORT INGEST=jetstream NATS_STREAM=BENCH NATS_SUBJECT=bench.events \
    DATABASE_URL="$EVS_TEST_PG_URL" "$BUILD/apps/event-consumer" --env-file /dev/null \
    2> "$WORK/consumer-js.log" &
  CONSUMER=$!
  PIDS+=($CONSUMER)
  wait_port "$PORT"
  measure_consumer jetstream "$CONSUMER" "$PORT" "1 64" "100 64"
  kill -TERM "$CONSUMER"; wait "$CONSUMER" || true
  # The loader drains what the runs published into PostgreSQL: its rate is events stored per
  # second from its start until the store holds them all.
  messages=$(stream_messages)
  rows_before=$(stored_rows postgres)
  echo "loader draining $messages events from JetStream into PostgreSQL (batch 1000)..." >&2
  start=$(date +%s.%N)
  LOG_LEVEL=warn NATS_STREAM=BENCH NATS_SUBJECT=bench.events LOADER_BATCH=1000 \
    DATABASE_URL="$EVS_TEST_PG_URL" "$BUILD/apps/event-loader" --env-file /dev/null \
    2> "$WORK/loader.log" &
  LOADER=$!
  PIDS+=($LOADER)
  until (( $(stored_rows postgres) - rows_before >= messages )); do
    kill -0 "$LOADER" 2>/dev/null || { cat "$WORK/loader.log" >&2; break; }
    sleep 0.2
  done
  end=$(date +%s.%N)
  ticks=$(cpu_ticks "$LOADER" 2>/dev/null || echo 0)
  stored=$(( $(stored_rows postgres) - rows_before ))
  kill -TERM "$LOADER"; wait "$LOADER" || true
  python3 -c 'import json, sys; n, s, e, t = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]); print(json.dumps({"label": "loader", "backend": "postgres", "events": n, "seconds": e - s, "events_per_s": n / (e - s), "cpu_ticks": t, "stored": int(sys.argv[5])}))' \
    "$messages" "$start" "$end" "$ticks" "$stored" >> "$RESULTS"
  echo "  $stored rows stored" >&2

  # Scaling: two consumers on the same stream (one wrk each, half the connections each), then
  # two loaders sharing the durable consumer. Here they share the same two cores, so the rows
  # show the cost per event (CPU summed over the processes) more than the gain.
  JS_PORTS=() JS_PIDS=()
  for _ in 1 2; do
    JS_PORTS+=("$(free_port)")
    LOG_LEVEL=warn PORT=${JS_PORTS[-1]} INGEST=jetstream NATS_STREAM=BENCH NATS_SUBJECT=bench.events \
      DATABASE_URL="$EVS_TEST_PG_URL" "$BUILD/apps/event-consumer" --env-file /dev/null \
      2>> "$WORK/consumer-js2.log" &
    JS_PIDS+=($!)
    PIDS+=($!)
    wait_port "${JS_PORTS[-1]}"
  done
  messages_before_pair=$(stream_messages)
  for n in 1 100; do
    echo "two JetStream consumers, $n events/request, 32 connections each..." >&2
    before=$(settled_rows jetstream)
    cpu_before=$(( $(cpu_ticks "${JS_PIDS[0]}") + $(cpu_ticks "${JS_PIDS[1]}") ))
    run_wrk consumer "http://127.0.0.1:${JS_PORTS[0]}/api/event" "$n" 32 > "$WORK/js-a.json" &
    wrk_a=$!
    run_wrk consumer "http://127.0.0.1:${JS_PORTS[1]}/api/event" "$n" 32 > "$WORK/js-b.json"
    wait "$wrk_a"
    cpu_after=$(( $(cpu_ticks "${JS_PIDS[0]}") + $(cpu_ticks "${JS_PIDS[1]}") ))
    after=$(settled_rows jetstream)
    rss=$(( $(peak_rss_kib "${JS_PIDS[0]}") > $(peak_rss_kib "${JS_PIDS[1]}") ?
            $(peak_rss_kib "${JS_PIDS[0]}") : $(peak_rss_kib "${JS_PIDS[1]}") ))
    line=$(python3 - "$WORK/js-a.json" "$WORK/js-b.json" "$((cpu_after - cpu_before))" "$rss" \
      "$((after - before))" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
seconds = max(a["seconds"], b["seconds"])
line = dict(a, backend="jetstream x2", connections=64, seconds=seconds,
            requests=a["requests"] + b["requests"], non_2xx=a["non_2xx"] + b["non_2xx"],
            socket_errors=a["socket_errors"] + b["socket_errors"],
            timeouts=a["timeouts"] + b["timeouts"],
            p50_ms=max(a["p50_ms"], b["p50_ms"]), p99_ms=max(a["p99_ms"], b["p99_ms"]),
            cpu_ticks=int(sys.argv[3]), peak_rss_kib=int(sys.argv[4]), stored=int(sys.argv[5]))
line["requests_per_s"] = line["requests"] / seconds
line["ok_requests_per_s"] = (line["requests"] - line["non_2xx"]) / seconds
print(json.dumps(line))
PY
)
    report_run "$line"
    echo "$line" >> "$RESULTS"
  done
  for pid in "${JS_PIDS[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done

  messages=$(( $(stream_messages) - messages_before_pair ))
  rows_before=$(stored_rows postgres)
  echo "two loaders draining $messages events into PostgreSQL (one durable consumer)..." >&2
  start=$(date +%s.%N)
  LOADER_PIDS=()
  for _ in 1 2; do
    LOG_LEVEL=warn NATS_STREAM=BENCH NATS_SUBJECT=bench.events LOADER_BATCH=1000 \
      DATABASE_URL="$EVS_TEST_PG_URL" "$BUILD/apps/event-loader" --env-file /dev/null \
      2>> "$WORK/loader2.log" &
    LOADER_PIDS+=($!)
    PIDS+=($!)
  done
  until (( $(stored_rows postgres) - rows_before >= messages )); do
    kill -0 "${LOADER_PIDS[0]}" 2>/dev/null || { cat "$WORK/loader2.log" >&2; break; }
    sleep 0.2
  done
  end=$(date +%s.%N)
  ticks=$(( $(cpu_ticks "${LOADER_PIDS[0]}" 2>/dev/null || echo 0) +
            $(cpu_ticks "${LOADER_PIDS[1]}" 2>/dev/null || echo 0) ))
  stored=$(( $(stored_rows postgres) - rows_before ))
  for pid in "${LOADER_PIDS[@]}"; do kill -TERM "$pid"; wait "$pid" || true; done
  python3 -c 'import json, sys; n, s, e, t = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]); print(json.dumps({"label": "loader", "backend": "postgres", "loaders": 2, "events": n, "seconds": e - s, "events_per_s": n / (e - s), "cpu_ticks": t, "stored": int(sys.argv[5])}))' \
    "$messages" "$start" "$end" "$ticks" "$stored" >> "$RESULTS"
  echo "  $stored rows stored" >&2
fi

echo "micro-benchmarks..." >&2
"$BUILD/bench/micro_bench" --benchmark_min_time=0.2 > "$WORK/micro.txt" 2>/dev/null || true

mkdir -p "$ROOT/bench/results"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
python3 "$ROOT/bench/report.py" "$RESULTS" "$(getconf CLK_TCK)" "$ROOT/bench/results/bench-$STAMP.json"
cat "$WORK/micro.txt"
