package doctorcmd

import (
	"context"
	"fmt"
	"strings"
)

// CheckPrivilege is the least-privilege check: whether the application's
// roles reach further than what p1ctl reads.
const CheckPrivilege = "Least privilege"

// checkPrivilege warns about role assignments beyond the environments
// p1ctl reads (the application's own and the target): an
// organization-wide role, or a role on another environment. It reports
// facts only, the roles and scopes PingOne returned; it cannot know what
// else the application is used for, so it never fails.
func (d *doctor) checkPrivilege(context.Context) []Check {
	if !d.rolesKnown {
		return []Check{{Name: CheckPrivilege, Status: StatusSkip, Detail: "skipped: the role assignments could not be read (see Roles)"}}
	}
	read := map[string]bool{}
	var readIDs []string
	for _, id := range []string{first(d.appEnvironment()), first(d.targetID())} {
		if id != "" && !read[strings.ToLower(id)] {
			read[strings.ToLower(id)] = true
			readIDs = append(readIDs, id)
		}
	}
	var beyond []Assignment
	var rows [][]string
	for _, a := range d.roles {
		var why string
		switch {
		case a.ScopeType == ScopeOrganization:
			why = "the whole organization"
		case a.ScopeType == ScopeEnvironment && !read[strings.ToLower(a.ScopeID)]:
			why = "an environment p1ctl does not read here"
		default:
			continue
		}
		beyond = append(beyond, a)
		rows = append(rows, []string{a.RoleName, a.ScopeType, a.ScopeID, "(" + why + ")"})
	}
	data := map[string]any{"readEnvironments": readIDs, "beyond": beyond}
	if len(beyond) == 0 {
		c := pass(CheckPrivilege, "every role assignment is scoped to an environment p1ctl reads ("+strings.Join(readIDs, ", ")+")")
		c.Data = data
		return []Check{c}
	}
	c := warn(CheckPrivilege,
		fmt.Sprintf("%d role %s beyond the %s p1ctl reads (%s)", len(beyond), plural(len(beyond), "assignment reaches", "assignments reach"), plural(len(readIDs), "environment", "environments"), strings.Join(readIDs, ", ")),
		"if nothing else uses this application, remove those roles in the admin console (Applications > the application > Roles): a read-only role on the environments above is enough for p1ctl's reads; secret rotation also needs applications:update:secret there")
	c.Data = data
	c.lines = tableLines(rows)
	return []Check{c}
}

// first returns the first of two values (an ID, dropping where it came
// from).
func first(id, _ string) string { return id }
