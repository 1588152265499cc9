package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Endpoint kinds, as used by Count, Request.Endpoint and Fault.Endpoint.
const (
	EndpointToken               = "token"                // POST /{envId}/as/token, POST /as/token
	EndpointJWKS                = "jwks"                 // GET /{envId}/as/jwks
	EndpointOpenIDConfiguration = "openid-configuration" // GET /{envId}/as/.well-known/openid-configuration
	EndpointEnvironment         = "environment"          // GET /v1/environments/{id}
	EndpointEnvironments        = "environments"         // GET /v1/environments
	EndpointBillOfMaterials     = "bill-of-materials"    // GET /v1/environments/{id}/billOfMaterials
	EndpointRoleAssignments     = "role-assignments"     // GET /v1/environments/{envId}/applications/{appId}/roleAssignments
	EndpointRole                = "role"                 // GET /v1/roles/{id}
	EndpointUnknown             = "unknown"              // any other path (answered 404; under /v1 only with a valid token)
)

const (
	defaultTokenLifetime = time.Hour
	maxRequestsKept      = 100000 // request log size
	maxFormBytes         = 64 << 10
	correlationHeader    = "Correlation-Id"
	jsonContentType      = "application/json"
	formContentType      = "application/x-www-form-urlencoded"
)

// endpointKinds lists every kind, in the order stats show them.
var endpointKinds = []string{
	EndpointToken, EndpointJWKS, EndpointOpenIDConfiguration, EndpointEnvironment,
	EndpointEnvironments, EndpointBillOfMaterials, EndpointRoleAssignments, EndpointRole,
	EndpointSecret, EndpointSecretPrevious, EndpointActivities, EndpointUnknown,
}

// Server emulates PingOne's token endpoint and the parts of its management
// API p1ctl uses. One handler serves both the auth host paths
// (/{envId}/as/...) and the API host paths (/v1/...), plus admin endpoints
// under /_emulator/. It is an http.Handler (for httptest) and can also
// listen by itself (Start). All methods are safe for concurrent use.
type Server struct {
	data         *dataset
	signKey      *rsa.PrivateKey
	kid          string
	lifetime     time.Duration
	now          func() time.Time
	customDomain string // environment ID behind POST /as/token; "" = first one
	customSet    bool
	startQuirks  Quirks // WithQuirks: the quirks New and Reset set
	publicURL    string // WithPublicURL: base of issuers and links; "" = as addressed
	tls          *tlsMaterial

	mu         sync.Mutex
	requests   []*Request
	counts     map[string]int // requests per endpoint kind
	total      int
	faults     []*activeFault
	quirks     Quirks
	issued     map[string]time.Time    // jti of live access tokens -> expiry
	assertions map[string]time.Time    // client ID + assertion jti -> expiry
	secrets    map[string]*secretState // rotated secrets by client idKey
	audit      auditLog                // activity.go

	lifeMu    sync.Mutex
	http      *http.Server
	serveDone chan struct{}
	url       string
}

// Option configures a Server in New.
type Option func(*Server)

// WithTokenLifetime sets how long issued access tokens last (expires_in and
// exp). The default is one hour, as for PingOne worker tokens.
func WithTokenLifetime(d time.Duration) Option {
	return func(s *Server) { s.lifetime = d }
}

// WithClock replaces time.Now as the server's clock: token iat/exp,
// expiry checks, assertion checks and request times all use it. Tests use
// it to expire tokens without waiting. now must be safe for concurrent use.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithCustomDomainEnvironment sets which environment the custom-domain
// shaped endpoints (POST /as/token and friends, with no environment ID in
// the path) belong to. The default is the fixture's first environment.
func WithCustomDomainEnvironment(envID string) Option {
	return func(s *Server) { s.customDomain, s.customSet = envID, true }
}

// WithPublicURL sets the base URL that issuers, discovery documents and
// _links hrefs use, for clients that reach the emulator under another
// address (a proxy, a hosts entry). It must be an absolute http or https
// URL without path, query or fragment. By default they use the address
// each request was sent to.
func WithPublicURL(u string) Option {
	return func(s *Server) { s.publicURL = u }
}

// WithTLS makes Start serve HTTPS with a certificate for localhost,
// 127.0.0.1, ::1 and the public URL's host, issued by a CA generated for
// this server alone (CACertPEM), so that clients which only speak HTTPS
// (PingOne's SDKs) can use the emulator.
func WithTLS() Option {
	return func(s *Server) { s.tls = &tlsMaterial{} }
}

