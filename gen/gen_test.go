// Package gen_test checks that the generated packages under gen/ are exactly
// what the pinned oapi-codegen produces from the curated documents in api/.
package gen_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"
)

// root is the repository root, seen from gen/ where the test runs.
const root = ".."

const generatorModule = "github.com/oapi-codegen/oapi-codegen/v2"

// generatorCmd is the command generate.go's //go:generate lines run.
const generatorCmd = "go run " + generatorModule + "/cmd/oapi-codegen"

// configuration mirrors the configuration type of oapi-codegen's command
// (cmd/oapi-codegen), which is not importable: codegen's configuration plus
// the output file.
type configuration struct {
	codegen.Configuration `yaml:",inline"`

	// OutputFile is the filename to output.
	OutputFile string `yaml:"output,omitempty"`
}

// generation is one //go:generate invocation of oapi-codegen.
type generation struct {
	config, spec string // relative to the repository root
}

// generations reads the oapi-codegen invocations from generate.go, so that the
// check runs exactly what `go generate ./...` runs.
func generations(t *testing.T) []generation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "generate.go"))
	if err != nil {
		t.Fatalf("reading generate.go: %v", err)
	}
	var out []generation
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "//go:generate ")
		if !ok {
			continue
		}
		args, ok := strings.CutPrefix(line, generatorCmd+" ")
		if !ok {
			t.Fatalf("generate.go: unexpected //go:generate line %q: this check understands only %q", line, generatorCmd+" -config FILE SPEC")
		}
		f := strings.Fields(args)
		if len(f) != 3 || f[0] != "-config" {
			t.Fatalf("generate.go: unexpected oapi-codegen arguments %q: this check understands only -config FILE SPEC", args)
		}
		out = append(out, generation{config: f[1], spec: f[2]})
	}
	if len(out) == 0 {
		t.Fatal("generate.go has no //go:generate lines running oapi-codegen")
	}
	return out
}

// TestGenerated regenerates every package under gen/ in-process, the way
// oapi-codegen's command does, and compares the result byte for byte with the
// committed file.
func TestGenerated(t *testing.T) {
	gens := generations(t)
	configured := map[string]bool{}
	for _, g := range gens {
		configured[filepath.ToSlash(filepath.Clean(g.config))] = true
	}
	// Every generator configuration under gen/ must be run by generate.go.
	configs, _ := filepath.Glob(filepath.Join(root, "gen", "*", "oapi-codegen.yaml"))
	for _, c := range configs {
		rel, _ := filepath.Rel(root, c)
		if !configured[filepath.ToSlash(rel)] {
			t.Errorf("%s is not used by any //go:generate line in generate.go", filepath.ToSlash(rel))
		}
	}

	version := generatorVersion(t)
	for _, g := range gens {
		t.Run(filepath.Base(filepath.Dir(g.config)), func(t *testing.T) {
			cfg := loadConfig(t, g.config)
			want, err := generate(cfg, g.spec, version)
			if err != nil {
				t.Fatalf("oapi-codegen %s (config %s): %v", g.spec, g.config, err)
			}
			out := filepath.ToSlash(cfg.OutputFile)
			got, err := os.ReadFile(filepath.Join(root, cfg.OutputFile))
			if err != nil {
				t.Fatalf("%s is missing (%v): run `go generate ./...`", out, err)
			}
			if !bytes.Equal(got, want) {
				line, committed, generated := firstDifference(got, want)
				t.Errorf("%s is stale: run `go generate ./...`\nfirst difference at line %d:\n\tcommitted: %s\n\tgenerated: %s", out, line, committed, generated)
			}
			checkOnlyGenerated(t, filepath.Dir(cfg.OutputFile), filepath.Base(cfg.OutputFile))
		})
	}
}

// loadConfig reads an oapi-codegen configuration file the way its command
// does for a new-style configuration.
func loadConfig(t *testing.T, file string) configuration {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Fatalf("reading %s: %v", file, err)
	}
	// The command accepts a file only if it parses as one of its two
	// configuration styles; ours are all new style, checked strictly.
	var cfg configuration
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		t.Fatalf("%s is not an oapi-codegen configuration: %v", file, err)
	}
	cfg.Configuration = cfg.UpdateDefaults()
	if cfg.PackageName == "" {
		t.Fatalf("%s: set package (the command would otherwise guess it)", file)
	}
	if cfg.OutputFile == "" {
		t.Fatalf("%s: set output", file)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("%s: configuration error: %v", file, err)
	}
	return cfg
}

// generate runs oapi-codegen in-process, as cmd/oapi-codegen does after
// reading its configuration.
func generate(cfg configuration, spec, version string) ([]byte, error) {
	overlayOpts := util.LoadSwaggerWithOverlayOpts{
		Path:                cfg.OutputOptions.Overlay.Path,
		Strict:              true,
		AllowRemoteRefsFrom: cfg.AllowRemoteRefsFrom,
	}
	if cfg.OutputOptions.Overlay.Strict != nil {
		overlayOpts.Strict = *cfg.OutputOptions.Overlay.Strict
	}
	if overlayOpts.Path != "" {
		overlayOpts.Path = filepath.Join(root, overlayOpts.Path)
	}
	swagger, err := util.LoadSwaggerWithOverlay(filepath.Join(root, spec), overlayOpts)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", spec, err)
	}
	// The generated header names the module and version of the running
	// binary. `go run` of the pinned command makes that the generator
	// itself; in this test binary it is this module, so fix it up.
	cfg.NoVCSVersionOverride = &version
	code, err := codegen.Generate(swagger, cfg.Configuration)
	if err != nil {
		return nil, err
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path != "" && bi.Main.Path != generatorModule {
		code = strings.Replace(code,
			"// Code generated by "+bi.Main.Path+" version "+version+" DO NOT EDIT.",
			"// Code generated by "+generatorModule+" version "+version+" DO NOT EDIT.", 1)
	}
	return []byte(code), nil
}

// generatorVersion returns the version of oapi-codegen go.mod pins (test
// binaries carry no dependency versions in their build information).
func generatorVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatalf("reading go.mod: %v", err)
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		t.Fatalf("go.mod: %v", err)
	}
	for _, r := range f.Replace {
		if r.Old.Path == generatorModule {
			t.Fatalf("go.mod replaces %s: this check cannot tell which version `go generate` runs", generatorModule)
		}
	}
	for _, r := range f.Require {
		if r.Mod.Path == generatorModule {
			return r.Mod.Version
		}
	}
	t.Fatalf("go.mod does not require %s", generatorModule)
	return ""
}

// firstDifference returns the 1-based number of the first line where a and b
// differ, and that line of each (quoted, "<end of file>" past the end).
func firstDifference(a, b []byte) (int, string, string) {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		line := func(lines []string) string {
			if i < len(lines) {
				return fmt.Sprintf("%q", lines[i])
			}
			return "<end of file>"
		}
		if i >= len(al) || i >= len(bl) || al[i] != bl[i] {
			return i + 1, line(al), line(bl)
		}
	}
	return 0, "", ""
}

// checkOnlyGenerated fails for hand-written Go files beside a generated one:
// gen/ holds only generator output.
func checkOnlyGenerated(t *testing.T, dir, generated string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || name == generated {
			continue
		}
		t.Errorf("%s is not produced by oapi-codegen: %s holds only generated code (move it out of gen/)", filepath.ToSlash(filepath.Join(dir, name)), filepath.ToSlash(dir))
	}
}
