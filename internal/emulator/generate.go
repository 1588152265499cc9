package emulator

import "fmt"

// Generated fixtures' IDs, fixed so that a benchmark's figures compare
// across runs.
const (
	GeneratedRoleID   = "51907270-8291-44e2-a743-d9c9ddb0aa9f"
	GeneratedClientID = "c3c8aa2e-8b55-4f9b-bcff-8c7daae12db9"
)

// GeneratedFixture returns a fixture of n look-alike environments (n > 0),
// for measuring what listing many costs: client GeneratedClientID, with
// secret, lives in the first and may read them all.
func GeneratedFixture(n int, secret string) *Fixture {
	f := &Fixture{
		OrganizationID: DemoOrganizationID,
		Roles:          []Role{{ID: GeneratedRoleID, Name: "Organization Admin", Permissions: []string{"orgmgt:read:environment"}}},
	}
	for i := range n {
		f.Environments = append(f.Environments, map[string]any{
			"id":          fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i),
			"name":        fmt.Sprintf("Generated environment %05d", i),
			"description": "One of many generated environments, to measure what listing them costs.",
			"type":        "SANDBOX",
			"region":      "NA",
			"status":      "ACTIVE",
			"license":     map[string]any{"id": "e18c55cd-03fd-4c1a-a337-d375b48d4919", "package": "TRIAL"},
			"createdAt":   "2024-01-08T08:00:00Z",
			"updatedAt":   "2025-02-19T13:45:31.207Z",
		})
	}
	f.Clients = []Client{{
		ID: GeneratedClientID, Secret: secret, EnvironmentID: f.Environments[0]["id"].(string),
		RoleAssignments: []RoleAssignment{{RoleID: GeneratedRoleID, ScopeType: ScopeTypeOrganization}},
	}}
	return f
}
