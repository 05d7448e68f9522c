#!/usr/bin/env bash
# dtls-handshakes.sh — the server side's CPU per DTLS-SRTP handshake (what each browser leg costs Parley to set up):
# dev.parley.bench.webrtc.DtlsServerCost is the server (Parley's DTLS engine, parley-rtp dtls, one session per
# client address on one UDP port), pinned to SERVER_CPU; it starts the clients in a JVM of its own on CLIENT_CPU,
# CONCURRENCY handshakes at a time for RUN_SECONDS, so the server process's CPU time is the server's alone. Prints the
# server's CPU per handshake (after 400 warm-up handshakes: the JIT) and so handshakes per CPU-second: per core.
#
#   parley-bench/scripts/dtls-handshakes.sh        # RUN_SECONDS=20 CONCURRENCY=16 SERVER_CPU=1 CLIENT_CPU=0
#
# Bounded: RUN_SECONDS plus JVM start; everything on 127.0.0.1.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO
RUN_SECONDS="${RUN_SECONDS:-20}"
CONCURRENCY="${CONCURRENCY:-16}"
SERVER_CPU="${SERVER_CPU:-1}"
CLIENT_CPU="${CLIENT_CPU:-0}"
# shellcheck source=SCRIPTDIR/../../parley
source "$REPO/parley"
set -euo pipefail

command -v taskset >/dev/null 2>&1 || ensure_debian_packages util-linux
ensure_jdk
JAR="${BENCH_JAR:-$REPO/parley-bench/target/benchmarks.jar}"
if [[ ! -f $JAR || -n "$(find pom.xml parley-bench/src/main parley-rtp/src/main -newer "$JAR" -print -quit)" ]]; then
  ensure_maven
  mvn_run -q -DskipTests -pl parley-bench -am package >&2
fi
printf 'load average before: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
CLIENT_CPUS="$CLIENT_CPU" taskset -c "$SERVER_CPU" "$JAVA_HOME/bin/java" -XX:ActiveProcessorCount=1 -Xmx256m \
  -cp "$JAR" dev.parley.bench.webrtc.DtlsServerCost "$RUN_SECONDS" "$CONCURRENCY"
printf 'load average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
