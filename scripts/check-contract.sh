#!/usr/bin/env bash
# Fails when test/contract/openapi/pingone-subset.yaml is not what
# tools/openapi-subset derives from Ping's OpenAPI description, which the
# workspace keeps beside the repository (../shared/pingone-openapi). Without
# it the check is skipped with a message, unless P1CTL_REQUIRE_SHARED=1
# (set by .ci/run) makes that a failure. Fix a stale subset with
# `go run ./tools/openapi-subset` and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
# P1CTL_SHARED_DIR points elsewhere (tests of this script use it).
shared=${P1CTL_SHARED_DIR:-../shared}
description=$shared/pingone-openapi/openapi.yaml
if [[ ! -f $description ]]; then
	if [[ ${P1CTL_REQUIRE_SHARED:-} == 1 ]]; then
		echo "scripts/check-contract.sh: $description is missing, and P1CTL_REQUIRE_SHARED=1 requires it" >&2
		exit 1
	fi
	echo "scripts/check-contract.sh: SKIP: $description is not beside the repository; the contract subset's freshness was not checked"
	exit 0
fi
exec "${GO:-go}" run ./tools/openapi-subset -in "$description" -check
