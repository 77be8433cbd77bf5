#!/usr/bin/env bash
#! Installs the real-DNS test bed's system packages (knotd, knotc, kdig, dnsdist, dig, and openssl
#! openssl and python3 for its HTTPS server, socat for scripts/run --fixture, shellcheck for the
#! test command's lint of the scripts) with apt, only
#! when one of them is missing. Idempotent: a machine that has them is left alone.
set -euo pipefail

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
missing=()
for tool in knotd knotc kdig dnsdist dig unshare ip curl openssl python3 socat shellcheck; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test bed packages present: $(knotd --version 2>/dev/null | head -n1); $(dnsdist --version 2>/dev/null | head -n1)"
  exit 0
fi

echo "missing: ${missing[*]}; installing with apt-get" >&2
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update
# knot: knotd, knotc; knot-dnsutils: kdig; bind9-dnsutils: dig; util-linux: unshare; iproute2: ip;
# socat: `scripts/run --fixture` bridges the bed's wrangler dev to the host's loopback;
# and the test command lints the scripts with shellcheck.
"${sudo[@]}" apt-get install -y --no-install-recommends \
  knot knot-dnsutils dnsdist bind9-dnsutils util-linux iproute2 curl openssl python3 socat \
  shellcheck