// New validates f, copies it and returns a server for it, with a fresh
// RSA-2048 signing key. Later changes to f do not affect the server.
func New(f *Fixture, opts ...Option) (*Server, error) {
	s := &Server{
		lifetime:   defaultTokenLifetime,
		now:        time.Now,
		counts:     make(map[string]int),
		issued:     make(map[string]time.Time),
		assertions: make(map[string]time.Time),
	}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	if s.now == nil {
		return nil, errors.New("emulator: WithClock: clock is nil")
	}
	if s.lifetime <= 0 {
		return nil, fmt.Errorf("emulator: WithTokenLifetime: lifetime %v is not positive", s.lifetime)
	}
	if s.publicURL != "" {
		u, err := parsePublicURL(s.publicURL)
		if err != nil {
			return nil, fmt.Errorf("emulator: WithPublicURL: %w", err)
		}
		s.publicURL = u
	}
	if s.tls != nil {
		var hosts []string
		if s.publicURL != "" {
			hosts = append(hosts, publicHost(s.publicURL))
		}
		m, err := newTLSMaterial(s.now(), hosts)
		if err != nil {
			return nil, fmt.Errorf("emulator: WithTLS: %w", err)
		}
		s.tls = m
	}
	ds, err := compile(f, s.now())
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s.data = ds
	s.quirks = s.startQuirks
	switch {
	case s.customSet:
		env := ds.envByID[idKey(s.customDomain)]
		if env == nil {
			return nil, fmt.Errorf("emulator: WithCustomDomainEnvironment: %q is not an environment of the fixture", s.customDomain)
		}
		s.customDomain = env["id"].(string)
	case len(ds.envs) > 0:
		s.customDomain = ds.envs[0]["id"].(string)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("emulator: generate signing key: %w", err)
	}
	kid, err := keyID(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("emulator: signing key id: %w", err)
	}
	s.signKey, s.kid = key, kid
	return s, nil
}

// Start listens on addr (a loopback address such as "127.0.0.1:0"), serves
// in the background and returns the base URL, e.g. "http://127.0.0.1:PORT"
// ("https://..." with WithTLS).
// Non-loopback addresses are refused: the emulator accepts fake
// credentials and must not be reachable from other hosts.
func (s *Server) Start(addr string) (string, error) {
	if err := checkLoopback(addr); err != nil {
		return "", err
	}
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.http != nil {
		return "", errors.New("emulator: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("emulator: listen: %w", err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		_ = ln.Close()
		return "", fmt.Errorf("emulator: %s resolved to non-loopback address %s", addr, ln.Addr())
	}
	scheme := "http"
	if s.tls != nil {
		ln = tls.NewListener(ln, s.tls.serverConfig())
		scheme = "https"
	}
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = hs.Serve(ln) // always returns http.ErrServerClosed after Close
	}()
	s.http, s.serveDone = hs, done
	s.url = scheme + "://" + ln.Addr().String()
	return s.url, nil
}

// URL returns the base URL Start returned ("" before Start). Auth paths
// hang off it directly, API paths off URL()+"/v1".
func (s *Server) URL() string {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	return s.url
}

// Close stops a server started with Start: it closes the listener and all
// connections (cancelling the contexts of requests in flight) and waits for
// the serving goroutine to end. It is a no-op if the server is not running.
func (s *Server) Close() error {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.http == nil {
		return nil
	}
	err := s.http.Close()
	<-s.serveDone
	s.http, s.serveDone = nil, nil
	if err != nil {
		return fmt.Errorf("emulator: close: %w", err)
	}
	return nil
}

// checkLoopback accepts "localhost:PORT" and loopback IP literals only.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: listen address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("emulator: refusing to listen on %q: only loopback addresses (127.0.0.1, [::1], localhost) are allowed", addr)
}

// route is the outcome of matching a request path.
type route struct {
	kind   string
	method string // the one method the endpoint answers; "" = any
	// serve answers an auth host request (no bearer token needed).
	serve func(w http.ResponseWriter, r *http.Request)
	// serveAPI, set instead of serve for management API paths (/v1/...,
	// known or not), answers once the bearer token has identified c.
	serveAPI func(w http.ResponseWriter, r *http.Request, c *clientRecord)
}

