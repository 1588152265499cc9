#!/usr/bin/env bash
# Runs the OS keychain tests (cmd/p1ctl/testdata/script/keyring.txtar)
# against a real Secret Service: gnome-keyring in a throwaway D-Bus
# session, its login keyring unlocked with a test password, so the
# developer's own keychain is never touched. The Debian packages
# gnome-keyring, libsecret-tools (secret-tool, to check the item where it
# really lives) and dbus are installed when missing and we are root with
# apt-get; otherwise the tests are skipped with a message, unless
# P1CTL_REQUIRE_KEYRING=1 (set by .ci/run) makes that a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
packages=(gnome-keyring libsecret-tools dbus)

have_tools() {
	command -v gnome-keyring-daemon && command -v secret-tool && command -v dbus-run-session
} >/dev/null

if ! have_tools && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
	echo "scripts/keyring-test.sh: installing ${packages[*]}"
	# An image's package lists may be stale or absent: update once on failure.
	apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null; }
fi
if ! have_tools; then
	why="gnome-keyring-daemon, secret-tool or dbus-run-session is missing (Debian: apt-get install ${packages[*]}, as root)"
	if [[ ${P1CTL_REQUIRE_KEYRING:-} == 1 ]]; then
		echo "scripts/keyring-test.sh: $why, and P1CTL_REQUIRE_KEYRING=1 requires the keychain tests" >&2
		exit 1
	fi
	echo "scripts/keyring-test.sh: SKIP: $why; the Secret Service tests did not run"
	exit 0
fi

# The keyring files go to a directory of their own, removed afterwards: the
# user's login keyring is neither read nor created. The daemon prints the
# variables of its control socket; the Secret Service itself is found on
# the session bus. --unlock reads the password on stdin and creates the
# login keyring with it. P1CTL_KEYRING_TEST=1 makes the keyring script
# run instead of skip.
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
dbus-run-session -- sh -c '
	printf %s p1ctl-test-keyring |
		HOME="$1" XDG_DATA_HOME="$1/data" gnome-keyring-daemon --unlock --components=secrets >/dev/null
	P1CTL_KEYRING_TEST=1 exec "$0" test -count=1 -run "^TestScripts$/^keyring$" ./cmd/p1ctl
' "$GO" "$data"
