#!/usr/bin/env bash
#! Runs a command against real DNS servers in a private network namespace:
#!
#!   tests/bed/netns-run.sh CMD [ARG...]
#!
#! As root, it runs itself again under `unshare -n -m -p -f --kill-child` (as PID 1 of the new
#! namespaces), brings up `lo` (the only interface there, but for `blackhole` below), bind-mounts
#! a resolv.conf with `nameserver 127.0.0.1` (timeout 1 s, 1 attempt) over /etc/resolv.conf, and
#! starts:
#!   - knotd on 127.0.0.1:5300 (UDP+TCP), authoritative for every tests/zones/*.zone;
#!   - dnsdist in front of it: plain DNS on 127.0.0.1:53 and 127.0.0.1:5353 (UDP+TCP) and RFC 8484
#!     DoH over plain HTTP/1.1 on http://127.0.0.1:8053/dns-query, with a log line per query
#!     received, and the faults of tests/zones/faults.txt injected by name (a name or a suffix, a
#!     query type or all): `servfail` answers SERVFAIL, `timeout` answers nothing (over UDP the
#!     query is dropped, over DoH the request hangs, over TCP the connection is closed); a
#!     malformed line of that file stops the bed before it starts;
#!   - an HTTPS server (tests/bed/https_server.py) on 127.0.0.1:443 serving the MTA-STS policy
#!     files and autoconfig files of tests/zones/https/<host>/ by Host header, with a certificate
#!     from a throwaway CA (made with openssl at each start) for every mta-sts.* and autoconfig.*
#!     name the zones give the address 127.0.0.1; and on 127.0.0.3:443 the same files with a
#!     certificate for wrong-name.report.test;
#!   - SMTP servers (tests/bed/smtp_server.py, aiosmtpd from .tools/smtp-venv: run
#!     tests/bed/install-python.sh once) for the hosts of tests/zones/smtp.test.zone, with
#!     certificates from the same CA (one expired, one for another name) and a self-signed one:
#!       good.smtp.test              127.0.1.1   587 STARTTLS + AUTH, 465 TLS + AUTH, 25 MX;
#!                                               nothing on 2525
#!       m365.smtp.test              127.0.1.2   587 every AUTH: 535 5.7.139 (Microsoft 365)
#!       gmail.smtp.test             127.0.1.3   587 every AUTH: 534 5.7.9 (Gmail)
#!       expired.smtp.test           127.0.1.4   587 and 465, a certificate that expired yesterday
#!       wrong-name.smtp.test        127.0.1.5   587, a certificate for mail.other.test only
#!       selfsigned.smtp.test        127.0.1.6   587, a self-signed certificate
#!       hang.smtp.test              127.0.1.7   587 accepts and never sends a byte
#!       plain.smtp.test             127.0.1.8   587 no STARTTLS, no AUTH, takes any mail
#!       starttls-refused.smtp.test  127.0.1.9   587 STARTTLS answered 454
#!       reject.smtp.test            127.0.1.10  587 greets with 554
#!       drop.smtp.test              127.0.1.11  587 closes the connection after EHLO
#!       blackhole.smtp.test         192.0.2.2   routed into an interface (`blackhole`, ifb) that
#!                                               drops every packet: a connect times out
#!     (account, policy and every exact reply: tests/zones/README.md, "SMTP servers");
#!     tests/bed/smtp_talk.py is a scripted client for trying them by hand.
#! Then it runs CMD with these variables exported, stops the servers by PID and exits with CMD's
#! status:
#!   POSTCHECK_TEST_NS=127.0.0.1:5353                         plain DNS through dnsdist
#!   POSTCHECK_TEST_DOH=http://127.0.0.1:8053/dns-query       DoH through dnsdist
#!   POSTCHECK_TEST_QUERY_LOG=<file>                          one line per query dnsdist received
#!   POSTCHECK_TEST_AUTH_NS=127.0.0.1:5300                    knotd itself (no faults, no log)
#!   POSTCHECK_TEST_BED_DIR=<dir>                             the servers' state and logs
#!   POSTCHECK_TEST_ZONES=<repo>/tests/zones
#!   POSTCHECK_TEST_CA=<dir>/ca.pem                           the bed CA's certificate (PEM)
#!   SSL_CERT_FILE=<dir>/ca.pem                               the same, so that OpenSSL and
#!                                                            rustls-native-certs trust it (curl
#!                                                            needs --cacert "$POSTCHECK_TEST_CA")
#!   POSTCHECK_TEST_HTTPS_LOG=<file>                          one line per HTTPS request:
#!                                                            `<listener> <host> <method> <path> <status>`
#!                                                            (the path with its ?query, if any)
#!   POSTCHECK_TEST_SMTP_SPOOL=<dir>                          every message an SMTP server took:
#!                                                            <n>.eml, then <n>.json (listener, helo,
#!                                                            tls, user, mail_from, rcpt_to, queue_id)
#!   POSTCHECK_TEST_SMTP_LOG=<file>                           one line per SMTP command received:
#!                                                            `<listener> <command line>` (verb
#!                                                            upper-cased; AUTH data `[redacted]`)
#! Server state and logs go to a fresh `mktemp -d` folder, removed on success and kept (its path
#! and the server logs printed to stderr) on failure; POSTCHECK_BED_KEEP=1 keeps it always.
#! SIGINT, SIGTERM and SIGHUP stop CMD and the servers (exit 130, 143, 129); SIGKILL of this
#! script's outer process leaves the bed to run until CMD ends, SIGKILL of the `unshare` kills it all.
#! Works from any directory; run it nested (from CMD) and it just runs the inner command.
#! For scripts/bench: POSTCHECK_BED_EXTRA_ZONES=<dir> serves that folder's *.zone too, and
#! POSTCHECK_BED_DNS_DELAY_MS=<ms> puts tests/bed/delay_proxy.py between dnsdist and knotd, so
#! every query through dnsdist (plain DNS or DoH) takes that much longer.
#! The fixtures and what the checks must report for them: tests/zones/README.md.
#! Self-check of the bed and the fixtures: tests/bed/selftest.sh.
set -euo pipefail

