// Command listmem measures the peak resident memory of the real p1ctl
// binary running `env list` against a local emulator serving N generated
// environments, for docs/performance.md. The emulator runs in this
// process; GNU time (/usr/bin/time, Debian package time) reports p1ctl's
// own peak.
//
// Usage: go run ./bench/listmem -p1ctl PATH [-n 200,20000] [-o json,yaml,table,ndjson] [-runs 3]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/p1ctl/p1ctl/internal/emulator"
)

const secret = "generated-fixture-secret-for-the-list-benchmark"

func main() {
	bin := flag.String("p1ctl", "", "p1ctl binary to measure")
	counts := flag.String("n", "200,2000,20000", "comma-separated numbers of environments")
	formats := flag.String("o", "json,yaml,table,ndjson", "comma-separated output formats")
	runs := flag.Int("runs", 3, "runs per measurement; the median is reported")
	limit := flag.Int("limit", 100, "page size passed as --limit")
	flag.Parse()
	if *bin == "" || *runs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	fmt.Printf("| environments | output | pages | bytes written | peak RSS (median of %d) |\n|---|---|---|---|---|\n", *runs)
	for _, s := range strings.Split(*counts, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			fail(fmt.Errorf("bad count %q", s))
		}
		base, env := start(n)
		for _, format := range strings.Split(*formats, ",") {
			var rss []int64
			var written int64
			for range *runs {
				kb, w, err := measure(*bin, base, env, format, *limit)
				if err != nil {
					fail(err)
				}
				rss, written = append(rss, kb), w
			}
			slices.Sort(rss)
			fmt.Printf("| %d | %s | %d | %.1f MB | %.1f MiB |\n", n, format, (n+*limit-1) / *limit,
				float64(written)/1e6, float64(rss[len(rss)/2])/1024)
		}
	}
}

// start serves n generated environments and returns the base URL and the
// environment holding the client.
func start(n int) (string, string) {
	f := emulator.GeneratedFixture(n, secret)
	home := f.Clients[0].EnvironmentID
	srv, err := emulator.New(f)
	if err != nil {
		fail(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	return base, home
}

// measure runs `p1ctl env list` once and returns its peak RSS in KiB and
// the bytes it wrote.
func measure(bin, base, env, format string, limit int) (int64, int64, error) {
	dir, err := os.MkdirTemp("", "listmem")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	// GNU time forks p1ctl with a copy of its own small address space.
	// Measuring p1ctl as this process's child would not do: Go starts
	// children with vfork, and Linux counts the parent's resident memory
	// (here the emulator's) in the child's peak.
	rssFile := dir + "/rss"
	cmd := exec.Command("/usr/bin/time", "-f", "%M", "-o", rssFile,
		bin, "env", "list", "-o", format, "--limit", strconv.Itoa(limit), "--timeout", "5m")
	cmd.Env = append(os.Environ(),
		"PINGONE_AUTH_URL="+base, "PINGONE_API_URL="+base+"/v1", "PINGONE_ENVIRONMENT_ID="+env,
		"PINGONE_CLIENT_ID="+emulator.GeneratedClientID, "PINGONE_CLIENT_SECRET="+secret, "PINGONE_AUTH_METHOD=client_secret_basic",
		"P1CTL_CACHE_DIR="+dir+"/cache", "XDG_CONFIG_HOME="+dir+"/config", "HOME="+dir)
	var stderr bytes.Buffer
	counter := &countWriter{}
	cmd.Stdout, cmd.Stderr = counter, &stderr
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%s: %v: %s", strings.Join(cmd.Args, " "), err, stderr.Bytes())
	}
	out, err := os.ReadFile(rssFile)
	if err != nil {
		return 0, 0, err
	}
	kb, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("GNU time wrote %q: %v", out, err)
	}
	return kb, counter.n, nil
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "listmem:", err)
	os.Exit(1)
}
