#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds (skipping what is up to
# date), starts the embedded Kafka (librdkafka's mock cluster) and a private redis-server, starts
# the four services as separate processes with the sample Western Balkans configuration (demo SOP
# deadlines in seconds) and a local webhook receiver standing in for the NGOs (it accepts some
# referrals, rejects some and leaves the rest unanswered), checks the platform end to end, then
# runs a surge: several hundred arrivals at transit centres, with progress and a summary, while
# the EOC situation console (its address is printed first, with a sign-in link) shows it live. The
# stack stays up for exploration until Ctrl-C; it exits at the end when standard input is not a
# terminal or with --exit. Every child process is shut down cleanly either way.
#
#   deploy/run-local.sh [--kafka HOST:PORT] [--redis HOST:PORT] [--exit] [--probes N]
#                       [--arrivals N] [--rate PER_SECOND] [--settle 60s] [--summary-json FILE]
#                       [--answers accept=55,reject=20|off] [--deadlines demo|standard]
#                       [--then COMMAND]
#   --then runs COMMAND (bash) after the surge while the stack is still up, with the stack's
#   addresses in its environment (PACT_CONSOLE_URL, PACT_INTAKE_ADDRESS, ...), and exits with its
#   status: the console's browser test drives the real services this way.
#   (or PACT_LOCAL_KAFKA / PACT_LOCAL_REDIS to point the same run at a real broker and server)
set -euo pipefail
PACT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PACT_ROOT
source "$PACT_ROOT/deploy/lib/build.sh"
cd "$PACT_ROOT"

kafka="${PACT_LOCAL_KAFKA:-}"
redis="${PACT_LOCAL_REDIS:-}"
exit_at_end=false
probes=200
arrivals=400
rate=40
settle=60s
summary_json=""
answers=accept=55,reject=20
deadlines=demo
then_command=""
while (($#)); do
  case "$1" in
    --kafka) kafka="$2"; shift 2 ;;
    --redis) redis="$2"; shift 2 ;;
    --exit) exit_at_end=true; shift ;;
    --probes) probes="$2"; shift 2 ;;
    --arrivals) arrivals="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --summary-json) summary_json="$2"; shift 2 ;;
    --answers) answers="$2"; shift 2 ;;
    --deadlines) deadlines="$2"; shift 2 ;;
    --then) then_command="$2"; exit_at_end=true; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run-local: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -t 0 ]] || exit_at_end=true

deploy/bootstrap.sh
pact_build "$PACT_ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo

run="$PACT_ROOT/.run/local"
children=()
private_redis=false
cleanup() {
  trap - EXIT INT TERM
  for ((i = ${#children[@]} - 1; i >= 0; i--)); do kill -TERM "${children[i]}" 2>/dev/null || true; done
  for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
  if $private_redis; then PACT_REDIS_STATE_DIR="$run/redis" deploy/redis/redis.sh stop >/dev/null 2>&1 || true; fi
  echo "local stack stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [[ -d "$run/redis" ]]; then PACT_REDIS_STATE_DIR="$run/redis" deploy/redis/redis.sh stop >/dev/null 2>&1 || true; fi
rm -rf "$run"
mkdir -p "$run"

wait_for_file() {
  local file="$1" what="$2"
  for _ in $(seq 1 300); do [[ -s "$file" ]] && return 0; sleep 0.1; done
  echo "run-local: $what did not start; its log:" >&2
  tail -20 "${file%.*}.log" >&2 || true
  exit 1
}

# Development secrets for the local run only: random keys made once, kept out of git (.run/).
secrets="$PACT_ROOT/.run/local-secrets"
mkdir -p "$secrets"
chmod 700 "$secrets"
for key in master id blind-index ack; do
  [[ -s "$secrets/$key.key" ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secrets/$key.key"
done
mkdir -p "$secrets/webhooks"
[[ -s "$secrets/webhooks/sample-webhook" ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secrets/webhooks/sample-webhook"
# The local CA, the services' certificates and the key that signs people's tokens, made once. The
# tools (pactctl, the surge, the stand-in NGOs) verify the services with the CA and mint tokens for
# whom they act as; services accept nothing else (security.mode: production in local.yaml).
pki="$PACT_ROOT/.run/local-pki"
deploy/security/make-local-pki.sh "$pki" >/dev/null
export PACT_CA_FILE="$pki/ca.crt" PACT_TOKEN_SIGNING_KEY="$pki/token-signing/local-1.pem" PACT_TOKEN_ISSUER=pact-local

hub=wb-demo
if [[ -z "$kafka" ]]; then
  build/tools/embedded_kafka/pact-embedded-kafka --hub "$hub" --bootstrap-file "$run/kafka.bootstrap" \
    >"$run/kafka.log" 2>&1 &
  children+=($!)
  wait_for_file "$run/kafka.bootstrap" "the embedded Kafka"
  kafka="$(cat "$run/kafka.bootstrap")"
  kafka_kind="embedded (librdkafka mock cluster)"
else
  build/tools/pactctl/pactctl topics create --bootstrap "$kafka" --hub "$hub" >/dev/null
  kafka_kind="real broker"
fi
if [[ -z "$redis" ]]; then
  redis="$(PACT_REDIS_STATE_DIR="$run/redis" deploy/redis/redis.sh start 2>/dev/null)"
  private_redis=true
  redis_kind="private redis-server"
else
  redis_kind="given redis-server"
fi
export PACT__KAFKA__BOOTSTRAP_SERVERS="$kafka" PACT__REDIS__ADDRESS="$redis"

declare -A binary=(
  [intake]=build/services/intake/pact-intake
  [screening]=build/services/screening/pact-screening
  [routing]=build/services/routing/pact-routing
  [notification]=build/services/notification/pact-notification
  [situation]=build/services/situation/pact-situation
  [diagnostics]=build/tools/diagnostics/pact-diagnostics
)
order=(intake screening routing notification situation diagnostics)
# Intake and screening call each other (guidance at registration; case keys), so their ports are
# chosen here, before either starts.
# Below Linux's ephemeral range (32768-60999): a port the kernel handed out here could be handed
# out again to a process binding port 0 (a health or metrics port) before its owner binds it.
free_port() {
  python3 -c '
import random, socket
for _ in range(500):
    port = random.randint(20000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break'
}
declare -A listen=([intake]="127.0.0.1:$(free_port)" [screening]="127.0.0.1:$(free_port)"
                   [routing]="127.0.0.1:$(free_port)")
ack_page="127.0.0.1:$(free_port)"
receiver="127.0.0.1:$(free_port)"

# The NGOs' webhooks, here one local receiver: the sample directory with its webhook addresses
# pointed at it (the e-mail channels stay as they are; nothing needs them while webhooks answer).
sed "s#https://hooks.example.org/#http://$receiver/#g" reference/routing/directory/sample-directory.json \
  >"$run/directory.json"
export PACT__ROUTING__DIRECTORY_FILE="$run/directory.json"
export PACT__ROUTING__DEADLINE_PROFILE="$deadlines"
receiver_options=(--listen "$receiver" --secret-file "$secrets/webhooks/sample-webhook" --threads 64)
# "off": the NGOs take every message and never answer (the benchmark measures delivery alone).
[[ "$answers" == off ]] || receiver_options+=(--routing "${listen[routing]}" --answers "$answers" --answer-after 500ms)
build/tools/webhook_receiver/pact-webhook-receiver "${receiver_options[@]}" >"$run/receiver.log" 2>&1 &
children+=($!)
export PACT__INTAKE__SCREENING_ADDRESS="${listen[screening]}" PACT__SCREENING__INTAKE_ADDRESS="${listen[intake]}" \
  PACT__ROUTING__INTAKE_ADDRESS="${listen[intake]}" PACT__NOTIFICATION__DIRECTORY_ADDRESS="${listen[routing]}" \
  PACT__NOTIFICATION__ACK_LISTEN="$ack_page" PACT__NOTIFICATION__ACK_BASE_URL="http://$ack_page"
for name in "${order[@]}"; do
  PACT__GRPC__LISTEN="${listen[$name]:-127.0.0.1:0}" \
    "${binary[$name]}" --config deploy/config/local.yaml --ready-file "$run/$name.ready" >"$run/$name.log" 2>&1 &
  children+=($!)
done
for name in "${order[@]}"; do wait_for_file "$run/$name.ready" "$name"; done

# A service is ready when it serves gRPC; its consumers join their groups a few seconds later (one
# rebalance per consumer lane). The surge starts once every group has settled: each consuming
# service has partitions assigned (its metrics say how many) and the counts held for 4 s.
wait_for_consumer_groups() {
  local quiet=0 last="" now name url metrics=()
  for name in screening routing notification; do metrics+=("http://127.0.0.1:$(port_of "$name" metrics_port)/metrics"); done
  for _ in $(seq 1 300); do
    now=""
    for url in "${metrics[@]}"; do
      # A service that does not answer counts as not settled (never as a reason to stop the run).
      now+="$( (curl -s --max-time 2 "$url" || true) |
        awk '/^pact_consumer_assigned_partitions/ {sum += $NF} END {printf "%d ", sum}')"
    done
    if [[ "$now" == "$last" && " $now" != *" 0 "* ]]; then
      ((++quiet >= 20)) && return 0
    else
      quiet=0
    fi
    last="$now"
    sleep 0.2
  done
  echo "run-local: the services' consumers did not settle in 60 s; going on" >&2
}

port_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$run/$1.ready" "$2"; }
echo
echo "PaCT Referral Hub, local stack (hub $hub)"
echo "  kafka  $kafka   [$kafka_kind]"
echo "  redis  $redis   [$redis_kind]"
printf '  %-13s %-22s %-22s %s\n' SERVICE GRPC HEALTH METRICS
for name in "${order[@]}"; do
  printf '  %-13s 127.0.0.1:%-12s 127.0.0.1:%-12s http://127.0.0.1:%s/metrics\n' "$name" \
    "$(port_of "$name" grpc_port)" "$(port_of "$name" health_port)" "$(port_of "$name" metrics_port)"
done
echo
echo "Health of every service (main ports over TLS, probe ports in plaintext):"
main_ports=() probe_ports=()
for name in "${order[@]}"; do
  main_ports+=("127.0.0.1:$(port_of "$name" grpc_port)")
  probe_ports+=("127.0.0.1:$(port_of "$name" health_port)")
done
build/tools/pactctl/pactctl health "${main_ports[@]}" | sed 's/^/  /'
PACT_CA_FILE= build/tools/pactctl/pactctl health "${probe_ports[@]}" | sed 's/^/  /'
echo
# The EOC console: a sign-in link for a duty officer of both jurisdictions (the token sits in the
# link's fragment, which the browser never sends; the page trades it for a session cookie).
console_base="http://127.0.0.1:$(port_of situation console_port)/"
console_token="$(build/tools/pactctl/pactctl token --subject duty-officer-1 --organisation rs-eoc \
  --roles eoc_duty_officer --jurisdictions RS,MK --ttl 600m)"
PACT_CONSOLE_URL="${console_base}#token=$console_token"
echo "EOC situation console (open it now to watch the surge arrive):"
echo "  $PACT_CONSOLE_URL"
echo
diagnostics="127.0.0.1:$(port_of diagnostics grpc_port)"
echo "End-to-end check: $probes gRPC calls whose events travel through Kafka into Redis and back:"
build/tools/pactctl/pactctl check --address "$diagnostics" --count "$probes" | sed 's/^/  /'
echo
intake_address="127.0.0.1:$(port_of intake grpc_port)"
if ! $private_redis; then
  # A Redis that outlives the run keeps the directory of an earlier run, whose webhooks point at
  # that run's receiver port: import the sample directory again (an import adds or replaces).
  build/tools/pactctl/pactctl directory import "$run/directory.json" --routing "127.0.0.1:$(port_of routing grpc_port)" \
    --subject local-run --organisation pact-hub --roles directory_admin --jurisdictions RS,MK,AL,BA,ME,XK >/dev/null
fi
echo "Waiting for the services' consumers to join their groups ..."
wait_for_consumer_groups
echo "Surge: $arrivals arrivals at transit centres in Serbia and North Macedonia, $rate per second"
echo "(demo deadlines: unanswered referrals are reminded, re-routed and escalated within a minute)"
surge_options=(--intake "$intake_address" --kafka "$kafka" --hub "$hub" --arrivals "$arrivals" --rate "$rate"
               --settle "$settle")
[[ -n "$summary_json" ]] && surge_options+=(--json-file "$summary_json")
# Exit 1 from the surge (an arrival refused) still shows the summary and the stack.
surge_status=0
build/tools/pactctl/pactctl surge "${surge_options[@]}" || surge_status=$?
echo
echo "Where the CPU time went (seconds since each process started; pid):"
for pid in "${children[@]}"; do
  [[ -r /proc/$pid/stat ]] || continue
  # utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks; comm is field 2.
  awk -v ticks="$(getconf CLK_TCK)" -v pid="$pid" '{printf "  %-28s %8.1f s  (%s)\n", $2, ($14 + $15) / ticks, pid}' \
    "/proc/$pid/stat"
done
echo
echo "The NGOs' side (local webhook receiver): curl -s http://$receiver/_receiver/stats"
echo
echo "Explore:"
echo "  export PACT_INTAKE_ADDRESS=$intake_address PACT_ROUTING_ADDRESS=127.0.0.1:$(port_of routing grpc_port)"
echo "  export PACT_SCREENING_ADDRESS=127.0.0.1:$(port_of screening grpc_port) PACT_NOTIFICATION_ADDRESS=127.0.0.1:$(port_of notification grpc_port)"
echo "  export PACT_CA_FILE=$PACT_CA_FILE PACT_TOKEN_SIGNING_KEY=$PACT_TOKEN_SIGNING_KEY PACT_TOKEN_ISSUER=pact-local"
echo "  export PACT_SUBJECT=duty-officer-1 PACT_ORGANISATION=rs-eoc PACT_ROLES=coordinator,eoc_duty_officer,case_worker,frontline PACT_JURISDICTIONS=RS,MK"
echo "  (pactctl mints a token for that identity; pactctl token ... prints one for grpcurl)"
echo "  EOC console: $PACT_CONSOLE_URL"
echo "  build/tools/pactctl/pactctl situation              # open cases, referrals by status, overdue, escalations"
echo "  build/tools/pactctl/pactctl referrals list --overdue"
echo "  build/tools/pactctl/pactctl register --file tools/pactctl/examples/encounter.yaml"
echo "  build/tools/pactctl/pactctl tail --kafka $kafka --hub $hub"
echo "  kcat -b $kafka -t $hub.pact.referral.v1 -C -e -f '%k %h\\n'"
echo "  grpcurl -cacert $PACT_CA_FILE -H \"authorization: Bearer \$(build/tools/pactctl/pactctl token)\" $intake_address list"
echo "  logs: $run/*.log"
if [[ -n "$then_command" ]]; then
  echo "Running: $then_command"
  export PACT_CONSOLE_URL PACT_CONSOLE_BASE="$console_base" PACT_CONSOLE_TOKEN="$console_token" \
    PACT_INTAKE_ADDRESS="$intake_address" PACT_ROUTING_ADDRESS="127.0.0.1:$(port_of routing grpc_port)" \
    PACT_SITUATION_ADDRESS="127.0.0.1:$(port_of situation grpc_port)" PACT_KAFKA="$kafka" PACT_HUB="$hub" \
    PACT_RUN_DIR="$run"
  then_status=0
  bash -c "$then_command" || then_status=$?
  exit "$then_status"
fi
if $exit_at_end; then
  exit "$surge_status"
fi
echo
echo "The stack stays up; Ctrl-C stops it."
while true; do sleep 3600 & wait $!; done
