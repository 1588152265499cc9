package config

import (
	"fmt"
	"strings"
)

// Error is a missing, invalid or conflicting setting. The CLI reports it
// with exit code 2.
type Error struct {
	// Key is the setting involved, or "" when the error is about the config
	// file or profile as a whole.
	Key string
	// Problem says what is wrong, e.g. `environment ID "x" is not a UUID`.
	Problem string
	// Hint says what to do; when empty it is derived from Key.
	Hint string
	// Err is the underlying cause, if any.
	Err error
}

func (e *Error) Error() string {
	if fix := e.Fix(); fix != "" {
		return e.What() + ": " + fix
	}
	return e.What()
}

func (e *Error) Unwrap() error { return e.Err }

// What says what is wrong, with its cause.
func (e *Error) What() string {
	if e.Err != nil {
		return e.Problem + ": " + e.Err.Error()
	}
	return e.Problem
}

// Fix says what to do: Hint, or else how to set Key.
func (e *Error) Fix() string {
	if e.Hint != "" || e.Key == "" {
		return e.Hint
	}
	return "set " + HowToSet(e.Key)
}

// HowToSet names the flag and environment variable that set key, e.g.
// "--client-id or PINGONE_CLIENT_ID".
func HowToSet(key string) string {
	k, ok := LookupKey(key)
	if !ok {
		return key
	}
	var ways []string
	if k.Flag != "" {
		ways = append(ways, "--"+k.Flag)
	}
	if len(k.Env) > 0 {
		ways = append(ways, k.Env[0])
	}
	ways = append(ways, fmt.Sprintf("%q in the config profile", k.Name))
	return OrList(ways)
}

// OrList joins items as "a, b or c" ("a or b" for two, "a" for one).
func OrList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// ShellQuote returns s as a POSIX shell word, for a command a message
// suggests: unchanged when it holds only characters no shell treats
// specially, else in single quotes.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,/:@%+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
