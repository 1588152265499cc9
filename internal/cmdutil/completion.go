package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/config"
)

// ProfileNames returns the profile names in the config file the command's
// flags select, or nil when there is no readable file.
func ProfileNames(cmd *cobra.Command) []string {
	path, _ := config.FilePath(cmd.Flags())
	file, err := config.ReadFile(path)
	if err != nil {
		return nil
	}
	return file.ProfileNames()
}

// CompleteProfiles completes a profile name from the config file.
func CompleteProfiles(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return matching(ProfileNames(cmd), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// CompleteRegions completes a region code, described by its root domain.
func CompleteRegions(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, r := range config.Regions {
		if hasPrefixFold(r.Code, toComplete) {
			out = append(out, cobra.CompletionWithDesc(r.Code, r.RootDomain))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// CompleteRootDomains completes a PingOne root domain.
func CompleteRootDomains(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return matching(config.RootDomains(), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// CompleteAuthMethods completes a client authentication method.
func CompleteAuthMethods(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return matching(config.AuthMethods, toComplete), cobra.ShellCompDirectiveNoFileComp
}

// CompleteValues returns a completion function offering values, e.g. the
// formats an -o flag accepts.
func CompleteValues(values ...string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return matching(values, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// RegisterGlobalCompletions registers completions for the root command's
// persistent flags (--profile: profile names from the config file;
// --region: region codes; --root-domain: root domains; --auth-method:
// client authentication methods) and makes the completion command
// visible, so that "p1ctl completion bash" shows up in help. Call it after
// the persistent flags are added.
func RegisterGlobalCompletions(root *cobra.Command) {
	root.CompletionOptions.HiddenDefaultCmd = false
	for flag, fn := range map[string]cobra.CompletionFunc{
		config.FlagProfile:   CompleteProfiles,
		config.KeyRegion:     CompleteRegions,
		config.KeyRootDomain: CompleteRootDomains,
		config.KeyAuthMethod: CompleteAuthMethods,
	} {
		if root.PersistentFlags().Lookup(flag) == nil {
			continue
		}
		// The only error is a flag already registered; keep the first.
		_ = root.RegisterFlagCompletionFunc(flag, fn)
	}
}

func matching(values []string, prefix string) []cobra.Completion {
	var out []cobra.Completion
	for _, v := range values {
		if hasPrefixFold(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
