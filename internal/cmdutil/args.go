package cmdutil

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
