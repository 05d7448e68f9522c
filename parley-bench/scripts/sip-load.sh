#!/usr/bin/env bash
# sip-load.sh — SIP load, side by side: sipp UAC → Parley (B2BUA) → sipp UAS, then the same sipp scenarios
# through Kamailio 5.6 (registrar + stateful proxy), in one run on this machine. Both servers check the same
# Digest credentials (MD5, qop=auth, realm 127.0.0.1).
#
#   parley-bench/scripts/sip-load.sh            # run from the repository root
#
# For each server it finds
#   - the highest call rate (calls/s, stepped) at which fewer than 0.1 % of the calls fail over DURATION seconds:
#     INVITE → 407 → ACK → INVITE with Digest → 180 → 200 → ACK → HOLD_MS → BYE → 200, the callee a sipp UAS that
#     registered first;
#   - the highest REGISTER rate (stepped) with the same rule: REGISTER → 401 → REGISTER with Digest → 200, over
#     NREG accounts in turn.
# A step passes when failed (or never completed) calls are < 0.1 % of the calls it should make and the achieved
# rate is at least 90 % of the target; the ladder stops at the first step that does not pass. It also records
# each server's CPU time per call (all its processes), which holds on a machine shared with other work where
# the rates do not.
#
# Output: a table on stdout, and OUT_DIR/summary.csv, OUT_DIR/summary.json, OUT_DIR/steps.csv, the sipp logs,
# Parley's log and (JFR=1) its flight recording OUT_DIR/parley.jfr (`jfr view hot-methods OUT_DIR/parley.jfr`).
# Each step keeps its own sipp error files, named by the step's index in the server's ladder (so that steps of one
# rate do not overwrite each other): SERVER-stepN-RATE-errors.log (the UAC's -trace_err, e.g. why it aborted a
# call) and SERVER-stepN-RATE-uas-errors.log (what the callee's UAS logged during that step; the whole run's is
# SERVER-uas-errors.log); the REGISTER ladder's are SERVER-registers-stepN-RATE-errors.log.
#
# Settings (environment):
#   OUT_DIR        where results go (default: a new directory under /tmp)
#   DURATION       seconds per step (default 20)
#   CALL_RATES     call rates to step through (default "200 400 800 1200 1600 2000 2400 3200 4000 5000")
#   REG_RATES      REGISTER rates (default "1000 2000 4000 8000 12000 16000 24000 32000")
#   REFINE         1: after the first failing step, try the rate half-way to the last passing one (default 1)
#   ALL_STEPS      1: run every rate of the ladder even after a step fails (default 0): for CPU per call at set
#                  rates in an A/B comparison, where one step failing on a busy machine should not end the run
#   HOLD_MS        pause between ACK and BYE (default 0)
#   NREG           accounts for the REGISTER test (default 5)
#   KAM_CHILDREN   Kamailio UDP worker processes (default 2)
#   JFR            1: record Parley with Java Flight Recorder, settings=default (default 1)
#   JFR_OPTIONS    more -XX:StartFlightRecording options, comma-separated (default none), e.g. JDK 25's CPU-time
#                  sampler, which counts only time Parley ran: "jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=2ms"
#                  (then `jfr view cpu-time-hot-methods OUT_DIR/parley.jfr`)
#   SERVERS        which servers to run, in order (default "parley kamailio"); also "kamailio-rtpengine": the same
#                  Kamailio anchoring each call's media in rtpengine (userspace; rtpengine_offer on the INVITE,
#                  rtpengine_answer on the 200, rtpengine_delete on BYE/CANCEL/failure) as Parley anchors every
#                  call's media (issue 4); its CPU per call is Kamailio's and rtpengine's together
#   JAVA_OPTS_PARLEY  more JVM options for Parley, space-separated (default none), e.g.
#                  "-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" for `perf record` with Java symbols
#   PARLEY_JAR     the jar to run (default parley-server/target/parley.jar, built when missing or stale)
#   INTERLEAVE     1: start every server of SERVERS first, then run each call rate on each server in turn (the first
#                  rate on parley, then on kamailio, the second rate on parley, ...), so that a host whose speed drifts
#                  during the run (this VM's CPU per call moves by 0.03-0.06 ms within an hour) weighs on every server
#                  alike; every rate is run (as ALL_STEPS=1, no REFINE); the REGISTER ladders follow, one server after
#                  the other. The servers not under load idle beside the one that is (default 0).
#                  Note: a step's CPU is counted over its own window, and work a step leaves for later falls into
#                  the other servers' steps (Parley's transactions end 32 s after their calls, RFC 3261 Timers D/K
#                  and RFC 6026 Timer M; Kamailio's after its 5 s wait timer), so the two modes do not count quite
#                  the same thing; read a ratio within one mode (docs/benchmarks.md, thirteenth session, lead)
#   NICE           niceness of everything this script starts, servers and sipps alike (default 0; e.g. -10 on a
#                  machine shared with other work). With autogroup scheduling (kernel.sched_autogroup_enabled=1) a
#                  process's nice counts only against its own session, so the script also sets its session's
#                  autogroup nice (and restores it on exit).
#
# Bounded: every sipp has -m and -timeout; the whole run takes about 10-15 minutes with the defaults. Everything
# listens on 127.0.0.1 on free ports picked here (never 20000-29999, Parley's media range). All processes started
# here are stopped on exit.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO

