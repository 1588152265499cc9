#!/usr/bin/env bash
# Whole-process timings for docs/performance.md: median wall time of
#   reference binaries (hello-world Go, bare Cobra, Cobra with p1ctl's
#   libraries), p1ctl --version, p1ctl token get with a warm
#   cache, p1ctl token get --no-cache, and curl making the same token POST,
# all against the local PingOne emulator, plus the release binary's size.
#
# Usage: bench/run.sh [RUNS [ROUNDS]]
#   RUNS    timed runs per command (default 300)
#   ROUNDS  hyperfine passes the runs are split over (default 6); each pass
#           times every command, so slow drift on a shared machine hits all
#           commands alike instead of whichever ran during it.
# Needs hyperfine and jq; installs hyperfine with apt-get when run as root
# and it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
rounds=${2:-6}
if ! [[ $runs =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: bench/run.sh [RUNS [ROUNDS]] (positive integers)" >&2
	exit 2
fi
per_round=$(((runs + rounds - 1) / rounds))

if ! command -v hyperfine >/dev/null; then
	if [[ $(id -u) == 0 ]]; then
		apt-get install -y -q hyperfine >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q hyperfine >/dev/null; }
	else
		echo "bench/run.sh needs hyperfine (apt-get install hyperfine)" >&2
		exit 1
	fi
fi

work=$(mktemp -d)
trap 'kill "${emu_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
# Built as .goreleaser.yaml builds releases: static (no cgo, so no dynamic
# loader at start-up), trimmed paths, no symbol tables.
release_build() { CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' "$@"; }
release_build -o "$work/p1ctl" ./cmd/p1ctl
for ref in hello cobra libs; do release_build -o "$work/$ref" "./bench/$ref"; done
go build -trimpath -o "$work/p1emu" ./cmd/p1emu

"$work/p1emu" --listen 127.0.0.1:0 --url-file "$work/url" --print-env >"$work/env" 2>/dev/null &
emu_pid=$!
for _ in $(seq 100); do [[ -s "$work/url" ]] && break; sleep 0.05; done
# shellcheck disable=SC1091
source "$work/env"
export P1CTL_CACHE_DIR="$work/cache" XDG_CONFIG_HOME="$work/config"
"$work/p1ctl" token get >/dev/null # warm the cache
token_url="$PINGONE_AUTH_URL/$PINGONE_ENVIRONMENT_ID/as/token"

for round in $(seq "$rounds"); do
	hyperfine -N --style none --warmup 10 --runs "$per_round" --export-json "$work/round$round.json" \
		-n hello "$work/hello" \
		-n cobra "$work/cobra --version" \
		-n libs "$work/libs --version" \
		-n version "$work/p1ctl --version" \
		-n warm "$work/p1ctl token get" \
		-n nocache "$work/p1ctl token get --no-cache" \
		-n curl "curl -s -o /dev/null -u $PINGONE_CLIENT_ID:$PINGONE_CLIENT_SECRET -d grant_type=client_credentials $token_url" \
		>/dev/null
done

# median NAME: the median of NAME's times over all rounds, in seconds.
median() {
	jq -s -r --arg n "$1" '[.[].results[] | select(.command == $n) | .times[]] | sort
		| if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end' "$work"/round*.json
}
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
hello=$(median hello) cobra=$(median cobra) libs=$(median libs)
version=$(median version) warm=$(median warm) nocache=$(median nocache) curl=$(median curl)
size=$(stat -c %s "$work/p1ctl")

cat <<TABLE
$(go version | cut -d' ' -f3-4), $(nproc) cores, $((per_round * rounds)) runs each in $rounds rounds (hyperfine -N, median wall time)

| measurement | median | ratio | target |
|---|---|---|---|
| hello-world Go binary (\`bench/hello\`) | $(ms "$hello") | 1.00x | baseline |
| bare Cobra binary, \`--version\` (\`bench/cobra\`) | $(ms "$cobra") | $(ratio "$cobra" "$hello") of hello | (reference) |
| Cobra + p1ctl's libraries, \`--version\` (\`bench/libs\`) | $(ms "$libs") | $(ratio "$libs" "$hello") of hello | (reference) |
| \`p1ctl --version\` | $(ms "$version") | $(ratio "$version" "$hello") of hello | within 2.5x |
| \`p1ctl token get\`, warm cache | $(ms "$warm") | $(ratio "$warm" "$version") of --version | within 1.5x |
| \`p1ctl token get --no-cache\` | $(ms "$nocache") | $(ratio "$nocache" "$curl") of curl | within 1.1x |
| \`curl\` token POST | $(ms "$curl") | | |
| release binary size (static, -s -w -trimpath) | $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') | | under 15 MB |
TABLE
