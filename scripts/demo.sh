#!/usr/bin/env bash
# Runs p1ctl's main job: get a token, use it with curl, read the environment
# as a table and as JSON. Against a real PingOne tenant when one is
# configured (PINGONE_CLIENT_ID and PINGONE_ENVIRONMENT_ID set, with a
# secret), otherwise against the local PingOne emulator, started and
# stopped here.
set -euo pipefail
bin=${1:-bin}
p1ctl="$bin/p1ctl"

if [[ -n "${PINGONE_CLIENT_ID:-}" && -n "${PINGONE_ENVIRONMENT_ID:-}" ]]; then
	echo "== Using the PingOne tenant configured in the environment (PINGONE_CLIENT_ID is set)"
	api_url=${PINGONE_API_URL:-}
else
	tmp=$(mktemp -d)
	trap 'kill "${emu_pid:-}" 2>/dev/null || true; wait "${emu_pid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
	"$bin/p1emu" --listen 127.0.0.1:0 --url-file "$tmp/url" --print-env >"$tmp/env" 2>"$tmp/emu.log" &
	emu_pid=$!
	for _ in $(seq 100); do [[ -s "$tmp/url" ]] && break; sleep 0.05; done
	if [[ ! -s "$tmp/url" ]]; then
		echo "the emulator did not start:" >&2
		cat "$tmp/emu.log" >&2
		exit 1
	fi
	# shellcheck disable=SC1091
	source "$tmp/env"
	# Keep the demo's tokens out of the user's own token cache.
	export P1CTL_CACHE_DIR="$tmp/cache"
	echo "== No PingOne tenant configured: using the local emulator at $(cat "$tmp/url")"
	api_url=$PINGONE_API_URL
fi
api_url=${api_url:-https://api.$(echo "${PINGONE_ROOT_DOMAIN:-pingone.com}")/v1}

echo
echo '$ p1ctl token get'
token=$("$p1ctl" token get)
echo "${token:0:24}… (${#token} characters)"

echo
echo '$ p1ctl token get -o header | curl -sS -H @- $API/environments/$PINGONE_ENVIRONMENT_ID'
"$p1ctl" token get -o header | curl -sS --fail-with-body -H @- "$api_url/environments/$PINGONE_ENVIRONMENT_ID" | head -c 300
echo "…"

echo
echo '$ p1ctl env read'
"$p1ctl" env read

echo
echo '$ p1ctl env read -o json'
"$p1ctl" env read -o json