DURATION="${DURATION:-20}"
CALL_RATES="${CALL_RATES:-200 400 800 1200 1600 2000 2400 3200 4000 5000}"
REG_RATES="${REG_RATES:-1000 2000 4000 8000 12000 16000 24000 32000}"
REFINE="${REFINE:-1}"
ALL_STEPS="${ALL_STEPS:-0}"
HOLD_MS="${HOLD_MS:-0}"
NREG="${NREG:-5}"
KAM_CHILDREN="${KAM_CHILDREN:-2}"
JFR="${JFR:-1}"
JFR_OPTIONS="${JFR_OPTIONS:-}"
JAVA_OPTS_PARLEY="${JAVA_OPTS_PARLEY:-}"
SERVERS="${SERVERS:-parley kamailio}"
INTERLEAVE="${INTERLEAVE:-0}"
NICE="${NICE:-0}"
OUT_DIR="${OUT_DIR:-$(mktemp -d /tmp/sip-load.XXXXXX)}"
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
# The JDK and the jar: reuse ./parley's own functions (sourcing it defines them without running anything; it
# also defines log and die, redefined below, and moves to the repository root).
# shellcheck source=SCRIPTDIR/../../parley
source "$REPO/parley"
set -euo pipefail
readonly DURATION CALL_RATES REG_RATES REFINE ALL_STEPS HOLD_MS NREG KAM_CHILDREN JFR JFR_OPTIONS JAVA_OPTS_PARLEY SERVERS INTERLEAVE NICE OUT_DIR

readonly REALM=127.0.0.1
readonly SECRET=bench-secret-4711
readonly CALLER_DEV=bench-a CALLER_EXT=2000 CALLEE_DEV=bench-b CALLEE_EXT=2001
readonly FAIL_LIMIT_PPM=1000  # 0.1 %
readonly MIN_ACHIEVED_PCT=90

log() { printf '[sip-load %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() {
  printf 'sip-load: error: %s\n' "$*" >&2
  exit 1
}

# --- niceness: this shell's, inherited by every process it starts ---------------------------------------

AUTOGROUP_NICE=""
if [[ $NICE != 0 ]]; then
  if [[ -w /proc/self/autogroup ]]; then
    AUTOGROUP_NICE="$(sed -n 's/^.* nice //p' /proc/self/autogroup)"
    echo "$NICE" >/proc/self/autogroup 2>/dev/null || log "could not set the autogroup's nice to $NICE"
  fi
  renice -n "$NICE" -p $$ >/dev/null || die "could not set niceness $NICE (negative values need root)"
fi

# --- processes and cleanup ------------------------------------------------------------------------------

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [[ -n ${AUTOGROUP_NICE:-} ]]; then
    echo "$AUTOGROUP_NICE" >/proc/self/autogroup 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# stop_pid PID: SIGTERM, wait up to 15 s, then SIGKILL
stop_pid() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# cpu_ticks PID: utime+stime of PID and its direct children (and of EXTRA_CPU_PIDS: a server's helper process,
# rtpengine beside Kamailio), in clock ticks
EXTRA_CPU_PIDS=()
cpu_ticks() {
  local root="$1" total=0 pid stat rest
  local -a f
  for pid in "$root" $(ps -o pid= --ppid "$root" 2>/dev/null || true) "${EXTRA_CPU_PIDS[@]}"; do
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    rest="${stat##*) }" # fields from 3 on (the command name may contain spaces)
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  printf '%s\n' "$total"
}

# --- ports -----------------------------------------------------------------------------------------------

USED_PORTS=" "
port_is_free() {
  local p="$1"
  [[ $USED_PORTS != *" $p "* ]] || return 1
  [[ -z "$(ss -Hlnu "sport = :$p" 2>/dev/null)" && -z "$(ss -Hlnt "sport = :$p" 2>/dev/null)" ]]
}
# free_port [COUNT [HIGHEST]]: prints the first of COUNT consecutive free UDP+TCP ports, that first one in
# 30000-HIGHEST (default 59989)
free_port() {
  local count="${1:-1}" highest="${2:-59989}" base i ok
  for _ in $(seq 1 200); do
    base=$((30000 + RANDOM % (highest - 30000 + 1)))
    ok=1
    for ((i = 0; i < count; i++)); do
      port_is_free $((base + i)) || {
        ok=0
        break
      }
    done
    if [[ $ok -eq 1 ]]; then
      for ((i = 0; i < count; i++)); do USED_PORTS+="$((base + i)) "; done
      printf '%s\n' "$base"
      return 0
    fi
  done
  die "no free port found"
}
# free_media_port: sipp's -mp. [auto_media_port] advertises -mp + 4 * (call number - 1) mod 10000 (sipp 3.6.1,
# call.cpp), at most -mp + 9996, and the peer sends RTCP to that + 1 (RFC 3550 §11). With -mp <= 54999 the highest
# is 64995 (RTCP 64996) however long the run; a base up to 59989, as before, let a long run advertise ports above
# 65535 (a malformed SDP, which Parley answers with 488).
free_media_port() {
  free_port 4 54999
}

