#!/usr/bin/env bash
# Runs the nektos/act version pinned in tools/act/go.mod with the given
# arguments; test/action runs action.yml with it, on the host
# (-P ubuntu-latest=-self-hosted), no Docker needed. With --build-only it
# only makes sure bin/act is that version.
#
# The first run builds act from that tools module into bin/act (a minute or
# two from a cold module cache); later runs reuse the binary as long as it
# is the pinned version. Set ACT_BIN to build and use another path.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/tools/act
module=github.com/nektos/act
bin=${ACT_BIN:-$root/bin/act}
go=${GO:-go}

want=$(awk -v m="$module" '{ for (i = 1; i < NF; i++) if ($i == m) { print $(i + 1); exit } }' "$tools/go.mod")
if [[ -z $want ]]; then
	echo "act.sh: no $module requirement in $tools/go.mod" >&2
	exit 1
fi

# The version bin/act was built from, if any, from its build info.
have=""
if [[ -x $bin ]]; then
	have=$("$go" version -m "$bin" 2>/dev/null | awk -v m="$module" '($1 == "mod" || $1 == "dep") && $2 == m { print $3 }') || true
fi

if [[ $have != "$want" ]]; then
	echo "act.sh: building act $want into ${bin#"$root"/} (first run only)" >&2
	mkdir -p "$(dirname "$bin")"
	(
		cd "$tools"
		GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOWORK=off "$go" build -trimpath \
			-ldflags "-s -w -X main.version=$want" -o "$bin.tmp" "$module"
	)
	mv -f "$bin.tmp" "$bin"
fi

if [[ ${1:-} == --build-only ]]; then
	exit 0
fi
exec "$bin" "$@"
