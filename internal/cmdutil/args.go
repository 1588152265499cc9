package cmdutil

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/config"
)

// OptionalArg returns the one optional positional argument in args, or ""
// when none was given. An argument given but empty, such as "$TOKEN" with
// TOKEN unset, is a usage error naming what the argument is, rather than
// silently meaning the default.
func OptionalArg(args []string, what string) (string, error) {
	if len(args) == 0 {
		return "", nil
	}
	if args[0] == "" {
		return "", FlagErrorf("the %s argument is empty", what)
	}
	return args[0], nil
}

// GroupArgs is the Args of a command group such as the root: a word that
// names none of its subcommands is a usage error, found before any hook
// reads the settings.
func GroupArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return UnknownCommandError(cmd, args[0])
	}
	return nil
}

// UnknownCommandError is the usage error for word, which names none of
// cmd's subcommands: one line, with any near misses, e.g.
// `unknown command "tokn" for "p1ctl": did you mean "token"?`.
func UnknownCommandError(cmd *cobra.Command, word string) error {
	return &FlagError{
		Err:  fmt.Errorf("unknown command %q for %q%s", word, cmd.CommandPath(), DidYouMean(cmd, word)),
		Help: cmd.CommandPath(),
	}
}

// DidYouMean returns `: did you mean "a" or "b"?` naming the subcommands
// of cmd that Cobra finds close to word (by edit distance or prefix), or
// "" when none is.
func DidYouMean(cmd *cobra.Command, word string) string {
	if cmd.DisableSuggestions {
		return ""
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		// Cobra's default, which it sets the same way before suggesting:
		// SuggestionsFor itself would take 0 to mean prefixes only.
		cmd.SuggestionsMinimumDistance = 2
	}
	names := cmd.SuggestionsFor(word)
	if len(names) == 0 {
		return ""
	}
	// In the order help lists them, whether or not Cobra sorted yet.
	slices.Sort(names)
	names = slices.Compact(names)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return ": did you mean " + config.OrList(quoted) + "?"
}
