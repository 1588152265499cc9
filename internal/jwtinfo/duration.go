package jwtinfo

import (
	"fmt"
	"time"
)

// FormatDuration writes d for people, to the second at most and in its two
// largest units: "45s", "59m12s", "1h5m", "2d3h". The sign is dropped.
func FormatDuration(d time.Duration) string {
	d = d.Abs().Truncate(time.Second)
	days := d / (24 * time.Hour)
	hours := d / time.Hour % 24
	minutes := d / time.Minute % 60
	seconds := d / time.Second % 60
	switch {
	case days > 0:
		return twoUnits(days, "d", hours, "h")
	case hours > 0:
		return twoUnits(hours, "h", minutes, "m")
	case minutes > 0:
		return twoUnits(minutes, "m", seconds, "s")
	}
	return fmt.Sprintf("%ds", seconds)
}

func twoUnits(big time.Duration, bigUnit string, small time.Duration, smallUnit string) string {
	s := fmt.Sprintf("%d%s", big, bigUnit)
	if small > 0 {
		s += fmt.Sprintf("%d%s", small, smallUnit)
	}
	return s
}