bed_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$bed_dir/../.." && pwd)
zones_dir="$repo/tests/zones"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

die() {
  echo "netns-run: $*" >&2
  exit 1
}

# The dnsdist rules (Lua) of tests/zones/faults.txt, one or two per line of it, in its order (the
# format: that file's header). Dies on a malformed line, naming the file and the line number.
faults_file="$zones_dir/faults.txt"
fault_rules() {
  local line n=0 match name type fault extra rule key
  local -A seen=()
  [ -r "$faults_file" ] || die "cannot read $faults_file"
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    read -r match name type fault extra <<<"$line"
    [ -n "$fault" ] && [ -z "$extra" ] ||
      die "$faults_file:$n: expected 4 fields (MATCH NAME TYPE FAULT): $line"
    [[ "$name" =~ ^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$ ]] ||
      die "$faults_file:$n: NAME must be a domain name (letters, digits, - and _): $name"
    name=${name%.}.
    case "$match" in
    name) rule="QNameRule(\"$name\")" ;;
    suffix) rule="suffix(\"$name\")" ;;
    *) die "$faults_file:$n: MATCH must be name or suffix: $match" ;;
    esac
    case "$type" in
    '*') ;;
    A | AAAA | CNAME | MX | NS | PTR | SOA | SRV | TLSA | TXT) rule="AndRule({$rule, QTypeRule(DNSQType.$type)})" ;;
    *) die "$faults_file:$n: TYPE must be * or one of A AAAA CNAME MX NS PTR SOA SRV TLSA TXT: $type" ;;
    esac
    key="$match ${name,,} $type"
    [ -z "${seen[$key]:-}" ] || die "$faults_file:$n: the same fault as line ${seen[$key]}: $line"
    seen[$key]=$n
    echo "-- faults.txt:$n: $match $name $type $fault"
    case "$fault" in
    servfail) echo "addAction($rule, RCodeAction(DNSRCode.SERVFAIL))" ;;
    timeout)
      echo "addAction(AndRule({$rule, DSTPortRule(8053)}), PoolAction(\"blackhole\"))"
      echo "addAction($rule, DropAction())"
      ;;
    *) die "$faults_file:$n: FAULT must be servfail or timeout: $fault" ;;
    esac
  done <"$faults_file"
}

