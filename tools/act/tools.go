//go:build tools

// Package tools pins the nektos/act version the GitHub Action test
// (test/action) runs action.yml with. scripts/act.sh builds it from this
// module into bin/act; nothing imports this package.
package tools

import (
	_ "github.com/nektos/act"
)
