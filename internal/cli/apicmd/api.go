// Package apicmd implements `p1ctl api`, an authenticated request to any
// PingOne management API endpoint, in the manner of `gh api`.
package apicmd

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// APIOptions are the inputs of `api`.
type APIOptions struct {
	IO        *iostreams.IOStreams
	Settings  func() (*config.Settings, error)
	APIClient func() (*api.Client, error)

	// Target is the PATH or URL argument.
	Target string
	// Method is the HTTP method; "" picks GET, or POST when fields or an
	// input body are given.
	Method  string
	Headers []string
	// Fields are the -f and -F flags in command-line order.
	Fields   []FieldFlag
	Input    string
	Include  bool
	Paginate bool
	JQ       string
	Silent   bool
}

// NewCmdAPI returns `api`. runF replaces the run function in tests.
func NewCmdAPI(f *cmdutil.Factory, runF func(*APIOptions) error) *cobra.Command {
	opts := &APIOptions{IO: f.IOStreams, Settings: f.Settings, APIClient: f.APIClient}
	cmd := &cobra.Command{
		Use:   "api [flags] PATH|URL",
		Short: "Make an authenticated PingOne API request",
		Long: `Send an HTTP request to the PingOne management API with the worker
application's access token, and print the answer.

PATH is relative to the API base URL (https://api.pingone.<tld>/v1, or
--api-url): "/environments/ID/users" and "environments/ID/users" are the
same. It may carry a query string, sent as typed: spaces, quotes, ";",
"+" and a lone "%" are percent-encoded, so "+" stays a plus sign. An
absolute https:// URL (or http:// on this machine) is requested as given,
with the token: name one only if you trust it with the token. A 401 from
another host than the API's is not retried and leaves the cached token in
place. A path with
"..", control characters or backslashes, and a URL with a user name or
password, are refused.

The method is GET, or POST when fields or --input are given; -X sets it.
-f key=value adds a string field; -F key=value adds a typed one: true,
false, null and integers become JSON booleans, null and numbers, @FILE is
the contents of FILE and @- standard input. Nested keys build nested
objects and arrays: -F 'name[given]=Ada' -F 'tags[]=a' -F 'tags[]=b'. For
GET (and with --input) the fields become query parameters; otherwise they
form a JSON object sent as the body. --input FILE (- for standard input)
sends a file as the body as is.

The answer's body is printed as received; when standard output is a
terminal and the body is JSON, it is indented. -i first prints the status
line and the headers, masked as the --debug trace masks them. --silent
prints no body.
--jq filters a JSON answer with a jq expression (gojq): strings print
without quotes, other results as compact JSON, one per line.

--paginate (GET only: with fields, add -X GET to send them as query
parameters) follows _links.next.href to the last page and prints one
document holding every page's _embedded arrays, concatenated, with the
total number of items:

  {"_embedded": {"<name>": [<items of every page>]}, "count": <number of items>}

Items are kept as received (compacted); _links, size and the pages' count
are left out. The document is written as the pages arrive, one page in
memory at a time; if a page fails midway, what was printed is left
unfinished and the exit status says what failed. With --jq or -i it is
built whole first (-i prints the status line and headers of each page as
it arrives, then the document). An answer with no _embedded object and no
next link is printed as received. A next link to another host than the
first page's, or back to a page already fetched, is refused and ends the
command with exit 6, as does a page carrying more items than its own size,
and more than 100,000 pages; with --jq or -i, also more than 100,000 items
or 256 MiB of pages.

When PingOne answers with an error status, the body is printed (unless
--silent), then the one-line error on standard error, with the exit status
of "p1ctl help exit-codes": 3 for 401, 4 for 403, 5 for 404, 6 for 429 and
5xx, 1 for other errors.`,
		Example: `  # An environment, and its users
  p1ctl api /environments/$PINGONE_ENVIRONMENT_ID
  p1ctl api "/environments/$PINGONE_ENVIRONMENT_ID/users?limit=10"

  # Every environment's name, across all pages
  p1ctl api --paginate /environments --jq '._embedded.environments[].name'

  # Create a population (JSON body {"name": "Contractors", "default": false})
  p1ctl api -X POST /environments/$PINGONE_ENVIRONMENT_ID/populations \
    -f name=Contractors -F default=false

  # Send a body from a file, and show the status line and headers
  p1ctl api -i -X PUT /environments/$PINGONE_ENVIRONMENT_ID/branding --input branding.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return cmdutil.FlagErrorf("expected one PATH or URL, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Target = args[0]
			if runF != nil {
				return runF(opts)
			}
			return apiRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Method, "method", "X", "", "HTTP `METHOD` (default GET, or POST with fields or --input)")
	fl.StringArrayVarP(&opts.Headers, "header", "H", nil, "add a request header, `'NAME: VALUE'` (repeatable)")
	fl.VarP(&fieldFlags{dst: &opts.Fields}, "raw-field", "f", "add a string field `KEY=VALUE` (repeatable)")
	fl.VarP(&fieldFlags{dst: &opts.Fields, typed: true}, "field", "F", "add a typed field `KEY=VALUE`: true, false, null, integers, @FILE, @- (repeatable)")
	fl.StringVar(&opts.Input, "input", "", "send the contents of `FILE` as the body (- for standard input)")
	fl.BoolVarP(&opts.Include, "include", "i", false, "print the status line and headers before the body")
	fl.BoolVar(&opts.Paginate, "paginate", false, "follow _links.next and merge every page's _embedded arrays")
	fl.StringVar(&opts.JQ, "jq", "", "filter a JSON answer with a jq `EXPRESSION`")
	fl.BoolVar(&opts.Silent, "silent", false, "do not print the answer's body")
	return cmd
}

// validMethod reports whether method looks like an HTTP method: upper-case
// letters only.
func validMethod(method string) bool {
	for _, r := range method {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return method != ""
}

// request is a validated `api` invocation.
type request struct {
	target  target
	method  string
	header  http.Header
	body    []byte
	jq      *gojq.Code
	explain cmdutil.Target
}

func apiRun(ctx context.Context, opts *APIOptions) error {
	req, err := buildRequest(opts)
	if err != nil {
		return err
	}
	settings, err := opts.Settings()
	if err != nil {
		return err
	}
	if req.explain.EnvironmentID == "" {
		// A path such as /users names no environment: messages then name
		// the configured one, the application's.
		req.explain.EnvironmentID = settings.EnvironmentID
	}
	t := cmdutil.TargetFor(settings, req.explain.EnvironmentID, "")
	req.explain.Region, req.explain.Host, req.explain.HostFrom = t.Region, t.Host, t.HostFrom
	if err := settings.CheckAPI(); err != nil {
		return err
	}
	client, err := opts.APIClient()
	if err != nil {
		return err
	}
	p := &printer{io: opts.IO, redactor: client.Redactor, include: opts.Include, silent: opts.Silent, jq: req.jq}
	if opts.Paginate {
		return paginate(ctx, client, req, p)
	}
	resp, err := client.Do(ctx, api.Request{Method: req.method, Path: req.target.path, Header: req.header, Body: req.body})
	if err != nil {
		return cmdutil.WithTarget(err, req.explain)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return cmdutil.WithTarget(fmt.Errorf("reading the answer to %s: %w", req.explain.Op, err), req.explain)
	}
	if err := p.head(resp.Proto, resp.Status, resp.Header); err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if err := p.errorBody(body); err != nil {
			return err
		}
		return cmdutil.WithTarget(api.ParseError(resp, body, client.Redactor), req.explain)
	}
	return p.result(ctx, body, client.URL(req.target.path), resp.StatusCode)
}

// buildRequest validates the options and turns them into a request,
// before any settings are checked or network used: usage errors come first.
func buildRequest(opts *APIOptions) (*request, error) {
	req := &request{}
	var err error
	if opts.JQ != "" {
		if req.jq, err = compileJQ(opts.JQ); err != nil {
			return nil, err
		}
	}
	if opts.Silent && opts.JQ != "" {
		return nil, cmdutil.FlagErrorf("--silent and --jq cannot be used together")
	}
	if req.target, err = parseTarget(opts.Target); err != nil {
		return nil, err
	}
	if req.header, err = parseHeaders(opts.Headers); err != nil {
		return nil, err
	}
	stdin := &stdinOnce{r: opts.IO.In}
	fields, err := parseFields(opts.Fields, stdin)
	if err != nil {
		return nil, err
	}
	if opts.Input != "" {
		if req.body, err = readInput(opts.Input, stdin); err != nil {
			return nil, err
		}
	}

	req.method = strings.ToUpper(strings.TrimSpace(opts.Method))
	switch {
	case req.method == "" && (len(fields) > 0 || opts.Input != ""):
		req.method = http.MethodPost
	case req.method == "":
		req.method = http.MethodGet
	case !validMethod(req.method):
		return nil, cmdutil.FlagErrorf("--method %q is not an HTTP method", opts.Method)
	}
	if opts.Paginate && req.method != http.MethodGet {
		// Like gh, fields make the default method POST; unlike gh, which
		// then pages with POST, refuse, and say how to page with them.
		why := ""
		switch {
		case opts.Method == "" && opts.Input != "":
			why = " (--input makes the default method POST)"
		case opts.Method == "":
			why = " (fields make the default method POST: add -X GET to send them as query parameters)"
		}
		return nil, cmdutil.FlagErrorf("--paginate works only with GET, not %s%s", req.method, why)
	}

	if len(fields) > 0 {
		if req.method == http.MethodGet || req.method == http.MethodHead || opts.Input != "" {
			req.target.path = addQuery(req.target.path, fields)
		} else if req.body, err = jsonBody(fields); err != nil {
			return nil, err
		}
	}
	req.explain = cmdutil.Target{EnvironmentID: req.target.envID, NotEnvironment: !req.target.isEnvironment, Op: req.method + " " + req.target.display}
	return req, nil
}
