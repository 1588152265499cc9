package config

import (
	"github.com/spf13/pflag"
)

// AddFlags defines the global flags: one per Key that has a flag, plus
// those that choose the profile and config file and shape how p1ctl runs.
func AddFlags(fs *pflag.FlagSet) {
	for _, k := range Keys {
		if k.Flag == "" {
			continue
		}
		short := ""
		if k.Name == KeyEnvironmentID {
			short = "e"
		}
		fs.StringP(k.Flag, short, "", k.Usage+envHint(k))
	}
	fs.Bool(FlagSecretStdin, false, "read the client secret from standard input")
	fs.String(FlagProfile, "", "use the config-file profile `NAME` (env "+EnvProfile+")")
	fs.String(FlagConfig, "", "config `FILE` (env "+EnvConfig+"; default <user config dir>/p1ctl/config.yaml)")
	fs.Bool(FlagDebug, false, "trace HTTP requests on standard error, secrets redacted (env "+EnvDebug+")")
	fs.Duration(FlagTimeout, DefaultTimeout, "give up on the network after `DURATION` in all, retries included (env "+EnvTimeout+")")
	fs.Int(FlagMaxRetries, DefaultMaxRetries, "retry transient failures (429, 502, 503, 504, network) at most `N` times (env "+EnvRetries+")")
	fs.BoolP(FlagQuiet, "q", false, "do not announce retries on standard error (env "+EnvQuiet+")")
}

func envHint(k Key) string {
	if len(k.Env) == 0 {
		return ""
	}
	return " (env " + k.Env[0] + ")"
}
