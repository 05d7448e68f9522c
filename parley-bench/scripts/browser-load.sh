#!/usr/bin/env bash
# browser-load.sh — concurrent browser ↔ SIP calls one core relays with no loss: Parley's media plane
# (dev.parley.bench.media.ParleyRelayMain, one event loop, shared WebRTC port) pinned to RELAY_CPU; the load
# generator (dev.parley.bench.webrtc.BrowserCallLoad) on GEN_CPU plays N browsers (ICE check, DTLS client, SRTP,
# consent every 5 s) and N plain-RTP phones, each call bridged browser ↔ phone, 20 ms PCMU both ways. It ramps N
# through CALLS and stops at the first step with any loss. Per step: packets relayed per second, the relay's CPU
# (utime+stime from /proc over the measured window), packets/s per core, load average.
#
#   parley-bench/scripts/browser-load.sh     # CALLS="100 250 500 750 1000" WARMUP=3 DURATION=15
#
# Bounded: each step is set-up + WARMUP + DURATION + 0.5 s; everything on 127.0.0.1; processes stopped on exit.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO
CALLS="${CALLS:-100 250 500 750 1000}"
WARMUP="${WARMUP:-3}"
DURATION="${DURATION:-15}"
RELAY_CPU="${RELAY_CPU:-1}"
GEN_CPU="${GEN_CPU:-0}"
PORT_MIN="${PORT_MIN:-12000}"
PORT_MAX="${PORT_MAX:-15999}"
WEBRTC_PORT="${WEBRTC_PORT:-11998}"
# shellcheck source=SCRIPTDIR/../../parley
source "$REPO/parley"
set -euo pipefail

RELAY_PID=""
cleanup() {
  [[ -n $RELAY_PID ]] && kill -TERM "$RELAY_PID" 2>/dev/null || true
}
trap cleanup EXIT

command -v taskset >/dev/null 2>&1 || ensure_debian_packages util-linux
ensure_jdk
JAR="${BENCH_JAR:-$REPO/parley-bench/target/benchmarks.jar}"
if [[ ! -f $JAR || -n "$(find pom.xml parley-bench/src/main parley-rtp/src/main parley-media/src/main -newer "$JAR" -print -quit)" ]]; then
  ensure_maven
  mvn_run -q -DskipTests -pl parley-bench -am package >&2
fi
JAVA="$JAVA_HOME/bin/java"
rcvbuf_errors() { awk '/^Udp:/ { if (++n == 2) print $6 }' /proc/net/snmp; }
# kernel drops on the relay's shared WebRTC port socket (proc(5) /proc/net/udp{,6}: the last column)
shared_port_drops() {
  awk -v p="$(printf ':%04X' "$WEBRTC_PORT")" '$2 ~ p"$" && !found { print $NF; found = 1 }
    END { if (!found) print 0 }' /proc/net/udp /proc/net/udp6
}
CONTROL=$((60100 + RANDOM % 900))
# --add-opens: what parley.jar's manifest opens for SRTP's fast paths (PrimedSha1, JdkAesCtr)
taskset -c "$RELAY_CPU" "$JAVA" -XX:ActiveProcessorCount=1 -Xms512m -Xmx512m --enable-native-access=ALL-UNNAMED \
  --add-opens java.base/sun.security.provider=ALL-UNNAMED --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED \
  -cp "$JAR" dev.parley.bench.media.ParleyRelayMain "$CONTROL" "$PORT_MIN" "$PORT_MAX" "$WEBRTC_PORT" \
  2>/tmp/browser-load-relay.$$.log &
RELAY_PID=$!
for _ in $(seq 1 40); do
  [[ -n "$(ss -Hlnt "sport = :$CONTROL" 2>/dev/null)" ]] && break
  sleep 0.25
done
printf '%-6s %10s %10s %10s %10s %8s %10s %12s %8s %s\n' calls to_phone lost to_browser lost cpu pps pps/core setup_s load
for n in $CALLS; do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  rcvbuf0="$(rcvbuf_errors)"
  drops0="$(shared_port_drops)"
  read -r calls s1 r1 s2 r2 cpu secs setup fails dups refused < <(taskset -c "$GEN_CPU" "$JAVA" -Xmx1g ${GEN_OPTS:-} \
    -cp "$JAR" dev.parley.bench.webrtc.BrowserCallLoad "$CONTROL" "$n" "$WARMUP" "$DURATION" "$RELAY_PID")
  lost1=$((s1 - r1))
  lost2=$((s2 - r2))
  pps=$(awk -v a="$r1" -v b="$r2" -v t="$secs" 'BEGIN { printf "%.0f", (a + b) / t }')
  ppc=$(awk -v p="$pps" -v c="$cpu" -v t="$secs" 'BEGIN { printf "%.0f", (c > 0 ? p / (c / t) : 0) }')
  printf '%-6s %10s %10s %10s %10s %8s %10s %12s %8s %s (srtp failures %s, duplicates %s)\n' "$calls" "$s1" "$lost1" "$s2" "$lost2" \
    "$(awk -v c="$cpu" -v t="$secs" 'BEGIN { printf "%.2f", c / t }')" "$pps" "$ppc" "$setup" "$load" "$fails" "$dups"
  # UDP receive-buffer overflows during the step: on the shared port's socket, and on the whole machine (any
  # socket, the generator's and other processes' too)
  printf '       drops on the shared port %s: %s; UDP receive-buffer errors machine-wide: %s; generator sends refused: %s\n' \
    "$WEBRTC_PORT" "$(($(shared_port_drops) - drops0))" "$(($(rcvbuf_errors) - rcvbuf0))" "$refused"
  if ((lost1 > 0 || lost2 > 0 || fails > 0)); then
    break
  fi
done