wait_udp_listen() { # PORT PID SECONDS
  local port="$1" pid="$2" secs="$3"
  for _ in $(seq 1 $((secs * 4))); do
    [[ -n "$(ss -Hlnu "sport = :$port" 2>/dev/null)" ]] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

# --- tools ---------------------------------------------------------------------------------------------

command -v sipp >/dev/null 2>&1 || die "sipp not found (apt-get install sip-tester)"
command -v ss >/dev/null 2>&1 || die "ss not found (iproute2)"
if ! command -v kamailio >/dev/null 2>&1; then
  log "installing kamailio (Debian package)"
  if [[ $EUID -eq 0 ]]; then SUDO=(); else SUDO=(sudo -n); fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends kamailio >&2 ||
    { "${SUDO[@]}" apt-get update -qq >&2 && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends kamailio >&2; }
fi
KAM_MODULES="$(dirname "$(find /usr/lib -path '*/kamailio/modules/tm.so' -print -quit)")"
if [[ " $SERVERS " == *" kamailio-rtpengine "* ]]; then
  # userspace only: the kernel module (rtpengine-kernel-dkms) is not installed and --table=-1 keeps it unused
  ensure_debian_packages rtpengine-daemon
fi
[[ -d $KAM_MODULES ]] || die "Kamailio's modules not found under /usr/lib"

ensure_jdk
JAR="${PARLEY_JAR:-}"
# Parley refuses PARLEY_* variables that are not its settings, so this one must not reach the server's environment
unset PARLEY_JAR
if [[ -z $JAR ]]; then
  if server_jar_is_stale; then
    ensure_maven
    log "building $SERVER_JAR"
    mvn_run -q -DskipTests -pl parley-server -am package >&2
  fi
  JAR="$REPO/$SERVER_JAR"
fi
[[ -f $JAR ]] || die "no jar at $JAR"
# run a copy, so that a rebuild in the checkout during the run does not change what runs
cp "$JAR" "$OUT_DIR/parley.jar"
JAR="$OUT_DIR/parley.jar"
JAVA="$JAVA_HOME/bin/java"

# --- sipp scenarios ------------------------------------------------------------------------------------

SCEN="$OUT_DIR/scenarios"
mkdir -p "$SCEN"
SIPP_SRC="$REPO/parley-server/src/test/resources/sipp"
# register, with a 1 h binding so the callee stays registered through the run
sed -e 's/^Expires: 300/Expires: 3600/' "$SIPP_SRC/register.xml" >"$SCEN/register.xml"
# the REGISTER load: the account from the CSV (field0 = user, field1 = the whole [authentication ...] keyword,
# sipp issue #640)
sed -e 's/\[service\]/[field0]/g' -e 's/^\[authentication\]$/[field1]/' "$SIPP_SRC/register.xml" >"$SCEN/register-load.xml"
# the call, with the hold shortened to HOLD_MS, and the route set (the 200's Record-Route, none from a B2BUA) in
# the ACK and BYE
if [[ $HOLD_MS -gt 0 ]]; then
  hold=(-e "s/<pause milliseconds=\"1000\"\/>/<pause milliseconds=\"$HOLD_MS\"\/>/")
else
  hold=(-e '/<pause milliseconds="1000"\/>/d')
fi
sed "${hold[@]}" -e 's/^\(ACK\|BYE\) \[next_url\] SIP\/2.0$/&\n[routes]/' "$SIPP_SRC/uac-call.xml" >"$SCEN/uac-call.xml"
[[ $(grep -c '^\[routes\]$' "$SCEN/uac-call.xml") -eq 2 ]] || die "uac-call.xml: no [routes] in the ACK and BYE"
# the callee copies Record-Route into its 180 and 200 (RFC 3261 §12.1.1), so that a record-routing proxy stays in
# the dialog; a B2BUA sends none and the line stays empty
sed -e 's/^\[last_Via:\]$/[last_Via:]\n[last_Record-Route:]/' "$SIPP_SRC/uas-answer.xml" >"$SCEN/uas-answer.xml"
grep -q '\[field1\]' "$SCEN/register-load.xml" || die "register-load.xml: no [field1]"
printf 'SEQUENTIAL\n%s;\n' "$CALLEE_EXT" >"$SCEN/callee.csv"
{
  printf 'SEQUENTIAL\n'
  for ((i = 0; i < NREG; i++)); do
    printf 'reg%d;[authentication username=reg%d password=%s]\n' "$i" "$i" "$SECRET"
  done
} >"$SCEN/reg-users.csv"

# --- results -------------------------------------------------------------------------------------------

STEPS="$OUT_DIR/steps.csv"
printf 'server,test,target_rate,attempted,successful,failed,failed_ppm,elapsed_s,achieved_rate,server_cpu_ms_per_call,loadavg_1m,pass\n' >"$STEPS"
declare -A BEST BEST_CPU
# each started server's pid, SIP port, helper pids counted with it (rtpengine beside Kamailio), callee UAS pid
declare -A SRV_PID SRV_PORT SRV_EXTRA SRV_UAS SRV_CLI
# the index of the step in its server's ladder (calls and REGISTERs counted apart), for the per-step error files
STEP_INDEX=0

# stat_field STATFILE NAME: the named column of the last row of a sipp -trace_stat file
stat_field() {
  awk -F';' -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                           { v = $c } END { print v }' "$1"
}

# run_step SERVER TEST RATE SERVER_PID REMOTE_PORT -> 0 when the step passes
run_step() {
  local server="$1" test="$2" rate="$3" spid="$4" rport="$5"
  local n=$((rate * DURATION)) limit stem errors uas_errors uas_from port mp t0 t1 rc=0 scen extra=()
  stem="$OUT_DIR/$server-$test-$rate"
  STEP_INDEX=$((STEP_INDEX + 1))
  if [[ $test == calls ]]; then
    errors="$OUT_DIR/$server-step$STEP_INDEX-$rate"
  else
    errors="$OUT_DIR/$server-$test-step$STEP_INDEX-$rate"
  fi
  uas_errors="$OUT_DIR/$server-uas-errors.log"
  uas_from=0
  [[ ! -f $uas_errors ]] || uas_from="$(stat -c %s "$uas_errors")"
  port="$(free_port)"
  mp="$(free_media_port)"
  if [[ $test == calls ]]; then
    scen="$SCEN/uac-call.xml"
    extra=(-inf "$SCEN/callee.csv" -s "$CALLER_EXT" -au "$CALLER_DEV" -ap "$SECRET")
    limit=$((rate * 3 + 100))
  else
    scen="$SCEN/register-load.xml"
    extra=(-inf "$SCEN/reg-users.csv")
    limit=$((rate + 100))
  fi
  t0="$(cpu_ticks "$spid")"
  sipp 127.0.0.1:"$rport" -sf "$scen" "${extra[@]}" -i 127.0.0.1 -p "$port" -mp "$mp" -t u1 \
    -r "$rate" -l "$limit" -m "$n" -buff_size 4194304 -nostdin \
    -timeout "$((DURATION + 25))s" \
    -trace_stat -stf "$stem-stats.csv" -fd 5 -trace_err -error_file "$errors-errors.log" \
    >"$stem-stdout.log" 2>&1 </dev/null || rc=$?
  t1="$(cpu_ticks "$spid")"
  # what the callee's UAS logged while this step ran (its file spans the whole run)
  [[ $test != calls || ! -f $uas_errors ]] || tail -c +"$((uas_from + 1))" "$uas_errors" >"$errors-uas-errors.log"
  local ok fail start now elapsed achieved failed_ppm cpu_ms load pass=1
  ok="$(stat_field "$stem-stats.csv" 'SuccessfulCall(C)')"
  fail="$(stat_field "$stem-stats.csv" 'FailedCall(C)')"
  start="$(stat_field "$stem-stats.csv" 'StartTime')"
  now="$(stat_field "$stem-stats.csv" 'CurrentTime')"
  ok="${ok:-0}" fail="${fail:-0}"
  # "date<TAB>time<TAB>epoch": the epoch seconds, to the microsecond
  elapsed="$(awk -v a="${start##*$'\t'}" -v b="${now##*$'\t'}" 'BEGIN { printf "%.3f", (a > 0 ? b - a : 0) }')"
  # a call that never completed counts as failed
  failed_ppm=$(((n - ok) * 1000000 / n))
  achieved="$(awk -v ok="$ok" -v e="$elapsed" 'BEGIN { printf "%.0f", (e > 0 ? ok / e : 0) }')"
  cpu_ms="$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v ok="$ok" \
    'BEGIN { printf "%.3f", (ok > 0 ? t * 1000 / hz / ok : 0) }')"
  load="$(cut -d' ' -f1 /proc/loadavg)"
  [[ $failed_ppm -lt $FAIL_LIMIT_PPM ]] || pass=0
  [[ $((achieved * 100)) -ge $((rate * MIN_ACHIEVED_PCT)) ]] || pass=0
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$server" "$test" "$rate" "$n" "$ok" "$((n - ok))" "$failed_ppm" \
    "$elapsed" "$achieved" "$cpu_ms" "$load" "$pass" >>"$STEPS"
  log "$server $test rate $rate/s: $ok/$n ok (sipp failed $fail, exit $rc), $((n - ok)) failed (${failed_ppm} ppm), ${elapsed}s, achieved ${achieved}/s, server CPU ${cpu_ms} ms/call, load $load -> $([[ $pass -eq 1 ]] && echo pass || echo FAIL)"
  [[ $pass -eq 1 ]]
}

# ladder SERVER TEST SERVER_PID REMOTE_PORT RATES... : sets BEST[SERVER-TEST] and BEST_CPU
ladder() {
  local server="$1" test="$2" spid="$3" rport="$4"
  shift 4
  local best=0 failed_at=0 rate
  STEP_INDEX=0
  for rate in "$@"; do
    if run_step "$server" "$test" "$rate" "$spid" "$rport"; then
      [[ $failed_at -gt 0 ]] || best=$rate
    else
      [[ $failed_at -gt 0 ]] || failed_at=$rate
      [[ $ALL_STEPS -eq 1 ]] || break
    fi
    sleep 3 # let retransmissions and transaction timers settle
  done
  if [[ $REFINE -eq 1 && $failed_at -gt 0 && $best -gt 0 ]]; then
    local mid=$(((best + failed_at) / 2))
    mid=$((mid / 50 * 50))
    if [[ $mid -gt $best && $mid -lt $failed_at ]]; then
      sleep 5
      run_step "$server" "$test" "$mid" "$spid" "$rport" && best=$mid
    fi
  fi
  record_best "$server" "$test" "$best"
}

# record_best SERVER TEST RATE: BEST[SERVER-TEST] and the CPU per call of its (last) passing step at that rate
record_best() {
  local server="$1" test="$2" best="$3"
  BEST[$server-$test]=$best
  BEST_CPU[$server-$test]="$(awk -F, -v s="$server" -v t="$test" -v r="$best" \
    '$1 == s && $2 == t && $3 == r && $12 == 1 { v = $10 } END { print (v == "" ? "n/a" : v) }' "$STEPS")"
  log "$server $test: highest passing rate $best/s"
}

# interleaved_calls: every rate of CALL_RATES on every server of SERVERS in turn (INTERLEAVE=1); the servers are
# started and their callees' UASes run (SRV_PID, SRV_PORT, SRV_EXTRA)
interleaved_calls() {
  local rate s
  local -a rates
  local -A best failed_at index
  read -r -a rates <<<"$CALL_RATES"
  for s in $SERVERS; do
    best[$s]=0 failed_at[$s]=0 index[$s]=0
  done
  for rate in "${rates[@]}"; do
    for s in $SERVERS; do
      STEP_INDEX=${index[$s]}
      read -r -a EXTRA_CPU_PIDS <<<"${SRV_EXTRA[$s]:-}"
      if run_step "$s" calls "$rate" "${SRV_PID[$s]}" "${SRV_PORT[$s]}"; then
        [[ ${failed_at[$s]} -gt 0 ]] || best[$s]=$rate
      else
        [[ ${failed_at[$s]} -gt 0 ]] || failed_at[$s]=$rate
      fi
      EXTRA_CPU_PIDS=()
      index[$s]=$STEP_INDEX
      sleep 3 # let retransmissions and transaction timers settle
    done
  done
  for s in $SERVERS; do
    record_best "$s" calls "${best[$s]}"
  done
}

# register_callee SERVER_PORT LOCAL_PORT -> the callee's binding, from the port its UAS then listens on
register_callee() {
  local rport="$1" port="$2" mp
  mp="$(free_media_port)"
  sipp 127.0.0.1:"$rport" -sf "$SCEN/register.xml" -i 127.0.0.1 -p "$port" -mp "$mp" -t u1 -m 1 -nostdin \
    -s "$CALLEE_EXT" -au "$CALLEE_DEV" -ap "$SECRET" -timeout 15s \
    >"$OUT_DIR/register-callee-$rport.log" 2>&1 </dev/null ||
    die "the callee did not register (see $OUT_DIR/register-callee-$rport.log)"
}

# start_uas SERVER PORT: registers the callee at the server and starts its sipp UAS (SRV_UAS[SERVER])
start_uas() {
  local server="$1" rport="$2" uport mp uas steps timeout=900
  uport="$(free_port)"
  register_callee "$rport" "$uport"
  mp="$(free_media_port)"
  if [[ $INTERLEAVE -eq 1 ]]; then
    # it waits through the other servers' steps too
    steps=$(($(wc -w <<<"$CALL_RATES") * $(wc -w <<<"$SERVERS")))
    timeout=$((steps * (DURATION + 30) + 300))
  fi
  sipp 127.0.0.1:"$rport" -sf "$SCEN/uas-answer.xml" -i 127.0.0.1 -p "$uport" -mp "$mp" -t u1 \
    -buff_size 4194304 -nostdin -timeout "${timeout}s" -trace_err -error_file "$OUT_DIR/$server-uas-errors.log" \
    >"$OUT_DIR/$server-uas.log" 2>&1 </dev/null &
  uas=$!
  PIDS+=("$uas")
  wait_udp_listen "$uport" "$uas" 10 || die "$server: the sipp UAS did not start"
  SRV_UAS[$server]=$uas
}

# register_ladder SERVER PID PORT: the REGISTER ladder
register_ladder() {
  local -a read_rates
  read -r -a read_rates <<<"$REG_RATES"
  ladder "$1" registers "$2" "$3" "${read_rates[@]}"
}

# bench_server SERVER PID PORT: callee registration, UAS, call ladder, REGISTER ladder
bench_server() {
  local server="$1" spid="$2" rport="$3" read_rates
  start_uas "$server" "$rport"
  read -r -a read_rates <<<"$CALL_RATES"
  ladder "$server" calls "$spid" "$rport" "${read_rates[@]}"
  stop_pid "${SRV_UAS[$server]}"
  sleep 3
  register_ladder "$server" "$spid" "$rport"
}

# --- Parley --------------------------------------------------------------------------------------------

# start_parley: provisions the accounts and starts Parley (SRV_PID[parley], SRV_PORT[parley])
start_parley() {
  local dir="$OUT_DIR/parley" udp tcp http pid jvm=()
  read -r -a jvm <<<"$JAVA_OPTS_PARLEY"
  mkdir -p "$dir"
  udp="$(free_port)"
  tcp="$(free_port)"
  http="$(free_port)"
  local env=(
    PARLEY_DATA_DIRECTORY="$dir/data"
    PARLEY_SIP_BIND_ADDRESS=127.0.0.1 PARLEY_SIP_ADVERTISED_HOST=127.0.0.1
    PARLEY_SIP_UDP_PORT="$udp" PARLEY_SIP_TCP_PORT="$tcp" PARLEY_SIP_TLS_PORT=-1 PARLEY_WEB_HTTPS_PORT="$http"
    PARLEY_PBX_DIGEST_ALGORITHMS=MD5 PARLEY_PBX_REALM="$REALM"
    PARLEY_SECURITY_BAN_THRESHOLD=1000 PARLEY_SECURITY_TRUSTED_NETWORKS=127.0.0.1/32
    PARLEY_SHUTDOWN_DRAIN_DEADLINE=1s
    # no browsers here: no shared WebRTC port, which another process on the machine may hold
    PARLEY_MEDIA_WEBRTC_PORT=-1
    # below the test suite's media ports (parley-media 10000-19999, parley-server's ITs 20000-32499)
    PARLEY_MEDIA_PORT_MIN=1100 PARLEY_MEDIA_PORT_MAX=9999
  )
  cli() { (cd "$dir" && env "${env[@]}" "$JAVA" -jar "$JAR" "$@" >>"$dir/cli.log" 2>&1) || die "parley $* failed (see $dir/cli.log)"; }
  log "parley: provisioning $CALLER_DEV ($CALLER_EXT), $CALLEE_DEV ($CALLEE_EXT) and $NREG REGISTER accounts"
  cli user add bench-caller
  cli extension add "$CALLER_EXT" --user bench-caller
  cli device add "$CALLER_DEV" --user bench-caller --secret="$SECRET"
  cli user add bench-callee
  cli extension add "$CALLEE_EXT" --user bench-callee
  cli device add "$CALLEE_DEV" --user bench-callee --secret="$SECRET"
  cli user add bench-reg
  for ((i = 0; i < NREG; i++)); do
    cli device add "reg$i" --user bench-reg --secret="$SECRET"
  done
  if [[ $JFR -eq 1 ]]; then
    jvm+=("-XX:StartFlightRecording=filename=$OUT_DIR/parley.jfr,settings=default,dumponexit=true${JFR_OPTIONS:+,$JFR_OPTIONS}")
  fi
  (cd "$dir" && exec env "${env[@]}" "$JAVA" "${jvm[@]}" -jar "$JAR" run) >"$OUT_DIR/parley.log" 2>&1 </dev/null &
  pid=$!
  PIDS+=("$pid")
  wait_udp_listen "$udp" "$pid" 60 || die "Parley did not start (see $OUT_DIR/parley.log)"
  log "parley: pid $pid on udp 127.0.0.1:$udp ($("$JAVA" -version 2>&1 | head -n 1))"
  sleep 2
  SRV_PID[parley]=$pid
  SRV_PORT[parley]=$udp
}

# stop_parley: its threads' stacks for the record, then a graceful stop
stop_parley() {
  local pid="${SRV_PID[parley]}"
  if command -v jcmd >/dev/null 2>&1 || [[ -x $JAVA_HOME/bin/jcmd ]]; then
    "$JAVA_HOME/bin/jcmd" "$pid" Thread.print >"$OUT_DIR/parley-threads.txt" 2>&1 || true
  fi
  stop_pid "$pid"
}

run_parley() {
  start_parley
  bench_server parley "${SRV_PID[parley]}" "${SRV_PORT[parley]}"
  stop_parley
}

# --- Kamailio ------------------------------------------------------------------------------------------

# start_kamailio NAME: NAME kamailio (proxy only) or kamailio-rtpengine (each call's media anchored in rtpengine);
# sets SRV_PID, SRV_PORT, SRV_EXTRA (rtpengine's pid) and SRV_CLI (its CLI port)
start_kamailio() {
  local name="$1" dir port pid ng="" cli="" rtpengine_pid=""
  dir="$OUT_DIR/$name"
  mkdir -p "$dir"
  port="$(free_port)"
  if [[ $name == kamailio-rtpengine ]]; then
    ng="$(free_port)"
    cli="$(free_port)"
    # its range is not the one Parley's media uses here (1100-9999); --delete-delay=0 frees a call's
    # ports at its delete (by default they stay 30 s: at 2,000 calls/s the range would run out)
    nice -n "$NICE" rtpengine --config-file=none --table=-1 --foreground --log-stderr --log-level=4 \
      --interface=127.0.0.1 --port-min=20000 --port-max=29999 --listen-ng="127.0.0.1:$ng" --listen-cli="127.0.0.1:$cli" \
      --delete-delay=0 \
      --timeout=600 --silent-timeout=600 --offer-timeout=600 >"$OUT_DIR/rtpengine.log" 2>&1 </dev/null &
    rtpengine_pid=$!
    PIDS+=("$rtpengine_pid")
    wait_udp_listen "$ng" "$rtpengine_pid" 20 || die "rtpengine did not start (see $OUT_DIR/rtpengine.log)"
    log "rtpengine: pid $rtpengine_pid, ng 127.0.0.1:$ng ($(rtpengine --version 2>&1 | sed -n 's/^Version: //p'))"
  fi
  {
    cat <<EOF
#!KAMAILIO
# registrar + stateful proxy with Digest (MD5, qop=auth) against an in-memory user table
debug=0
log_stderror=yes
memdbg=5
memlog=5
children=$KAM_CHILDREN
disable_tcp=yes
auto_aliases=no
listen=udp:127.0.0.1:$port
mpath="$KAM_MODULES/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "ctl.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "htable.so"
modparam("ctl", "binrpc", "unix:$dir/kamailio_ctl")
modparam("tm", "fr_timer", 5000)
modparam("rr", "append_fromtag", 0)
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("htable", "htable", "auth=>size=8;autoexpire=0;")
EOF
    if [[ -n $ng ]]; then
      cat <<EOF
#!define ANCHOR
loadmodule "rtpengine.so"
modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:$ng")
EOF
    fi
    cat <<EOF

event_route[htable:mod-init] {
    \$sht(auth=>$CALLER_DEV) = "$SECRET";
    \$sht(auth=>$CALLEE_DEV) = "$SECRET";
EOF
    for ((i = 0; i < NREG; i++)); do
      # shellcheck disable=SC2016 # a Kamailio variable, not a shell one
      printf '    $sht(auth=>reg%d) = "%s";\n' "$i" "$SECRET"
    done
    cat <<EOF
}

request_route {
    if (!mf_process_maxfwd_header("10")) {
        sl_send_reply("483", "Too Many Hops");
        exit;
    }
    if (!sanity_check("17895", "7")) {
        exit;
    }
    if (has_totag()) {
        if (loose_route()) {
#!ifdef ANCHOR
            if (is_method("BYE")) {
                rtpengine_delete();
            }
#!endif
            t_relay();
            exit;
        }
        if (is_method("ACK")) {
            if (t_check_trans()) {
                t_relay();
            }
            exit;
        }
        sl_send_reply("404", "Not here");
        exit;
    }
    if (is_method("CANCEL")) {
        if (t_check_trans()) {
#!ifdef ANCHOR
            rtpengine_delete();
#!endif
            t_relay();
        }
        exit;
    }
    t_check_trans();
    if (is_method("REGISTER")) {
        if (!is_present_hf("Authorization")) {
            auth_challenge("$REALM", "1");
            exit;
        }
        if (!pv_auth_check("$REALM", "\$sht(auth=>\$au)", "0", "0")) {
            auth_challenge("$REALM", "1");
            exit;
        }
        consume_credentials();
        if (!save("location")) {
            sl_reply_error();
        }
        exit;
    }
    if (is_method("INVITE")) {
        if (!is_present_hf("Proxy-Authorization")) {
            auth_challenge("$REALM", "1");
            exit;
        }
        if (!pv_auth_check("$REALM", "\$sht(auth=>\$au)", "0", "0")) {
            auth_challenge("$REALM", "1");
            exit;
        }
        consume_credentials();
        record_route();
        if (!lookup("location")) {
            sl_send_reply("404", "Not Found");
            exit;
        }
#!ifdef ANCHOR
        if (has_body("application/sdp")) {
            rtpengine_offer("replace-origin replace-session-connection");
        }
        t_on_reply("ANSWER");
        t_on_failure("FAILED");
#!endif
        if (!t_relay()) {
            sl_reply_error();
        }
        exit;
    }
    sl_send_reply("405", "Method Not Allowed");
}
#!ifdef ANCHOR
onreply_route[ANSWER] {
    if (has_body("application/sdp")) {
        rtpengine_answer("replace-origin replace-session-connection");
    }
}
failure_route[FAILED] {
    rtpengine_delete();
}
#!endif
EOF
  } >"$dir/kamailio.cfg"
  kamailio -c -f "$dir/kamailio.cfg" >"$dir/check.log" 2>&1 || die "kamailio.cfg does not parse (see $dir/check.log)"
  kamailio -DD -E -f "$dir/kamailio.cfg" -P "$dir/kamailio.pid" -Y "$dir" -m 2048 -M 32 \
    >"$OUT_DIR/$name.log" 2>&1 </dev/null &
  pid=$!
  PIDS+=("$pid")
  wait_udp_listen "$port" "$pid" 30 || die "Kamailio did not start (see $OUT_DIR/$name.log)"
  log "$name: pid $pid on udp 127.0.0.1:$port ($(kamailio -v 2>&1 | head -n 1))"
  sleep 1
  SRV_PID[$name]=$pid
  SRV_PORT[$name]=$port
  SRV_EXTRA[$name]=$rtpengine_pid
  SRV_CLI[$name]=$cli
}

# stop_kamailio NAME: rtpengine's count of the sessions it managed (kamailio-rtpengine), then both stopped
stop_kamailio() {
  local name="$1" cli="${SRV_CLI[$1]:-}" rtpengine_pid="${SRV_EXTRA[$1]:-}"
  if [[ -n $cli && $name == kamailio-rtpengine ]]; then
    # the proof that every call was anchored: rtpengine's own count of the sessions it managed
    # (its CLI is a line protocol on TCP: what rtpengine-ctl, not installed here, would send)
    timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "list totals\n" >&3 && cat <&3' _ "$cli" \
      >"$OUT_DIR/rtpengine-totals.txt" 2>&1 || true
    log "rtpengine: $(grep -m1 -i 'managed sessions' "$OUT_DIR/rtpengine-totals.txt" | tr -s ' ' || echo 'no totals')"
  fi
  stop_pid "${SRV_PID[$name]}"
  [[ -z $rtpengine_pid ]] || stop_pid "$rtpengine_pid"
}

# run_kamailio NAME: started, benchmarked, stopped
run_kamailio() {
  local name="$1"
  start_kamailio "$name"
  read -r -a EXTRA_CPU_PIDS <<<"${SRV_EXTRA[$name]:-}"
  bench_server "$name" "${SRV_PID[$name]}" "${SRV_PORT[$name]}"
  EXTRA_CPU_PIDS=()
  stop_kamailio "$name"
}

# --- main ----------------------------------------------------------------------------------------------

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
log "results in $OUT_DIR; load average $LOAD_START; ${DURATION}s per step"
for s in $SERVERS; do
  case "$s" in
    parley | kamailio | kamailio-rtpengine) ;;
    *) die "unknown server '$s' (parley, kamailio, kamailio-rtpengine)" ;;
  esac
