#!/usr/bin/env bash
# media-load.sh — media relay load, side by side: Parley's media plane (parley-media, one Netty event loop, in a
# JVM of its own) and rtpengine's userspace relay (Debian rtpengine-daemon, no kernel module, one worker thread)
# relay the same 20 ms G.711 streams in one run on this machine, each pinned to the same core.
#
#   parley-bench/scripts/media-load.sh            # run from anywhere in the checkout
#
# The load generator (dev.parley.bench.media.MediaLoad, pinned to the other core) sets up N calls through each
# relay — Parley over a line protocol to dev.parley.bench.media.ParleyRelayMain, rtpengine over its ng control
# protocol (offer/answer/delete with SDP) — and sends 172-byte RTP packets, 50 per second per direction, from two
# sockets (sendmmsg/recvmmsg in batches of 64, no Java object per datagram), each packet stamped with its send
# time. It ramps N through CALLS, the relays taking turns step by step,
# and stops a relay at its first step with any loss (a lossy step is repeated RETRIES times first: this machine is
# shared). Per step it records: packets relayed per second, the relay's CPU (utime+stime of all its threads from
# /proc/PID/stat over the step's measurement window) and so packets per second per core, one-way latency through
# the relay in two figures, loss, the generator's own CPU and lateness, and socket-buffer drops:
#   make-to-read   (steps.csv p50_us, p99_us, p999_us, max_us; the log's "make-to-read"): from the generator's
#                  System.nanoTime() when it makes a packet to when its loop reads it back. Includes the generator's
#                  own delays: its lateness, the packet's place in a 64-datagram sendmmsg, up to half a tick in its
#                  receive socket and its loop getting to the datagram — at 900+ calls its core is the limit and
#                  this is most of the p99.
#   send-to-socket (steps.csv send_to_sock_p50_us ... send_to_sock_max_us, send_to_sock_samples,
#                  send_to_sock_unstamped; the log's "send-to-socket"): 1 packet in 16 per stream is sent in a
#                  sendmmsg of its own with a CLOCK_REALTIME stamp taken just before; its end is the kernel's receive
#                  stamp (SO_TIMESTAMPNS, read from recvmmsg's control message through the JDK's FFM API) at the
#                  generator's socket. On 127.0.0.1 that stamp is taken inside the relay's send system call, so the
#                  figure is the relay's queueing + processing + its send up to the enqueue, plus the generator's own
#                  one-datagram send (3 µs p50, 5-6 µs p99 with RELAYS=direct at 900-1,200 calls: the floor).
#                  SRTP: from the stamped packets that are also decrypted (the stamp is encrypted).
# A DIRECT baseline (the generator sending to itself, no relay) shows the latency the generator and loopback add on
# their own; "added latency" of a relay is its figure minus that floor.
#
# Modes: rtp (RTP/AVP both legs) and srtp (RTP/SAVP with SDES AES_CM_128_HMAC_SHA1_80 on both legs, re-keyed:
# each relay decrypts with the sender's key and encrypts with a key of its own per leg). The generator protects
# with Parley's SRTP (parley-rtp) and counts every packet it receives, by the relay port it came from; it
# authenticates and decrypts with jitsi-srtp, independent of both relays, each stream's first packet and one in
# every VERIFY_EVERY after, at a phase of its own per stream (srtp_failures must stay 0; verified says how many
# were checked), and takes SRTP latency from those.
#
# Output: a table on stdout, and OUT_DIR/steps.csv (every step), OUT_DIR/summary.csv (per mode and relay: the
# calls one core sustains and the figures at that load), OUT_DIR/env.txt (machine, load averages), the relays'
# logs and (JFR=1) OUT_DIR/parley.jfr (`jfr view hot-methods OUT_DIR/parley.jfr`).
#
# Settings (environment):
#   OUT_DIR          where results go (default: a new directory under /tmp)
#   DURATION         seconds measured per step (default 20), after WARMUP seconds of the same load (default 3)
#   CALLS            concurrent calls to step through (default "100 250 500 1000 1500 2000")
#   MODES            "rtp srtp" (default)
#   RELAYS           in turn at each step (default "parley rtpengine direct"; "echo" = an in-process forwarder
#                    that validates the generator)
#   RETRIES          repeats of a lossy step before the ramp stops (default 1)
#   WARM_CALLS, WARM_SECONDS  each relay's unrecorded warm-up step before each mode's ramp (default 200 calls for
#                    10 s). For tail latency use the load being measured for a minute (e.g. 1500 and 60): code
#                    that runs only on the relay's 10 ms tick (RTCP reports) reaches the JIT's optimising compiler
#                    20-60 s into a run, and that compiler shares the relay's one core — a window with a compile
#                    in it has 4-8 ms run-queue waits and 10-40 ms latencies in Parley's loop (7th session).
#   VERIFY_EVERY     the generator checks every VERIFY_EVERY-th SRTP packet of a stream with jitsi-srtp (default 16;
#                    1 = every packet, which costs the generator about as much as the rest of its work)
#   RELAY_CPU        core the relays are pinned to (default 1); GEN_CPU: the generator's core (default 0)
#   QUIET_RELAY_CPU  1: for the run, the host's kernel threads that may run on more than one core (DAMON's
#                    kdamond, rcu_preempt, kcompactd, unbound kworkers...) and the unbound workqueues are kept off
#                    RELAY_CPU (moved to GEN_CPU; their masks are put back on exit) — the part of isolcpus= that can
#                    be had without a reboot, for latency measured without the host's housekeeping on the relay's
#                    core, both relays alike. Per-core kernel threads (ksoftirqd/N, kworker/N:M, migration/N), the
#                    timer tick and the hypervisor's steal stay. Default 0: the host as it is. Needs root. On this
#                    project's 2-vCPU VM, kdamond.0 (DAMON pageout over physical memory) runs 1.2-3.9 ms every
#                    512 ms on either core; on the relay's core each slice queues the packets behind it for
#                    about slice / (1 - utilisation) (docs/benchmarks.md, 7 December, twelfth session, tail).
#   PARLEY_PORTS     Parley's media port range (default 1100-9999: 2225 calls; below parley-media's test ports,
#                    10000-19999, and parley-server's IT media blocks, 20000-32499). Still: do not run a benchmark
#                    beside the test suite — rtpengine's range and the generator's sockets share the ephemeral
#                    ports the ITs' sipps and phones use, and both would measure each other.
#   RTPENGINE_PORTS  rtpengine's port range (default 36000-59999: 6000 calls)
#   NICE             niceness of the relays and the generator (default 0; e.g. -10 on a machine shared with
#                    builds, so that they take the cores they are pinned to when they need them — both relays
#                    alike). With autogroup scheduling (kernel.sched_autogroup_enabled=1) a process's nice counts
#                    only against its own session, so the script also sets its session's autogroup nice.
#   JFR              1: record the Parley relay with Java Flight Recorder, settings=profile (default 0: it
#                    costs the relay a little CPU, so profile in a run of its own, not in the comparison)
#   GC_LOG           1: the Parley relay logs its collections and safepoints to OUT_DIR/parley-gc.log
#                    (-Xlog:gc*,safepoint; cheap, so fine in a comparison; default 0), and each step's row and
#                    line get its pauses during the calls' set-up + warm-up and during the measured window;
#                    the generator's collections go to OUT_DIR/generator-gc.log
#   JIT_LOG          1: the Parley relay logs each JIT compilation to OUT_DIR/parley-jit.log (-Xlog:jit+compilation,
#                    wall-clock times: which compilations ran on the relay's core during a step; default 0), and
#                    the generator its compilations and deoptimisations to OUT_DIR/generator-jit.log
#   PARLEY_JAVA_OPTS extra JVM options for the Parley relay only (e.g. "-XX:+UseParallelGC" to try a collector)
#   GENERATOR_JAVA_OPTS extra JVM options for the generator only
#   BENCH_JAR        the jar to run (default parley-bench/target/benchmarks.jar, built when missing or stale)
#
# Bounded: each step runs WARMUP + DURATION seconds plus set-up and a 1 s drain; the default ladder takes about
# 10-20 minutes depending on where the relays stop. Everything is on 127.0.0.1; all processes started here are
# stopped on exit.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO

DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-3}"
CALLS="${CALLS:-100 250 500 1000 1500 2000}"
MODES="${MODES:-rtp srtp}"
RELAYS="${RELAYS:-parley rtpengine direct}"
RETRIES="${RETRIES:-1}"
WARM_CALLS="${WARM_CALLS:-200}"
WARM_SECONDS="${WARM_SECONDS:-10}"
RELAY_CPU="${RELAY_CPU:-1}"
QUIET_RELAY_CPU="${QUIET_RELAY_CPU:-0}"
GEN_CPU="${GEN_CPU:-0}"
PARLEY_PORTS="${PARLEY_PORTS:-1100-9999}"
RTPENGINE_PORTS="${RTPENGINE_PORTS:-36000-59999}"
JFR="${JFR:-0}"
GC_LOG="${GC_LOG:-0}"
JIT_LOG="${JIT_LOG:-0}"
VERIFY_EVERY="${VERIFY_EVERY:-16}"
read -r -a PARLEY_EXTRA <<<"${PARLEY_JAVA_OPTS:-}"
read -r -a GENERATOR_EXTRA <<<"${GENERATOR_JAVA_OPTS:-}"
NICE="${NICE:-0}"
OUT_DIR="${OUT_DIR:-$(mktemp -d /tmp/media-load.XXXXXX)}"
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
# The JDK, Maven and Debian packages: reuse ./parley's own functions (sourcing it defines them without running
# anything; it also defines log and die, redefined below, and moves to the repository root).
# shellcheck source=SCRIPTDIR/../../parley
source "$REPO/parley"
set -euo pipefail
readonly DURATION WARMUP CALLS MODES RELAYS RETRIES WARM_CALLS WARM_SECONDS RELAY_CPU GEN_CPU PARLEY_PORTS RTPENGINE_PORTS JFR GC_LOG NICE OUT_DIR

