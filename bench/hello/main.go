// Command hello is the baseline for start-up timings: the smallest Go
// program that writes a line.
package main

import "os"

func main() {
	os.Stdout.WriteString("hello\n")
}
