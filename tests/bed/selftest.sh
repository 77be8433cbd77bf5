#!/usr/bin/env bash
#! Checks the test bed itself and every fixture of tests/zones/README.md:
#!
#!   tests/bed/selftest.sh
#!
#! Starts the bed (tests/bed/netns-run.sh), then checks inside it: the transports (UDP, TCP, the
#! system resolver on port 53, DoH), the injected faults (every line of tests/zones/faults.txt over
#! UDP, TCP and DoH, and that knotd itself answers those names), truncation with EDNS 1232, the query
#! log, each SPF fixture domain's TXT answer against the README's table (record count and text),
#! that every zone file loaded, the HTTPS server for MTA-STS (policy, 404, a redirect not followed,
#! a certificate for the wrong name, the CA through SSL_CERT_FILE), and the DNS records behind
#! every row of the README's full report table (DMARC, DKIM key sizes, MX, PTR, blocklists,
#! MTA-STS, TLS-RPT, BIMI), and the SMTP servers of smtp.test: every listener's replies
#! (tests/bed/smtp_talk.py), what they spool and log, their certificates (openssl s_client), a
#! message sent with curl, the connect timeout of blackhole.smtp.test and the autoconfig file. With
#! pyspf importable (PYSPF_PYTHON names a Python that has it; default python3) it also checks the
#! SPF table's results and lookup counts against pyspf, and that each `--ip` of the full report
#! table passes its domain's SPF. Afterwards, outside, it checks that the knotd, dnsdist, HTTPS
#! and SMTP server processes it saw (by host PID) are gone, also after a SIGTERM to the bed.
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
    knotd*"$dir/"* | dnsdist*"$dir/"* | *python*/https_server.py*"$dir/"* | *python*/smtp_server.py*"$dir/"*)
      echo "${proc#/proc/}"
      ;;
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
  check "knotd, dnsdist, the HTTPS and the SMTP server were running (host PIDs: ${server_pids:-none})" test "$(echo $server_pids | wc -w)" -eq 4
  # shellcheck disable=SC2086
  check "knotd, dnsdist, the HTTPS and the SMTP server are gone after the command ended" all_gone $server_pids
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
  check "knotd, dnsdist, the HTTPS and the SMTP server (host PIDs ${server_pids:-none}) are gone after SIGTERM" \
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
# The RCODE of an answer through dnsdist (NOERROR, NXDOMAIN, SERVFAIL; empty for no answer).
status_of() { dig_ns "$@" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -n1; }

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

echo "== faults (tests/zones/faults.txt)"
# Every line of the bed's fault list, through dnsdist: the fault over UDP, TCP and DoH, at the name
# and (for a suffix) at a name under it; for `*` a second type too, for one type another type not
# faulted; and knotd itself answering (the fault is dnsdist's). What each fault looks like per
# transport: tests/zones/README.md, "Faults".
faults_file="$repo/tests/zones/faults.txt"
type_number() { # record type: its number, for doh_query
  case "$1" in
  A) echo 1 ;; NS) echo 2 ;; CNAME) echo 5 ;; SOA) echo 6 ;; PTR) echo 12 ;; MX) echo 15 ;;
  TXT) echo 16 ;; AAAA) echo 28 ;; SRV) echo 33 ;; TLSA) echo 52 ;; *) echo 0 ;;
  esac
}
no_answer() { # kdig options...: over UDP, dnsdist's drop: no reply within the client's 1 s
  has 'timeout|failed to query' "$(kdig @127.0.0.1 -p "$ns_port" +time=1 +retry=0 "$@" 2>&1 || true)"
}
faulted() { # fault type name: the fault over UDP
  case "$1" in
  servfail) test "$(status_of "$2" "$3")" = SERVFAIL ;;
  timeout) no_answer "$2" "$3" ;;
  esac
}
fault_lines=0
servfail_lines=0
timeout_lines=0
while read -r match name type fault extra || [ -n "$match" ]; do
  case "$match" in '' | '#'*) continue ;; esac
  fault_lines=$((fault_lines + 1))
  line="$match $name $type $fault"
  if [ -n "$extra" ] || ! [[ "$match" =~ ^(name|suffix)$ && "$fault" =~ ^(servfail|timeout)$ ]]; then
    fail "faults.txt: a malformed line: $line${extra:+ $extra}"
    continue
  fi
  name=${name%.}.
  [ "$fault" = servfail ] && servfail_lines=$((servfail_lines + 1))
  [ "$fault" = timeout ] && timeout_lines=$((timeout_lines + 1))
  # The type asked: the line's, else PTR for a reverse name and TXT for the rest.
  qtype=$type
  if [ "$type" = '*' ]; then
    case "$name" in *.in-addr.arpa. | *.ip6.arpa.) qtype=PTR ;; *) qtype=TXT ;; esac
  fi
  said=SERVFAIL
  [ "$fault" = timeout ] && said="no answer"
  probe=$name
  if [ "$match" = suffix ]; then
    check "[$line] $qtype $name over UDP: $said" faulted "$fault" "$qtype" "$name"
    probe="x.$name"
  fi
  check "[$line] $qtype $probe over UDP: $said" faulted "$fault" "$qtype" "$probe"
  case "$fault" in
  servfail)
    check "[$line] $qtype $probe over TCP: SERVFAIL" test "$(status_of +tcp "$qtype" "$probe")" = SERVFAIL
    check "[$line] $qtype $probe over DoH: HTTP 200, RCODE 2" test \
      "$(doh_query "$probe" "$(type_number "$qtype")" | cut -d' ' -f1,3)" = "200 2"
    ;;
  timeout)
    # shellcheck disable=SC2016 # expanded by sh -c
    check "[$line] $qtype $probe over TCP: connection closed, no answer" sh -c \
      'printf "%s\n" "$1" | grep -Eq "failed to query|reply" && ! printf "%s\n" "$1" | grep -q "status:"' _ \
      "$(dig_ns +tcp "$qtype" "$probe" || true)"
    check "[$line] $qtype $probe over DoH: the request hangs (curl gives up, exit 28)" test \
      "$(doh_query "$probe" "$(type_number "$qtype")" --max-time 1.5 | cut -d' ' -f1)" = "curl-exit-28"
    ;;
  esac
  if [ "$type" = '*' ]; then
    check "[$line] A $probe over UDP: $said too (every type)" faulted "$fault" A "$probe"
  else
    other=TXT
    [ "$type" = TXT ] && other=A
    # shellcheck disable=SC2016 # expanded by sh -c
    check "[$line] $other $probe over UDP: answered (only $type is faulted)" sh -c \
      'case "$1" in NOERROR | NXDOMAIN) ;; *) exit 1 ;; esac' _ "$(status_of "$other" "$probe")"
  fi
  auth=$(kdig @"${POSTCHECK_TEST_AUTH_NS%:*}" -p "${POSTCHECK_TEST_AUTH_NS##*:}" +time=2 +retry=0 "$qtype" "$probe" 2>&1 |
    sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -n1)
  # shellcheck disable=SC2016 # expanded by sh -c
  check "[$line] knotd itself answers $qtype $probe (${auth:-no answer})" sh -c \
    'case "$1" in NOERROR | NXDOMAIN) ;; *) exit 1 ;; esac' _ "$auth"
