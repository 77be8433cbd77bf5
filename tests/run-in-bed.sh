#!/usr/bin/env bash
#! What the test command runs inside the test bed and wrangler dev (see scripts/test): every
#! cargo test of the workspace, then the browser end-to-end tests of tests/e2e.
#! Exits non-zero when either fails; each prints its own counts.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
POSTCHECK_REQUIRE_BED=1 cargo test --workspace --locked --no-fail-fast
cargo_status=$?
node tests/e2e/run.mjs
e2e_status=$?
[ "$cargo_status" -eq 0 ] && [ "$e2e_status" -eq 0 ]
