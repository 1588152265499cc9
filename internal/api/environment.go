package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// Environment is a PingOne environment. Raw keeps the resource exactly as
// PingOne sent it, including fields p1ctl does not know.
type Environment struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Description  string          `json:"description,omitempty"`
	Type         string          `json:"type"`
	Region       string          `json:"region"`
	Status       string          `json:"status,omitempty"`
	Subtype      string          `json:"subtype,omitempty"`
	License      *License        `json:"license,omitempty"`
	Organization *Reference      `json:"organization,omitempty"`
	Icon         string          `json:"icon,omitempty"`
	CreatedAt    string          `json:"createdAt,omitempty"`
	UpdatedAt    string          `json:"updatedAt,omitempty"`
	Raw          json.RawMessage `json:"-"`
}

// License is an environment's licence reference.
type License struct {
	ID      string `json:"id"`
	Package string `json:"package,omitempty"`
}

// Reference is a link to another resource by ID.
type Reference struct {
	ID string `json:"id"`
}

// GetEnvironment reads one environment.
func (c *Client) GetEnvironment(ctx context.Context, id string) (*Environment, error) {
	var env Environment
	raw, err := c.GetJSON(ctx, "/environments/"+url.PathEscape(id), &env)
	if err != nil {
		return nil, err
	}
	if env.ID == "" {
		return nil, &ShapeError{Status: 200, URL: c.URL("/environments/" + id), Snippet: Snippet(c.Redactor, raw), Err: errors.New(`no "id" field`)}
	}
	env.Raw = raw
	return &env, nil
}