done
if [[ $INTERLEAVE -eq 1 ]]; then
  [[ $(wc -w <<<"$SERVERS") -eq $(tr ' ' '\n' <<<"$SERVERS" | sort -u | grep -c .) ]] || die "INTERLEAVE=1: a server named twice in SERVERS"
  for s in $SERVERS; do
    if [[ $s == parley ]]; then start_parley; else start_kamailio "$s"; fi
    start_uas "$s" "${SRV_PORT[$s]}"
  done
  log "interleaved: every call rate on $SERVERS in turn"
  interleaved_calls
  for s in $SERVERS; do
    stop_pid "${SRV_UAS[$s]}"
  done
  sleep 3
  for s in $SERVERS; do
    read -r -a EXTRA_CPU_PIDS <<<"${SRV_EXTRA[$s]:-}"
    register_ladder "$s" "${SRV_PID[$s]}" "${SRV_PORT[$s]}"
    EXTRA_CPU_PIDS=()
    if [[ $s == parley ]]; then stop_parley; else stop_kamailio "$s"; fi
  done
else
  for s in $SERVERS; do
    case "$s" in
      parley)
        run_parley
        ;;
      *) run_kamailio "$s" ;;
    esac
  done
fi
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
get() { local k="$1"; printf '%s' "${BEST[$k]:-n/a}"; }
getc() { local k="$1"; printf '%s' "${BEST_CPU[$k]:-n/a}"; }

