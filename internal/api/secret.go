package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// ApplicationSecret is PingOne's answer to a secret rotation. Secret and
// Previous.Secret are credentials: callers register them with the
// redactor before anything else.
type ApplicationSecret struct {
	Secret   string          `json:"secret"`
	Previous *PreviousSecret `json:"previous,omitempty"`
}

// PreviousSecret is the replaced secret PingOne keeps valid until
// ExpiresAt.
type PreviousSecret struct {
	Secret    string    `json:"secret"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// secretPath is the secret endpoint of application appID in envID.
func secretPath(envID, appID string) string {
	return "/environments/" + url.PathEscape(envID) + "/applications/" + url.PathEscape(appID) + "/secret"
}

// RotateApplicationSecret makes a new secret for application appID in
// environment envID (POST .../secret). A non-zero keepUntil keeps the
// replaced secret valid until then; zero ends it at once.
func (c *Client) RotateApplicationSecret(ctx context.Context, envID, appID string, keepUntil time.Time) (*ApplicationSecret, error) {
	var body []byte
	if !keepUntil.IsZero() {
		body, _ = json.Marshal(map[string]any{"previous": map[string]string{"expiresAt": keepUntil.UTC().Format("2006-01-02T15:04:05.000Z")}})
	}
	path := secretPath(envID, appID)
	resp, raw, err := c.call(ctx, Request{Method: http.MethodPost, Path: path, Body: body})
	if err != nil {
		return nil, err
	}
	var s ApplicationSecret
	err = json.Unmarshal(raw, &s)
	// Masked from here on, in every message and trace of this run.
	c.Redactor.AddClientSecret(appID, s.Secret)
	if s.Previous != nil {
		c.Redactor.AddClientSecret(appID, s.Previous.Secret)
	}
	// The body holds secrets: a shape error quotes none of it.
	if err != nil {
		return nil, &ShapeError{Status: resp.StatusCode, URL: c.URL(path), Snippet: "[not shown: it may hold a secret]", Err: err}
	}
	if s.Secret == "" {
		return nil, &ShapeError{Status: resp.StatusCode, URL: c.URL(path), Snippet: "[not shown: it may hold a secret]", Err: errors.New(`no "secret" field`)}
	}
	return &s, nil
}

// DeletePreviousApplicationSecret ends application appID's previous
// secret before its expiry (DELETE .../secret/previous).
func (c *Client) DeletePreviousApplicationSecret(ctx context.Context, envID, appID string) error {
	path := secretPath(envID, appID) + "/previous"
	_, _, err := c.call(ctx, Request{Method: http.MethodDelete, Path: path})
	return err
}
