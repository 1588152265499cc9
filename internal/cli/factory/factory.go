// Package factory wires the real dependencies into a cmdutil.Factory: the
// config loader bound to the global flags, the one HTTP client, token
// sources and the API client.
package factory

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/auth"
	"github.com/p1ctl/p1ctl/internal/build"
	"github.com/p1ctl/p1ctl/internal/cmdutil"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/httpx"
	"github.com/p1ctl/p1ctl/internal/iostreams"
	"github.com/p1ctl/p1ctl/internal/output"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// New returns a Factory whose settings come from flags (once parsed), the
// environment and the config file.
func New(ios *iostreams.IOStreams, flags *pflag.FlagSet) *cmdutil.Factory {
	f := &cmdutil.Factory{
		IOStreams: ios,
		Redactor:  &redact.Redactor{},
		Now:       time.Now,
	}
	loader := config.Loader{Flags: flags, Stdin: ios.In, StdinIsTerminal: ios.IsStdinTTY()}
	f.Runtime = sync.OnceValues(loader.Runtime)
	f.Settings = sync.OnceValues(func() (*config.Settings, error) {
		s, err := loader.Load()
		if err != nil {
			return nil, err
		}
		f.Redactor.AddClientSecret(s.ClientID, s.ClientSecret)
		for _, w := range s.Warnings {
			f.Warn(w)
		}
		return s, nil
	})
	f.HTTPClient = sync.OnceValues(func() (*http.Client, error) {
		rt, err := f.Runtime()
		if err != nil {
			return nil, err
		}
		opts := httpx.Options{
			Timeout:    rt.Timeout,
			UserAgent:  "p1ctl/" + build.Current().Version,
			Redactor:   f.Redactor,
			MaxRetries: rt.MaxRetries,
		}
		if !rt.Quiet {
			opts.Notify = func(msg string) { fmt.Fprintln(ios.ErrOut, "p1ctl: "+output.OneLine(f.Redactor.String(msg))) }
		}
		if rt.Debug {
			opts.Debug = ios.ErrOut
		}
		return httpx.NewClient(opts), nil
	})
	f.TokenSource = func(o cmdutil.TokenOptions) (*auth.Source, error) { return tokenSource(f, o) }
	f.CacheDir = func() (string, error) {
		rt, err := f.Runtime()
		if err != nil {
			return "", err
		}
		return auth.CacheDir(rt.CacheDir)
	}
	f.TokenCache = func(scopes []string) (*auth.FileCache, error) {
		s, client, err := tokenClient(f, scopes)
		if err != nil {
			return nil, err
		}
		return tokenCache(f, s, client)
	}
	f.APIClient = func() (*api.Client, error) {
		s, err := f.Settings()
		if err != nil {
			return nil, err
		}
		hc, err := f.HTTPClient()
		if err != nil {
			return nil, err
		}
		src, err := f.TokenSource(cmdutil.TokenOptions{})
		if err != nil {
			return nil, err
		}
		return &api.Client{BaseURL: s.APIURL, HTTP: hc, Tokens: src, Redactor: f.Redactor}, nil
	}
	return f
}

// tokenClient returns the settings and the token endpoint client for the
// configured application, asking for scopes.
func tokenClient(f *cmdutil.Factory, scopes []string) (*config.Settings, *auth.Client, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, nil, err
	}
	if err := s.CheckTokenRequest(); err != nil {
		return nil, nil, err
	}
	hc, err := f.HTTPClient()
	if err != nil {
		return nil, nil, err
	}
	client := &auth.Client{
		TokenURL:     s.TokenURL,
		ClientID:     s.ClientID,
		ClientSecret: s.ClientSecret,
		Method:       s.AuthMethod,
		Scopes:       scopes,
		HTTPClient:   hc,
		Now:          f.Now,
		Redactor:     f.Redactor,
	}
	switch s.AuthMethod {
	case config.AuthClientSecretJWT:
		if client.Signer, err = auth.NewSecretSigner(s.ClientSecret); err != nil {
			return nil, nil, &config.Error{Key: config.KeyClientSecret, Problem: "cannot sign a client_secret_jwt assertion", Err: err}
		}
	case config.AuthPrivateKeyJWT:
		if client.Signer, err = auth.NewKeySigner(s.PrivateKeyFile, s.KeyID); err != nil {
			return nil, nil, err
		}
		if w := auth.KeyFileWarning(s.PrivateKeyFile); w != "" {
			f.Warn(w)
		}
	}
	return s, client, nil
}

func tokenSource(f *cmdutil.Factory, o cmdutil.TokenOptions) (*auth.Source, error) {
	s, client, err := tokenClient(f, o.Scopes)
	if err != nil {
		return nil, err
	}
	rt, err := f.Runtime()
	if err != nil {
		return nil, err
	}
	noCache := o.NoCache || rt.NoCache
	minTTL := config.DefaultMinTTL
	switch {
	case o.MinTTL != nil:
		minTTL = *o.MinTTL
	case !noCache:
		// P1CTL_MIN_TTL concerns the cache alone: only it stops here.
		if rt.MinTTLErr != nil {
			return nil, rt.MinTTLErr
		}
		minTTL = rt.MinTTL
	}
	src := &auth.Source{
		Client:       client,
		MinTTL:       minTTL,
		ForceRefresh: o.ForceRefresh,
		OnToken:      func(t *auth.Token) { f.Redactor.Add(t.AccessToken) },
		Warn:         f.Warn,
	}
	if noCache {
		return src, nil
	}
	cache, err := tokenCache(f, s, client)
	if err != nil {
		f.Warn(fmt.Sprintf("%v; continuing without the token cache", err))
		return src, nil
	}
	src.Store = cache
	return src, nil
}

// tokenCache returns the file cache for the token client would fetch, or
// an *auth.CacheDirError when there is no cache directory.
func tokenCache(f *cmdutil.Factory, s *config.Settings, client *auth.Client) (*auth.FileCache, error) {
	dir, err := f.CacheDir()
	if err != nil {
		return nil, err
	}
	credential := []byte(s.ClientSecret)
	if client.Signer != nil && client.Signer.KeyFingerprint != nil {
		credential = client.Signer.KeyFingerprint
	}
	return &auth.FileCache{
		Dir:  dir,
		Key:  auth.CacheKey(client.TokenURL, client.ClientID, s.AuthMethod, client.Scopes, credential),
		Now:  f.Now,
		Warn: f.Warn,
	}, nil
}