done <"$faults_file"
check "faults.txt: $fault_lines faults, servfail and timeout both among them" test \
  $((servfail_lines >= 1 && timeout_lines >= 1 && servfail_lines + timeout_lines == fault_lines)) -eq 1
check "dnsdist.conf: one fault rule per line of faults.txt" test \
  "$(grep -c '^-- faults\.txt:' "$POSTCHECK_TEST_BED_DIR/dnsdist.conf")" -eq "$fault_lines"

echo "== faults: more than the list says"
check "knotd itself serves x.servfail.test (fault is dnsdist's)" has 'ip4:198\.51\.100\.99' "$(txt_joined x.servfail.test 5300)"
start=$SECONDS
check "timeout over UDP (x.timeout.test): no answer" no_answer TXT x.timeout.test
check "timeout over UDP took the client's timeout" test $((SECONDS - start)) -ge 1
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
  *spf-none* | *domain-not-found*) expected=0 ;;
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

echo "== zones"
for file in "$repo"/tests/zones/*.zone; do
  zone=$(basename "$file" .zone)
  [ "$zone" = root ] && zone=.
  check "zone $zone loaded (authoritative SOA from knotd)" \
    has '^;; flags:[^;]* aa[ ;].*ANSWER: 1;' "$(kdig @127.0.0.1 -p 5300 +time=2 +retry=0 SOA "$zone" 2>&1)"
done

# --- the HTTPS server for MTA-STS ------------------------------------------------------------------
echo "== HTTPS (MTA-STS policies, tests/zones/https)"
ca=${POSTCHECK_TEST_CA:-}
https_dir="$repo/tests/zones/https"
body=$(mktemp)
# GET with the bed's CA; prints "status redirects content-type", or "curl-exit-N" when curl fails.
https_get() { # url [curl options...]
  local url=$1
  shift
  curl -s -o "$body" -w '%{http_code} %{num_redirects} %{content_type}' --max-time 3 --cacert "$ca" "$@" "$url" ||
    echo "curl-exit-$?"
}
policy_url() { echo "https://mta-sts.$1/.well-known/mta-sts.txt"; }
check "POSTCHECK_TEST_CA is a CA certificate" has 'CA:TRUE' "$(openssl x509 -in "$ca" -noout -ext basicConstraints 2>&1)"
check "SSL_CERT_FILE is the bed's CA" test "${SSL_CERT_FILE:-}" = "$ca"
check "POSTCHECK_TEST_HTTPS_LOG is set and exists" test -f "${POSTCHECK_TEST_HTTPS_LOG:-/nonexistent}"
: >"$POSTCHECK_TEST_HTTPS_LOG"
check "clean.report.test: policy 200 text/plain" test "$(https_get "$(policy_url clean.report.test)")" = "200 0 text/plain; charset=utf-8"
check "clean.report.test: the policy file byte for byte" cmp -s "$body" "$https_dir/mta-sts.clean.report.test/.well-known/mta-sts.txt"
check "the HTTPS log has the request" has '^127\.0\.0\.1:443 mta-sts\.clean\.report\.test GET /\.well-known/mta-sts\.txt 200$' "$(cat "$POSTCHECK_TEST_HTTPS_LOG")"
check "customer.report.test: CRLF kept" test "$(https_get "$(policy_url customer.report.test)" >/dev/null; grep -c $'\r$' "$body")" -eq 4
check "no policy file: 404" test "$(https_get "$(policy_url mta-sts-invalid-no-policy.report.test)" | cut -d' ' -f1)" = 404
check "unknown path on a policy host: 404" test "$(https_get https://mta-sts.clean.report.test/../../etc/passwd --path-as-is | cut -d' ' -f1)" = 404
redirect_url=$(policy_url mta-sts-invalid-redirect.report.test)
: >"$POSTCHECK_TEST_HTTPS_LOG"
check "redirect: 301, not followed (curl without -L)" test "$(https_get "$redirect_url")" = "301 0 text/plain; charset=utf-8"
check "redirect: Location is the same host's /policy/mta-sts.txt" has \
  '^location: https://mta-sts\.mta-sts-invalid-redirect\.report\.test/policy/mta-sts\.txt' \
  "$(curl -s -D - -o /dev/null --cacert "$ca" "$redirect_url" | tr -d '\r')"
check "redirect: the target was never requested" sh -c "! grep -q ' /policy/' '$POSTCHECK_TEST_HTTPS_LOG'"
check "redirect: the target is a valid policy (curl -L)" test "$(https_get "$redirect_url" -L | cut -d' ' -f1,2)" = "200 1"
check "wrong certificate (127.0.0.3): verification fails (curl 60)" test \
  "$(https_get "$(policy_url mta-sts-invalid-cert.report.test)")" = "000 0 curl-exit-60"
check "wrong certificate: the server itself answers (curl -k)" test \
  "$(https_get "$(policy_url mta-sts-invalid-cert.report.test)" -k | cut -d' ' -f1)" = 200
check "nothing listens on 127.0.0.2:443 (curl 7)" test \
  "$(https_get "$(policy_url mta-sts-invalid-unreachable.report.test)")" = "000 0 curl-exit-7"
check "mta-sts.mta-sts-invalid-no-host.report.test does not resolve (curl 6)" test \
  "$(https_get "$(policy_url mta-sts-invalid-no-host.report.test)")" = "000 0 curl-exit-6"
check "OpenSSL (Python) trusts the bed's CA through SSL_CERT_FILE" test "$(python3 -c '
import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=3).read().decode().splitlines()[0])' "$(policy_url clean.report.test)" 2>&1)" = "version: STSv1"
# Every host with a policy directory and the address 127.0.0.1 is in the certificate and served.
for dir in "$https_dir"/mta-sts.*/; do
  host=$(basename "$dir")
  [ "$(kdig @127.0.0.1 -p "$ns_port" +short A "$host" 2>/dev/null)" = 127.0.0.1 ] || continue
  if [ -f "$dir/.well-known/mta-sts.txt.redirect" ]; then
    check "https://$host: 301" test "$(https_get "https://$host/.well-known/mta-sts.txt" | cut -d' ' -f1)" = 301
  else
    # shellcheck disable=SC2016 # expanded by sh -c
    check "https://$host: 200, the file" sh -c '[ "$1" = 200 ] && cmp -s "$2" "$3"' _ \
      "$(https_get "https://$host/.well-known/mta-sts.txt" | cut -d' ' -f1)" "$body" "$dir/.well-known/mta-sts.txt"
  fi
