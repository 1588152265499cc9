package doctorcmd

import "github.com/p1ctl/p1ctl/internal/cmdutil"

// Status is the outcome of one check.
type Status string

// The outcomes. Only StatusFail makes doctor exit non-zero.
const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusWarn Status = "warn"
	StatusSkip Status = "skip"
)

// Symbol is the mark printed in front of a check with this status.
func (s Status) Symbol() string {
	switch s {
	case StatusPass:
		return "✓"
	case StatusFail:
		return "✗"
	case StatusWarn:
		return "!"
	default:
		return "-"
	}
}

// The checks, in the order doctor runs them.
const (
	CheckConfiguration = "Configuration"
	CheckAuthHost      = "Auth host"
	CheckAPIHost       = "API host"
	CheckToken         = "Token request"
	CheckClaims        = "Token contents"
	CheckRoles         = "Roles"
	CheckTarget        = "Target environment"
)

// Check is the outcome of one check, as printed and as encoded by -o json.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	// Hint says what to do about a failure or warning.
	Hint string `json:"hint,omitempty"`
	// Setting is the one setting a failure points at, as "--flag / ENV".
	Setting string `json:"setting,omitempty"`
	// Data holds what the check found, for programs.
	Data map[string]any `json:"data,omitempty"`

	// code is the exit status a failed check calls for.
	code int
	// lines are printed indented under the row (settings, claims, roles).
	lines []string
}

// Report is everything doctor found.
type Report struct {
	Checks []Check `json:"checks"`
	// ExitCode is the exit status of the first failed check, or 0.
	ExitCode int `json:"exitCode"`
}

// Warnings counts the checks that passed with a warning.
func (r *Report) Warnings() int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == StatusWarn {
			n++
		}
	}
	return n
}

// Failed returns the first failed check, or nil.
func (r *Report) Failed() *Check {
	for i := range r.Checks {
		if r.Checks[i].Status == StatusFail {
			return &r.Checks[i]
		}
	}
	return nil
}

func pass(name, detail string) Check { return Check{Name: name, Status: StatusPass, Detail: detail} }

func warn(name, detail, hint string) Check {
	return Check{Name: name, Status: StatusWarn, Detail: detail, Hint: hint}
}

func fail(name string, code int, detail, hint string) Check {
	return Check{Name: name, Status: StatusFail, Detail: detail, Hint: hint, code: code}
}

func skipped(name string) Check {
	return Check{Name: name, Status: StatusSkip, Detail: "skipped: an earlier check failed"}
}

// failFromError turns err into a failed check with the parts
// cmdutil.Describe gives it.
func failFromError(name string, err error) Check {
	p := cmdutil.Describe(err)
	c := fail(name, p.Code, p.Detail(), p.Hint)
	c.Setting = p.Setting
	return c
}
