#!/usr/bin/env bash
# Runs a REAL redis-server (Debian's, 7.0 on bookworm) for integration tests and local use, on
# 127.0.0.1 only, with AOF persistence, in the background.
#
# Usage: deploy/redis/redis.sh start|stop|restart|status|wait|address|cli [ARGS...]
#   start    start and wait for PING; prints ONLY the address (127.0.0.1:PORT) on stdout, so
#            `addr=$(deploy/redis/redis.sh start)` works; progress goes to stderr. Already
#            running: prints the address, exit 0.
#   stop     SIGTERM (Redis fsyncs the AOF and exits), wait up to 20 s, then SIGKILL.
#   restart  stop + start (same port).   status: exit 0 (and print the address) if running, 1 if not.
#   wait     wait until PING answers PONG (not LOADING) (PACT_REDIS_WAIT_TIMEOUT, default 30 s).
#   address  print the remembered address.   cli ARGS: redis-cli against this server.
#
# Environment:
#   PACT_REDIS_STATE_DIR         state dir (default <repo>/.run/redis)
#   PACT_REDIS_PORT              port (default: a free port picked on first start, remembered in
#                                <state>/port so a restart comes back on the same port)
#   PACT_REDIS_APPENDFSYNC       everysec (default) | always | no
#   PACT_REDIS_AOF_RDB_PREAMBLE  no (default) | yes
#   PACT_REDIS_EXTRA_CONF        extra redis.conf lines (newline-separated), appended
#   PACT_REDIS_WAIT_TIMEOUT      readiness timeout in seconds (default 30)
#   REDIS_SERVER / REDIS_CLI     binaries (default redis-server / redis-cli from PATH)
#
# State dir layout: redis.conf (regenerated on every start), port, address, redis.pid,
#   redis.log (Redis' own log), stdout.log (anything it prints before its log is open), and the
#   data, which is ONLY the AOF (RDB snapshots are off: `save ""`, so no dump.rdb can shadow it):
#
#   <state>/appendonlydir/                   Redis 7 multi-part AOF ("appenddirname")
#     appendonly.aof.manifest                lists the files below, in order; Redis loads exactly these
#     appendonly.aof.<N>.base.aof            base file: the dataset as of the last AOF rewrite
#                                            (plain RESP commands, as aof-use-rdb-preamble is no;
#                                             it would be .base.rdb with the preamble on)
#     appendonly.aof.<M>.incr.aof            commands appended since that rewrite (plain RESP)
#   A rewrite (BGREWRITEAOF, or automatic once the AOF doubles and is over 64 MB) writes a new
#   base + incr with higher numbers, rewrites the manifest and deletes the old files.
#
#   Restarting from an OLDER copy of the AOF (what integration tests do): copy the WHOLE
#   directory, manifest included, never single files:
#     redis.sh stop;  cp -a "$state/appendonlydir" /tmp/aof-old;  redis.sh start   # snapshot
#     ... more writes ...
#     redis.sh stop;  rm -rf "$state/appendonlydir";  cp -a /tmp/aof-old "$state/appendonlydir"
#     redis.sh start                                   # back at the snapshot, same port
#   Copying while Redis runs also works if no rewrite is in progress (INFO persistence:
#   aof_rewrite_in_progress:0); a torn last command in the incr file is dropped on load
#   (aof-load-truncated yes, the default). With appendfsync everysec the last second of writes
#   before a SIGKILL may be missing; set PACT_REDIS_APPENDFSYNC=always where a test needs every
#   acknowledged write on disk.
#
# Why aof-use-rdb-preamble no: every AOF file stays plain RESP text, so a test can read, grep,
# compare or truncate it with ordinary tools; the RDB preamble only speeds up loading big
# datasets, which tests and a local run don't have.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="${PACT_REDIS_STATE_DIR:-$root/.run/redis}"
server="${REDIS_SERVER:-redis-server}"
cli="${REDIS_CLI:-redis-cli}"
timeout_s="${PACT_REDIS_WAIT_TIMEOUT:-30}"
pidfile="$state/redis.pid"

say() { echo "redis: $*" >&2; }
die() { say "$*"; exit 1; }

# pid of our server if running: the pid runs the redis-server binary (on Debian a link to
# redis-check-rdb) and has chdir'd to this state dir (or, in its first milliseconds, still has our
# redis.conf on its command line), so a recycled pid is never taken for ours
running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local exe want cwd cmd
  exe="$(readlink -f "/proc/$pid/exe" 2>/dev/null)" || return 1
  want="$(readlink -f "$(command -v "$server")" 2>/dev/null)" || return 1
  [[ "$exe" == "$want" ]] || return 1
  cwd="$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cwd" == "$(cd "$state" && pwd -P)" || "$cmd" == *"$state/redis.conf"* ]] || return 1
  echo "$pid"
}

# the pid in the pid file exists and is no zombie (identity not checked)
pid_alive() {
  local pid; pid="$(cat "$pidfile" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/stat" ]] || return 1
  local st; st="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 30000))
    port_open "$p" || { echo "$p"; return; }
  done
  die "no free port found"
}

