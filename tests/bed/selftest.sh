#!/usr/bin/env bash
#! Checks the test bed itself and every fixture of tests/zones/README.md:
#!
#!   tests/bed/selftest.sh
#!
#! Starts the bed (tests/bed/netns-run.sh), then checks inside it: the transports (UDP, TCP, the
#! system resolver on port 53, DoH), the injected faults, truncation with EDNS 1232, the query
#! log, and each fixture domain's TXT answer against the README's table (record count and text).
#! With pyspf importable (PYSPF_PYTHON names a Python that has it; default python3) it also checks
#! the table's results and lookup counts against pyspf. Afterwards, outside, it checks that the
#! knotd and dnsdist processes it saw (by host PID) are gone, also after a SIGTERM to the bed.
#! Ends with "N passed, M failed".
set -euo pipefail

bed_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$bed_dir/../.." && pwd)
readme="$repo/tests/zones/README.md"

passed=0
failed=0
ok() {
  passed=$((passed + 1))
  echo "ok   $*"
}
fail() {
  failed=$((failed + 1))
  echo "FAIL $*"
}
check() { # description command...: passes when the command succeeds
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

# --- outside the bed ------------------------------------------------------------------------------
# Host PIDs of this bed's servers: the processes whose command line names the bed's folder.
bed_pids() {
  local dir=$1 proc cmdline
  for proc in /proc/[0-9]*; do
    cmdline=$({ tr '\0' ' ' <"$proc/cmdline"; } 2>/dev/null) || continue
    case "$cmdline" in
    knotd*"$dir/"* | dnsdist*"$dir/"*) echo "${proc#/proc/}" ;;
    esac
  done
}
# Runs the bed in the background, records its servers' host PIDs once they are up.
start_bed() { # state-file command...
  local state=$1
  shift
  SELFTEST_STATE="$state" "$bed_dir/netns-run.sh" "$@" &
  bed_pid=$!
  server_pids=""
  for _ in $(seq 200); do
    if [ -s "$state" ]; then
      server_pids=$(bed_pids "$(head -n1 "$state")" | tr '\n' ' ')
      break
    fi
    kill -0 "$bed_pid" 2>/dev/null || break
    sleep 0.1
  done
}
all_gone() { # pids...
  local pid
  for pid in "$@"; do
    if [ -d "/proc/$pid" ]; then
      echo "     PID $pid still runs: $({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null)"
      return 1
    fi
  done
}

if [ -z "${POSTCHECK_TEST_BED_DIR:-}" ]; then
  state=$(mktemp)
  trap 'rm -f "$state"' EXIT
  start_bed "$state" bash "$bed_dir/selftest.sh" "$@"
  set +e
  wait "$bed_pid"
  inner=$?
  set -e
  # The inner run printed its own summary; its counts come back through the state file.
  read -r inner_passed inner_failed < <(sed -n 2p "$state")
  passed=${inner_passed:-0}
  failed=${inner_failed:-0}
  [ "$inner" -eq 0 ] || fail "the checks inside the bed exited with $inner"
  # shellcheck disable=SC2086
  check "knotd and dnsdist were running (host PIDs: ${server_pids:-none})" test "$(echo $server_pids | wc -w)" -eq 2
  # shellcheck disable=SC2086
  check "knotd and dnsdist are gone after the command ended" all_gone $server_pids
  check "the bed's folder is removed after success" test ! -e "$(head -n1 "$state")"

  # A SIGTERM to the bed (as from a CI timeout) stops the servers and removes nothing needed.
  : >"$state"
  # shellcheck disable=SC2016 # expanded by the inner shell
  start_bed "$state" sh -c 'echo "$POSTCHECK_TEST_BED_DIR" >"$SELFTEST_STATE"; sleep 60' 2>/dev/null
  kill -TERM "$bed_pid"
  set +e
  wait "$bed_pid" 2>/dev/null
  term_status=$?
  set -e
  check "SIGTERM to netns-run.sh ends it with status 143 (got $term_status)" test "$term_status" -eq 143
  # shellcheck disable=SC2086
  check "knotd and dnsdist (host PIDs ${server_pids:-none}) are gone after SIGTERM" \
    sh -c "[ -n '$server_pids' ] && ! ls -d $(for p in $server_pids; do printf '/proc/%s ' "$p"; done) >/dev/null 2>&1"
  rm -rf "$(head -n1 "$state")"

  echo
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
fi

