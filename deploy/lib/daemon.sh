# Sourced by deploy/kafka/kafka.sh and deploy/redis/redis.sh: running one server in the background
# on 127.0.0.1, so that both keep the same contract (start prints only the address on stdout, a
# restart comes back on the same port, stop never leaves a process behind).
#
# The sourcing script sets, before calling anything here:
#   daemon_name          message prefix ("kafka: ...")
#   daemon_state         state dir; <state>/port holds the port that `wait` checks
#   daemon_pidfile       pid of the background server
#   daemon_address_file  what start, status and wait print (127.0.0.1:PORT)
#   daemon_process       how `wait` names the server when it died during start
#   daemon_wait_timeout  readiness timeout in seconds;  daemon_poll_s: pause between checks
#   daemon_log, daemon_log_tail                the server's own log, lines shown on a failed start
#   daemon_stdout_log, daemon_stdout_tail      the server's stdout/stderr, likewise (when not empty)
# and defines:
#   is_our_server PID    true if PID is this state dir's server: pids get recycled, and stopping a
#                        stranger because of a stale pid file must never happen
#   server_ready PORT    true once the server answers requests on PORT

say() { echo "$daemon_name: $*" >&2; }
die() { say "$*"; exit 1; }

daemon_running_pid() {
  [[ -f "$daemon_pidfile" ]] || return 1
  local pid; pid="$(cat "$daemon_pidfile" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  is_our_server "$pid" || return 1
  echo "$pid"
}

# the pid in the pid file exists and is no zombie (identity not checked)
daemon_pid_alive() {
  local pid; pid="$(cat "$daemon_pidfile" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/stat" ]] || return 1
  local st; st="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

daemon_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

daemon_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 30000))
    daemon_port_open "$p" || { echo "$p"; return; }
  done
  die "no free port found"
}

# Usage: port="$(daemon_remember_port FILE ENV_VALUE [AVOID])"
# env wins (and is remembered), else the file, else a new free port other than AVOID
daemon_remember_port() {
  local file="$1" env_value="$2" avoid="${3:-}" p
  if [[ -n "$env_value" ]]; then p="$env_value"
  elif [[ -s "$file" ]]; then p="$(cat "$file")"
  else
    # (errexit is off inside $(...): without the exit a failed pick would loop forever)
    p="$(daemon_free_port)" || exit 1
    while [[ "$p" == "$avoid" ]]; do p="$(daemon_free_port)" || exit 1; done
  fi
  local origin="$file"; [[ -z "$env_value" ]] || origin=env
  [[ "$p" =~ ^[0-9]+$ ]] || die "bad port '$p' (from $origin)"
  echo "$p" >"$file"
  echo "$p"
}

# a server of someone else's on our port would answer the readiness check in its place
daemon_refuse_busy_ports() {
  local p
  for p in "$@"; do
    if daemon_port_open "$p"; then die "port $p on 127.0.0.1 is already in use by another process"; fi
  done
}

# Usage: daemon_make_state_dir REPO_ROOT [MORE_DIRS...]
daemon_make_state_dir() {
  local root="$1"; shift
  mkdir -p "$daemon_state" "$@"
  # the state dir is never committed, whether or not the repo's .gitignore lists it
  local run_root; run_root="$(dirname "$daemon_state")"
  if [[ "$run_root" == "$root/.run" && ! -f "$run_root/.gitignore" ]]; then printf '*\n' >"$run_root/.gitignore"; fi
}

daemon_print_tail() {
  say "last lines of $daemon_log:"
  tail -n "$daemon_log_tail" "$daemon_log" 2>/dev/null >&2 || true
  if [[ -s "$daemon_stdout_log" ]]; then
    say "last lines of $daemon_stdout_log:"
    tail -n "$daemon_stdout_tail" "$daemon_stdout_log" >&2
  fi
}

daemon_wait() {
  [[ -s "$daemon_state/port" ]] || die "not started yet (no $daemon_state/port)"
  local port; port="$(cat "$daemon_state/port")"
  local deadline=$((SECONDS + daemon_wait_timeout)) grace=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    # (right after the fork the pid still runs the shell that is about to exec the server:
    # a live pid from the pid file counts during the first seconds)
    if ! daemon_running_pid >/dev/null && ! { ((SECONDS < grace)) && daemon_pid_alive; }; then
      say "$daemon_process is not running (exited during start?)"
      daemon_print_tail; exit 1
    fi
    server_ready "$port" && return 0
    sleep "$daemon_poll_s"
  done
  say "not ready after ${daemon_wait_timeout}s on 127.0.0.1:$port"
  daemon_print_tail
  exit 1
}

# Usage: daemon_start LAUNCH [ARGS...]
# LAUNCH (the script's) prepares the state dir and ports, writes the address file and ends with
# daemon_spawn + daemon_await_start; it only runs when our server is not running already.
daemon_start() {
  local pid
  if pid="$(daemon_running_pid)"; then
    say "already running (pid $pid)"
    daemon_wait
    cat "$daemon_address_file"
    return 0
  fi
  "$@"
}

# Usage: daemon_spawn COMMAND [ARGS...]
# own session: the server outlives the calling shell and a Ctrl-C in it
daemon_spawn() {
  nohup setsid "$@" >>"$daemon_stdout_log" 2>&1 </dev/null &
  echo $! >"$daemon_pidfile"
}

# Usage: daemon_await_start FAILED_MESSAGE SECONDS_FORMAT (printf format of the start time)
daemon_await_start() {
  local failed="$1" format="$2" t0=$EPOCHREALTIME
  if ! (daemon_wait); then
    say "$failed"
    daemon_stop
    exit 1
  fi
  say "ready in $(awk -v a="$t0" -v b="$EPOCHREALTIME" -v f="$format" 'BEGIN{printf f, b-a}')s (pid $(cat "$daemon_pidfile"))"
  cat "$daemon_address_file"
}

daemon_stop() {
  local pid
  if ! pid="$(daemon_running_pid)"; then
    say "not running"
    rm -f "$daemon_pidfile"
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
  rm -f "$daemon_pidfile"
  say "stopped"
}

daemon_status() {
  local pid
  if pid="$(daemon_running_pid)"; then
    say "running (pid $pid) at $(cat "$daemon_address_file" 2>/dev/null)"
    cat "$daemon_address_file"
    return 0
  fi
  say "not running"
  return 1
}

# Usage: daemon_command LAUNCH USAGE "$@"  -- the commands every server script has; the script
# handles its own (logs, tool, cli) before handing the rest over.
daemon_command() {
  local launch="$1" usage="$2"; shift 2
  case "${1:-}" in
    start) daemon_start "$launch" ;;
    stop) daemon_stop ;;
    restart) daemon_stop; daemon_start "$launch" ;;
    status) daemon_status ;;
    wait) daemon_wait; cat "$daemon_address_file" ;;
    address) [[ -s "$daemon_address_file" ]] || die "never started (no $daemon_address_file)"; cat "$daemon_address_file" ;;
    *) echo "usage: $0 $usage" >&2; exit 2 ;;
  esac
}