if [ $# -eq 0 ]; then
  sed -n 's/^#! \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi

# Already inside a running bed (CMD called us again): nothing to start.
if [ -n "${POSTCHECK_TEST_BED_DIR:-}" ] && [ -n "${POSTCHECK_TEST_NS:-}" ]; then
  exec "$@"
fi

# --- outside: enter private network, mount and PID namespaces ---------------------------------
if [ "${POSTCHECK_BED_STAGE:-}" != "inside" ]; then
  [ "$(id -u)" -eq 0 ] || die "needs root (unshare of network and mount namespaces)"
  for tool in unshare ip knotd knotc dnsdist kdig curl openssl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run tests/bed/install-deps.sh"
  done
  "$repo/.tools/smtp-venv/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1 ||
    die "the SMTP servers need aiosmtpd in .tools/smtp-venv: run tests/bed/install-python.sh"
  fault_rules >/dev/null # a malformed line of tests/zones/faults.txt stops us before anything starts
  # --kill-child: if unshare dies, its child (PID 1 of the new namespace) gets SIGKILL, and with it
  # every process in the namespace. unshare itself blocks SIGINT and SIGTERM and forwards nothing,
  # so this shell stays in between and passes those signals on to PID 1 (this script, inside),
  # whose trap stops the servers. `<&0`: a background job would otherwise read /dev/null.
  POSTCHECK_BED_STAGE=inside unshare --net --mount --pid --fork --kill-child --mount-proc \
    bash "$bed_dir/netns-run.sh" "$@" <&0 &
  unshare_pid=$!
  # shellcheck disable=SC2329 # called from a trap
  forward() {
    local stat ppid
    for stat in /proc/[0-9]*/stat; do
      read -r _ _ _ ppid _ <"$stat" 2>/dev/null || continue
      if [ "$ppid" = "$unshare_pid" ]; then
        stat=${stat#/proc/}
        kill -"$1" "${stat%/stat}" 2>/dev/null || true
      fi
    done
  }
  trap 'forward TERM' TERM
  trap 'forward INT' INT
  trap 'forward HUP' HUP
  while :; do
    set +e
    wait "$unshare_pid"
    rc=$?
    set -e
    # A trapped signal interrupts `wait`; go on waiting until unshare has really ended.
    kill -0 "$unshare_pid" 2>/dev/null || exit "$rc"
  done
fi
unset POSTCHECK_BED_STAGE

# --- inside: PID 1 of a fresh PID namespace, alone on a fresh loopback --------------------------
ip link set lo up
# blackhole.smtp.test (192.0.2.2): a TCP connect there gets no answer at all and times out. The
# address is routed into an interface that drops whatever it is given: an ifb device (no ARP,
# nothing redirected to it, so it discards every packet sent), or a dummy one where the kernel has
# no ifb. It has no address, not even IPv6 link-local (addrgenmode none): the rest of
# 192.0.2.0/24 stays unreachable at once, and getaddrinfo's AI_ADDRCONFIG still sees nothing but
# loopback (a link-local address would make it drop every IPv4 answer).
{ ip link add blackhole type ifb 2>/dev/null || ip link add blackhole type dummy 2>/dev/null; } &&
  ip link set blackhole addrgenmode none && ip link set blackhole up &&
  ip route add 192.0.2.2/32 dev blackhole ||
  die "cannot route 192.0.2.2 into a dropping interface (ifb or dummy) for blackhole.smtp.test"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/postcheck-bed.XXXXXX")
chmod 755 "$tmp"
knot_pid=""
delay_pid=""
dnsdist_pid=""
https_pid=""
smtp_pid=""
status=1

# shellcheck disable=SC2329 # called from a trap
stop_servers() {
  local pid
  for pid in $smtp_pid $https_pid $dnsdist_pid $delay_pid $knot_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $smtp_pid $https_pid $dnsdist_pid $delay_pid $knot_pid; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "netns-run: PID $pid did not stop on SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
}

# shellcheck disable=SC2329 # called from a trap
show_logs() {
  local log
  echo "netns-run: test bed state and logs kept in $tmp" >&2
  for log in "$tmp/knotd.log" "$tmp/dnsdist.log" "$tmp/https-server.log" "$tmp/smtp-server.log" "$tmp/tls.log"; do
    [ -s "$log" ] || continue
    echo "---- $log (last 40 lines) ----" >&2
    tail -n 40 "$log" >&2
  done
}

# shellcheck disable=SC2329 # called from a trap
on_exit() {
  status=${status:-$?}
  trap - EXIT INT TERM HUP
  stop_servers
  if [ "$status" -ne 0 ]; then
    show_logs
  elif [ "${POSTCHECK_BED_KEEP:-}" = 1 ]; then
    echo "netns-run: test bed state and logs kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap 'status=$?; on_exit' EXIT
trap 'status=130; exit 130' INT
trap 'status=143; exit 143' TERM
trap 'status=129; exit 129' HUP

# The system resolver path (getaddrinfo, res_query) asks dnsdist on port 53. One try of one
# second, so that names under timeout.test fail fast.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$tmp/resolv.conf"
mount --bind "$tmp/resolv.conf" /etc/resolv.conf ||
  die "cannot bind-mount over /etc/resolv.conf (a dangling symlink cannot be mounted over)"

# --- knotd: one zone per tests/zones/<name>.zone (root.zone is the root zone) ----------------
mkdir -p "$tmp/knot-run" "$tmp/knot-db"
zone_names=()
{
  cat <<EOF
server:
    rundir: "$tmp/knot-run"
    listen: 127.0.0.1@5300
    udp-workers: 2
    tcp-workers: 2
    background-workers: 1
    # EDNS: the largest UDP reply; larger answers come back with TC=1 (the default, made explicit).
    udp-max-payload: 1232

database:
    storage: "$tmp/knot-db"

log:
  - target: stderr
    any: notice

template:
  - id: default
    storage: "$zones_dir"
    # Never write to the zone files nor keep a journal: the fixtures are read-only input.
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: on

zone:
EOF
  for file in "$zones_dir"/*.zone ${POSTCHECK_BED_EXTRA_ZONES:+"$POSTCHECK_BED_EXTRA_ZONES"/*.zone}; do
    base=$(basename "$file" .zone)
    if [ "$base" = root ]; then name=.; else name="$base."; fi
    zone_names+=("$name")
    printf '  - domain: "%s"\n    file: "%s"\n' "$name" "$file"
  done
} >"$tmp/knot.conf"
[ ${#zone_names[@]} -gt 0 ] || die "no zone files in $zones_dir"

# --- dnsdist --------------------------------------------------------------------------------
# The backend dnsdist asks: knotd, or the delaying proxy in front of it.
backend_port=5300
if [ -n "${POSTCHECK_BED_DNS_DELAY_MS:-}" ]; then
  backend_port=5301
  python3 "$bed_dir/delay_proxy.py" --listen 127.0.0.1:5301 --upstream 127.0.0.1:5300 \
    --delay-ms "$POSTCHECK_BED_DNS_DELAY_MS" >"$tmp/delay-proxy.log" 2>&1 &
  delay_pid=$!
fi

query_log="$tmp/queries.log"
: >"$query_log"
cat >"$tmp/dnsdist.conf" <<EOF
-- Generated by tests/bed/netns-run.sh
setSecurityPollSuffix("")
setLocal("127.0.0.1:53")
addLocal("127.0.0.1:5353")
-- RFC 8484 DoH over plain HTTP/1.1: no certificate, no key.
addDOHLocal("127.0.0.1:8053", nil, nil, "/dns-query")

local knotd = newServer({address = "127.0.0.1:$backend_port", name = "knotd"})
knotd:setUp()

-- One line per query received, on every frontend (DoH included), before any fault.
addAction(AllRule(), LogAction("$query_log", false, true, false))

-- "timeout": over UDP the query is dropped and the client waits for its own timeout. A dropped
-- DoH query would get HTTP 403 and a dropped TCP query a closed connection at once; so DoH
-- queries are sent on to a backend port where nothing listens, and the HTTP request hangs until
-- the client gives up (dnsdist itself would answer 502 after setUDPTimeout).
setUDPTimeout(60)
local blackhole = newServer({address = "127.0.0.1:5399", name = "blackhole", pool = "blackhole"})
blackhole:setUp()

-- A rule matching a name and every name under it.
local function suffix(name)
  local node = newSuffixMatchNode()
  node:add(name)
  return SuffixMatchNodeRule(node)
end

-- The faults of tests/zones/faults.txt, in its order.
EOF
fault_rules >>"$tmp/dnsdist.conf"

knotd -c "$tmp/knot.conf" >"$tmp/knotd.log" 2>&1 &
knot_pid=$!
dnsdist --supervised --disable-syslog -C "$tmp/dnsdist.conf" >"$tmp/dnsdist.log" 2>&1 &
dnsdist_pid=$!
printf '%s\n' "$knot_pid" >"$tmp/knotd.pid"
printf '%s\n' "$dnsdist_pid" >"$tmp/dnsdist.pid"

# --- wait until both answer -------------------------------------------------------------------
answers() { # server port [kdig options...]: the SOA of spf.test comes back NOERROR
  local server=$1 port=$2
  shift 2
  kdig @"$server" -p "$port" +time=1 +retry=0 "$@" SOA spf.test. 2>/dev/null |
    grep -q 'status: NOERROR'
}
doh_answers() { # GET with the wire query (ID 0) of "spf.test. SOA", base64url without padding
  curl -fsS --max-time 1 -o /dev/null -H 'accept: application/dns-message' \
    'http://127.0.0.1:8053/dns-query?dns=AAABAAABAAAAAAAAA3NwZgR0ZXN0AAAGAAE' 2>/dev/null
}
deadline=$((SECONDS + 15))
until answers 127.0.0.1 5300 && answers 127.0.0.1 5300 +tcp &&
  answers 127.0.0.1 53 && answers 127.0.0.1 53 +tcp &&
  answers 127.0.0.1 5353 && answers 127.0.0.1 5353 +tcp && doh_answers; do
  kill -0 "$knot_pid" 2>/dev/null || die "knotd exited during start-up"
  kill -0 "$dnsdist_pid" 2>/dev/null || die "dnsdist exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || die "knotd and dnsdist did not both answer within 15 s"
  sleep 0.1
done
# Every zone file must have loaded: its SOA answers authoritatively.
for name in "${zone_names[@]}"; do
  kdig @127.0.0.1 -p 5300 +time=2 +retry=0 SOA "$name" 2>/dev/null |
    grep -qiE '^;; flags:[^;]* aa[ ;].*ANSWER: 1;' || die "knotd did not load zone $name (see knotd.log)"
done

# --- HTTPS for MTA-STS and autoconfig: a throwaway CA, its certificates, tests/bed/https_server.py -
# The certificate on 127.0.0.1:443 names every mta-sts.* and autoconfig.* host that the loaded
# zones give the address 127.0.0.1 (knotc reads them from knotd), plus localhost and 127.0.0.1 for
# probes. The one on 127.0.0.3:443 names only wrong-name.report.test: a host pointed there gets a
# certificate that is valid, but not for it. EC P-256 keys, valid for 2 days.
tls="$tmp/tls"
mkdir -p "$tls"
knotc -c "$tmp/knot.conf" zone-read -- >"$tls/records" 2>>"$tmp/tls.log" ||
  die "knotc could not read the zones from knotd (see tls.log)"
https_names=$(awk '$2 ~ /^(mta-sts|autoconfig)\./ && $4 == "A" && $5 == "127.0.0.1" {
  name = tolower($2); sub(/\.$/, "", name); print name }' "$tls/records" | sort -u)
request_cert() { # name subject-alt-names: the key $tls/<name>.key, its request and extensions
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=postcheck test bed" \
    -keyout "$tls/$1.key" -out "$tls/$1.csr" >>"$tmp/tls.log" 2>&1 &&
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
      "subjectAltName=$2" >"$tls/$1.ext"
}
issue_cert() { # name subject-alt-names: $tls/<name>.pem and $tls/<name>.key, signed by the CA
  request_cert "$1" "$2" &&
    openssl x509 -req -sha256 -days 2 -in "$tls/$1.csr" -CA "$tmp/ca.pem" -CAkey "$tls/ca.key" \
      -CAserial "$tls/ca.srl" -CAcreateserial -extfile "$tls/$1.ext" -out "$tls/$1.pem" >>"$tmp/tls.log" 2>&1
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -sha256 \
  -subj "/CN=postcheck test bed CA" -keyout "$tls/ca.key" -out "$tmp/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  >>"$tmp/tls.log" 2>&1 || die "openssl could not make the test CA (see tls.log)"
san="DNS:localhost,IP:127.0.0.1"
for name in $https_names; do san="$san,DNS:$name"; done
issue_cert server "$san" || die "openssl could not make the server certificate (see tls.log)"
issue_cert wrong-name "DNS:wrong-name.report.test" ||
  die "openssl could not make the wrong-name certificate (see tls.log)"
printf '%s\n' "$https_names" >"$tls/names"

https_log="$tmp/https.log"
python3 "$bed_dir/https_server.py" --root "$zones_dir/https" --log "$https_log" \
  --listen "127.0.0.1:443:$tls/server.pem:$tls/server.key" \
  --listen "127.0.0.3:443:$tls/wrong-name.pem:$tls/wrong-name.key" >"$tmp/https-server.log" 2>&1 &
https_pid=$!
printf '%s\n' "$https_pid" >"$tmp/https.pid"

# --- SMTP: tests/bed/smtp_server.py (aiosmtpd), hosts of tests/zones/smtp.test.zone -------------
# Certificates from the same CA for good, m365 and gmail; one for expired.smtp.test whose validity
# ended yesterday (`openssl ca` sets both dates; `openssl x509 -req` of OpenSSL 3.0 cannot); one
# from the CA for mail.other.test only (wrong-name); and a self-signed one (selfsigned).
for name in good m365 gmail; do
  issue_cert "$name.smtp.test" "DNS:$name.smtp.test" ||
    die "openssl could not make the $name.smtp.test certificate (see tls.log)"
done
issue_cert mail.other.test "DNS:mail.other.test" ||
  die "openssl could not make the mail.other.test certificate (see tls.log)"
: >"$tls/ca-index.txt"
openssl rand -hex 16 >"$tls/ca-serial"
printf '%s\n' "[ca]" "default_ca = bed" "[bed]" "database = $tls/ca-index.txt" "new_certs_dir = $tls" \
  "serial = $tls/ca-serial" "default_md = sha256" "policy = any" "unique_subject = no" \
  "[any]" "commonName = supplied" >"$tls/ca.cnf"
request_cert expired.smtp.test "DNS:expired.smtp.test" &&
  openssl ca -batch -notext -config "$tls/ca.cnf" -cert "$tmp/ca.pem" -keyfile "$tls/ca.key" \
    -in "$tls/expired.smtp.test.csr" -extfile "$tls/expired.smtp.test.ext" -out "$tls/expired.smtp.test.pem" \
    -startdate "$(date -u -d '-30 days' +%Y%m%d%H%M%SZ)" -enddate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" \
    >>"$tmp/tls.log" 2>&1 || die "openssl could not make the expired.smtp.test certificate (see tls.log)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -sha256 \
  -subj "/CN=selfsigned.smtp.test" -addext "subjectAltName=DNS:selfsigned.smtp.test" \
  -addext "basicConstraints=critical,CA:FALSE" -addext "extendedKeyUsage=serverAuth" \
  -keyout "$tls/selfsigned.smtp.test.key" -out "$tls/selfsigned.smtp.test.pem" >>"$tmp/tls.log" 2>&1 ||
  die "openssl could not make the self-signed certificate (see tls.log)"
chain() { echo "$tls/$1.pem:$tls/$1.key"; }
# ADDR:PORT:MODE:NAME[:CERT:KEY] (the modes: tests/bed/smtp_server.py); nothing on 127.0.1.1:2525.
smtp_listeners=(
  "127.0.1.1:587:submission:good.smtp.test:$(chain good.smtp.test)"
  "127.0.1.1:465:submissions:good.smtp.test:$(chain good.smtp.test)"
  "127.0.1.1:25:mx:good.smtp.test:$(chain good.smtp.test)"
  "127.0.1.2:587:m365:m365.smtp.test:$(chain m365.smtp.test)"
  "127.0.1.3:587:gmail:gmail.smtp.test:$(chain gmail.smtp.test)"
  "127.0.1.4:587:submission:expired.smtp.test:$(chain expired.smtp.test)"
  "127.0.1.4:465:submissions:expired.smtp.test:$(chain expired.smtp.test)"
  "127.0.1.5:587:submission:mail.other.test:$(chain mail.other.test)"
  "127.0.1.6:587:submission:selfsigned.smtp.test:$(chain selfsigned.smtp.test)"
  "127.0.1.7:587:hang:hang.smtp.test"
  "127.0.1.8:587:plain:plain.smtp.test"
  "127.0.1.9:587:starttls-refused:starttls-refused.smtp.test"
  "127.0.1.10:587:reject:reject.smtp.test"
  "127.0.1.11:587:drop:drop.smtp.test"
)
smtp_spool="$tmp/smtp-spool"
smtp_log="$tmp/smtp.log"
mkdir -p "$smtp_spool"
"$repo/.tools/smtp-venv/bin/python" "$bed_dir/smtp_server.py" --spool "$smtp_spool" --log "$smtp_log" \
  "${smtp_listeners[@]/#/--listen=}" >"$tmp/smtp-server.log" 2>&1 &
smtp_pid=$!
printf '%s\n' "$smtp_pid" >"$tmp/smtp.pid"
https_answers() { # address name: the listener answers over TLS with a certificate for name
  curl -s -o /dev/null --max-time 1 --cacert "$tmp/ca.pem" --resolve "$2:443:$1" "https://$2/"
}
deadline=$((SECONDS + 15))
until https_answers 127.0.0.1 localhost && https_answers 127.0.0.3 wrong-name.report.test; do
  kill -0 "$https_pid" 2>/dev/null || die "https_server.py exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || die "https_server.py did not answer within 15 s"
  sleep 0.1
done
: >"$https_log"
# Every SMTP listener accepts a TCP connection (bash's /dev/tcp; loopback refuses at once).
smtp_waiting=("${smtp_listeners[@]}")
deadline=$((SECONDS + 15))
while :; do
  still=()
  for spec in "${smtp_waiting[@]}"; do
    IFS=: read -r addr port _ <<<"$spec"
    (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null || still+=("$spec")
  done
  [ ${#still[@]} -gt 0 ] || break
  smtp_waiting=("${still[@]}")
  kill -0 "$smtp_pid" 2>/dev/null || die "smtp_server.py exited during start-up (see smtp-server.log)"
  [ "$SECONDS" -lt "$deadline" ] ||
    die "SMTP listeners did not accept within 15 s: ${smtp_waiting[*]%%:[a-z]*} (see smtp-server.log)"
  sleep 0.05
done
: >"$smtp_log"
# Start the query log empty: the start-up probes are not the command's queries.
: >"$query_log"

export POSTCHECK_TEST_NS=127.0.0.1:5353
export POSTCHECK_TEST_DOH=http://127.0.0.1:8053/dns-query
export POSTCHECK_TEST_QUERY_LOG="$query_log"
export POSTCHECK_TEST_AUTH_NS=127.0.0.1:5300
export POSTCHECK_TEST_BED_DIR="$tmp"
export POSTCHECK_TEST_ZONES="$zones_dir"
export POSTCHECK_TEST_CA="$tmp/ca.pem"
export SSL_CERT_FILE="$tmp/ca.pem"
export POSTCHECK_TEST_HTTPS_LOG="$https_log"
export POSTCHECK_TEST_SMTP_SPOOL="$smtp_spool"
export POSTCHECK_TEST_SMTP_LOG="$smtp_log"

# CMD runs in the background so that a signal's trap runs at once (bash defers traps while a
# foreground command runs); `<&0` keeps its standard input. When this script (PID 1) exits, the
# kernel kills whatever CMD left behind in the namespace.
trap 'status=130; kill -INT "$cmd_pid" 2>/dev/null; exit 130' INT
trap 'status=143; kill -TERM "$cmd_pid" 2>/dev/null; exit 143' TERM
trap 'status=129; kill -HUP "$cmd_pid" 2>/dev/null; exit 129' HUP
set +e
"$@" <&0 &
cmd_pid=$!
wait "$cmd_pid"
status=$?
set -e
exit "$status"
