#!/usr/bin/env bash
# scripts/with-nats: three reachable nodes in one cluster, the command's exit code passed
# through, its folder and servers gone afterwards, and a loud failure without nats-server.
set -uo pipefail
script=${1:?usage: with_nats_test.sh PATH/TO/with-nats}
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

marker=$(mktemp)
"$script" bash -c '
  for n in 1 2 3; do
    conf=EVS_TEST_NATS_CONF_$n pidfile=EVS_TEST_NATS_PID_FILE_$n port=EVS_TEST_NATS_PORT_$n
    monitor=EVS_TEST_NATS_MONITOR_$n
    [[ -f ${!conf} && -s ${!pidfile} ]] || exit 10
    [[ $NATS_URL == *"127.0.0.1:${!port}"* ]] || exit 11
    # Every node sees the other two as routes of one cluster.
    routes=$(curl -fsS "http://127.0.0.1:${!monitor}/routez" | grep -c "\"rid\"")
    [[ $routes -eq 2 ]] || exit 12
  done
  { echo "$EVS_TEST_NATS_DIR"; cat "$EVS_TEST_NATS_PID_FILE_1" "$EVS_TEST_NATS_PID_FILE_2" \
      "$EVS_TEST_NATS_PID_FILE_3"; echo; } >'"$marker"'
  exit 3'
rc=$?
[[ $rc -eq 3 ]] || fail "exit code $rc, expected the command's 3 (10-12: a node was not set up)"
dir=$(head -n 1 "$marker")
pids=$(tail -n +2 "$marker" | tr -c '0-9' ' ')
rm -f "$marker"
[[ -n $dir ]] || fail "EVS_TEST_NATS_DIR was not exported"
[[ -n $dir && ! -e $dir ]] || fail "$dir was not removed"
for pid in $pids; do
  kill -0 "$pid" 2>/dev/null && fail "nats-server $pid still runs"
done

if EVS_NATS_SERVER=/nonexistent "$script" true 2>/dev/null; then
  fail "succeeded without nats-server"
fi

[[ $failed -eq 0 ]] && echo "with-nats: ok"
exit "$failed"