done
rm -f "$body"

# --- the full report table ---------------------------------------------------------------------------
echo "== full report fixtures (tests/zones/README.md)"
header='| domain | args | codes | must not |'
rows=$(awk -v header="$header" '$0 == header { on = 1; getline; next } on && !/^\|/ { exit } on' "$readme")
check "full report table has rows" test "$(grep -c . <<<"$rows")" -ge 50
ip_pairs=()
while IFS= read -r row; do
  domain=$(cut -d'|' -f2 <<<"$row" | tr -d ' `')
  args=$(cut -d'|' -f3 <<<"$row" | tr -d '`')
  answer=$(dig_ns TXT "$domain")
  # The rows of a name that does not exist and of one whose name servers fail.
  case "$(cut -d'|' -f4 <<<"$row")" in
  *domain-not-found*)
    check "$domain: NXDOMAIN" has 'status: NXDOMAIN' "$answer"
    continue
    ;;
  *domain-lookup-failed*)
    check "$domain: SERVFAIL" has 'status: SERVFAIL' "$answer"
    continue
    ;;
  esac
  if ! has 'status: NOERROR' "$answer"; then
    fail "$domain: TXT query failed: $(grep -m1 -E 'status|ERROR' <<<"$answer")"
    continue
  fi
  check "$domain: one SPF record" test "$(txt_joined "$domain" | grep -c '^v=spf1 ' || true)" -eq 1
  read -ra words <<<"$args"
  for ((i = 0; i < ${#words[@]}; i++)); do
    [ "${words[i]}" = --ip ] && ip_pairs+=("$domain ${words[i + 1]}")
  done
done <<<"$rows"
# One fixture per defect: every error and warning code of these families (findings.rs) must be
# required by some row.
codes_column=$(cut -d'|' -f4 <<<"$rows" | sed 's/^/,/')
defect_codes=0
while IFS= read -r code; do
  defect_codes=$((defect_codes + 1))
  check "$code is required by a row of the full report table" has ", $code( |,|$)" "$codes_column"
done < <(sed -nE 's/.* = "((dmarc|dkim|mx|ptr|dnsbl|mta-sts|tlsrpt|bimi)-[a-z0-9-]+)", (Error|Warning),.*/\1/p' \
  "$repo/crates/postcheck-core/src/findings.rs" |
  # Reported when a pasted message's DKIM signatures are verified, never by `postcheck check`
  # (postcheck-dkim-verify's tests have it; the list in crates/postcheck-cli/tests/it/report.rs).
  grep -vxF dkim-body-length-limit)
check "findings.rs has the error and warning codes of these families ($defect_codes)" test "$defect_codes" -ge 30

short() { kdig @127.0.0.1 -p "$ns_port" +time=2 +retry=0 +short "$@" 2>/dev/null; }
# The p= of a DKIM record, and the RSA key size it decodes to (empty when it is no key).
dkim_p() { txt_joined "$1" | sed -n 's/.*p=\([^;]*\).*/\1/p' | tr -d ' '; }
rsa_bits() { base64 -d 2>/dev/null <<<"$1" | openssl pkey -pubin -inform DER -noout -text 2>/dev/null |
  sed -n 's/.*Public-Key: (\([0-9]*\) bit).*/\1/p'; }

echo "== full report: DMARC"
check "_dmarc.report.test is NXDOMAIN (no organizational record above the fixtures)" test "$(status_of TXT _dmarc.report.test)" = NXDOMAIN
check "_dmarc.dmarc-none.report.test is NXDOMAIN" test "$(status_of TXT _dmarc.dmarc-none.report.test)" = NXDOMAIN
check "_dmarc.sub.dmarc-inherited.report.test is NXDOMAIN" test "$(status_of TXT _dmarc.sub.dmarc-inherited.report.test)" = NXDOMAIN
check "_dmarc.dmarc-inherited.report.test: one record with sp=quarantine" test \
  "$(txt_joined _dmarc.dmarc-inherited.report.test)" = "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@dmarc-inherited.report.test"
check "dmarc-multiple-records: two v=DMARC1 records" test "$(txt_joined _dmarc.dmarc-multiple-records.report.test | grep -c '^v=DMARC1;')" -eq 2
for pair in "syntax-error:aspf=strict" "version-not-first:^p=reject; v=DMARC1;" "policy-invalid:p=block" \
  "policy-invalid-sp:sp=rejected" "policy-none:p=none" "pct-partial:pct=50" "pct-invalid:pct=150" \
  "unknown-tag:foo=bar" "deprecated-tag:rf=afrf; ri=86400" "invalid-uri:rua=dmarc@" "no-reports:^v=DMARC1; p=reject$"; do
  check "_dmarc.dmarc-${pair%%:*}.report.test has ${pair#*:}" has "${pair#*:}" "$(txt_joined "_dmarc.dmarc-${pair%%:*}.report.test")"
done
# shellcheck disable=SC2016 # expanded by sh -c
check "dmarc-policy-missing: no p=" sh -c '[ -n "$1" ] && ! printf "%s" "$1" | grep -q "p="' _ "$(txt_joined _dmarc.dmarc-policy-missing.report.test | sed 's/rua=[^;]*//')"
check "reports.test has its own DMARC record" has '^v=DMARC1; p=reject' "$(txt_joined _dmarc.reports.test)"
check "reports.test authorizes dmarc-external-reports-authorized.report.test" test \
  "$(txt_joined dmarc-external-reports-authorized.report.test._report._dmarc.reports.test)" = "v=DMARC1"
check "reports.test authorizes customer.report.test" test "$(txt_joined customer.report.test._report._dmarc.reports.test)" = "v=DMARC1"
check "reports.test does not authorize dmarc-external-reports-unauthorized.report.test (NXDOMAIN)" test \
  "$(status_of TXT dmarc-external-reports-unauthorized.report.test._report._dmarc.reports.test)" = NXDOMAIN

echo "== full report: single-name faults"
# Their SERVFAIL (tests/zones/faults.txt) is checked under "faults" above; here, the rest answers.
check "transport-dns-error.report.test TXT still answers" has '^v=spf1 ' "$(txt_joined transport-dns-error.report.test)"
check "mx-dns-error.report.test TXT still answers" has '^v=spf1 ' "$(txt_joined mx-dns-error.report.test)"
check "dkim-dns-error.report.test: a key at google" test "$(rsa_bits "$(dkim_p google._domainkey.dkim-dns-error.report.test)")" = 2048
check "knotd itself answers the faulted names" test "$(txt_joined _dmarc.dmarc-dns-error.report.test 5300 | cut -c1-8)|$(kdig @127.0.0.1 -p 5300 +short MX mx-dns-error.report.test)" = "v=DMARC1|10 mx.report.test."

echo "== full report: DKIM keys"
for pair in clean.report.test:s1:2048 customer.report.test:google:2048 customer.report.test:selector1:2048 \
  dmarc-none.report.test:s1:2048 dkim-selector-missing.report.test:s1:2048 dkim-key-weak.report.test:s1:1024 \
  dkim-key-too-short.report.test:s1:512 dkim-testing.report.test:s1:2048 dkim-sha1-only.report.test:s1:2048 \
  dkim-syntax-error.report.test:s1:2048; do
  IFS=: read -r d sel bits <<<"$pair"
  check "$sel._domainkey.$d: RSA $bits bits" test "$(rsa_bits "$(dkim_p "$sel._domainkey.$d")")" = "$bits"
done
check "dkim-ed25519: k=ed25519, 32 octets" test \
  "$(txt_joined s1._domainkey.dkim-ed25519.report.test | grep -c 'k=ed25519;') $(dkim_p s1._domainkey.dkim-ed25519.report.test | base64 -d | wc -c)" = "1 32"
# shellcheck disable=SC2016 # expanded by sh -c
check "dkim-key-invalid: base64 that is no key" sh -c '[ -n "$1" ] && printf "%s" "$1" | base64 -d >/dev/null 2>&1 && [ -z "$2" ]' _ \
  "$(dkim_p s1._domainkey.dkim-key-invalid.report.test)" "$(rsa_bits "$(dkim_p s1._domainkey.dkim-key-invalid.report.test)")"
check "dkim-key-invalid-ed25519: k=ed25519 with 294 octets" test \
  "$(dkim_p s1._domainkey.dkim-key-invalid-ed25519.report.test | base64 -d | wc -c)" = 294
check "dkim-key-revoked: p= empty" test "$(txt_joined s1._domainkey.dkim-key-revoked.report.test)" = "v=DKIM1; k=rsa; p="
check "dkim-testing: t=y" has '; t=y;' "$(txt_joined s1._domainkey.dkim-testing.report.test)"
check "dkim-sha1-only: h=sha1" has '; h=sha1;' "$(txt_joined s1._domainkey.dkim-sha1-only.report.test)"
check "dkim-syntax-error: a tag without =" has '; t y;' "$(txt_joined s1._domainkey.dkim-syntax-error.report.test)"
check "dkim-none-found: no key at s1 (NXDOMAIN)" test "$(status_of TXT s1._domainkey.dkim-none-found.report.test)" = NXDOMAIN
check "dkim-selector-missing: no key at crm2026 (NXDOMAIN)" test "$(status_of TXT crm2026._domainkey.dkim-selector-missing.report.test)" = NXDOMAIN
check "the 2048-bit keys come split into strings of at most 255" test \
  "$(short TXT s1._domainkey.clean.report.test | grep -o '"[^"]*"' | awk '{ print length($0) - 2 }' | tr '\n' ' ')" = "255 155 "

echo "== full report: MX"
check "mx-none.report.test: no MX, an A record" test "$(short MX mx-none.report.test)|$(short A mx-none.report.test)" = "|192.0.2.95"
check "mx-null.report.test: MX 0 ." test "$(short MX mx-null.report.test)" = "0 ."
check "mx-null-senders.report.test: MX 0 ." test "$(short MX mx-null-senders.report.test)" = "0 ."
check "mx-target-cname: the MX host is a CNAME" has 'CNAME' "$(kdig @127.0.0.1 -p "$ns_port" +noall +answer A mail.mx-target-cname.report.test)"
check "mx-target-ip: MX 10 192.0.2.95." test "$(short MX mx-target-ip.report.test)" = "10 192.0.2.95."
check "mx-target-ip: the host name 192.0.2.95. is NXDOMAIN" test "$(status_of A 192.0.2.95.)" = NXDOMAIN
check "mx-target-unresolvable: three MX" test "$(short MX mx-target-unresolvable.report.test | wc -l)" -eq 3
check "gone.mx-target-unresolvable.report.test: NXDOMAIN" test "$(status_of A gone.mx-target-unresolvable.report.test)" = NXDOMAIN
check "noaddr.mx-target-unresolvable.report.test: NODATA (A, AAAA)" test \
  "$(status_of A noaddr.mx-target-unresolvable.report.test) $(short A noaddr.mx-target-unresolvable.report.test)$(short AAAA noaddr.mx-target-unresolvable.report.test)" = "NOERROR "
check "mx.report.test (the baseline MX host) resolves" test "$(short A mx.report.test)" = 192.0.2.95

echo "== full report: reverse DNS"
check "192.0.2.72: no PTR (NXDOMAIN)" test "$(status_of -x 192.0.2.72)" = NXDOMAIN
check "192.0.2.73 PTR mail.ptr-mismatch.report.test, A 192.0.2.74" test \
  "$(short -x 192.0.2.73) $(short A mail.ptr-mismatch.report.test)" = "mail.ptr-mismatch.report.test. 192.0.2.74"
check "192.0.2.75 PTR a name that is NXDOMAIN" test \
  "$(short -x 192.0.2.75) $(status_of A gone.ptr-mismatch-nxdomain.report.test)" = "gone.ptr-mismatch-nxdomain.report.test. NXDOMAIN"
for pair in 192.0.2.77:dyn-192-0-2-77.pool.isp.test 192.0.2.80:mail.clean.report.test \
  192.0.2.81:mail.dnsbl-listed.report.test 192.0.2.82:mail.dnsbl-unavailable.report.test \
  192.0.2.83:mail.dnsbl-unavailable-outside.report.test 192.0.2.91:mx1.customer.report.test \
  192.0.2.92:mx2.customer.report.test 192.0.2.95:mx.report.test 192.0.2.98:mx.reports.test; do
  ip=${pair%%:*} name=${pair#*:}
  check "$ip PTR $name, which resolves back" test "$(short -x "$ip") $(short A "$name")" = "$name. $ip"
done

check "2001:db8::92 PTR mx2.customer.report.test, which resolves back" test \
  "$(short -x 2001:db8::92) $(short AAAA mx2.customer.report.test)" = "mx2.customer.report.test. 2001:db8::92"

echo "== full report: blocklists"
lists="zen.spamhaus.org bl.spamcop.net b.barracudacentral.org psbl.surriel.com bl.mailspike.net"
for list in $lists; do
  check "$list: test entry 127.0.0.2" test "$(short A "2.0.0.127.$list")" = 127.0.0.2
  for ip in 192.0.2.72 192.0.2.80 192.0.2.81 192.0.2.82 192.0.2.83 192.0.2.91; do
    IFS=. read -r a b c d <<<"$ip"
    case "$ip $list" in
    "192.0.2.81 zen.spamhaus.org" | "192.0.2.81 bl.spamcop.net") want=127.0.0.2 ;;
    "192.0.2.82 zen.spamhaus.org") want=127.255.255.254 ;;
    "192.0.2.83 b.barracudacentral.org") want=203.0.113.99 ;;
    *) want=NXDOMAIN ;;
    esac
    if [ "$want" = NXDOMAIN ]; then
      check "$ip on $list: NXDOMAIN" test "$(status_of A "$d.$c.$b.$a.$list")" = NXDOMAIN
    else
      check "$ip on $list: $want" test "$(short A "$d.$c.$b.$a.$list")" = "$want"
    fi
  done
done

echo "== full report: MTA-STS, TLS-RPT, BIMI records"
for d in clean customer mta-sts-mx-not-covered mta-sts-mx-not-covered-wildcard mta-sts-testing mta-sts-invalid \
  mta-sts-invalid-no-policy mta-sts-invalid-redirect mta-sts-invalid-unreachable mta-sts-invalid-cert \
  mta-sts-invalid-no-host; do
  check "_mta-sts.$d.report.test: one v=STSv1 record with an id" test "$(txt_joined "_mta-sts.$d.report.test" | grep -cE '^v=STSv1; id=[A-Za-z0-9]{1,32}$')" -eq 1
done
check "_mta-sts.mta-sts-invalid-record.report.test: v=STSv1; without id" test "$(txt_joined _mta-sts.mta-sts-invalid-record.report.test)" = "v=STSv1;"
check "mta-sts.mta-sts-invalid-unreachable.report.test: 127.0.0.2" test "$(short A mta-sts.mta-sts-invalid-unreachable.report.test)" = 127.0.0.2
check "mta-sts.mta-sts-invalid-cert.report.test: 127.0.0.3" test "$(short A mta-sts.mta-sts-invalid-cert.report.test)" = 127.0.0.3
check "mta-sts.mta-sts-invalid-no-host.report.test: NXDOMAIN" test "$(status_of A mta-sts.mta-sts-invalid-no-host.report.test)" = NXDOMAIN
check "mta-sts-mx-not-covered: MX mail and backup, policy names mail only" test \
  "$(short MX mta-sts-mx-not-covered.report.test | sort | tr '\n' ' ')$(grep -c '^mx: ' "$https_dir/mta-sts.mta-sts-mx-not-covered.report.test/.well-known/mta-sts.txt")" = \
  "10 mail.mta-sts-mx-not-covered.report.test. 20 backup.mta-sts-mx-not-covered.report.test. 1"
check "mta-sts-testing: mode testing" has '^mode: testing$' "$(cat "$https_dir/mta-sts.mta-sts-testing.report.test/.well-known/mta-sts.txt")"
check "mta-sts-invalid: mode enforced" has '^mode: enforced$' "$(cat "$https_dir/mta-sts.mta-sts-invalid.report.test/.well-known/mta-sts.txt")"
check "clean.report.test: TLS-RPT" test "$(txt_joined _smtp._tls.clean.report.test)" = "v=TLSRPTv1; rua=mailto:tlsrpt@clean.report.test"
check "tlsrpt-invalid: rua without a scheme" test "$(txt_joined _smtp._tls.tlsrpt-invalid.report.test)" = "v=TLSRPTv1; rua=tlsrpt@tlsrpt-invalid.report.test"
check "tlsrpt-invalid-no-rua: no rua" test "$(txt_joined _smtp._tls.tlsrpt-invalid-no-rua.report.test)" = "v=TLSRPTv1;"
check "clean.report.test: BIMI with an https logo" has '^v=BIMI1; l=https://' "$(txt_joined default._bimi.clean.report.test)"
check "bimi-invalid: logo over http" has '^v=BIMI1; l=http://' "$(txt_joined default._bimi.bimi-invalid.report.test)"
check "bimi-invalid-syntax: l: for l=" has '^v=BIMI1; l:https://' "$(txt_joined default._bimi.bimi-invalid-syntax.report.test)"

# --- the SMTP servers (smtp.test) ----------------------------------------------------------------------
echo "== SMTP servers (tests/zones/README.md, \"SMTP servers\")"
spool=${POSTCHECK_TEST_SMTP_SPOOL:-/nonexistent}
smtp_log=${POSTCHECK_TEST_SMTP_LOG:-/nonexistent}
check "POSTCHECK_TEST_SMTP_SPOOL is a folder" test -d "$spool"
check "POSTCHECK_TEST_SMTP_LOG exists" test -f "$smtp_log"
talk() { python3 "$bed_dir/smtp_talk.py" "$@" 2>&1; }
has_line() { grep -Fxq -- "$1" <<<"$2"; } # line text: one line of the text is exactly that
user=vendor@good.smtp.test
password='correct horse battery'
auth_plain=$(printf '\0%s\0%s' "$user" "$password" | base64 -w0)
auth_wrong=$(printf '\0%s\0%s' "$user" 'wrong password' | base64 -w0)
login_user=$(printf '%s' "$user" | base64 -w0)
login_password=$(printf '%s' "$password" | base64 -w0)
# The spool entry of the queue id in a reply: "listener user mail_from rcpt,... tls" and the message.
queued() { sed -n 's/^250 2\.0\.0 Ok: queued as \([0-9]\{10\}\)$/\1/p' <<<"$1" | head -n1; }
spooled() { # queue-id
  local n=$((10#$1))
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(d["listener"], d["user"], d["mail_from"], ",".join(d["rcpt_to"]), d["tls"], d["queue_id"])' "$spool/$n.json" 2>&1
}

check "smtp.test: the hosts' addresses" test "$(for h in good m365 gmail expired wrong-name selfsigned hang plain \
  starttls-refused reject drop blackhole autoconfig.good; do short A "$h.smtp.test"; done | tr '\n' ' ')" = \
  "127.0.1.1 127.0.1.2 127.0.1.3 127.0.1.4 127.0.1.5 127.0.1.6 127.0.1.7 127.0.1.8 127.0.1.9 127.0.1.10 127.0.1.11 192.0.2.2 127.0.0.1 "
check "_submission._tcp.good.smtp.test: SRV 0 1 587 good.smtp.test." test "$(short SRV _submission._tcp.good.smtp.test)" = "0 1 587 good.smtp.test."
check "_submissions._tcp.good.smtp.test: SRV 0 1 465 good.smtp.test." test "$(short SRV _submissions._tcp.good.smtp.test)" = "0 1 465 good.smtp.test."
check "good.smtp.test: MX 10 good.smtp.test." test "$(short MX good.smtp.test)" = "10 good.smtp.test."
check "nosuch.smtp.test is NXDOMAIN" test "$(status_of A nosuch.smtp.test)" = NXDOMAIN

: >"$smtp_log"
out=$(talk good.smtp.test 587 "EHLO selftest.test" "MAIL FROM:<$user>" STARTTLS "EHLO selftest.test" \
  "AUTH PLAIN $auth_wrong" "MAIL FROM:<$user>" "AUTH PLAIN $auth_plain" "MAIL FROM:<other@example.org>" RSET \
  "MAIL FROM:<$user>" "RCPT TO:<unknown@good.smtp.test>" "RCPT TO:<throttle@good.smtp.test>" \
  "RCPT TO:<someone@example.org>" DATA $'Subject: selftest 587\nFrom: <vendor@good.smtp.test>\n\nhello\n.leading dot' \
  "MAIL FROM:<$user>" "RCPT TO:<someone@example.org>" DATA $'Subject: please REJECT-ME\n\nno' QUIT)
before_tls=$(sed '/^> STARTTLS$/q' <<<"$out")
after_tls=$(sed '1,/^> STARTTLS$/d' <<<"$out")
check "good:587 greets as good.smtp.test" has_line "220 good.smtp.test ESMTP postcheck test bed" "$out"
check "good:587 offers STARTTLS and no AUTH before TLS" sh -c 'printf "%s\n" "$1" | grep -qx "250-STARTTLS" && ! printf "%s\n" "$1" | grep -q AUTH' _ "$before_tls"
check "good:587 MAIL before STARTTLS: 530" has_line "530 Must issue a STARTTLS command first" "$before_tls"
check "good:587 offers AUTH LOGIN PLAIN after STARTTLS (verified for good.smtp.test)" has_line "250-AUTH LOGIN PLAIN" "$after_tls"
check "good:587 wrong password: 535 5.7.8" has_line "535 5.7.8 Authentication credentials invalid" "$out"
check "good:587 MAIL without AUTH: 530 5.7.0" has_line "530 5.7.0 Authentication required" "$out"
check "good:587 right password: 235" has_line "235 2.7.0 Authentication successful" "$out"
check "good:587 sender of another domain: 553" has_line "553 5.7.1 <other@example.org>: Sender address rejected: not owned by user vendor@good.smtp.test" "$out"
check "good:587 unknown@: 550" has_line "550 5.1.1 <unknown@good.smtp.test>: Recipient address rejected: User unknown in virtual mailbox table" "$out"
check "good:587 throttle@: 450" has_line "450 4.7.1 <throttle@good.smtp.test>: Recipient address rejected: Rate limit exceeded, try again later" "$out"
check "good:587 REJECT-ME in Subject: 554 after DATA" has_line "554 5.6.0 Message rejected: content policy" "$out"
qid=$(queued "$out")
check "good:587 queued one message (id ${qid:-none})" test "$(grep -c '^250 2\.0\.0 Ok: queued as' <<<"$out")" -eq 1
check "good:587 spool: listener, user, sender, recipients, TLS" test "$(spooled "${qid:-0}")" = \
  "127.0.1.1:587 $user $user someone@example.org True $qid"
n=$((10#${qid:-0}))
check "good:587 spool: the message as sent, dot-stuffing undone" test "$(tr -d '\r' <"$spool/$n.eml" 2>&1)" = \
  $'Subject: selftest 587\nFrom: <vendor@good.smtp.test>\n\nhello\n.leading dot'
log=$(cat "$smtp_log")
check "SMTP log: one line per command, verb upper-cased" has_line "127.0.1.1:587 MAIL FROM:<other@example.org>" "$log"
check "SMTP log: AUTH PLAIN's initial response redacted" test "$(grep -c '^127\.0\.1\.1:587 AUTH PLAIN \[redacted\]$' <<<"$log")" -eq 2
check "SMTP log: no credentials, no message data" sh -c '! printf "%s\n" "$1" | grep -qE "$2"' _ "$log" \
  "$auth_plain|$auth_wrong|$password|Subject|hello"
check "SMTP log: one line for each of the 18 commands" test "$(grep -c '^127\.0\.1\.1:587 ' <<<"$log")" -eq 18

: >"$smtp_log"
out=$(talk --tls good.smtp.test 465 "EHLO selftest.test" "AUTH LOGIN" "$login_user" "$login_password" \
  "MAIL FROM:<$user>" "RCPT TO:<a@example.org>" DATA $'Subject: selftest 465\n\nhi' QUIT)
check "good:465 (TLS) offers AUTH LOGIN PLAIN, no STARTTLS" sh -c 'printf "%s\n" "$1" | grep -qx "250-AUTH LOGIN PLAIN" && ! printf "%s\n" "$1" | grep -q STARTTLS' _ "$out"
check "good:465 AUTH LOGIN: 235" has_line "235 2.7.0 Authentication successful" "$out"
qid=$(queued "$out")
check "good:465 spool: listener, user, TLS" test "$(spooled "${qid:-0}")" = "127.0.1.1:465 $user $user a@example.org True $qid"
check "SMTP log: AUTH LOGIN, then its two responses redacted" test "$(grep -A2 ' AUTH LOGIN$' "$smtp_log" | cut -d' ' -f2- | tr '\n' '|')" = \
  "AUTH LOGIN|[redacted]|[redacted]|"

out=$(talk good.smtp.test 25 "EHLO selftest.test" "AUTH PLAIN $auth_plain" "MAIL FROM:<sender@example.org>" \
  "RCPT TO:<someone@example.org>" "RCPT TO:<postmaster@good.smtp.test>" DATA $'Subject: inbound\n\nhi' QUIT)
check "good:25 offers STARTTLS and no AUTH" sh -c 'printf "%s\n" "$1" | grep -qx "250-STARTTLS" && ! printf "%s\n" "$1" | grep -q "^250-AUTH"' _ "$out"
check "good:25 AUTH without TLS: 538" has_line "538 5.7.11 Encryption required for requested authentication mechanism" "$out"
check "good:25 relaying without AUTH: 554" has_line "554 5.7.1 <someone@example.org>: Relay access denied" "$out"
qid=$(queued "$out")
check "good:25 takes mail for good.smtp.test from anyone" test "$(spooled "${qid:-0}")" = \
  "127.0.1.1:25 None sender@example.org postmaster@good.smtp.test False $qid"
check "good:2525: connection refused" test "$(talk good.smtp.test 2525)" = "[refused]"

printf 'Subject: selftest curl\r\nFrom: <vendor@good.smtp.test>\r\n\r\nsent by curl\r\n' >"$POSTCHECK_TEST_BED_DIR/curl.eml"
count=$(find "$spool" -name '*.eml' | wc -l)
check "curl sends through good:587 (STARTTLS required, AUTH)" curl -sS --max-time 5 --cacert "$ca" --ssl-reqd \
  --url smtp://good.smtp.test:587 --user "$user:$password" --mail-from "$user" --mail-rcpt someone@example.org \
  --upload-file "$POSTCHECK_TEST_BED_DIR/curl.eml"
check "curl's message is spooled" test "$(find "$spool" -name '*.eml' | wc -l)" -eq $((count + 1))
check "curl refuses expired:587's certificate (exit 60)" sh -c 'curl -sS --max-time 5 --cacert "$1" --ssl-reqd smtp://expired.smtp.test:587 -X NOOP 2>/dev/null; [ $? -eq 60 ]' _ "$ca"

for host in m365 gmail; do
  out=$(talk "$host.smtp.test" 587 "EHLO selftest.test" STARTTLS "EHLO selftest.test" "AUTH PLAIN $auth_plain" \
    "AUTH LOGIN" "$login_user" "$login_password" "MAIL FROM:<$user>")
  check "$host:587 offers AUTH after STARTTLS" has_line "250-AUTH LOGIN PLAIN" "$out"
  if [ "$host" = m365 ]; then
    check "m365:587 AUTH PLAIN and LOGIN with the right password: 535 5.7.139" test "$(grep -cFx \
      "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information." <<<"$out")" -eq 2
  else
    check "gmail:587 AUTH PLAIN and LOGIN with the right password: 534 5.7.9, two lines" test "$(grep -A1 -Fx \
      "534-5.7.9 Application-specific password required. Learn more at" <<<"$out" | grep -cFx \
      "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor")" -eq 2
  fi
  if [ "$host" = m365 ]; then
    check "m365:587 MAIL after the failed AUTH: Microsoft's 530 5.7.57" has_line \
      "530 5.7.57 Client not authenticated to send mail. [AM0PR01CA0001.eurprd01.prod.outlook.com]" "$out"
  else
    check "gmail:587 MAIL after the failed AUTH: 530 5.7.0" has_line "530 5.7.0 Authentication required" "$out"
  fi
done

# OpenSSL's verdict on a listener's certificate for a name ("0 (ok)", "10 (certificate has expired)").
tls_verdict() { # address port name [starttls]
  local starttls=()
  [ "${4:-}" = starttls ] && starttls=(-starttls smtp)
  echo | timeout 5 openssl s_client "${starttls[@]}" -connect "$1:$2" -servername "$3" -verify_hostname "$3" \
    -verify_return_error -CAfile "$ca" 2>&1 | sed -n 's/^ *Verify return code: //p' | head -n1
}
check "good:587 certificate: ok for good.smtp.test" test "$(tls_verdict 127.0.1.1 587 good.smtp.test starttls)" = "0 (ok)"
check "good:465 certificate: ok for good.smtp.test" test "$(tls_verdict 127.0.1.1 465 good.smtp.test)" = "0 (ok)"
check "m365:587 certificate: ok for m365.smtp.test" test "$(tls_verdict 127.0.1.2 587 m365.smtp.test starttls)" = "0 (ok)"
check "gmail:587 certificate: ok for gmail.smtp.test" test "$(tls_verdict 127.0.1.3 587 gmail.smtp.test starttls)" = "0 (ok)"
check "expired:587 certificate: expired" test "$(tls_verdict 127.0.1.4 587 expired.smtp.test starttls)" = "10 (certificate has expired)"
check "expired:465 certificate: expired" test "$(tls_verdict 127.0.1.4 465 expired.smtp.test)" = "10 (certificate has expired)"
check "expired.smtp.test's certificate ended in the past, from the bed CA" sh -c \
  'openssl x509 -in "$1" -noout -checkend 0 >/dev/null; [ $? -eq 1 ] && openssl verify -CAfile "$2" -no_check_time "$1" >/dev/null' _ \
  "$POSTCHECK_TEST_BED_DIR/tls/expired.smtp.test.pem" "$ca"
check "wrong-name:587 certificate: hostname mismatch" test "$(tls_verdict 127.0.1.5 587 wrong-name.smtp.test starttls)" = "62 (hostname mismatch)"
check "wrong-name:587 certificate: ok for mail.other.test" test "$(tls_verdict 127.0.1.5 587 mail.other.test starttls)" = "0 (ok)"
check "selfsigned:587 certificate: self-signed" test "$(tls_verdict 127.0.1.6 587 selfsigned.smtp.test starttls)" = "18 (self-signed certificate)"
check "Python sees expired:465 as expired too" test "$(talk --tls expired.smtp.test 465)" = "[tls: certificate has expired]"

start=$SECONDS
check "hang:587: connects, never a byte (client gives up after 1 s)" test "$(talk --timeout 1 hang.smtp.test 587)" = "[timeout]"
check "hang:587: the client waited" test $((SECONDS - start)) -ge 1
out=$(talk plain.smtp.test 587 "EHLO selftest.test" "AUTH PLAIN $auth_plain" STARTTLS "MAIL FROM:<a@example.org>" \
  "RCPT TO:<b@example.net>" DATA $'Subject: plain\n\nhi' QUIT)
check "plain:587 offers neither STARTTLS nor AUTH" sh -c '! printf "%s\n" "$1" | grep -qE "^250-(STARTTLS|AUTH)"' _ "$out"
check "plain:587 AUTH: 503" has_line "503 5.5.1 Error: authentication not enabled" "$out"
check "plain:587 STARTTLS: 502" has_line "502 5.5.1 Error: command not implemented" "$out"
qid=$(queued "$out")
check "plain:587 takes the message, unencrypted" test "$(spooled "${qid:-0}")" = "127.0.1.8:587 None a@example.org b@example.net False $qid"
out=$(talk starttls-refused.smtp.test 587 "EHLO selftest.test" STARTTLS "MAIL FROM:<$user>")
check "starttls-refused:587 offers STARTTLS" has_line "250-STARTTLS" "$out"
check "starttls-refused:587 STARTTLS: 454" has_line "454 4.7.0 TLS not available due to local problem" "$out"
check "starttls-refused:587 then MAIL in plain text: 530 5.7.0" has_line "530 5.7.0 Authentication required" "$out"
check "reject:587: 554 greeting, 503 to EHLO, 221 to QUIT, then closed" test \
  "$(talk reject.smtp.test 587 "EHLO selftest.test" QUIT NOOP | grep -v '^> ' | tr '\n' '|')" = \
  "554 5.7.1 Service unavailable; client host [127.0.0.1] blocked using zen.spamhaus.org|503 5.5.1 Error: bad sequence of commands|221 2.0.0 Bye|[closed]|"
out=$(talk drop.smtp.test 587 "EHLO selftest.test" "AUTH PLAIN $auth_plain")
check "drop:587 offers AUTH PLAIN, no STARTTLS" sh -c 'printf "%s\n" "$1" | grep -qx "250-AUTH PLAIN" && ! printf "%s\n" "$1" | grep -q STARTTLS' _ "$out"
check "drop:587 closes the connection at the command after EHLO" test "$(tail -n2 <<<"$out" | tr '\n' '|')" = "> AUTH PLAIN $auth_plain|[closed]|"
start=$SECONDS
check "blackhole.smtp.test (192.0.2.2): the connect times out (2 s)" test "$(talk --timeout 2 blackhole.smtp.test 587)" = "[timeout]"
check "blackhole: the client waited" test $((SECONDS - start)) -ge 2
check "the rest of 192.0.2.0/24 stays unreachable at once" test "$(talk --timeout 2 192.0.2.3 587)" = "[Network is unreachable]"
check "every spooled message has its .eml and .json" test \
  "$(find "$spool" -name '*.eml' | wc -l) $(find "$spool" -name '*.json' | wc -l)" = "5 5"

body=$(mktemp)
autoconfig=$repo/tests/zones/https/autoconfig.good.smtp.test/mail/config-v1.1.xml
: >"$POSTCHECK_TEST_HTTPS_LOG"
check "autoconfig: 200 text/xml for ?emailaddress=" test \
  "$(https_get 'https://autoconfig.good.smtp.test/mail/config-v1.1.xml?emailaddress=vendor%40good.smtp.test')" = "200 0 text/xml; charset=utf-8"
check "autoconfig: the file byte for byte" cmp -s "$body" "$autoconfig"
check "autoconfig: the HTTPS log has the query" has_line \
  "127.0.0.1:443 autoconfig.good.smtp.test GET /mail/config-v1.1.xml?emailaddress=vendor%40good.smtp.test 200" "$(cat "$POSTCHECK_TEST_HTTPS_LOG")"
check "autoconfig: outgoing smtp good.smtp.test 587 STARTTLS %EMAILADDRESS% password-cleartext" test \
  "$(grep -oE '<outgoingServer type="smtp">|<(hostname|port|socketType|username|authentication)>[^<]*' "$autoconfig" | sed 's/.*>//' | tr '\n' ' ')" = \
  " good.smtp.test 587 STARTTLS %EMAILADDRESS% password-cleartext "
rm -f "$body"

python=${PYSPF_PYTHON:-python3}
if "$python" -c 'import spf' >/dev/null 2>&1; then
  echo "== results and lookup counts against pyspf ($python)"
  if out=$("$python" "$bed_dir/pyspf-check.py" 2>&1); then
    ok "pyspf agrees with the table ($(tail -n1 <<<"$out"))"
  else
    grep -v '^ok' <<<"$out" | sed 's/^/     /'
    fail "pyspf disagrees with the table"
  fi
  echo "== the full report table's sending IPs against pyspf"
  for pair in "${ip_pairs[@]}"; do
    read -r d ip <<<"$pair"
    result=$("$python" -c 'import spf, sys; print(spf.check2(i=sys.argv[1], s="postmaster@" + sys.argv[2], h=sys.argv[2], timeout=3)[0])' \
      "$ip" "$d" 2>&1 || true)
    check "$d: --ip $ip passes its SPF (pyspf: $result)" test "$result" = pass
  done
else
  echo "== pyspf not importable by $python: results not cross-checked (pip install pyspf dnspython)"
fi

echo
echo "inside the bed: $passed passed, $failed failed"
[ -n "${SELFTEST_STATE:-}" ] && echo "$passed $failed" >>"$SELFTEST_STATE"
[ "$failed" -eq 0 ]
