#!/usr/bin/env bash
# Interoperability tests: p1ctl against panva's oidc-provider, a certified
# OpenID provider, for every client authentication method. Installs the
# pinned npm packages when test/interop/node_modules is missing or was
# installed from another package-lock.json, then runs the Go tests with
# P1CTL_REQUIRE_INTEROP=1, so that a missing prerequisite fails instead of
# skipping. With --deps-only it stops after installing (make test installs
# first, then runs every Go test at once). Needs Go, Node.js (20.19+, 22.12+
# or 23+) and npm.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=test/interop

for tool in go node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "test/interop/run.sh: $tool is not on PATH (the interop tests need Go, Node.js 20.19+, 22.12+ or 23+, and npm)" >&2
		exit 1
	fi
done

# node_modules is current when it was installed from this very package.json
# and package-lock.json: their checksum is kept next to it after npm ci.
checksum() {
	if command -v sha256sum >/dev/null 2>&1; then
		cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1
	else
		cat "$dir/package.json" "$dir/package-lock.json" | shasum -a 256 | cut -d' ' -f1
	fi
}
stamp="$dir/node_modules/.p1ctl-interop-lock.sha256"
want=$(checksum)
if [ ! -f "$dir/node_modules/oidc-provider/package.json" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "test/interop/run.sh: npm ci --prefix $dir" >&2
	# Only the install's own output: npm's update notice, funding appeal and
	# audit summary say nothing about p1ctl.
	npm ci --prefix "$dir" --no-audit --no-fund --no-update-notifier
	echo "$want" >"$stamp"
fi

[ "${1:-}" = --deps-only ] && exit 0
P1CTL_REQUIRE_INTEROP=1 exec go test -race -count=1 ./test/interop/...
