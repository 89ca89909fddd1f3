# shellcheck shell=bash
# What the scripts/with-* scripts share. Each runs a command against throwaway servers in a
# temporary folder and removes them when the command ends, fails or is interrupted. A script sets
# `script_name`, sources this file, sets `tmp` once it has made its folder, defines
# `stop_servers`, and ends with `run_command "$@"`.

die() {
  echo "$script_name: $*" >&2
  exit 127
}

port_is_free() { [[ -z $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

tmp=""
stop_servers() { :; }

# Signals are ignored from here on: the clean-up is bounded, and Ctrl-C reaches every nested
# script twice (from the terminal, then passed on by the script around it), so the second one
# would cut this one short and leave its servers and folder behind.
cleanup() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM HUP
  stop_servers
  if [[ -n $tmp ]]; then rm -rf "$tmp"; fi
  exit "$rc"
}

# The command runs as a child that the script waits for, so that a signal to the script is
# handled at once: passed on to the command, then the servers are stopped and removed.
child=""
on_signal() {
  if [[ -n $child ]]; then
    kill -s "$1" "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

# Runs CMD and exits with its exit code. Bash starts a background command with SIGINT and
# SIGQUIT ignored, and a script cannot trap a signal ignored when it started: `env
# --default-signal` gives them back, so that Ctrl-C stops the command, nested with-* scripts
# included. `<&0`: a background command would otherwise read from /dev/null.
run_command() {
  env --default-signal=INT,QUIT "$@" <&0 &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  exit "$rc"
}
