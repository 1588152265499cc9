#!/usr/bin/env bash
# Fails, listing the files, when the generated command reference
# (docs/commands/) or the man pages (docs/man/) do not match the command
# tree. Fix with `make docs` (go run ./cmd/gendocs) and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${GO:-go}" run ./cmd/gendocs -check "$@"
