#!/usr/bin/env bash
# Peak resident memory of `p1ctl env list` for docs/performance.md: builds
# p1ctl as releases are built and runs bench/listmem, which serves N
# generated environments from an in-process emulator and reports GNU
# time's maximum RSS of the binary for each output format.
#
# Usage: bench/listmem.sh [COUNTS [FORMATS [RUNS]]]
#   COUNTS   comma-separated numbers of environments (default 200,2000,20000)
#   FORMATS  comma-separated output formats (default json,yaml,table)
#   RUNS     runs per figure; the median is reported (default 3)
# Needs GNU time (/usr/bin/time, Debian package time).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/time ]]; then
	echo "bench/listmem.sh needs GNU time (apt-get install time)" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$work/p1ctl" ./cmd/p1ctl
echo "$(go version | cut -d' ' -f3-4), $(nproc) cores, --limit 100"
go run ./bench/listmem -p1ctl "$work/p1ctl" -n "${1:-200,2000,20000}" -o "${2:-json,yaml,table}" -runs "${3:-3}"
