#!/usr/bin/env bash
# Ctrl-C in `make test`: the with-* scripts nested as WITH_SERVERS nests them, a command that
# runs until it is interrupted, then SIGINT to the whole process group, as a terminal sends it.
# The command must stop at once, the chain exit with 130, and every server and folder be gone.
set -uo pipefail
scripts=${1:?usage: with_scripts_interrupt_test.sh PATH/TO/scripts}
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
marker=$work/ready

# Its own session and process group, with SIGINT handled as in an interactive terminal's
# foreground job (bash would start it ignored).
env --default-signal=INT setsid "$scripts/with-postgres" "$scripts/with-mariadb" \
  "$scripts/with-mysql" "$scripts/with-nats" bash -c '
    echo "$EVS_TEST_PG_DATA $EVS_TEST_MARIADB_SOCKET $EVS_TEST_MYSQL_SOCKET $EVS_TEST_NATS_DIR" >'"$marker"'.tmp
    mv '"$marker"'.tmp '"$marker"'
    exec sleep 600' &
group=$!

for _ in $(seq 1200); do
  [[ -s $marker ]] && break
  kill -0 "$group" 2>/dev/null || break
  sleep 0.1
done
[[ -s $marker ]] || {
  fail "the servers did not start"
  kill -KILL -- "-$group" 2>/dev/null
  exit 1
}
read -r pg_data mariadb_socket mysql_socket nats_dir <"$marker"
folders=("$pg_data" "$(dirname "$mariadb_socket")" "$(dirname "$mysql_socket")" "$nats_dir")

kill -INT -- "-$group"
stopped=0
for _ in $(seq 600); do
  if ! kill -0 "$group" 2>/dev/null; then
    stopped=1
    break
  fi
  sleep 0.1
done
if [[ $stopped -eq 1 ]]; then
  wait "$group"
  rc=$?
  [[ $rc -eq 130 ]] || fail "exit code $rc after SIGINT, expected 130"
else
  fail "still running 60 s after SIGINT"
  pkill -KILL -s "$group" 2>/dev/null
fi

# Every process the chain started (the servers run in sessions of their own) is gone once
# nothing refers to its folders.
for _ in $(seq 100); do
  left=$(pgrep -s "$group" -a 2>/dev/null)
  for f in "${folders[@]}"; do left+=$(pgrep -f -a -- "$f" 2>/dev/null); done
  [[ -z $left ]] && break
  sleep 0.1
done
[[ -z $left ]] || fail "still running after the chain exited: $left"
for f in "${folders[@]}"; do
  [[ ! -e $f ]] || fail "$f was not removed"
done
# What a failure left behind must not outlive the test.
if [[ $failed -ne 0 ]]; then
  pkill -KILL -s "$group" 2>/dev/null
  for f in "${folders[@]}"; do pkill -KILL -f -- "$f" 2>/dev/null; done
  sleep 1
  for f in "${folders[@]}"; do rm -rf "${f%/data}"; done
fi

[[ $failed -eq 0 ]] && echo "with-* scripts on SIGINT: ok"
exit "$failed"