{
  printf 'metric,parley,kamailio,parley_over_kamailio\n'
  printf 'max_calls_per_s,%s,%s,%s\n' "$(get parley-calls)" "$(get kamailio-calls)" "$(ratio "$(get parley-calls)" "$(get kamailio-calls)")"
  printf 'max_registers_per_s,%s,%s,%s\n' "$(get parley-registers)" "$(get kamailio-registers)" "$(ratio "$(get parley-registers)" "$(get kamailio-registers)")"
  printf 'server_cpu_ms_per_call_at_max,%s,%s,%s\n' "$(getc parley-calls)" "$(getc kamailio-calls)" "$(ratio "$(getc parley-calls)" "$(getc kamailio-calls)")"
  printf 'server_cpu_ms_per_register_at_max,%s,%s,%s\n' "$(getc parley-registers)" "$(getc kamailio-registers)" "$(ratio "$(getc parley-registers)" "$(getc kamailio-registers)")"
  if [[ " $SERVERS " == *" kamailio-rtpengine "* ]]; then
    printf 'metric,parley,kamailio-rtpengine,parley_over_kamailio_rtpengine\n'
    printf 'max_calls_per_s,%s,%s,%s\n' "$(get parley-calls)" "$(get kamailio-rtpengine-calls)" "$(ratio "$(get parley-calls)" "$(get kamailio-rtpengine-calls)")"
    printf 'server_cpu_ms_per_call_at_max,%s,%s,%s\n' "$(getc parley-calls)" "$(getc kamailio-rtpengine-calls)" "$(ratio "$(getc parley-calls)" "$(getc kamailio-rtpengine-calls)")"
  fi
} >"$OUT_DIR/summary.csv"

