package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

// errParsed stops a command once its flags are parsed.
var errParsed = errors.New("flags parsed")

// parsedFlags runs a command only until its flags are parsed (nothing is
// opened or written) and returns them, reading the environment from vars.
func parsedFlags(c command, args []string, vars map[string]string) (*flag.FlagSet, error) {
	var got *flag.FlagSet
	e := env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		getenv: func(k string) string { return vars[k] },
		parsed: func(fs *flag.FlagSet) error { got = fs; return errParsed }}
	if err := c.run(context.Background(), e, args); !errors.Is(err, errParsed) {
		return nil, err
	}
	return got, nil
}

// invocations are the argument lists that reach each command's flags (a
// subcommand with flags of its own is listed once per subcommand).
var invocations = map[string][][]string{
	"serve": {{}}, "migrate": {{}}, "seed": {{}},
	"user":       {{"add"}, {"role"}, {"list"}, {"reset-password"}},
	"import":     {{}, {"spend"}, {"register"}, {"postcodes"}, {"imd"}},
	"priorities": {{}}, "fund": {{}}, "tenders": {{}}, "export": {{}},
	"report": {{}}, "audit": {{}}, "backup": {{}},
	"version": nil, // no flags
}

// TestEveryFlagReadsItsEnvironmentVariable walks every command's flags and
// checks, for each, that SVHUB_NAME=v does what --name=v does, and that
// the command line beats the environment.
func TestEveryFlagReadsItsEnvironmentVariable(t *testing.T) {
	cmds := map[string]command{}
	for _, c := range commands() {
		cmds[c.name] = c
		if _, ok := invocations[c.name]; !ok {
			t.Errorf("command %q is new: list how to reach its flags in invocations", c.name)
		}
	}
	total := 0
	for name, argLists := range invocations {
		c, ok := cmds[name]
		if !ok {
			t.Errorf("invocations lists %q, which is no command", name)
			continue
		}
		for _, args := range argLists {
			where := strings.TrimSpace(name + " " + strings.Join(args, " "))
			fs, err := parsedFlags(c, args, nil)
			if err != nil || fs == nil {
				t.Errorf("svhub %s: flags never parsed (%v)", where, err)
				continue
			}
			fs.VisitAll(func(fl *flag.Flag) {
				total++
				checkFlagEnv(t, c, args, where, fl)
			})
		}
	}
	if total < 50 {
		t.Errorf("checked only %d flags; the walk is missing commands", total)
	}
	t.Logf("%d flags checked", total)
}

// valueAfter is the flag's value (as text) after running the command with
// extra arguments and environment, or why that failed.
func valueAfter(c command, args []string, flagName string, extra []string, vars map[string]string) (string, error) {
	fs, err := parsedFlags(c, append(append([]string{}, args...), extra...), vars)
	if err != nil {
		return "", err
	}
	return fs.Lookup(flagName).Value.String(), nil
}

func checkFlagEnv(t *testing.T, c command, args []string, where string, fl *flag.Flag) {
	t.Helper()
	env := envName(fl.Name)
	// Two values that differ from each other; for a bool flag, the
	// opposite of its default (for the environment) and its default.
	pairs := [][2]string{{"7", "9"}, {"date=Paid On", "supplier=Payee"}, {"7s", "9s"}}
	if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		if fl.DefValue == "true" {
			pairs = [][2]string{{"false", "true"}}
		} else {
			pairs = [][2]string{{"true", "false"}}
		}
	}
	for _, p := range pairs {
		envV, cmdV := p[0], p[1]
		byFlag, err := valueAfter(c, args, fl.Name, []string{"--" + fl.Name + "=" + envV}, nil)
		if err != nil {
			continue // not a value this flag takes; try the next pair
		}
		byCmd, err := valueAfter(c, args, fl.Name, []string{"--" + fl.Name + "=" + cmdV}, nil)
		if err != nil {
			continue
		}
		byEnv, err := valueAfter(c, args, fl.Name, nil, map[string]string{env: envV})
		if err != nil {
			t.Errorf("svhub %s: %s=%s: %v", where, env, envV, err)
			return
		}
		if byEnv != byFlag || byEnv == fl.DefValue {
			t.Errorf("svhub %s: %s=%s gives --%s %q, want %q (as --%s=%s)", where, env, envV, fl.Name, byEnv, byFlag, fl.Name, envV)
		}
		both, err := valueAfter(c, args, fl.Name, []string{"--" + fl.Name + "=" + cmdV}, map[string]string{env: envV})
		if err != nil {
			t.Errorf("svhub %s: --%s=%s with %s=%s: %v", where, fl.Name, cmdV, env, envV, err)
			return
		}
		if both != byCmd || both == byEnv {
			t.Errorf("svhub %s: --%s=%s with %s=%s gives %q, want the flag's %q", where, fl.Name, cmdV, env, envV, both, byCmd)
		}
		return
	}
	t.Errorf("svhub %s: --%s (%T) takes none of the test's sample values: add one", where, fl.Name, fl.Value)
}

func TestEnvironmentValues(t *testing.T) {
	serve := command{}
	report := command{}
	for _, c := range commands() {
		switch c.name {
		case "serve":
			serve = c
		case "report":
			report = c
		}
	}
	for v, want := range map[string]string{"yes": "true", "on": "true", "1": "true", "No": "false", "off": "false", "0": "false"} {
		got, err := valueAfter(serve, nil, "demo", nil, map[string]string{"SVHUB_DEMO": v})
		if err != nil || got != want {
			t.Errorf("SVHUB_DEMO=%s: got %q (%v), want %s", v, got, err, want)
		}
	}
	// A value the flag cannot take is an error naming the variable, not a
	// silent default.
	for env, v := range map[string]string{"SVHUB_TOP": "many", "SVHUB_DEMO": "perhaps"} {
		c := report
		if env == "SVHUB_DEMO" {
			c = serve
		}
		_, err := parsedFlags(c, nil, map[string]string{env: v})
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), env) {
			t.Errorf("%s=%s: got %v, want a usage error naming %s", env, v, err, env)
		}
	}
	// An empty variable is as good as unset.
	got, err := valueAfter(serve, nil, "addr", nil, map[string]string{"SVHUB_ADDR": ""})
	if err != nil || got != "127.0.0.1:8080" {
		t.Errorf("SVHUB_ADDR empty: got %q (%v), want the default", got, err)
	}
}