# --- inside the bed -------------------------------------------------------------------------------
[ -n "${SELFTEST_STATE:-}" ] && echo "$POSTCHECK_TEST_BED_DIR" >"$SELFTEST_STATE"
ns_host=${POSTCHECK_TEST_NS%:*}
ns_port=${POSTCHECK_TEST_NS##*:}
dig_ns() { kdig @"$ns_host" -p "$ns_port" +time=2 +retry=0 "$@" 2>&1; }

# The TXT records of a name, one line per record, its strings joined (RFC 7208 §3.3).
# kdig +short prints `"a" "b"`; the fixtures hold no quote or backslash inside a string. After a
# truncated UDP reply kdig prints an empty line for it, then retries over TCP.
txt_joined() { # name [port]
  kdig @127.0.0.1 -p "${2:-$ns_port}" +time=2 +retry=0 +short TXT "$1" 2>/dev/null |
    sed -e '/^$/d' -e 's/" "//g' -e 's/^"//' -e 's/"$//'
}
has() { # pattern text: the text matches the extended regular expression (any case)
  grep -Eqi -- "$1" <<<"$2"
}

# A DoH GET (RFC 8484, ID 0): prints "HTTP-status body-bytes rcode ancount" for name and type.
doh_query() { # name type-number [curl options...]
  local name=$1 type=$2 wire="" label hex
  shift 2
  wire='\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00'
  IFS=. read -ra labels <<<"$name"
  for label in "${labels[@]}"; do
    [ -n "$label" ] || continue
    wire+=$(printf '\\x%02x' "${#label}")$label
  done
  wire+=$(printf '\\x00\\x%02x\\x%02x\\x00\\x01' $((type >> 8)) $((type & 255)))
  local b64
  b64=$(printf '%b' "$wire" | base64 -w0 | tr '+/' '-_' | tr -d '=')
  local body
  body=$(mktemp)
  local code
  code=$(curl -s -o "$body" -w '%{http_code}' -H 'accept: application/dns-message' "$@" \
    "$POSTCHECK_TEST_DOH?dns=$b64") || code="curl-exit-$?"
  hex=$(od -An -tx1 -v "$body" | tr -d ' \n')
  printf '%s %s %s %s\n' "$code" "$(stat -c %s "$body")" "$((0x${hex:7:1}))" "$((0x${hex:12:4}))"
  rm -f "$body"
}

echo "== transports"
ok_txt='v=spf1 ip4:192.0.2.10 ip6:2001:db8::10 a mx include:_spf.provider.test -all'
check "UDP via dnsdist ($POSTCHECK_TEST_NS)" test "$(txt_joined ok.spf.test)" = "$ok_txt"
check "TCP via dnsdist" has 'ANSWER: 1' "$(dig_ns +tcp TXT ok.spf.test)"
check "port 53 (the system resolver's) UDP" test "$(txt_joined ok.spf.test 53)" = "$ok_txt"
check "port 53 TCP" has 'ANSWER: 1' "$(kdig @127.0.0.1 +tcp TXT ok.spf.test 2>&1)"
check "knotd directly ($POSTCHECK_TEST_AUTH_NS)" test "$(txt_joined ok.spf.test 5300)" = "$ok_txt"
check "/etc/resolv.conf names 127.0.0.1" has '^nameserver 127\.0\.0\.1$' "$(cat /etc/resolv.conf)"
# Not `getent ahostsv4`: with only `lo` up, getaddrinfo(AF_INET, AI_ADDRCONFIG) finds no
# configured IPv4 address and answers "not found" without asking DNS.
check "getaddrinfo resolves through the bed" has '192\.0\.2\.11' "$(getent ahosts ok.spf.test)"
check "DoH GET answers (HTTP 200, NOERROR, 1 answer)" test "$(doh_query ok.spf.test 16 | cut -d' ' -f1,3,4)" = "200 0 1"
check "DoH POST answers" test "$(printf '\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x02ok\x03spf\x04test\x00\x00\x10\x00\x01' |
  curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/dns-message' --data-binary @- "$POSTCHECK_TEST_DOH")" = 200
check "root zone: _dmarc.test is NXDOMAIN" has 'status: NXDOMAIN' "$(dig_ns TXT _dmarc.test)"
check "reverse: 192.0.2.10 PTR out.ok.spf.test" test "$(kdig @127.0.0.1 -p "$ns_port" +short -x 192.0.2.10)" = "out.ok.spf.test."
check "reverse: 198.51.100.99 has no PTR (NXDOMAIN)" has 'status: NXDOMAIN' "$(dig_ns -x 198.51.100.99)"

echo "== faults"
check "SERVFAIL over UDP (x.servfail.test)" has 'status: SERVFAIL' "$(dig_ns TXT x.servfail.test)"
check "SERVFAIL over TCP" has 'status: SERVFAIL' "$(dig_ns +tcp TXT x.servfail.test)"
check "SERVFAIL at the apex (servfail.test)" has 'status: SERVFAIL' "$(dig_ns TXT servfail.test)"
check "SERVFAIL over DoH (HTTP 200, RCODE 2)" test "$(doh_query x.servfail.test 16 | cut -d' ' -f1,3)" = "200 2"
check "SERVFAIL for any type (A host.servfail.test)" has 'status: SERVFAIL' "$(dig_ns A host.servfail.test)"
check "knotd itself serves x.servfail.test (fault is dnsdist's)" has 'ip4:198\.51\.100\.99' "$(txt_joined x.servfail.test 5300)"
start=$SECONDS
out=$(kdig @127.0.0.1 -p "$ns_port" +time=1 +retry=0 TXT x.timeout.test 2>&1 || true)
check "timeout over UDP (x.timeout.test): no answer" has 'timeout|failed to query' "$out"
check "timeout over UDP took the client's timeout" test $((SECONDS - start)) -ge 1
check "timeout at the apex (timeout.test)" has 'timeout|failed to query' "$(kdig @127.0.0.1 -p "$ns_port" +time=1 +retry=0 TXT timeout.test 2>&1 || true)"
check "timeout over DoH: the request hangs (curl gives up, exit 28)" test "$(doh_query x.timeout.test 16 --max-time 1.5 | cut -d' ' -f1)" = "curl-exit-28"
check "timeout over TCP: connection closed, no answer" has 'failed to query|reply' "$(dig_ns +tcp TXT x.timeout.test || true)"
check "getaddrinfo fails for host.timeout.test" sh -c '! getent ahosts host.timeout.test'

echo "== size and truncation"
out=$(kdig @127.0.0.1 -p "$ns_port" +notcp +bufsize=1232 +ignore TXT truncated.spf.test 2>&1)
check "truncated.spf.test over UDP, EDNS 1232: TC=1, no answer" has 'flags: qr aa tc.*ANSWER: 0' "$out"
check "the TC reply keeps EDNS (UDP size 1232)" has 'UDP size: 1232' "$out"
out=$(dig_ns +tcp TXT truncated.spf.test)
check "truncated.spf.test over TCP: the record" has 'flags: qr aa rd;.*ANSWER: 1' "$out"
check "truncated.spf.test reply is 2551 octets" has 'Received 2551 B' "$out"
check "truncated.spf.test over DoH: the whole record (dnsdist retries over TCP)" test "$(doh_query truncated.spf.test 16)" = "200 2551 0 1"
check "kdig's own TCP fallback gets it too" test "$(txt_joined truncated.spf.test | wc -c)" -eq 2494
out=$(kdig @127.0.0.1 -p "$ns_port" +notcp +bufsize=1232 TXT record-too-long.spf.test 2>&1)
check "record-too-long.spf.test fits EDNS 1232 (no TC)" has 'flags: qr aa rd;.*ANSWER: 1' "$out"
out=$(kdig @127.0.0.1 -p "$ns_port" +notcp +noedns +ignore TXT record-too-long.spf.test 2>&1)
check "record-too-long.spf.test without EDNS (512): TC=1" has 'flags: qr aa tc' "$out"
check "record-too-long.spf.test: 3 strings, 510 characters" test \
  "$(kdig @127.0.0.1 -p "$ns_port" +short TXT record-too-long.spf.test 2>/dev/null | grep -o '"[^"]*"' | wc -l) $(txt_joined record-too-long.spf.test | tr -d '\n' | wc -c)" = "3 510"
check "truncated.spf.test: 1 record of 10 strings" test \
  "$(kdig @127.0.0.1 -p "$ns_port" +tcp +short TXT truncated.spf.test | wc -l) $(kdig @127.0.0.1 -p "$ns_port" +tcp +short TXT truncated.spf.test | grep -o '"[^"]*"' | wc -l)" = "1 10"

echo "== query log"
: >"$POSTCHECK_TEST_QUERY_LOG"
kdig @127.0.0.1 -p "$ns_port" +short TXT querylog-probe.spf.test >/dev/null 2>&1 || true
doh_query querylog-doh.spf.test 1 >/dev/null
kdig @127.0.0.1 -p "$ns_port" +time=1 +retry=0 TXT querylog.servfail.test >/dev/null 2>&1 || true
sleep 0.2
log=$(cat "$POSTCHECK_TEST_QUERY_LOG")
check "query log: a UDP query (name and type)" has 'querylog-probe\.spf\.test\. TXT' "$log"
check "query log: a DoH query" has 'querylog-doh\.spf\.test\. A ' "$log"
check "query log: a query that got a fault" has 'querylog\.servfail\.test\. TXT' "$log"
check "query log: exactly those 3 lines" test "$(wc -l <<<"$log")" -eq 3

echo "== supporting names"
check "many-mx.spf.test has 11 MX" test "$(kdig @127.0.0.1 -p "$ns_port" +short MX many-mx.spf.test | wc -l)" -eq 11
check "ten-mx.spf.test has 10 MX" test "$(kdig @127.0.0.1 -p "$ns_port" +short MX ten-mx.spf.test | wc -l)" -eq 10
for i in 1 11; do
  check "mx$i.many-mx.spf.test resolves" test -n "$(kdig @127.0.0.1 -p "$ns_port" +short A "mx$i.many-mx.spf.test")"
done
for name in nothing nothing1 nothing2 nothing3; do
  check "$name.spf.test is NXDOMAIN" has 'status: NXDOMAIN' "$(dig_ns A "$name.spf.test")"
done
check "no-address.spf.test: NODATA for A" has 'status: NOERROR.*' "$(dig_ns A no-address.spf.test)"
check "no-address.spf.test: no A records" test -z "$(kdig @127.0.0.1 -p "$ns_port" +short A no-address.spf.test)"
check "does-not-exist.provider.test is NXDOMAIN" has 'status: NXDOMAIN' "$(dig_ns TXT does-not-exist.provider.test)"
check "no-spf.provider.test has TXT but no v=spf1" sh -c "[ -n \"\$1\" ] && ! printf '%s' \"\$1\" | grep -q '^v=spf1'" _ "$(txt_joined no-spf.provider.test)"
check "192.0.2.20 PTR mail.ptr-deprecated.spf.test, A 192.0.2.20" test \
  "$(kdig @127.0.0.1 -p "$ns_port" +short -x 192.0.2.20) $(kdig @127.0.0.1 -p "$ns_port" +short A mail.ptr-deprecated.spf.test)" = \
  "mail.ptr-deprecated.spf.test. 192.0.2.20"
for name in _spf.provider.test _spf-eu.provider.test _spf2.provider.test big.provider.test \
  _a.big.provider.test _b.big.provider.test _c.big.provider.test open.provider.test \
  _spf.mailer.test loop-b.spf.test; do
  check "$name has one SPF record" test "$(txt_joined "$name" | grep -c '^v=spf1 ')" -eq 1
done

echo "== fixtures (tests/zones/README.md)"
header='| domain | record | codes | must not | lookups | results |'
rows=$(awk -v header="$header" '$0 == header { on = 1; getline; next } on && !/^\|/ { exit } on' "$readme")
check "README table has rows" test -n "$rows"
while IFS= read -r row; do
  domain=$(cut -d'|' -f2 <<<"$row" | tr -d ' `')
  record=$(cut -d'|' -f3 <<<"$row" | sed -e 's/^ *`\{0,1\}//' -e 's/`\{0,1\} *$//')
  codes=$(cut -d'|' -f4 <<<"$row")
  case "$domain" in
  servfail.test)
    check "$domain: SERVFAIL" has 'status: SERVFAIL' "$(dig_ns TXT "$domain")"
    continue
    ;;
  timeout.test)
    check "$domain: no answer" has 'timeout|failed to query' "$(kdig @127.0.0.1 -p "$ns_port" +time=1 +retry=0 TXT "$domain" 2>&1 || true)"
    continue
    ;;
  esac
  answer=$(dig_ns TXT "$domain")
  if ! has 'status: (NOERROR|NXDOMAIN)' "$answer"; then
    fail "$domain: TXT query failed: $(grep -m1 -E 'status|ERROR' <<<"$answer")"
    continue
  fi
  spf=$(txt_joined "$domain" | grep -E '^v=spf1( |$)' || true)
  count=$(grep -c . <<<"$spf" || true)
  expected=1
  case "$codes" in
  *spf-none*) expected=0 ;;
  *spf-multiple-records*) expected=2 ;;
  esac
  check "$domain: $expected SPF record(s) (found $count)" test "$count" -eq "$expected"
  if [ "$record" != "…" ]; then
    check "$domain: record text as in the table" test "$spf" = "$record"
  fi
