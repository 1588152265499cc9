#!/usr/bin/env bash
# Whole-process timings for docs/performance.md: median wall time of
#   a hello-world Go binary (baseline), p1ctl --version,
#   p1ctl token get with a warm cache, p1ctl token get --no-cache,
#   and curl making the same token POST,
# all against the local PingOne emulator, plus the release binary's size.
# Usage: bench/run.sh [RUNS]   (needs hyperfine and jq; installs hyperfine
# with apt-get when run as root and it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}

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
ldflags='-s -w'
go build -trimpath -ldflags "$ldflags" -o "$work/p1ctl" ./cmd/p1ctl
go build -trimpath -ldflags "$ldflags" -o "$work/hello" ./bench/hello
go build -trimpath -ldflags "$ldflags" -o "$work/floor" ./bench/floor
go build -trimpath -o "$work/p1emu" ./cmd/p1emu

"$work/p1emu" --listen 127.0.0.1:0 --url-file "$work/url" --print-env >"$work/env" 2>/dev/null &
emu_pid=$!
for _ in $(seq 100); do [[ -s "$work/url" ]] && break; sleep 0.05; done
# shellcheck disable=SC1091
source "$work/env"
export P1CTL_CACHE_DIR="$work/cache" XDG_CONFIG_HOME="$work/config"
"$work/p1ctl" token get >/dev/null # warm the cache
token_url="$PINGONE_AUTH_URL/$PINGONE_ENVIRONMENT_ID/as/token"

hyperfine -N --style none --warmup 10 --runs "$runs" --export-json "$work/results.json" \
	-n hello "$work/hello" \
	-n floor "$work/floor" \
	-n version "$work/p1ctl --version" \
	-n warm "$work/p1ctl token get" \
	-n nocache "$work/p1ctl token get --no-cache" \
	-n curl "curl -s -o /dev/null -u $PINGONE_CLIENT_ID:$PINGONE_CLIENT_SECRET -d grant_type=client_credentials $token_url" \
	>/dev/null

median() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .median' "$work/results.json"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
hello=$(median hello) floor=$(median floor) version=$(median version) warm=$(median warm) nocache=$(median nocache) curl=$(median curl)
size=$(stat -c %s "$work/p1ctl")

cat <<TABLE
$(go version | cut -d' ' -f3-4), $(nproc) cores, $runs runs each (hyperfine -N, median wall time)

| measurement | median | ratio | target |
|---|---|---|---|
| hello-world Go binary | $(ms "$hello") | 1.00x | baseline |
| the same, linking p1ctl's libraries (bench/floor) | $(ms "$floor") | $(ratio "$floor" "$hello") of hello | (the libraries' own cost) |
| \`p1ctl --version\` | $(ms "$version") | $(ratio "$version" "$hello") of hello | within 2.5x |
| \`p1ctl token get\`, warm cache | $(ms "$warm") | $(ratio "$warm" "$version") of --version | within 1.5x |
| \`p1ctl token get --no-cache\` | $(ms "$nocache") | $(ratio "$nocache" "$curl") of curl | within 1.1x |
| \`curl\` token POST | $(ms "$curl") | | |
| release binary size (-s -w -trimpath) | $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') | | under 15 MB |
TABLE
