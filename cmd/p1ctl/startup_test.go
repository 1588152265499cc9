package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// maxOwnInitBytes bounds what any one of p1ctl's own packages may allocate
// while it initialises. Start-up cost is measured by bench/run.sh, not by
// timing tests; this keeps the cause of a slow start, work in package
// initialisation (a regular expression compiled, a table built), from
// creeping back into p1ctl's own code unnoticed.
const maxOwnInitBytes = 4096

// TestOwnPackagesInitialiseCheaply runs this test binary, which links every
// p1ctl package the real binary does, with GODEBUG=inittrace=1 and checks
// how much each of p1ctl's internal packages allocates in its initialisers.
func TestOwnPackagesInitialiseCheaply(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("running %s with inittrace: %v\n%s", os.Args[0], err, stderr.String())
	}

	traced := 0
	trace := stderr.String()
	sc := bufio.NewScanner(strings.NewReader(trace))
	for sc.Scan() {
		// init github.com/p1ctl/p1ctl/internal/config @3.2 ms, 0.005 ms clock, 952 bytes, 11 allocs
		fields := strings.Fields(sc.Text())
		if len(fields) != 11 || fields[0] != "init" || fields[8] != "bytes," {
			continue
		}
		traced++
		pkg := fields[1]
		if !strings.HasPrefix(pkg, "github.com/p1ctl/p1ctl/internal/") {
			continue
		}
		bytesAllocated, err := strconv.Atoi(fields[7])
		if err != nil {
			t.Fatalf("unexpected inittrace line %q: %v", sc.Text(), err)
		}
		if bytesAllocated > maxOwnInitBytes {
			t.Errorf("%s allocates %d bytes at init (limit %d): move the work to first use", pkg, bytesAllocated, maxOwnInitBytes)
		}
	}
	if traced == 0 {
		t.Fatalf("no inittrace lines in the output; has the format changed?\n%s", trace)
	}
}