jnum() { [[ $1 =~ ^[0-9.]+$ ]] && printf '%s' "$1" || printf 'null'; }
cat >"$OUT_DIR/summary.json" <<EOF
{
  "started": "$STARTED",
  "nproc": $(nproc),
  "loadavg_start": "$LOAD_START",
  "loadavg_end": "$LOAD_END",
  "duration_s": $DURATION,
  "hold_ms": $HOLD_MS,
  "kamailio_children": $KAM_CHILDREN,
  "parley": { "max_calls_per_s": $(jnum "$(get parley-calls)"), "max_registers_per_s": $(jnum "$(get parley-registers)"),
              "cpu_ms_per_call": $(jnum "$(getc parley-calls)"), "cpu_ms_per_register": $(jnum "$(getc parley-registers)") },
  "kamailio": { "max_calls_per_s": $(jnum "$(get kamailio-calls)"), "max_registers_per_s": $(jnum "$(get kamailio-registers)"),
                "cpu_ms_per_call": $(jnum "$(getc kamailio-calls)"), "cpu_ms_per_register": $(jnum "$(getc kamailio-registers)") },
  "steps_csv": "$STEPS"
}
EOF

printf '\nSIP load, %s, %s cores, load average %s at start, %s at end, %ss per step\n\n' \
  "$STARTED" "$(nproc)" "$LOAD_START" "$LOAD_END" "$DURATION"
column -t -s, "$OUT_DIR/summary.csv" 2>/dev/null || cat "$OUT_DIR/summary.csv"
printf '\nsteps:\n'
column -t -s, "$STEPS" 2>/dev/null || cat "$STEPS"
printf '\nresults: %s\n' "$OUT_DIR"
