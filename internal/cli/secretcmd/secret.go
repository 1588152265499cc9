// Package secretcmd implements the `p1ctl secret` commands: rotating a worker
// application's client secret with a grace period, verifying the new one,
// and ending the previous one early.
package secretcmd

import (
	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
)

// NewCmdSecret returns the `secret` command group.
func NewCmdSecret(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "secret <command>",
		Args:  cobra.ArbitraryArgs,
		RunE:  cmdutil.GroupRunE,
		Short: "Rotate an application's client secret",
		Long: `Rotate a PingOne application's client secret with a grace period, check
the new secret at the token endpoint, and end the previous secret once
every consumer has moved. See docs/secrets.md for a scheduled CI recipe.`,
	}
	cmd.AddCommand(NewCmdRotate(f, nil))
	cmd.AddCommand(NewCmdDeletePrevious(f, nil))
	return cmd
}

// forbiddenHint names what PingOne requires of the caller, for a 403.
func forbiddenHint(perm, appID string) string {
	return "the configured application needs a role granting " + perm +
		" on the application's environment, and must not see any of application " + appID +
		"'s role assignments as read-only (PingOne refuses the secret of an application holding a role the caller could not grant itself); check its roles in the admin console under Applications > the app > Roles"
}

// checkAppID refuses an application ID that is not a UUID, before any
// request.
func checkAppID(id string) error {
	switch {
	case id == "":
		return cmdutil.FlagErrorf("--app-id is required")
	case !config.IsUUID(id):
		return cmdutil.FlagErrorf("--app-id %q is not a UUID", id)
	}
	return nil
}

// loadSettings returns the settings and the environment that holds the
// application: the configured one, which the token URL and the API path
// share; both must be set for an API request.
func loadSettings(get func() (*config.Settings, error)) (*config.Settings, string, error) {
	s, err := get()
	if err != nil {
		return nil, "", err
	}
	if s.EnvironmentID == "" {
		return nil, "", &config.Error{Key: config.KeyEnvironmentID, Problem: "no environment ID is configured", Hint: "set --environment-id or PINGONE_ENVIRONMENT_ID to the environment that holds the application"}
	}
	if err := s.CheckAPI(); err != nil {
		return nil, "", err
	}
	return s, s.EnvironmentID, nil
}
