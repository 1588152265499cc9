package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/p1ctl/p1ctl/internal/api"
	"github.com/p1ctl/p1ctl/internal/redact"
)

// The excerpts that errors quote of unexpected answers are masked with the
// client's Redactor before they are cut: a registered secret echoed
// anywhere in the body, across the cut included, shows no part of itself.
func TestErrorExcerptsMaskRegisteredSecrets(t *testing.T) {
	const secret = "Xy7~kP2.qR9_vL4-mN8sT1wZ5bC3dF6gH0jK"
	tests := []struct {
		name   string
		status int
		call   func(c *api.Client) error
	}{
		{"error answer", http.StatusBadGateway, func(c *api.Client) error {
			_, err := c.GetEnvironment(context.Background(), envID)
			return err
		}},
		{"answer that is not JSON", http.StatusOK, func(c *api.Client) error {
			var v any
			_, err := c.GetJSON(context.Background(), "/environments", &v)
			return err
		}},
		{"page that is not JSON", http.StatusOK, func(c *api.Client) error {
			_, err := c.NewPager("/environments", nil).Next(context.Background())
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Pads put the secret before, across and after the cut.
			for pad := 80; pad <= 130; pad += 5 {
				body := "<html>" + strings.Repeat("p", pad) + secret + "</html>"
				srv := newAPIServer(t, func(w http.ResponseWriter, _ *http.Request, _ []seen) {
					w.WriteHeader(tt.status)
					io.WriteString(w, body)
				})
				c := srv.client(&fakeTokens{})
				c.Redactor = &redact.Redactor{}
				c.Redactor.Add(secret)
				err := tt.call(c)
				if err == nil {
					t.Fatal("no error")
				}
				for k := 4; k <= len(secret); k++ {
					if strings.Contains(err.Error(), secret[:k]) {
						t.Fatalf("pad %d: error shows %q: %v", pad, secret[:k], err)
					}
				}
			}
		})
	}
}
