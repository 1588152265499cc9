package envcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/export"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
)

// Page sizes PingOne accepts for the environment list.
const (
	DefaultListLimit = 100
	MaxListLimit     = 500
)

// ListOptions are the inputs of `env list`.
type ListOptions struct {
	IO        *iostreams.IOStreams
	Settings  func() (*config.Settings, error)
	APIClient func() (*api.Client, error)

	Filter string
	Limit  int
	Output export.Options
}

// NewCmdList returns `env list`. runF replaces the run function in tests.
func NewCmdList(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{IO: f.IOStreams, Settings: f.Settings, APIClient: f.APIClient}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the environments the application can read",
		Long: `List every PingOne environment the worker application has a role to read,
following PingOne's paging to the last page.

--filter is passed to PingOne as is, in its SCIM filter syntax: conditions
such as name sw "Dev", id eq "...", status eq "ACTIVE", organization.id eq
"..." or license.id eq "...", joined with "and". --limit is the page size
(1-500); PingOne ignores it with some filters.

Output is written page by page as PingOne answers, so memory stays flat
however many environments there are. The table (ID, NAME, TYPE, REGION,
STATUS) is the exception in part: to align its columns it keeps those five
values of every row until the last page, never the resources, up to 32 MiB
of them. -o json prints one JSON array of the resources exactly as PingOne
sent them, with every field; -o yaml prints the same as a YAML sequence;
-o ndjson prints each resource as compact JSON on a line of its own. --jq
and --template see the array -o json prints (and each resource with -o
ndjson, as it arrives); see docs/output.md.

Whatever the server sends, listing stops with exit status 6 at a page
carrying more environments than its own size, at a next link back to a
page already fetched, and past 100,000 environments (or 100,000 pages, or
1 GiB). If a page fails part-way, output stops there and the exit status
says why; the table is then not printed, and the JSON array is left
unclosed, so no program mistakes it for the whole list.`,
		Example: `  p1ctl env list
  p1ctl env list --filter 'name sw "Dev"'
  p1ctl env list -o json | jq -r '.[] | select(.type == "SANDBOX") | .id'
  p1ctl env list --limit 500 -o yaml
  p1ctl env list --jq '.[] | select(.type == "SANDBOX") | .id'
  p1ctl env list -o ndjson --template '{{.id}} {{.name}}{{"\n"}}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Filter, "filter", "", "PingOne SCIM `FILTER`, e.g. 'name sw \"Dev\"'")
	cmd.Flags().IntVar(&opts.Limit, "limit", DefaultListLimit, fmt.Sprintf("environments per page, 1-%d", MaxListLimit))
	cmdutil.AddJSONFlags(cmd, f.IOStreams, &opts.Output, true, output.FormatTable)
	return cmd
}

func listRun(ctx context.Context, opts *ListOptions) error {
	if opts.Limit < 1 || opts.Limit > MaxListLimit {
		return cmdutil.FlagErrorf("--limit %d is not between 1 and %d", opts.Limit, MaxListLimit)
	}
	settings, err := opts.Settings()
	if err != nil {
		return err
	}
	if err := settings.CheckAPI(); err != nil {
		return err
	}
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	// Listing concerns every environment the application may read, not
	// the configured one: a 403 asks for a role allowing the request.
	target := cmdutil.TargetFor(settings, settings.EnvironmentID, "listing environments")
	target.NotEnvironment = true
	target.ForbiddenHint = "grant the worker application a role that can read environments (Environment Admin, Organization Admin or Configuration Read Only) on the environments to list, or on the organization, in the admin console under Applications > the app > Roles"

	q := url.Values{}
	if opts.Filter != "" {
		q.Set("filter", opts.Filter)
		target.BadRequestHint = "check --filter: PingOne filters environments with name sw, id eq, organization.id eq, license.id eq and status eq, joined with and"
	}
	q.Set("limit", strconv.Itoa(opts.Limit))
	pager := client.NewPager("/environments?"+q.Encode(), nil)

	out := bufio.NewWriter(opts.IO.Out)
	w := newListWriter(ctx, &opts.Output, out)
	for pager.More() {
		page, err := pager.Next(ctx)
		if err != nil {
			out.Flush()
			return cmdutil.WithTarget(err, target)
		}
		if !page.IsCollection {
			out.Flush()
			return &api.ShapeError{Status: page.StatusCode, URL: page.URL, Snippet: api.Snippet(client.Redactor, page.Body), Err: fmt.Errorf(`no "_embedded" object`)}
		}
		for _, raw := range page.Items("environments") {
			if err := w.Add(raw); errors.Is(err, errTableFull) {
				return cmdutil.WithTarget(&api.PagingError{URL: page.URL, Kind: api.PagingTooWide,
					Reason: fmt.Sprintf("the table's rows exceed %d MiB", maxTableBytes>>20)}, target)
			} else if errors.Is(err, export.ErrNotJSON) {
				out.Flush()
				return &api.ShapeError{Status: page.StatusCode, URL: page.URL, Snippet: api.Snippet(client.Redactor, raw), Err: err}
			} else if err != nil {
				// Writing, --jq or --template failed.
				out.Flush()
				return err
			}
		}
		// Each page reaches the reader as soon as it has arrived.
		if err := out.Flush(); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return out.Flush()
}

// listWriter prints environments one at a time.
type listWriter interface {
	// Add prints (or, for the table, records) one resource as received.
	Add(raw json.RawMessage) error
	// Close finishes the output after the last resource.
	Close() error
}

func newListWriter(ctx context.Context, o *export.Options, w io.Writer) listWriter {
	if o.IsData() {
		return o.List(ctx, w)
	}
	return &tableListWriter{w: w, cols: output.NewColumns("ID", "NAME", "TYPE", "REGION", "STATUS")}
}

// maxTableBytes bounds the cell text the table holds: 100,000 environments
// with typical names take about a third of it, so only a server sending
// outsized values reaches it. A variable so that tests can lower it.
var maxTableBytes int64 = 32 << 20

var errTableFull = errors.New("table full")

// tableListWriter keeps the five column values of each row (not the
// resources) until the end, since column widths depend on every row; it
// refuses to hold more than maxTableBytes of them.
type tableListWriter struct {
	w    io.Writer
	cols *output.Columns
}

// listRow is what the table shows of an environment.
type listRow struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Region string `json:"region"`
	Status string `json:"status"`
}

func (t *tableListWriter) Add(raw json.RawMessage) error {
	var r listRow
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("%w: %w", export.ErrNotJSON, err)
	}
	t.cols.Add(r.ID, r.Name, r.Type, r.Region, r.Status)
	if t.cols.Size() > maxTableBytes {
		return errTableFull
	}
	return nil
}

func (t *tableListWriter) Close() error {
	return t.cols.Render(t.w)
}
