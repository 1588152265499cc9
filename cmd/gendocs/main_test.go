package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// generate runs gendocs into a fresh directory and returns it.
func generate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var log bytes.Buffer
	changed, err := run(dir, false, &log)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) == 0 {
		t.Fatal("nothing generated")
	}
	return dir
}

func TestGeneratesEveryCommand(t *testing.T) {
	dir := generate(t)
	for _, name := range []string{
		"commands/p1ctl.md",
		"commands/p1ctl_token_get.md",
		"commands/p1ctl_env_read.md",
		"commands/p1ctl_version.md",
		"commands/p1ctl_exit-codes.md",
		"man/p1ctl.1",
		"man/p1ctl-token-get.1",
		"man/p1ctl-version.1",
		"man/p1ctl-exit-codes.1",
	} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	// Every visible command has a page in both forms.
	root := newTree()
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		md := filepath.Join(dir, "commands", "p1ctl_"+c.Name()+".md")
		man := filepath.Join(dir, "man", "p1ctl-"+c.Name()+".1")
		for _, f := range []string{md, man} {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("no page for p1ctl %s: %v", c.Name(), err)
			}
		}
	}
	rootPage, _ := os.ReadFile(filepath.Join(dir, "commands", "p1ctl.md"))
	if !bytes.Contains(rootPage, []byte("[p1ctl exit-codes](p1ctl_exit-codes.md)")) {
		t.Errorf("p1ctl.md does not link the exit-codes topic:\n%s", rootPage)
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	dir := generate(t)
	for _, name := range []string{"commands/p1ctl.md", "man/p1ctl.1"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, stamp := range []string{"Auto generated", "spf13/cobra"} {
			if bytes.Contains(data, []byte(stamp)) {
				t.Errorf("%s contains %q", name, stamp)
			}
		}
	}
	man, _ := os.ReadFile(filepath.Join(dir, "man", "p1ctl.1"))
	if !bytes.Contains(man, []byte(`.TH "P1CTL" "1" "Nov 2026" "p1ctl" "p1ctl Manual"`)) {
		t.Errorf("unexpected man header:\n%s", firstLines(man, 3))
	}

	// A second run, and a check, find nothing to do.
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	var log bytes.Buffer
	changed, err := run(dir, false, &log)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 0 || log.Len() != 0 {
		t.Errorf("second run changed %q (log %q)", changed, log.String())
	}
	if changed, err := run(dir, true, &log); err != nil || len(changed) != 0 {
		t.Errorf("check after generating: %q, %v", changed, err)
	}
}

func TestCheckFindsStaleFiles(t *testing.T) {
	dir := generate(t)
	edited := filepath.Join(dir, "commands", "p1ctl_token_get.md")
	missing := filepath.Join(dir, "man", "p1ctl-version.1")
	extra := filepath.Join(dir, "commands", "p1ctl_removed.md")
	mine := filepath.Join(dir, "commands", "notes.txt") // not gendocs's
	if err := os.WriteFile(edited, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(missing); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{extra, mine} {
		if err := os.WriteFile(f, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	var log bytes.Buffer
	changed, err := run(dir, true, &log)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{edited, extra + noLonger, missing}
	slices.Sort(want)
	if !slices.Equal(changed, want) {
		t.Errorf("check found %q, want %q", changed, want)
	}
	if data, _ := os.ReadFile(edited); string(data) != "old\n" {
		t.Error("check wrote a file")
	}

	// Without -check the directory is brought up to date.
	changed, err = run(dir, false, &log)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(changed, want) {
		t.Errorf("update changed %q, want %q", changed, want)
	}
	if _, err := os.Stat(extra); !os.IsNotExist(err) {
		t.Errorf("stale page not removed: %v", err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file gendocs does not own was touched: %v", err)
	}
	if !strings.Contains(log.String(), "removed "+extra+"\n") {
		t.Errorf("log:\n%s", log.String())
	}
	if changed, _ := run(dir, true, &log); len(changed) != 0 {
		t.Errorf("still stale after update: %q", changed)
	}
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
