// Command mfakit administers multi-factor authentication in Okta and OneLogin from the
// command line, on the public mfakit packages only (oktaclient, oneloginclient and their
// fakes oktatest and onelogintest).
//
// It reads credentials from the environment; when a provider has none, it starts that
// provider's embedded fake server (seeded with users, factors and authenticators), so that
// every command works on a fresh clone. Run "mfakit help" for the commands and variables,
// and "mfakit demo" for a guided tour of the SDK.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses of run.
const (
	exitOK      = 0
	exitFailure = 1 // a call failed: the server said no, the network broke, ...
	exitUsage   = 2 // bad arguments or environment; nothing was sent
)

// command is one leaf command of the CLI, such as "okta authenticators get ID".
type command struct {
	path  string   // the words that select it, e.g. "okta authenticators get"
	args  []string // names of its positional arguments, e.g. {"ID"}
	short string   // one line for the usage text
	run   func(a *app, args []string) error
}

// commands lists every leaf command, in the order the usage text shows them. demo and
// help are handled by dispatch itself.
var commands = []command{
	{"okta authenticators list", nil, "list the org's authenticators", oktaAuthenticatorsList},
	{"okta authenticators get", []string{"ID"}, "show one authenticator (ID or key, e.g. phone_number)", oktaAuthenticatorsGet},
	{"okta authenticators activate", []string{"ID"}, "activate an authenticator", oktaAuthenticatorsActivate},
	{"okta authenticators deactivate", []string{"ID"}, "deactivate an authenticator", oktaAuthenticatorsDeactivate},
	{"okta methods list", []string{"AUTHENTICATOR_ID"}, "list an authenticator's methods (ID or key)", oktaMethodsList},
	{"okta factors list", []string{"USER"}, "list a user's enrolled factors", oktaFactorsList},
	{"okta enrollments list", []string{"USER"}, "list a user's authenticator enrollments", oktaEnrollmentsList},
	{"onelogin factors list", []string{"USER"}, "list a user's enrolled devices", oneloginFactorsList},
	{"onelogin factors available", []string{"USER"}, "list the factors a user may enroll", oneloginFactorsAvailable},
}

// usageError is a mistake in the command line or the environment: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelp means usage was printed on request: exit status 0.
var errHelp = errors.New("help requested")

// app is one invocation of the CLI: its environment, its output and the connections it
// opened (embedded fakes included), closed when it ends.
type app struct {
	ctx    context.Context
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	json   bool // --json: print the decoded values as JSON instead of a table

	okta     *oktaConn
	onelogin *oneloginConn
	secrets  []string // credentials read from the environment, scrubbed from error text
	closers  []func()
}

// run executes the command line args (without the program name) and returns the exit
// status. It is main without the process: tests call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	a := &app{ctx: ctx, getenv: getenv, stdout: stdout, stderr: stderr}
	defer a.close()
	err := a.dispatch(args)
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "mfakit: %s (run 'mfakit help' for usage)\n", a.scrub(ue.msg))
		return exitUsage
	default:
		fmt.Fprintf(stderr, "mfakit: %s\n", a.scrub(err.Error()))
		return exitFailure
	}
}

// close shuts down whatever the run opened, newest first.
func (a *app) close() {
	for _, f := range slices.Backward(a.closers) {
		f()
	}
}

// scrub makes an error message safe and one line: any credential taken from the
// environment is replaced (the clients never put one in an error, but a message that
// echoes user input could), and line breaks become spaces.
func (a *app) scrub(msg string) string {
	for _, s := range a.secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "[REDACTED]")
		}
	}
	return strings.Join(strings.Fields(msg), " ")
}

// dispatch finds the command named by the leading words of args and runs it.
func (a *app) dispatch(args []string) error {
	if len(args) == 0 {
		return usagef("no command given")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		a.usage()
		return errHelp
	case "demo":
		if err := a.parseFlags("demo", args[1:], nil, false); err != nil {
			return err
		}
		return a.demo()
	}

	words := leadingWords(args)
	if len(words) == 0 {
		return usagef("flag %q before a command", args[0])
	}
	for n := len(words); n > 0; n-- {
		path := strings.Join(words[:n], " ")
		i := slices.IndexFunc(commands, func(c command) bool { return c.path == path })
		if i < 0 {
			continue
		}
		c := commands[i]
		var pos []string
		if err := a.parseFlags(c.path, args[n:], &pos, true); err != nil {
			return err
		}
		switch {
		case len(pos) < len(c.args):
			return usagef("%s: missing %s; usage: mfakit %s", c.path, strings.Join(c.args[len(pos):], " "), c.synopsis())
		case len(pos) > len(c.args):
			return usagef("%s: unexpected argument %q; usage: mfakit %s", c.path, pos[len(c.args)], c.synopsis())
		}
		return c.run(a, pos)
	}

	// No command matched: say what could follow the words that were understood.
	if slices.Contains([]string{"help", "-h", "-help", "--help"}, args[len(args)-1]) {
		a.usage()
		return errHelp
	}
	for n := len(words); n > 0; n-- {
		prefix := strings.Join(words[:n], " ") + " "
		var next []string
		for _, c := range commands {
			if rest, ok := strings.CutPrefix(c.path, prefix); ok {
				if w, _, _ := strings.Cut(rest, " "); !slices.Contains(next, w) {
					next = append(next, w)
				}
			}
		}
		if len(next) > 0 {
			if n == len(words) {
				return usagef("%q needs one of: %s", strings.TrimSpace(prefix), strings.Join(next, ", "))
			}
			return usagef("unknown command %q; after %q comes one of: %s", strings.Join(words, " "), strings.TrimSpace(prefix), strings.Join(next, ", "))
		}
	}
	return usagef("unknown command %q", strings.Join(words, " "))
}

// leadingWords returns the arguments before the first flag.
func leadingWords(args []string) []string {
	for i, s := range args {
		if strings.HasPrefix(s, "-") {
			return args[:i]
		}
	}
	return args
}

// parseFlags parses a command's flags (--json when withJSON, and -h), which may come
// before, after or between its positional arguments; the positional arguments go to pos.
// A command that takes none (pos nil) rejects any.
func (a *app) parseFlags(name string, args []string, pos *[]string, withJSON bool) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by run, as one line
	if withJSON {
		fs.BoolVar(&a.json, "json", false, "print the values as JSON")
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				a.usage()
				return errHelp
			}
			return usagef("%s: %v", name, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return nil
		}
		if pos == nil {
			return usagef("%s takes no arguments, got %q", name, args[0])
		}
		*pos = append(*pos, args[0])
		args = args[1:]
	}
}

// synopsis is the command's usage line, without the program name.
func (c command) synopsis() string {
	s := c.path
	for _, arg := range c.args {
		s += " " + arg
	}
	return s + " [--json]"
}
