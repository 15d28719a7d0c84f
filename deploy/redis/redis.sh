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
source "$root/deploy/lib/daemon.sh"
state="${PACT_REDIS_STATE_DIR:-$root/.run/redis}"
server="${REDIS_SERVER:-redis-server}"
cli="${REDIS_CLI:-redis-cli}"

daemon_name=redis
daemon_state="$state"
daemon_pidfile="$state/redis.pid"
daemon_address_file="$state/address"
daemon_process=redis-server
daemon_wait_timeout="${PACT_REDIS_WAIT_TIMEOUT:-30}"
daemon_poll_s=0.1
daemon_log="$state/redis.log" daemon_log_tail=20
daemon_stdout_log="$state/stdout.log" daemon_stdout_tail=10

# the pid runs the redis-server binary (on Debian a link to redis-check-rdb) and has chdir'd to
# this state dir (or, in its first milliseconds, still has our redis.conf on its command line), so
# a recycled pid is never taken for ours
is_our_server() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 1
  local exe want cwd cmd
  exe="$(readlink -f "/proc/$pid/exe" 2>/dev/null)" || return 1
  want="$(readlink -f "$(command -v "$server")" 2>/dev/null)" || return 1
  [[ "$exe" == "$want" ]] || return 1
  cwd="$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cwd" == "$(cd "$state" && pwd -P)" || "$cmd" == *"$state/redis.conf"* ]]
}

# ready = PING answers PONG (a server still loading its AOF answers LOADING)
server_ready() {
  local port="$1"
  if command -v "$cli" >/dev/null 2>&1; then
    [[ "$("$cli" -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]
  else
    local reply
    reply="$(exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'PING\r\n' >&3 && timeout 2 head -c 7 <&3)" 2>/dev/null || return 1
    [[ "$reply" == "+PONG"* ]]
  fi
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

launch_redis() {
  command -v "$server" >/dev/null 2>&1 || die "'$server' not found (run deploy/bootstrap.sh)"
  daemon_make_state_dir "$root"

  local port
  port="$(daemon_remember_port "$state/port" "${PACT_REDIS_PORT:-}")"
  daemon_refuse_busy_ports "$port"
  write_config "$port"
  echo "127.0.0.1:$port" >"$state/address"

  say "starting on 127.0.0.1:$port (AOF in $state/appendonlydir, log $state/redis.log)"
  daemon_spawn "$server" "$state/redis.conf"
  daemon_await_start "start failed" %.2f
}

case "${1:-}" in
  cli) shift; [[ -s "$state/port" ]] || die "never started"; exec "$cli" -h 127.0.0.1 -p "$(cat "$state/port")" "$@" ;;
  *) daemon_command launch_redis "start|stop|restart|status|wait|address|cli [ARGS...]" "$@" ;;
esac
