#!/usr/bin/env bash
# Runs p1ctl's main job: get a token, use it with curl, read the environment
# as a table and as JSON. Against a real PingOne tenant when p1ctl has
# complete settings (from flags' environment variables, aliases such as
# PINGONE_CLIENT_CREDENTIALS_CLIENT_ID or PINGONE_REGION_CODE included, or
# the active config profile), otherwise against the local PingOne emulator,
# started and stopped here with none of the caller's settings.
set -euo pipefail
bin=${1:-bin}
p1ctl="$bin/p1ctl"

# resolve asks p1ctl how it resolves its settings, from the Configuration
# check of "p1ctl doctor -o json" (always the first check), and sets
# config_status (pass, warn or fail), config_detail, api_url and env_id.
# --timeout 1ms cuts the later, network checks short: only the settings
# matter here.
resolve() {
	local report
	report=$("$p1ctl" doctor -o json --timeout 1ms 2>/dev/null) || true
	field() { sed -n 's/^ *"'"$1"'": "\(.*\)",\{0,1\}$/\1/p' <<<"$report" | head -n 1 | sed 's/\\"/"/g'; }
	config_status=$(field status)
	config_detail=$(field detail)
	api_url=$(field apiURL)
	env_id=$(field environmentId)
}

resolve
if [[ -n "$config_status" && "$config_status" != fail ]]; then
	echo "== Using the PingOne tenant p1ctl is configured for (see: $p1ctl doctor)"
else
	why=${config_detail:-p1ctl doctor gave no answer}
	tmp=$(mktemp -d)
	trap 'kill "${emu_pid:-}" 2>/dev/null || true; wait "${emu_pid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
	# None of the caller's settings may leak into the emulator run: no
	# PINGONE_*/P1CTL_* variable, an empty config file, a private token
	# cache, and no proxy for loopback.
	while IFS= read -r name; do
		unset "$name"
	done < <(compgen -e | grep -E '^(PINGONE|P1CTL)_' || true)
	# p1ctl refuses a config file others could change: make it private
	# whatever the caller's umask.
	(umask 077 && : >"$tmp/config.yaml")
	export P1CTL_CONFIG="$tmp/config.yaml" P1CTL_CACHE_DIR="$tmp/cache"
	export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
	"$bin/p1emu" --listen 127.0.0.1:0 --url-file "$tmp/url" --print-env >"$tmp/env" 2>"$tmp/emu.log" &
	emu_pid=$!
	# The URL file appears once the export lines are written; a p1emu that
	# exits (a bad fixture, say) is reported at once, with its own error.
	for _ in $(seq 200); do
		[[ -s "$tmp/url" ]] && break
		kill -0 "$emu_pid" 2>/dev/null || break
		sleep 0.05
	done
	if [[ ! -s "$tmp/url" ]]; then
		echo "the emulator did not start:" >&2
		cat "$tmp/emu.log" >&2
		exit 1
	fi
	# shellcheck disable=SC1091
	source "$tmp/env"
	echo "== No PingOne tenant configured ($why): using the local emulator at $(cat "$tmp/url")"
	resolve
	if [[ "$config_status" == fail || -z "$config_status" ]]; then
		echo "p1ctl does not accept the emulator's settings: ${config_detail:-no answer from p1ctl doctor}" >&2
		exit 1
	fi
fi
if [[ -z "$api_url" || -z "$env_id" ]]; then
	echo "p1ctl doctor did not report the API URL and environment ID" >&2
	exit 1
fi

echo
echo '$ p1ctl token get'
token=$("$p1ctl" token get)
echo "${token:0:24}… (${#token} characters)"

echo
echo "\$ p1ctl token get -o header | curl -sS -H @- $api_url/environments/$env_id"
"$p1ctl" token get -o header | curl -sS --fail-with-body -H @- "$api_url/environments/$env_id" | head -c 300
echo "…"

echo
echo '$ p1ctl env read'
"$p1ctl" env read

echo
echo '$ p1ctl env read -o json'
"$p1ctl" env read -o json

echo
echo '$ p1ctl env read --jq .name'
"$p1ctl" env read --jq .name
if [[ -n "${emu_pid:-}" ]]; then
	# The emulator records requests as PingOne's audit log does; a tenant's
	# log needs a role that may read it, so the demo asks only the emulator.
	echo
	echo '$ p1ctl audit --since 10m'
	"$p1ctl" audit --since 10m
fi
