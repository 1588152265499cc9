package root

import "github.com/spf13/cobra"

// ExitCodesHelp documents p1ctl's exit statuses; docs/exit-codes.md and the
// README carry the same table.
const ExitCodesHelp = `p1ctl exits with one of these statuses, so scripts and CI jobs can react to
each kind of failure. Errors are one line on standard error:
"p1ctl: <what failed>: <what to check>".

  0    success
  1    any other error
  2    usage or configuration: a missing or invalid setting, a bad flag or
       argument (an empty one, an unknown command, help topic or shell), an
       environment ID that is not a UUID, an unknown region or profile, an
       unreadable secret or key file. The message names the flag and the
       environment variable to set.
  3    authentication failed: the token endpoint refused the client
       (invalid_client, unauthorized_client, HTTP 401), the API refused the
       token, or a token failed token inspect --verify. Check
       PINGONE_CLIENT_ID / PINGONE_CLIENT_SECRET, and that the application
       exists in that environment and is enabled. From secret rotate: the
       new secret was saved but refused at the token endpoint; the
       previous one stays valid until its expiry.
  4    insufficient privileges (HTTP 403): grant the application a role on
       the environment; PingOne may also answer 403 for an environment
       that does not exist, so check the environment ID too.
  5    not found (HTTP 404): check PINGONE_ENVIRONMENT_ID and that the
       application has a role on that environment. From token inspect
       --verify: the token's issuer publishes no signing keys.
  6    network, timeout or server error (connection refused, DNS, TLS,
       --timeout reached, HTTP 429 or 5xx, an answer that is not PingOne's,
       a refused next-page link, a listing past p1ctl's bounds): check the
       region or root domain (or the custom domain or URL setting the
       message names), your network and firewall; raise --timeout for a
       timeout.
  130  interrupted (Ctrl-C)
  141  broken pipe (SIGPIPE): the program reading the output exited first
  143  terminated (SIGTERM)

p1ctl doctor exits with the code of its first failed check.`

func newExitCodesTopic() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "What each exit status means",
		Long:  ExitCodesHelp,
	}
}
