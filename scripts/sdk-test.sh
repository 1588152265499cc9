#!/usr/bin/env bash
# Runs test/sdk: PingOne's official Go SDK, unchanged, against p1emu --tls.
# The SDK is not served by the Go module proxy; the workspace keeps a
# snapshot beside the repository (../shared/pingone-go-client), which
# test/sdk/go.mod replaces the module with. Without it the tests are
# skipped with a message, unless P1CTL_REQUIRE_SHARED=1 (set by .ci/run)
# makes that a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
# P1CTL_SHARED_DIR points elsewhere (tests of this script use it).
shared=${P1CTL_SHARED_DIR:-../shared}
sdk=$shared/pingone-go-client
if [[ ! -f $sdk/go.mod ]]; then
	if [[ ${P1CTL_REQUIRE_SHARED:-} == 1 ]]; then
		echo "scripts/sdk-test.sh: $sdk (Ping's Go SDK snapshot) is missing, and P1CTL_REQUIRE_SHARED=1 requires it" >&2
		exit 1
	fi
	echo "scripts/sdk-test.sh: SKIP: $sdk (Ping's Go SDK snapshot) is not beside the repository; the SDK tests did not run"
	exit 0
fi
cd test/sdk
# -mod=mod: see the Makefile's contract target.
exec "${GO:-go}" test -mod=mod -count=1 ./...
