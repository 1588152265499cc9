package api

import (
	"fmt"
	"strings"
	"time"
)

// Activity is a PingOne audit activity, the fields p1ctl shows of one.
// Commands keep the resource as received for -o json.
type Activity struct {
	ID            string `json:"id"`
	RecordedAt    string `json:"recordedAt"`
	CreatedAt     string `json:"createdAt,omitempty"`
	CorrelationID string `json:"correlationId,omitempty"`
	Action        struct {
		Type        string `json:"type"`
		Description string `json:"description,omitempty"`
	} `json:"action"`
	Actors struct {
		Client *ActivityActor `json:"client,omitempty"`
		User   *ActivityActor `json:"user,omitempty"`
	} `json:"actors"`
	Resources []ActivityActor `json:"resources,omitempty"`
	Result    struct {
		Status      string `json:"status"`
		Description string `json:"description,omitempty"`
	} `json:"result"`
}

// ActivityActor is a client, user or resource an activity names.
type ActivityActor struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Type string `json:"type,omitempty"`
}

// ActivityQuery selects audit activities: a time window and optional
// conditions, all of which an activity must meet.
type ActivityQuery struct {
	// Since and Until bound the window, both exclusive.
	Since, Until time.Time
	// ClientID is the acting client; "" for any.
	ClientID string
	// ActionTypes are the action types accepted; none for any.
	ActionTypes []string
	// ResourceID is a resource the activity concerns; "" for any.
	ResourceID string
	// CorrelationID is the request the activity recorded; "" for any.
	CorrelationID string
}

// maxFilterValue bounds an ID or action type put into a filter.
const maxFilterValue = 256

// CheckFilterValue reports whether s may go into a filter as a quoted
// value: IDs and action types are letters, digits and . _ - : only, so no
// value can end its string and add conditions of its own.
func CheckFilterValue(s string) error {
	if s == "" {
		return fmt.Errorf("it is empty")
	}
	if len(s) > maxFilterValue {
		return fmt.Errorf("it is longer than %d characters", maxFilterValue)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-:", r)) {
			return fmt.Errorf("%q is not allowed (only letters, digits, '.', '_', '-' and ':')", r)
		}
	}
	return nil
}

// filterTime is the timestamp form Ping's activity filter examples use.
const filterTime = "2006-01-02T15:04:05.000Z"

// Filter returns the SCIM filter for PingOne: the time window on
// recordedAt and, as Ping documents only one further condition, the most
// selective one of the query (correlation ID, then resource, then client,
// then a single action type). Matches applies them all. Values must have
// passed CheckFilterValue; they are escaped regardless.
func (q *ActivityQuery) Filter() string {
	f := fmt.Sprintf(`recordedat gt %s and recordedat lt %s`,
		quoteFilter(q.Since.UTC().Format(filterTime)), quoteFilter(q.Until.UTC().Format(filterTime)))
	switch {
	case q.CorrelationID != "":
		f += " and correlationid eq " + quoteFilter(q.CorrelationID)
	case q.ResourceID != "":
		f += " and resources.id eq " + quoteFilter(q.ResourceID)
	case q.ClientID != "":
		f += " and actors.client.id eq " + quoteFilter(q.ClientID)
	case len(q.ActionTypes) == 1:
		f += " and action.type eq " + quoteFilter(q.ActionTypes[0])
	}
	return f
}

// quoteFilter makes s a SCIM string literal (RFC 7644: a JSON string).
func quoteFilter(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// Matches reports whether a meets every condition of the query other than
// the time window, which PingOne applies. IDs compare ignoring case.
func (q *ActivityQuery) Matches(a *Activity) bool {
	if q.CorrelationID != "" && !strings.EqualFold(a.CorrelationID, q.CorrelationID) {
		return false
	}
	if q.ClientID != "" && (a.Actors.Client == nil || !strings.EqualFold(a.Actors.Client.ID, q.ClientID)) {
		return false
	}
	if len(q.ActionTypes) > 0 && !containsFold(q.ActionTypes, a.Action.Type) {
		return false
	}
	if q.ResourceID != "" {
		for _, r := range a.Resources {
			if strings.EqualFold(r.ID, q.ResourceID) {
				return true
			}
		}
		return false
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
