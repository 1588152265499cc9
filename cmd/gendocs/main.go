// Command gendocs writes p1ctl's command reference: one Markdown page per
// command into docs/commands/ and one man page per command into docs/man/,
// both generated from the Cobra command tree, so the reference always
// matches the code. New commands are picked up without changes here.
//
//	go run ./cmd/gendocs          # regenerate docs/commands and docs/man
//	go run ./cmd/gendocs -check   # fail, listing the stale files, if they are out of date
//
// The output is deterministic: no generation date in the Markdown and a
// fixed date and source in the man page headers, so running it twice, or
// on another machine, changes nothing.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"

	"github.com/p1ctl/p1ctl/internal/cli/factory"
	"github.com/p1ctl/p1ctl/internal/cli/root"
	"github.com/p1ctl/p1ctl/internal/config"
	"github.com/p1ctl/p1ctl/internal/iostreams"
)

// manDate is the date in every man page header. It is fixed so that the
// pages do not change with the day they are generated on; move it forward
// when the pages change substantially.
var manDate = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// The two output directories, relative to -dir, and the names of the files
// gendocs owns in each: any other file there is left alone.
var outputs = []struct {
	dir     string
	pattern string
	gen     func(cmd *cobra.Command, dir string) error
}{
	{"commands", "p1ctl*.md", genMarkdown},
	{"man", "p1ctl*.1", genMan},
}