// ServeHTTP answers one request: admin endpoints directly; everything else
// is recorded, then subject to injected faults, then handled as PingOne
// would. On the management API the bearer token is checked first (401
// without a valid one), then the path (404) and the method (405).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_emulator" || strings.HasPrefix(r.URL.Path, "/_emulator/") {
		s.serveAdmin(w, r)
		return
	}
	w.Header().Set(correlationHeader, newUUID())
	rt := s.match(r.URL.Path)
	rec := s.record(w, r, rt.kind)
	if s.applyFault(rec, r, rt.kind) {
		return
	}
	var c *clientRecord
	if rt.serveAPI != nil {
		var ok bool
		if c, ok = s.authorize(rec, r); !ok {
			return
		}
	}
	if r.Method != rt.method && rt.method != "" {
		rec.Header().Set("Allow", rt.method)
		writeAPIError(rec, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
			fmt.Sprintf("The request could not be completed. The method %s is not allowed for this resource.", r.Method))
		return
	}
	if rt.serveAPI != nil {
		rt.serveAPI(rec, r, c)
		s.auditRequest(rec, r, rt.kind, c)
		return
	}
	rt.serve(rec, r)
	s.auditRequest(rec, r, rt.kind, nil)
}

// match maps a path to its endpoint.
func (s *Server) match(path string) route {
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	// Auth host: [envId/]as/... (no environment ID: custom domain shape)
	for i := 0; i <= 1 && i < len(seg); i++ {
		if seg[i] != "as" {
			continue
		}
		env, custom := s.customDomain, true
		if i == 1 {
			env, custom = seg[0], false
		}
		rest := strings.Join(seg[i+1:], "/")
		switch rest {
		case "token":
			return route{kind: EndpointToken, method: http.MethodPost, serve: func(w http.ResponseWriter, r *http.Request) { s.serveToken(w, r, env, custom) }}
		case "jwks":
			return route{kind: EndpointJWKS, method: http.MethodGet, serve: func(w http.ResponseWriter, r *http.Request) { s.serveJWKS(w, r, env, custom) }}
		case ".well-known/openid-configuration":
			return route{kind: EndpointOpenIDConfiguration, method: http.MethodGet, serve: func(w http.ResponseWriter, r *http.Request) { s.serveOpenIDConfiguration(w, r, env, custom) }}
		}
	}
	notFound := func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, "NOT_FOUND", msgNotFound)
	}
	// API host: v1/...
	if seg[0] == "v1" {
		get := func(kind string, serve func(w http.ResponseWriter, r *http.Request, c *clientRecord)) route {
			return route{kind: kind, method: http.MethodGet, serveAPI: serve}
		}
		switch {
		case len(seg) == 2 && seg[1] == "environments":
			return get(EndpointEnvironments, s.serveEnvironments)
		case len(seg) == 3 && seg[1] == "environments":
			return get(EndpointEnvironment, func(w http.ResponseWriter, r *http.Request, c *clientRecord) { s.serveEnvironment(w, r, c, seg[2]) })
		case len(seg) == 4 && seg[1] == "environments" && seg[3] == "billOfMaterials":
			return get(EndpointBillOfMaterials, func(w http.ResponseWriter, r *http.Request, c *clientRecord) { s.serveBillOfMaterials(w, r, c, seg[2]) })
		case len(seg) == 6 && seg[1] == "environments" && seg[3] == "applications" && seg[5] == "roleAssignments":
			return get(EndpointRoleAssignments, func(w http.ResponseWriter, r *http.Request, c *clientRecord) {
				s.serveRoleAssignments(w, r, c, seg[2], seg[4])
			})
		case len(seg) == 4 && seg[1] == "environments" && seg[3] == "activities":
			return route{kind: EndpointActivities, serveAPI: func(w http.ResponseWriter, r *http.Request, c *clientRecord) { s.serveActivities(w, r, c, seg[2]) }}
		case len(seg) == 3 && seg[1] == "roles":
			return get(EndpointRole, func(w http.ResponseWriter, r *http.Request, c *clientRecord) { s.serveRole(w, r, c, seg[2]) })
		}
		if rt, ok := s.matchSecret(seg); ok {
			return rt
		}
		return route{kind: EndpointUnknown, serveAPI: func(w http.ResponseWriter, r *http.Request, _ *clientRecord) { notFound(w, r) }}
	}
	return route{kind: EndpointUnknown, serve: notFound}
}

// baseURL is the server's root URL in issuers and links: the public URL if
// one was set (WithPublicURL), else the URL as the client addressed it.
func (s *Server) baseURL(r *http.Request) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// apiBaseURL is the management API root, based on baseURL.
func (s *Server) apiBaseURL(r *http.Request) string { return s.baseURL(r) + "/v1" }
