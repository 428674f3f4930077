// Command genfixtures writes the benchmark fixtures (see package
// internal/fixtures) into a directory:
//
//	go run ./cmd/genfixtures -out internal/fixtures/testdata
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/mfakit/mfakit/bench/internal/fixtures"
)

func main() {
	out := flag.String("out", "internal/fixtures/testdata", "directory to write the fixture files to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genfixtures:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	files, err := fixtures.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), files[n], 0o644); err != nil {
			return err
		}
		fmt.Printf("%s\t%d bytes\n", n, len(files[n]))
	}
	return nil
}
