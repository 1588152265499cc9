// Package auditcmd implements `p1ctl audit`: what the worker application did,
// from PingOne's audit activities.
package auditcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// Page sizes: PingOne documents a default of 100; its maximum is not
// documented, the emulator accepts up to 1000.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// forbiddenHint names the roles that read audit data. Environment Admin
// and the Identity Data roles are what Ping's role descriptions suggest;
// see docs/audit.md for what is confirmed.
const forbiddenHint = "grant the worker application a role that can read audit activities on the environment (Environment Admin, Identity Data Admin or Identity Data Read Only) in the admin console under Applications > the app > Roles"

// Options are the inputs of `audit`.
type Options struct {
	IO        *iostreams.IOStreams
	Settings  func() (*config.Settings, error)
	APIClient func() (*api.Client, error)
	// Now is the clock --since and --until count back from.
	Now func() time.Time

	Since         string
	Until         string
	AllClients    bool
	Client        string
	Actions       []string
	ResourceID    string
	CorrelationID string
	Limit         int
	PageSize      int
	Output        export.Options
}

// NewCmdAudit returns `audit`. runF replaces the run function in tests.
func NewCmdAudit(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Settings: f.Settings, APIClient: f.APIClient, Now: time.Now}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show what the application did, from PingOne's audit log",
		Long: `Show PingOne audit activities of the configured environment, newest first:
by default those of the configured worker application (its client ID) over
the last 24 hours.

--since and --until take a duration back from now (90m, 24h, 7d) or a time
(2026-12-01T08:00:00Z, or a date, 2026-12-01, meaning its midnight UTC);
--until defaults to now. --all-clients shows every client's activities,
--client another client's. --correlation-id finds what became of one
request, the ID p1ctl prints in its errors, whichever client made it.
--limit stops after that many activities, across pages.

PingOne takes one condition besides the time window: p1ctl sends the most
selective one (correlation ID, resource, client, then a single action) and
checks the others itself on each activity received. The order is PingOne's.

Output is written page by page as PingOne answers; the table (TIME, ACTION,
RESULT, ACTOR, RESOURCE) keeps those five values of each row until the end
to align them. -o json prints one array of the activities exactly as
PingOne sent them, -o yaml the same as YAML, -o ndjson one per line.

Reading audit activities needs a role such as Environment Admin or Identity
Data Read Only on the environment; without one PingOne answers 403 (exit 4).`,
		Example: `  p1ctl audit
  p1ctl audit --since 7d --action ENVIRONMENT.READ
  p1ctl audit --correlation-id 5f8b0c4e-1d0a-4c52-9e1b-2f0f0b6d7a11 -o json
  p1ctl audit --all-clients --since 2026-12-01 --until 2026-12-02 -o ndjson`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Since, "since", "24h", "start of the window, `WHEN`: a duration ago (90m, 24h, 7d) or a time (RFC 3339 or a date)")
	fl.StringVar(&opts.Until, "until", "now", "end of the window, `WHEN`: now, a duration ago or a time")
	fl.BoolVar(&opts.AllClients, "all-clients", false, "show every client's activities, not only the configured application's")
	fl.StringVar(&opts.Client, "client", "", "show the activities of another client `ID`")
	fl.StringArrayVar(&opts.Actions, "action", nil, "only activities of this action `TYPE` (repeatable), e.g. ENVIRONMENT.READ")
	fl.StringVar(&opts.ResourceID, "resource-id", "", "only activities concerning the resource `ID`")
	fl.StringVar(&opts.CorrelationID, "correlation-id", "", "only the activities of the request with this `ID`")
	fl.IntVar(&opts.Limit, "limit", 0, "stop after `N` activities (0: no limit)")
	fl.IntVar(&opts.PageSize, "page-size", DefaultPageSize, fmt.Sprintf("activities per request, 1-%d", MaxPageSize))
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, true, output.FormatTable)
	return cmd
}

