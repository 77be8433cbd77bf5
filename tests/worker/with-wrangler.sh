#!/usr/bin/env bash
#! Runs a command against `wrangler dev` serving the worker and the page, with the test bed's DoH
#! server (dnsdist, a real RFC 8484 implementation) as upstream. Run it inside the bed:
#!
#!   bash tests/bed/netns-run.sh bash tests/worker/with-wrangler.sh CMD [ARG...]
#!
#! It starts three local workers (workerd through wrangler 4.86, offline):
#!   POSTCHECK_TEST_WORKER=http://127.0.0.1:8787           upstream: the bed's DoH server;
#!       CORS open to http://127.0.0.1:8790 (the origin the widget example is served from);
#!       MTA-STS fetches may go to 127.0.0.1, where the bed's HTTPS server listens
#!       (FETCH_ALLOW_ADDRESSES; so may the tiny instance's, while the failover instance
#!       refuses loopback as production does)
#!   POSTCHECK_TEST_WORKER_FAILOVER=http://127.0.0.1:8788  upstreams, in order: a port nothing
#!       listens on, a server that accepts and never answers (POSTCHECK_TEST_HANG_LOG logs each
#!       request it gets), then the bed's DoH server; per-query timeout 700 ms
#!   POSTCHECK_TEST_WORKER_TINY=http://127.0.0.1:8789      upstream: the bed's DoH server; a budget
#!       of 8 subrequests per invocation (SUBREQUEST_LIMIT) and the Cache API off (CACHE_API)
#! All three run with ENFORCE_LIMITS=1: a request whose invocation goes over its subrequest
#! budget or holds more than 6 connections at once fails with 500 limit-exceeded.
#! Each has a fresh snapshot-signing key (exported as POSTCHECK_TEST_SNAPSHOT_SECRET), a fresh
#! cache folder, and trusts the bed's CA for MTA-STS fetches. Then it runs CMD, stops them by
#! process group and exits with CMD's status. Needs crates/postcheck-worker/build (scripts/build-worker)
#! and www/dist (scripts/build-web).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

[ -n "${POSTCHECK_TEST_DOH:-}" ] || { echo "with-wrangler: run inside tests/bed/netns-run.sh" >&2; exit 2; }
[ -f crates/postcheck-worker/build/index.js ] || { echo "with-wrangler: build the worker first (scripts/build-worker)" >&2; exit 2; }
mkdir -p www/dist
[ $# -gt 0 ] || { sed -n 's/^#! \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

state=$(mktemp -d)
pids=()
stop() {
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$state"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export POSTCHECK_TEST_SNAPSHOT_SECRET
POSTCHECK_TEST_SNAPSHOT_SECRET=$(openssl rand -hex 32)

# An upstream that accepts connections and never answers: the failover instance must time out
# on it and go on to the next.
export POSTCHECK_TEST_HANG_LOG="$state/hang.log"
: >"$POSTCHECK_TEST_HANG_LOG"
setsid python3 - "$POSTCHECK_TEST_HANG_LOG" >"$state/hang.out" 2>&1 <<'PY' &
import socket, sys, threading
log = open(sys.argv[1], "a", buffering=1)
server = socket.create_server(("127.0.0.1", 8055))
held = []
while True:
    conn, _ = server.accept()
    held.append(conn)  # never answered, never closed
    log.write("connection\n")
PY
pids+=($!)

start() { # port upstreams timeout_ms [--var NAME:VALUE ...]
  local port=$1 upstreams=$2 timeout=$3
  shift 3
  WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false CI=true \
    NODE_EXTRA_CA_CERTS="${POSTCHECK_TEST_CA:-}" \
    WRANGLER_LOG_PATH="$state/wrangler-$port-logs" \
    setsid node_modules/.bin/wrangler dev --ip 127.0.0.1 --port "$port" \
      --show-interactive-dev-session=false --persist-to "$state/persist-$port" \
      --inspector-port 0 \
      --var "DOH_UPSTREAMS:$upstreams" --var "DOH_TIMEOUT_MS:$timeout" \
      --var "SNAPSHOT_SECRET:$POSTCHECK_TEST_SNAPSHOT_SECRET" \
      --var "ALLOWED_ORIGINS:http://127.0.0.1:8790" \
      --var "ENFORCE_LIMITS:1" "$@" \
      >"$state/wrangler-$port.log" 2>&1 &
  pids+=($!)
}
start 8787 "$POSTCHECK_TEST_DOH" 1500 --var "FETCH_ALLOW_ADDRESSES:127.0.0.1,127.0.1.0/24,192.0.2.2" \
  --var "TEST_MAIL_DOMAIN:check.test"
start 8788 "http://127.0.0.1:8054/dns-query http://127.0.0.1:8055/dns-query $POSTCHECK_TEST_DOH" 700
# Cloudflare's limits at their tightest: 8 subrequests per invocation (reports continue in
# parts) and no Cache API (as on *.workers.dev).
start 8789 "$POSTCHECK_TEST_DOH" 1500 --var "SUBREQUEST_LIMIT:8" --var "CACHE_API:off" \
  --var "FETCH_ALLOW_ADDRESSES:127.0.0.1"

for port in 8787 8788 8789; do
  ready=false
  for _ in $(seq 1 240); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/api/none" 2>/dev/null; then
      ready=true
      break
    fi
    sleep 0.25
  done
  if [ "$ready" != true ]; then
    echo "with-wrangler: wrangler dev on port $port did not come up; its log:" >&2
    cat "$state/wrangler-$port.log" >&2
    exit 1
  fi
done
export POSTCHECK_TEST_WORKER=http://127.0.0.1:8787
export POSTCHECK_TEST_WORKER_FAILOVER=http://127.0.0.1:8788
export POSTCHECK_TEST_WORKER_TINY=http://127.0.0.1:8789
export POSTCHECK_TEST_WORKER_LOG="$state/wrangler-8787.log"

set +e
"$@"
status=$?
set -e
if [ "$status" -ne 0 ] && [ -n "${POSTCHECK_WRANGLER_LOG_ON_FAILURE:-1}" ]; then
  echo "with-wrangler: command failed ($status); wrangler log tail:" >&2
  tail -n 30 "$state/wrangler-8787.log" >&2
fi
exit "$status"
