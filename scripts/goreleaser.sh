#!/usr/bin/env bash
# Runs the GoReleaser version pinned in tools/goreleaser/go.mod with the
# given arguments, e.g.
#
#   scripts/goreleaser.sh check
#   scripts/goreleaser.sh release --snapshot --clean
#
# The first run builds GoReleaser from that tools module into
# bin/goreleaser (a few minutes from a cold module cache: it is large);
# later runs reuse the binary as long as it is the pinned version.
# Set GORELEASER_BIN to build and use another path.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools=$root/tools/goreleaser
module=github.com/goreleaser/goreleaser/v2
bin=${GORELEASER_BIN:-$root/bin/goreleaser}
go=${GO:-go}

# The pinned version, from either form of the require directive.
want=$(awk -v m="$module" '{ for (i = 1; i < NF; i++) if ($i == m) { print $(i + 1); exit } }' "$tools/go.mod")
if [[ -z $want ]]; then
	echo "goreleaser.sh: no $module requirement in $tools/go.mod" >&2
	exit 1
fi

# The version bin/goreleaser was built from, if any: its build info names
# the GoReleaser module (as "mod", the main package's module).
have=""
if [[ -x $bin ]]; then
	have=$("$go" version -m "$bin" 2>/dev/null | awk -v m="$module" '($1 == "mod" || $1 == "dep") && $2 == m { print $3 }') || true
fi

if [[ $have != "$want" ]]; then
	echo "goreleaser.sh: building GoReleaser $want into ${bin#"$root"/} (first run only)" >&2
	mkdir -p "$(dirname "$bin")"
	(
		cd "$tools"
		GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOWORK=off "$go" build -trimpath \
			-ldflags "-s -w -X main.version=$want -X main.builtBy=p1ctl-scripts/goreleaser.sh" \
			-o "$bin.tmp" "$module"
	)
	mv -f "$bin.tmp" "$bin"
fi

cd "$root"
exec "$bin" "$@"