// query checks the flags and turns them into an activity query for
// clientID, the configured one ("" before the settings are read).
func (opts *Options) query(clientID string) (*api.ActivityQuery, error) {
	now := opts.Now()
	since, err := parseWhen(opts.Since, now)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--since %q: %v", opts.Since, err)
	}
	until, err := parseWhen(opts.Until, now)
	if err != nil {
		return nil, cmdutil.FlagErrorf("--until %q: %v", opts.Until, err)
	}
	if !since.Before(until) {
		return nil, cmdutil.FlagErrorf("--since (%s) is not before --until (%s)", since.UTC().Format(time.RFC3339), until.UTC().Format(time.RFC3339))
	}
	if opts.Limit < 0 {
		return nil, cmdutil.FlagErrorf("--limit %d is negative", opts.Limit)
	}
	if opts.PageSize < 1 || opts.PageSize > MaxPageSize {
		return nil, cmdutil.FlagErrorf("--page-size %d is not between 1 and %d", opts.PageSize, MaxPageSize)
	}
	if opts.AllClients && opts.Client != "" {
		return nil, cmdutil.FlagErrorf("--all-clients and --client cannot be used together")
	}
	q := &api.ActivityQuery{Since: since, Until: until, ActionTypes: opts.Actions, ResourceID: opts.ResourceID, CorrelationID: opts.CorrelationID}
	switch {
	case opts.Client != "":
		q.ClientID = opts.Client
	case !opts.AllClients && opts.CorrelationID == "":
		// A correlation ID names one request, whoever made it (a refused
		// token request may name no known client at all).
		q.ClientID = clientID
	}
	// Every value is checked, so none can change the filter's meaning.
	optional := map[string]string{"--client": opts.Client, "--resource-id": opts.ResourceID, "--correlation-id": opts.CorrelationID}
	for _, name := range []string{"--client", "--resource-id", "--correlation-id"} {
		if v := optional[name]; v != "" {
			if err := api.CheckFilterValue(v); err != nil {
				return nil, cmdutil.FlagErrorf("%s %q: %v", name, v, err)
			}
		}
	}
	for _, a := range opts.Actions {
		if err := api.CheckFilterValue(a); err != nil {
			return nil, cmdutil.FlagErrorf("--action %q: %v", a, err)
		}
	}
	if q.ClientID != "" && opts.Client == "" {
		if err := api.CheckFilterValue(q.ClientID); err != nil {
			return nil, cmdutil.FlagErrorf("the configured client ID cannot go into a filter (%v): use --client or --all-clients", err)
		}
	}
	return q, nil
}

// parseWhen reads a duration back from now (Go's units plus d for days) or
// a time: RFC 3339, or a date meaning its midnight UTC; "now" is now.
func parseWhen(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return time.Time{}, errors.New("no time given: use a duration such as 24h or a time such as 2026-12-01T08:00:00Z")
	case strings.EqualFold(s, "now"):
		return now, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 && n <= 3650 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, errors.New("the duration is negative")
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("not a duration (90m, 24h, 7d) nor a time (2026-12-01T08:00:00Z, 2026-12-01)")
}

func run(ctx context.Context, opts *Options) error {
	// Flags that need no settings are checked first, so that a bad time is
	// a usage error even before the configuration is complete.
	if _, err := opts.query(""); err != nil {
		return err
	}
	settings, err := opts.Settings()
	if err != nil {
		return err
	}
	if err := settings.CheckAPI(); err != nil {
		return err
	}
	q, err := opts.query(settings.ClientID)
	if err != nil {
		return err
	}
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	target := cmdutil.TargetFor(settings, settings.EnvironmentID, "reading audit activities")
	target.NotEnvironment = true
	target.ForbiddenHint = forbiddenHint
	target.BadRequestHint = "check --since and --until (PingOne keeps a limited history) and the IDs and action types given"

	pageSize := opts.PageSize
	if opts.Limit > 0 {
		pageSize = min(pageSize, opts.Limit)
	}
	v := url.Values{"filter": {q.Filter()}, "limit": {strconv.Itoa(pageSize)}}
	pager := client.NewPager("/environments/"+url.PathEscape(settings.EnvironmentID)+"/activities?"+v.Encode(), nil)

	out := bufio.NewWriter(opts.IO.Out)
	w := newWriter(ctx, &opts.Output, out)
	shown := 0
	for pager.More() && (opts.Limit == 0 || shown < opts.Limit) {
		page, err := pager.Next(ctx)
		if err != nil {
			out.Flush()
			return cmdutil.WithTarget(err, target)
		}
		if !page.IsCollection {
			out.Flush()
			return &api.ShapeError{Status: page.StatusCode, URL: page.URL, Snippet: api.Snippet(client.Redactor, page.Body), Err: errors.New(`no "_embedded" object`)}
		}
		for _, raw := range page.Items("activities") {
			var a api.Activity
			if err := json.Unmarshal(raw, &a); err != nil {
				out.Flush()
				return &api.ShapeError{Status: page.StatusCode, URL: page.URL, Snippet: api.Snippet(client.Redactor, raw), Err: err}
			}
			if !q.Matches(&a) {
				continue
			}
			if err := w.add(raw, &a); errors.Is(err, errTableFull) {
				return cmdutil.WithTarget(&api.PagingError{URL: page.URL, Kind: api.PagingTooWide,
					Reason: fmt.Sprintf("the table's rows exceed %d MiB", maxTableBytes>>20)}, target)
			} else if err != nil {
				out.Flush()
				return err
			}
			if shown++; opts.Limit > 0 && shown == opts.Limit {
				break
			}
		}
		// Each page reaches the reader as soon as it has arrived.
		if err := out.Flush(); err != nil {
			return err
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	return out.Flush()
}
