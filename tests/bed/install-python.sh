#!/usr/bin/env bash
#! Creates or updates the Python virtual environments that the test bed and its checks use, in
#! .tools/ (git-ignored), each only when it lacks its pinned packages. Idempotent: a checkout that
#! has them is left alone (no network).
#!
#!   tests/bed/install-python.sh
#!
#!   .tools/pyspf       pyspf 2.0.14 and dnspython: the RFC 7208 reference implementation, for the
#!                      fixture cross-check of tests/bed/selftest.sh (PYSPF_PYTHON)
#!   .tools/smtp-venv   aiosmtpd 1.4.6: the bed's SMTP servers (tests/bed/smtp_server.py), which
#!                      tests/bed/netns-run.sh starts with this venv's python
#! Needs python3 (with its venv module) and, the first time, the PyPI registry.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if [ ! -x .tools/pyspf/bin/python ] || ! .tools/pyspf/bin/python -c 'import spf, dns' 2>/dev/null; then
  echo "installing pyspf into .tools/pyspf" >&2
  python3 -m venv .tools/pyspf
  .tools/pyspf/bin/pip install --quiet pyspf==2.0.14 dnspython
fi

aiosmtpd_version=1.4.6
has_aiosmtpd="import sys, aiosmtpd; sys.exit(aiosmtpd.__version__ != '$aiosmtpd_version')"
if [ ! -x .tools/smtp-venv/bin/python ] || ! .tools/smtp-venv/bin/python -c "$has_aiosmtpd" 2>/dev/null; then
  echo "installing aiosmtpd $aiosmtpd_version into .tools/smtp-venv" >&2
  python3 -m venv .tools/smtp-venv
  .tools/smtp-venv/bin/pip install --quiet "aiosmtpd==$aiosmtpd_version"
fi
echo "test bed Python venvs present: .tools/pyspf (pyspf), .tools/smtp-venv (aiosmtpd $aiosmtpd_version)"
