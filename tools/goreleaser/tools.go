//go:build tools

// Package tools pins the GoReleaser version p1ctl's releases are built
// with. scripts/goreleaser.sh builds it from this module into
// bin/goreleaser; nothing imports this package.
package tools

import (
	_ "github.com/goreleaser/goreleaser/v2"
)