ping_ok() {
  local port="$1"
  if command -v "$cli" >/dev/null 2>&1; then
    [[ "$("$cli" -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]
  else
    local reply
    reply="$(exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && timeout 2 head -c 7 <&3)" 2>/dev/null || return 1
    [[ "$reply" == "+PONG"* ]]
  fi
}

print_tail() {
  say "last lines of $state/redis.log:"
  tail -n 20 "$state/redis.log" 2>/dev/null >&2 || true
  if [[ -s "$state/stdout.log" ]]; then
    say "last lines of $state/stdout.log:"
    tail -n 10 "$state/stdout.log" >&2
  fi
}

cmd_wait() {
  [[ -s "$state/port" ]] || die "not started yet (no $state/port)"
  local port; port="$(cat "$state/port")"
  local deadline=$((SECONDS + timeout_s)) grace=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    # (right after the fork the pid still runs the shell that is about to exec the server:
    # a live pid from the pid file counts during the first seconds)
    if ! running_pid >/dev/null && ! { ((SECONDS < grace)) && pid_alive; }; then
      say "redis-server is not running (exited during start?)"
      print_tail; exit 1
    fi
    ping_ok "$port" && return 0
    sleep 0.1
  done
  say "not ready after ${timeout_s}s on 127.0.0.1:$port"
  print_tail
  exit 1
}

write_config() {
  local port="$1"
  local fsync="${PACT_REDIS_APPENDFSYNC:-everysec}"
  local preamble="${PACT_REDIS_AOF_RDB_PREAMBLE:-no}"
  case "$fsync" in everysec|always|no) ;; *) die "PACT_REDIS_APPENDFSYNC must be everysec, always or no (got '$fsync')" ;; esac
  case "$preamble" in yes|no) ;; *) die "PACT_REDIS_AOF_RDB_PREAMBLE must be yes or no (got '$preamble')" ;; esac
  cat >"$state/redis.conf" <<EOF
# generated by deploy/redis/redis.sh on every start; edit the script (or PACT_REDIS_EXTRA_CONF)
bind 127.0.0.1
port $port
# loopback only, no password: protected mode refuses anything but loopback clients anyway
protected-mode yes
daemonize no
supervised no
dir "$state"
logfile "$state/redis.log"
loglevel notice
always-show-logo no
# persistence = the AOF only (see the top of redis.sh for its layout)
save ""
appendonly yes
appenddirname "appendonlydir"
appendfilename "appendonly.aof"
appendfsync $fsync
aof-use-rdb-preamble $preamble
aof-load-truncated yes
EOF
  if [[ -n "${PACT_REDIS_EXTRA_CONF:-}" ]]; then
    printf '# PACT_REDIS_EXTRA_CONF\n%s\n' "$PACT_REDIS_EXTRA_CONF" >>"$state/redis.conf"
  fi
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid)"
    cmd_wait
    cat "$state/address"
    return 0
  fi
  command -v "$server" >/dev/null 2>&1 || die "'$server' not found (run deploy/bootstrap.sh)"
  mkdir -p "$state"
  # the state dir is never committed, whether or not the repo's .gitignore lists it
  local run_root; run_root="$(dirname "$state")"
  if [[ "$run_root" == "$root/.run" && ! -f "$run_root/.gitignore" ]]; then printf '*\n' >"$run_root/.gitignore"; fi

  local port
  if [[ -n "${PACT_REDIS_PORT:-}" ]]; then port="$PACT_REDIS_PORT"
  elif [[ -s "$state/port" ]]; then port="$(cat "$state/port")"
  else port="$(free_port)"
  fi
  [[ "$port" =~ ^[0-9]+$ ]] || die "bad port '$port'"
  echo "$port" >"$state/port"
  port_open "$port" && die "port $port on 127.0.0.1 is already in use by another process"
  write_config "$port"
  echo "127.0.0.1:$port" >"$state/address"

  say "starting on 127.0.0.1:$port (AOF in $state/appendonlydir, log $state/redis.log)"
  nohup setsid "$server" "$state/redis.conf" >>"$state/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local t0=$EPOCHREALTIME
  if ! (cmd_wait); then
    say "start failed"
    cmd_stop
    exit 1
  fi
  say "ready in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}')s (pid $(cat "$pidfile"))"
  echo "127.0.0.1:$port"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after 20s, SIGKILL (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
  say "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid) at $(cat "$state/address" 2>/dev/null)"
    cat "$state/address"
    return 0
  fi
  say "not running"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) cmd_status ;;
  wait) cmd_wait; cat "$state/address" ;;
  address) [[ -s "$state/address" ]] || die "never started (no $state/address)"; cat "$state/address" ;;
  cli) shift; [[ -s "$state/port" ]] || die "never started"; exec "$cli" -h 127.0.0.1 -p "$(cat "$state/port")" "$@" ;;
  *) echo "usage: $0 start|stop|restart|status|wait|address|cli [ARGS...]" >&2; exit 2 ;;
esac