log() { printf '[media-load %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() {
  printf 'media-load: error: %s\n' "$*" >&2
  exit 1
}

# --- processes and cleanup ------------------------------------------------------------------------------

# QUIET_RELAY_CPU=1 (see the settings above). MOVED_KTHREADS: "pid cpu-list" before the move, to put back.
MOVED_KTHREADS=()
WQ_CPUMASK=/sys/devices/virtual/workqueue/cpumask
WQ_CPUMASK_BEFORE=""
cpu_in_list() { # CPU LIST ("0-3,6"): whether CPU is in LIST
  local part parts
  IFS=',' read -r -a parts <<<"$2"
  for part in "${parts[@]}"; do
    if [[ $part == *-* ]]; then
      ((${part%-*} <= $1 && $1 <= ${part#*-})) && return 0
    elif [[ $part == "$1" ]]; then
      return 0
    fi
  done
  return 1
}
quiet_relay_cpu() {
  [[ $(id -u) == 0 ]] || die "QUIET_RELAY_CPU=1 moves kernel threads and needs root; run as root or unset it"
  local pid list
  # kthreadd (2) and its children are the kernel's threads; a per-core one refuses the move (PF_NO_SETAFFINITY)
  for pid in 2 $(ps -o pid= --ppid 2); do
    list="$(taskset -pc "$pid" 2>/dev/null | sed -n 's/.*list: //p')"
    [[ -n $list ]] && cpu_in_list "$RELAY_CPU" "$list" && [[ $list != "$RELAY_CPU" ]] || continue
    taskset -pc "$GEN_CPU" "$pid" >/dev/null 2>&1 && MOVED_KTHREADS+=("$pid $list")
  done
  if [[ -w $WQ_CPUMASK ]]; then
    WQ_CPUMASK_BEFORE="$(cat "$WQ_CPUMASK")"
    printf '%x\n' $((1 << GEN_CPU)) >"$WQ_CPUMASK" 2>/dev/null || WQ_CPUMASK_BEFORE=""
  fi
  log "quiet relay core: ${#MOVED_KTHREADS[@]} kernel threads moved to core $GEN_CPU" \
    "($(for m in "${MOVED_KTHREADS[@]}"; do cat "/proc/${m%% *}/comm" 2>/dev/null; done | sort -u | paste -sd,))," \
    "unbound workqueues ${WQ_CPUMASK_BEFORE:-?} -> $(cat "$WQ_CPUMASK" 2>/dev/null || echo '?')"
}
restore_relay_cpu() {
  local m
  for m in "${MOVED_KTHREADS[@]}"; do
    taskset -pc "${m#* }" "${m%% *}" >/dev/null 2>&1 || true # gone meanwhile: nothing to restore
  done
  MOVED_KTHREADS=()
  if [[ -n $WQ_CPUMASK_BEFORE ]]; then
    echo "$WQ_CPUMASK_BEFORE" >"$WQ_CPUMASK" 2>/dev/null || true
    WQ_CPUMASK_BEFORE=""
  fi
}

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [[ -n ${AUTOGROUP_NICE:-} ]]; then
    echo "$AUTOGROUP_NICE" >/proc/self/autogroup 2>/dev/null || true
  fi
  if [[ -n ${RMEM_MAX_BEFORE:-} ]]; then
    echo "$RMEM_MAX_BEFORE" >/proc/sys/net/core/rmem_max 2>/dev/null || true
  fi
  restore_relay_cpu
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_is_free() {
  [[ -z "$(ss -Hlnu "sport = :$1" 2>/dev/null)" && -z "$(ss -Hlnt "sport = :$1" 2>/dev/null)" ]]
}
# free_port: a free UDP+TCP port in 60100-60999 (above both relays' media ranges and the default ephemeral range)
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((60100 + RANDOM % 900))
    port_is_free "$p" && {
      printf '%s\n' "$p"
      return 0
    }
  done
  die "no free control port found"
}

wait_listen() { # PROTO(u|t) PORT PID SECONDS
  local proto="$1" port="$2" pid="$3" secs="$4"
  for _ in $(seq 1 $((secs * 4))); do
    [[ -n "$(ss -Hln"$proto" "sport = :$port" 2>/dev/null)" ]] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

[[ $(nproc) -ge 2 ]] || die "needs at least 2 cores (relay and generator on cores of their own); found $(nproc)"
command -v taskset >/dev/null 2>&1 || ensure_debian_packages util-linux
command -v ss >/dev/null 2>&1 || ensure_debian_packages iproute2
if [[ " $RELAYS " == *" rtpengine "* ]]; then
  # userspace only: the kernel module (rtpengine-kernel-dkms) is not installed and --table=-1 keeps it unused
  ensure_debian_packages rtpengine-daemon
fi

# --- the jar ----------------------------------------------------------------------------------------------

ensure_jdk
JAR="${BENCH_JAR:-}"
if [[ -z $JAR ]]; then
  JAR="$REPO/parley-bench/target/benchmarks.jar"
  inputs=(pom.xml parley-bench/pom.xml parley-bench/src/main)
  for dir in parley-common parley-rtp parley-media-api parley-media parley-sip; do
    inputs+=("$dir/pom.xml" "$dir/src/main")
  done
  if [[ ! -f $JAR || -n "$(find "${inputs[@]}" -newer "$JAR" -print -quit 2>/dev/null)" ]]; then
    ensure_maven
    log "building parley-bench/target/benchmarks.jar"
    mvn_run -q -DskipTests -pl parley-bench -am package >&2
  fi
fi
[[ -f $JAR ]] || die "no jar at $JAR"
cp "$JAR" "$OUT_DIR/benchmarks.jar" # a rebuild in the checkout during the run does not change what runs
JAR="$OUT_DIR/benchmarks.jar"
JAVA="$JAVA_HOME/bin/java"
JAVA_OPTS=(-XX:ActiveProcessorCount=1 -Xms512m -Xmx512m -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED)
# What parley.jar's manifest opens (Add-Opens), for the relay started with -cp: SRTP's primed SHA-1 (PrimedSha1) and
# the JDK's AES counter mode (JdkAesCtr); without them the relay runs their slower fallbacks.
SRTP_OPENS=(--add-opens java.base/sun.security.provider=ALL-UNNAMED --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED)

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# --- the relays -------------------------------------------------------------------------------------------

AUTOGROUP_NICE=""
if [[ $NICE != 0 && -w /proc/self/autogroup ]]; then
  AUTOGROUP_NICE="$(sed -n 's/^.* nice //p' /proc/self/autogroup)"
  echo "$NICE" >/proc/self/autogroup 2>/dev/null || log "could not set the autogroup's nice to $NICE"
fi

# The generator asks for 32 MiB receive buffers (LoadGenerator): at 1,500 SRTP calls it uses ~0.75 of its core,
# and 4 MiB (the default cap here) held only ~45 ms of what the relay sends, so a short stall of the generator at a
# step's start (thousands of streams' first packets) cost it packets the relay had delivered. The cap is raised
# for the run when this user may, and put back on exit; relays keep their own buffer sizes.
RMEM_MAX_BEFORE=""
if [[ -w /proc/sys/net/core/rmem_max ]] && (($(cat /proc/sys/net/core/rmem_max) < 33554432)); then
  RMEM_MAX_BEFORE="$(cat /proc/sys/net/core/rmem_max)"
  echo 33554432 >/proc/sys/net/core/rmem_max || RMEM_MAX_BEFORE=""
fi

[[ $QUIET_RELAY_CPU == 1 ]] && quiet_relay_cpu

GEN_ARGS=()
if [[ " $RELAYS " == *" rtpengine "* ]]; then
  NG_PORT="$(free_port)"
  log "starting rtpengine $(rtpengine --version 2>&1 | sed -n 's/^Version: //p') on core $RELAY_CPU (userspace, 1 worker thread, ng 127.0.0.1:$NG_PORT)"
  # --delete-delay=0: a deleted call leaves at once. By default rtpengine keeps it 30 s and its
  # once-a-second timer walks it, on the relay core, during the next relay's step: Parley's
  # side-by-side p99 had a 4-12 ms spike every ~1.05 s, gone with Parley alone (docs/benchmarks.md,
  # 7 December, eleventh session, kts)
  nice -n "$NICE" taskset -c "$RELAY_CPU" rtpengine --config-file=none --table=-1 --foreground --log-stderr --log-level=4 \
    --interface=127.0.0.1 --port-min="${RTPENGINE_PORTS%-*}" --port-max="${RTPENGINE_PORTS#*-}" \
    --listen-ng="127.0.0.1:$NG_PORT" --num-threads=1 --timeout=600 --silent-timeout=600 --offer-timeout=600 \
    --delete-delay=0 \
    2>"$OUT_DIR/rtpengine.log" &
  RTPENGINE_PID=$!
  PIDS+=("$RTPENGINE_PID")
  wait_listen u "$NG_PORT" "$RTPENGINE_PID" 20 || die "rtpengine did not start: $(tail -5 "$OUT_DIR/rtpengine.log")"
  GEN_ARGS+=(--rtpengine-ng "127.0.0.1:$NG_PORT" --rtpengine-pid "$RTPENGINE_PID")
fi
if [[ " $RELAYS " == *" parley "* ]]; then
  CONTROL_PORT="$(free_port)"
  jfr=()
  [[ $JFR == 1 ]] && jfr=("-XX:StartFlightRecording=filename=$OUT_DIR/parley.jfr,settings=profile,dumponexit=true")
  # utctime: MediaLoad puts each step's pauses (set-up, measured window) into steps.csv and its log line
  [[ $GC_LOG == 1 ]] && jfr+=("-Xlog:gc*,safepoint:file=$OUT_DIR/parley-gc.log:utctime,uptime,level,tags")
  [[ $JIT_LOG == 1 ]] && jfr+=("-Xlog:jit+compilation=debug:file=$OUT_DIR/parley-jit.log:utctime,uptime")
  log "starting the Parley relay on core $RELAY_CPU (control 127.0.0.1:$CONTROL_PORT)"
  nice -n "$NICE" taskset -c "$RELAY_CPU" "$JAVA" "${JAVA_OPTS[@]}" "${SRTP_OPENS[@]}" "${PARLEY_EXTRA[@]}" "${jfr[@]}" -cp "$JAR" dev.parley.bench.media.ParleyRelayMain \
    "$CONTROL_PORT" "${PARLEY_PORTS%-*}" "${PARLEY_PORTS#*-}" >"$OUT_DIR/parley.log" 2>&1 &
  PARLEY_PID=$!
  PIDS+=("$PARLEY_PID")
  wait_listen t "$CONTROL_PORT" "$PARLEY_PID" 60 || die "the Parley relay did not start: $(tail -5 "$OUT_DIR/parley.log")"
  GEN_ARGS+=(--parley-control "127.0.0.1:$CONTROL_PORT")
  [[ $GC_LOG == 1 ]] && GEN_ARGS+=(--parley-gc-log "$OUT_DIR/parley-gc.log")
fi

# --- the run ----------------------------------------------------------------------------------------------

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
  echo "kernel: $(uname -r)"
  echo "java: $("$JAVA" -version 2>&1 | head -n 1)"
  echo "parley relay jvm options: ${JAVA_OPTS[*]} ${SRTP_OPENS[*]} ${PARLEY_EXTRA[*]}"
  echo "rtpengine: $(rtpengine --version 2>&1 | sed -n 's/^Version: //p' || true)"
  echo "git: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "niceness: $NICE ($(cat /proc/self/autogroup 2>/dev/null || echo 'no autogroup')); relays on core $RELAY_CPU, generator on core $GEN_CPU"
  echo "quiet relay core: $([[ $QUIET_RELAY_CPU == 1 ]] && echo "yes, ${#MOVED_KTHREADS[@]} kernel threads moved to core $GEN_CPU, unbound workqueues $(cat "$WQ_CPUMASK" 2>/dev/null)" || echo no)"
  echo "net.core.rmem_max: $(cat /proc/sys/net/core/rmem_max) (generator sockets ask for 32 MiB)"
  echo "load before: $(cat /proc/loadavg)"
} >"$OUT_DIR/env.txt"
cat "$OUT_DIR/env.txt" >&2

join() { tr ' ' ',' <<<"$*"; }
log "generator on core $GEN_CPU: relays $(join $RELAYS), modes $(join $MODES), calls $(join $CALLS), ${WARMUP}+${DURATION} s per step"
status=0
gen_log=()
[[ $GC_LOG == 1 ]] && gen_log=("-Xlog:gc*,safepoint:file=$OUT_DIR/generator-gc.log:utctime,uptime,level,tags")
[[ $JIT_LOG == 1 ]] && gen_log+=("-Xlog:jit+compilation=debug,deoptimization=debug:file=$OUT_DIR/generator-jit.log:utctime,uptime")
# the generator sends SRTP with parley-rtp, which needs the same opens as the relay for its fast SHA-1 and AES.
# No uncommon traps in the generator: its loop's compiled body trapped as a step ended (the drain) and ran C1 code
# until C2 recompiled the whole loop on its one core, just as the next step's window began (~0.4 s, passes 2-11 ms
# apart, 26,000 late sends at 1,500 SRTP calls; with the limits at 0: 1,047 in the next run, and no stall at the
# window's start). Parley's relay runs with the JVM's defaults, as it ships.
GENERATOR_JIT=(-XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0)
nice -n "$NICE" taskset -c "$GEN_CPU" "$JAVA" "${JAVA_OPTS[@]}" "${SRTP_OPENS[@]}" "${GENERATOR_JIT[@]}" "${GENERATOR_EXTRA[@]}" "${gen_log[@]}" -cp "$JAR" dev.parley.bench.media.MediaLoad \
  --relays "$(join $RELAYS)" --modes "$(join $MODES)" --calls "$(join $CALLS)" --seconds "$DURATION" \
  --warmup "$WARMUP" --retries "$RETRIES" --warm-calls "$WARM_CALLS" --warm-seconds "$WARM_SECONDS" \
  --verify-every "$VERIFY_EVERY" --out "$OUT_DIR" "${GEN_ARGS[@]}" 2> >(tee "$OUT_DIR/generator.log" >&2) ||
  status=$?
echo "load after: $(cat /proc/loadavg)" >>"$OUT_DIR/env.txt"
if [[ -n ${PARLEY_PID:-} ]]; then
  # dumponexit writes the recording on SIGTERM; wait for it before the trap's SIGKILL could cut it short
  kill -TERM "$PARLEY_PID" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$PARLEY_PID" 2>/dev/null || break
    sleep 0.5
  done
fi
log "results in $OUT_DIR (steps.csv, summary.csv, env.txt)"
exit "$status"