func main() {
	dir := flag.String("dir", "docs", "write the commands/ and man/ directories under `DIR`")
	check := flag.Bool("check", false, "do not write; exit 1 listing the files that are missing, stale or no longer generated")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./cmd/gendocs [-check] [-dir DIR]\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	stale, err := run(*dir, *check, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
	if *check && len(stale) > 0 {
		fmt.Fprintf(os.Stderr, "gendocs: %d generated doc file(s) out of date:\n", len(stale))
		for _, s := range stale {
			fmt.Fprintln(os.Stderr, "  "+s)
		}
		fmt.Fprintln(os.Stderr, "run `go run ./cmd/gendocs` (make docs) and commit the result")
		os.Exit(1)
	}
}

// run generates the docs into a temporary directory and compares them with
// those under dir. Unless check is set it then brings dir up to date,
// writing only the files that differ and removing pages of commands that
// no longer exist. It returns the files that were (or, with check, would
// be) changed, as paths under dir.
func run(dir string, check bool, log io.Writer) ([]string, error) {
	tmp, err := os.MkdirTemp("", "p1ctl-gendocs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	var changed []string
	for _, o := range outputs {
		gen := filepath.Join(tmp, o.dir)
		if err := os.Mkdir(gen, 0o755); err != nil {
			return nil, err
		}
		// A fresh tree for each generator: the generators initialise
		// help flags and commands as they go.
		if err := o.gen(newTree(), gen); err != nil {
			return nil, fmt.Errorf("generating %s: %w", o.dir, err)
		}
		c, err := sync(gen, filepath.Join(dir, o.dir), o.pattern, check)
		if err != nil {
			return nil, err
		}
		changed = append(changed, c...)
	}
	if !check {
		for _, c := range changed {
			if name, ok := strings.CutSuffix(c, noLonger); ok {
				fmt.Fprintln(log, "removed", name)
			} else {
				fmt.Fprintln(log, "updated", c)
			}
		}
	}
	return changed, nil
}

// newTree builds the real command tree, as p1ctl does, without running it.
func newTree() *cobra.Command {
	ios, _, _, _ := iostreams.Test()
	flags := pflag.NewFlagSet("global", pflag.ContinueOnError)
	config.AddFlags(flags)
	cmd := root.NewCmdRoot(factory.New(ios, flags), flags)
	// Cobra adds --version when the command runs; show it in the reference.
	cmd.InitDefaultVersionFlag()
	var disable func(*cobra.Command)
	disable = func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		for _, sub := range c.Commands() {
			disable(sub)
		}
	}
	disable(cmd)
	return cmd
}

// genMarkdown writes docs/commands/p1ctl*.md: the tree, plus the help
// topics (such as exit-codes) that GenMarkdownTree leaves out.
func genMarkdown(cmd *cobra.Command, dir string) error {
	if err := doc.GenMarkdownTree(cmd, dir); err != nil {
		return err
	}
	return forTopics(cmd, func(c *cobra.Command) error {
		name := strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
		if err := writeFile(filepath.Join(dir, name), func(w io.Writer) error {
			return doc.GenMarkdown(c, w)
		}); err != nil {
			return err
		}
		// List the topic under its parent's SEE ALSO, the page's last
		// section, as GenMarkdown does for commands.
		parent := filepath.Join(dir, strings.ReplaceAll(c.Parent().CommandPath(), " ", "_")+".md")
		page, err := os.ReadFile(parent)
		if err != nil {
			return err
		}
		page = append(bytes.TrimRight(page, "\n"), fmt.Sprintf("\n* [%s](%s)\t - %s\n\n", c.CommandPath(), name, c.Short)...)
		return os.WriteFile(parent, page, 0o644)
	})
}

// genMan writes docs/man/p1ctl*.1, in the same way.
func genMan(cmd *cobra.Command, dir string) error {
	header := func() *doc.GenManHeader {
		date := manDate
		return &doc.GenManHeader{Section: "1", Date: &date, Source: "p1ctl", Manual: "p1ctl Manual"}
	}
	if err := doc.GenManTree(cmd, header(), dir); err != nil {
		return err
	}
	return forTopics(cmd, func(c *cobra.Command) error {
		return writeFile(filepath.Join(dir, strings.ReplaceAll(c.CommandPath(), " ", "-")+".1"), func(w io.Writer) error {
			return doc.GenMan(c, header(), w)
		})
	})
}

// forTopics calls fn for every visible help topic (a command with no run
// function and no subcommands) in the tree under cmd.
func forTopics(cmd *cobra.Command, fn func(*cobra.Command) error) error {
	for _, c := range cmd.Commands() {
		if c.Hidden || c.Deprecated != "" || c.Name() == "help" {
			continue
		}
		if c.IsAdditionalHelpTopicCommand() {
			if err := fn(c); err != nil {
				return err
			}
			continue
		}
		if err := forTopics(c, fn); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name string, gen func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := gen(&buf); err != nil {
		return err
	}
	return os.WriteFile(name, buf.Bytes(), 0o644)
}

// noLonger marks a file of a command that no longer exists.
const noLonger = " (no longer generated)"

// sync compares the generated files in gen with the files matching pattern
// in dst and returns those that differ, are missing, or are no longer
// generated. Unless check is set it makes dst match gen.
func sync(gen, dst, pattern string, check bool) ([]string, error) {
	want, err := readDir(gen, pattern)
	if err != nil {
		return nil, err
	}
	have, err := readDir(dst, pattern)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	var changed []string
	for name, data := range want {
		if old, ok := have[name]; ok && bytes.Equal(old, data) {
			continue
		}
		changed = append(changed, filepath.Join(dst, name))
		if check {
			continue
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	for name := range have {
		if _, ok := want[name]; ok {
			continue
		}
		changed = append(changed, filepath.Join(dst, name)+noLonger)
		if check {
			continue
		}
		if err := os.Remove(filepath.Join(dst, name)); err != nil {
			return nil, err
		}
	}
	slices.Sort(changed)
	return changed, nil
}

// readDir returns the contents of the regular files in dir whose names
// match pattern.
func readDir(dir, pattern string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if ok, _ := filepath.Match(pattern, e.Name()); !ok || !e.Type().IsRegular() {
			continue
		}
		data, err := fs.ReadFile(os.DirFS(dir), e.Name())
		if err != nil {
			return nil, err
		}
		files[e.Name()] = data
	}
	return files, nil
}