done <<<"$rows"
check "none.spf.test has other TXT records" test "$(txt_joined none.spf.test | wc -l)" -eq 2
check "does-not-exist.spf.test is NXDOMAIN" has 'status: NXDOMAIN' "$(dig_ns TXT does-not-exist.spf.test)"
check "split-strings.spf.test: 2 strings" test "$(kdig @127.0.0.1 -p "$ns_port" +short TXT split-strings.spf.test | grep -o '"[^"]*"' | wc -l)" -eq 2

python=${PYSPF_PYTHON:-python3}
if "$python" -c 'import spf' >/dev/null 2>&1; then
  echo "== results and lookup counts against pyspf ($python)"
  if out=$("$python" "$bed_dir/pyspf-check.py" 2>&1); then
    ok "pyspf agrees with the table ($(tail -n1 <<<"$out"))"
  else
    grep -v '^ok' <<<"$out" | sed 's/^/     /'
    fail "pyspf disagrees with the table"
  fi
else
  echo "== pyspf not importable by $python: results not cross-checked (pip install pyspf dnspython)"
fi

echo
echo "inside the bed: $passed passed, $failed failed"
[ -n "${SELFTEST_STATE:-}" ] && echo "$passed $failed" >>"$SELFTEST_STATE"
[ "$failed" -eq 0 ]
