package emulator

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// orderAttributes are the attributes GET /v1/environments sorts by.
var orderAttributes = []string{"name", "createdAt", "updatedAt"}

// envOrder is a parsed order parameter: one attribute, ascending, or
// descending with a leading "-" (PingOne's order syntax). The zero value
// keeps the fixture's order.
type envOrder struct {
	attr string
	desc bool
}

// parseOrder parses an order parameter value.
func parseOrder(raw string) (envOrder, error) {
	attr, desc := strings.CutPrefix(raw, "-")
	if !slices.Contains(orderAttributes, attr) {
		return envOrder{}, fmt.Errorf("cannot order by %q (supported: %s, each optionally prefixed with - for descending)",
			raw, strings.Join(orderAttributes, ", "))
	}
	return envOrder{attr: attr, desc: desc}, nil
}

// sort orders envs in place, stably, so that equal values keep the
// fixture's order and pages stay consistent across requests.
func (o envOrder) sort(envs []map[string]any) {
	if o.attr == "" {
		return
	}
	slices.SortStableFunc(envs, func(a, b map[string]any) int {
		x, _ := a[o.attr].(string)
		y, _ := b[o.attr].(string)
		var c int
		if o.attr == "name" {
			c = cmp.Compare(strings.ToLower(x), strings.ToLower(y))
		} else {
			// Timestamps were checked as RFC 3339 when the fixture loaded;
			// compared as times, since offsets and fractions vary.
			tx, _ := time.Parse(time.RFC3339, x)
			ty, _ := time.Parse(time.RFC3339, y)
			c = tx.Compare(ty)
		}
		if o.desc {
			return -c
		}
		return c
	})
}
