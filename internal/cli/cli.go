// Package cli is the svhub command line: subcommands, flags and their
// SVHUB_* environment variables (a flag beats the environment, which beats
// the default).
package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/svhub/svhub/internal/app"
	"github.com/svhub/svhub/internal/auth"
	"github.com/svhub/svhub/internal/demo"
	"github.com/svhub/svhub/internal/fund"
	"github.com/svhub/svhub/internal/geo"
	"github.com/svhub/svhub/internal/orgs"
	"github.com/svhub/svhub/internal/priorities"
	"github.com/svhub/svhub/internal/problem"
	"github.com/svhub/svhub/internal/proxies"
	"github.com/svhub/svhub/internal/spend"
	"github.com/svhub/svhub/internal/store"
)

// Version is set at build time with -ldflags "-X …/cli.Version=…".
var Version = "dev"

// DefaultDB is where the hub keeps its data when nothing else is said.
const DefaultDB = "sqlite:data/svhub.db"

type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// parsed, if set, sees a command's flags once they are parsed and
	// read from the environment; an error it returns stops the command
	// (tests use it to check every flag without running anything).
	parsed func(*flag.FlagSet) error
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web hub", serve},
		{"migrate", "apply (up) or list (status) database migrations", migrate},
		{"seed", "create the demonstration data set (seed demo)", seed},
		{"user", "add, give roles to, or list users (user add|role|list)", user},
		{"import", "load reference geography (import geo DIR), the ONS postcode directory (import postcodes FILE), deprivation (import imd FILE), council spend files (import spend --buyer ORG FILE…), proxy values (import proxies FILE) or a price index (import deflator FILE)", importCmd},
		{"priorities", "recompute People's Weights from a ballot CSV (priorities aggregate FILE)", prioritiesCmd},
		{"fund", "allocate a participatory budget from a Pabulib file (fund allocate FILE.pb)", fundCmd},
		{"tenders", "recompute a tender's scores and ranking from its exported evaluation (tenders evaluate FILE.json)", tendersCmd},
		{"export", "write open data: an OCDS 1.1 release package of tenders, awards and contracts (export ocds)", exportCmd},
		{"report", "analyse a buyer's spend the CLES way (report spend --buyer ORG|--all-gm)", reportCmd},
		{"audit", "check the audit log's hash chain (audit verify)", auditCmd},
		{"backup", "write a consistent copy of an SQLite database", backup},
		{"version", "print the version", func(_ context.Context, e env, _ []string) error { fmt.Fprintln(e.stdout, "svhub", Version); return nil }},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: svhub COMMAND [flags]\n\nSocial Value Hub: spend public money with Greater Manchester's residents.\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'svhub COMMAND -h' for a command's flags. Every flag can also be set as SVHUB_FLAG_NAME.")
}

// Main runs the command line and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) < 2 || args[1] == "-h" || args[1] == "--help" || args[1] == "help" {
		usage(stderr)
		if len(args) < 2 {
			return 2
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfile, err := startProfile(e)
	if err != nil {
		fmt.Fprintln(stderr, "svhub:", err)
		return 2
	}
	defer stopProfile()
	for _, c := range commands() {
		if c.name == args[1] {
			err := c.run(ctx, e, args[2:])
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			if err != nil && ctx.Err() != nil && !strings.Contains(err.Error(), "interrupted") {
				// SIGTERM or Ctrl-C cancelled the command's work (its error
				// may be the context's, or what the cancelled driver said,
				// such as "statement is closed"); every import runs in one
				// transaction, which rolled back.
				err = fmt.Errorf("interrupted (SIGTERM or Ctrl-C); what it was writing was rolled back: %w", err)
			}
			if err != nil {
				fmt.Fprintln(stderr, "svhub "+c.name+": "+err.Error())
				var usageErr usageError
				if errors.As(err, &usageErr) {
					return 2
				}
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "svhub: unknown command %q\n\n", args[1])
	usage(stderr)
	return 2
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// flags is a command's flag set. Every flag can also be set by its
// SVHUB_* environment variable (see fromEnv): a flag beats the
// environment, which beats the default.
type flags struct {
	*flag.FlagSet
	e env
}

func newFlags(e env, name, synopsis string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: svhub %s\n\nFlags (each also read from the environment variable shown):\n", synopsis)
		fs.VisitAll(func(fl *flag.Flag) {
			if tag := " [" + envName(fl.Name) + "]"; !strings.HasSuffix(fl.Usage, tag) {
				fl.Usage += tag
			}
		})
		fs.PrintDefaults()
	}
	return &flags{fs, e}
}

// parse accepts flags before, between and after positional arguments
// ("svhub seed demo --db X" and "svhub seed --db X demo" both work),
// then reads the environment for the flags not given, and returns the
// positional arguments.
func (f *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			return nil, err
		}
		if f.NArg() == 0 {
			break
		}
		pos = append(pos, f.Arg(0))
		args = f.Args()[1:]
	}
	if err := f.fromEnv(); err != nil {
		return nil, err
	}
	if f.e.parsed != nil {
		if err := f.e.parsed(f.FlagSet); err != nil {
			return nil, err
		}
	}
	return pos, nil
}

// fromEnv sets every flag that the command line did not set from its
// environment variable (SVHUB_ and the flag's name in capitals with - as
// _, so --base-url is SVHUB_BASE_URL), when that is set and not empty. A
// bool flag also takes yes/no and on/off; a repeatable flag (--map) takes
// one value from the environment.
func (f *flags) fromEnv() error {
	given := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	var err error
	f.VisitAll(func(fl *flag.Flag) {
		name := envName(fl.Name)
		v := f.e.getenv(name)
		if given[fl.Name] || v == "" || err != nil {
			return
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			switch strings.ToLower(v) {
			case "yes", "on":
				v = "true"
			case "no", "off":
				v = "false"
			}
		}
		if e := f.Set(fl.Name, v); e != nil {
			err = usageError{fmt.Sprintf("environment variable %s (for --%s): %v", name, fl.Name, e)}
		}
	})
	return err
}

// inputFile parses "VERB FILE" with flags and opens FILE, for the commands
// that recompute results from a file and print json or a table.
func (f *flags) inputFile(args []string, verb, synopsis string, format *string) (*os.File, error) {
	pos, err := f.parse(args)
	if err != nil {
		return nil, err
	}
	if len(pos) != 2 || pos[0] != verb {
		f.Usage()
		return nil, usageError{"say '" + synopsis + "'"}
	}
	if *format != "json" && *format != "table" {
		return nil, usageError{"--format must be json or table"}
	}
	return os.Open(pos[1])
}

func envName(flagName string) string {
	return "SVHUB_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// str and boolean define a flag like String and Bool do: parse reads the
// environment for every flag alike.
func (f *flags) str(name, def, usage string) *string { return f.String(name, def, usage) }

func (f *flags) boolean(name string, def bool, usage string) *bool { return f.Bool(name, def, usage) }

func (f *flags) sealKey() *string {
	return f.str("seal-key", "", "base64 key (32 bytes) that seals bids; default for SQLite: DB.sealkey beside the database, created on first use")
}

func (f *flags) db() *string {
	return f.str("db", DefaultDB, "database: sqlite:PATH or postgres://USER@HOST/DB")
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	// The audit key signs the audit chain's head with every event a
	// command records, and 'audit verify' checks it: every command takes
	// it from SVHUB_AUDIT_KEY (serve also from --audit-key).
	key, err := app.AuditKey(os.Getenv("SVHUB_AUDIT_KEY"), dsn)
	if err != nil {
		return nil, err
	}
	// Every command migrates SQLite on open; PostgreSQL only through
	// 'migrate up' or 'serve --migrate'.
	s, err := store.Open(ctx, dsn, false)
	if err != nil {
		return nil, err
	}
	s.SetAuditKey(key)
	return s, nil
}

func serve(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "serve", "serve [flags]")
	cfg := app.Config{Version: Version}
	db := f.db()
	addr := f.str("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	base := f.str("base-url", "", "public URL of the hub, used in emails (default: the bound address)")
	demoMode := f.boolean("demo", false, "seed demonstration data into an empty database and show emails in the log")
	mig := f.boolean("migrate", false, "apply PostgreSQL migrations before serving (SQLite always migrates)")
	ready := f.str("ready-file", "", "write the bound URL to this file once listening")
	smtpAddr := f.str("smtp-addr", "", "SMTP relay host:port; without it emails go to the outbox")
	smtpFrom := f.str("smtp-from", "Social Value Hub <no-reply@localhost>", "sender address for emails")
	smtpUser := f.str("smtp-username", "", "SMTP username")
	smtpPass := f.str("smtp-password", "", "SMTP password")
	demoPw := f.str("demo-password", "", "give every demo account this password instead of random ones (tests only)")
	sealKey := f.sealKey()
	auditKey := f.str("audit-key", "", "base64 key (32 bytes) that signs the audit chain's head (without one, heads are unsigned); the same on every node and command")
	headDir := f.str("audit-head-dir", "", "export the signed audit head once a day to a new file in this directory (audit-head-DATE.json; it must exist; check it with 'svhub audit verify --head DIR'); give every node the same shared directory")
	headMail := f.str("audit-head-mail", "", "email the signed audit head once a day to this address (through --smtp-addr, or the outbox without it)")
	ocid := f.str("ocid-prefix", "ocds-svhub", "OCDS ocid prefix for published releases (register one with the Open Contracting Partnership)")
	rate := f.str("discount-rate", "3.5", "discount rate, percent a year, that brings a multi-year contract's committed social value to its present value")
	rateSource := f.str("discount-source", proxies.GreenBookRate().Source, "where the discount rate comes from, shown beside every discounted figure")
	deadweight := f.str("deadweight", "", "percent of monetised social value taken off as deadweight (what would have happened anyway); default: none, and pages say so")
	displacement := f.str("displacement", "", "percent taken off as displacement (moved from elsewhere); default: none")
	attribution := f.str("attribution", "", "percent taken off as attribution (down to others); default: none")
	adjustSource := f.str("adjustment-source", "", "where the deadweight, displacement and attribution percentages come from (required with any of them)")
	chKey := f.str("companies-house-key", "", "Companies House API key: searches Companies House by name for each buyer's largest unmatched payees (daily, or from /spend/resolve); without it there is no search")
	chURL := f.str("companies-house-url", "", "address of the Companies House API (default: the live API; for tests)")
	lease := f.Duration("job-lease", 5*time.Minute, "how long a node holds a background job; another node takes over a job whose node died this long after it was claimed (and a job running longer is stopped)")
	gcPercent := f.Int("gc-percent", 100, "how far the heap may grow past live data before Go collects garbage (as GOGC, which wins when set): 400 spends memory to save 10-25% of a busy page's CPU on a node with memory to spare")
	if pos, err := f.parse(args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{fmt.Sprintf("serve takes no arguments, got %q", pos)}
	}
	cfg.DB, cfg.Addr, cfg.BaseURL, cfg.Demo, cfg.Migrate, cfg.ReadyFile, cfg.DemoPassword = *db, *addr, *base, *demoMode, *mig, *ready, *demoPw
	cfg.SealKey, cfg.OCIDPrefix, cfg.AuditKey = *sealKey, *ocid, *auditKey
	cfg.AuditHeadDir, cfg.AuditHeadMail = *headDir, *headMail
	cfg.CompaniesHouseKey, cfg.CompaniesHouseURL = strings.TrimSpace(*chKey), *chURL
	if *lease < time.Second {
		return usageError{"--job-lease must be at least 1s"}
	}
	cfg.JobLease = *lease
	if *gcPercent < 10 {
		return usageError{"--gc-percent must be at least 10"}
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(*gcPercent)
	}
	d, err := proxies.ParseRate(*rate, *rateSource)
	if err != nil {
		return usageError{"--discount-rate: " + err.Error()}
	}
	cfg.Discount = d
	if cfg.Adjust, err = proxies.ParseAdjustment(*deadweight, *displacement, *attribution, *adjustSource); err != nil {
		return usageError{"--deadweight, --displacement, --attribution: " + err.Error()}
	}
	if strings.TrimSpace(*rateSource) == "" {
		return usageError{"--discount-source must say where the discount rate comes from"}
	}
	cfg.SMTP.Addr, cfg.SMTP.From, cfg.SMTP.Username, cfg.SMTP.Password = *smtpAddr, *smtpFrom, *smtpUser, *smtpPass
	return app.Serve(ctx, cfg, logger(e.stderr), e.stdout)
}

func migrate(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "migrate", "migrate up|status [flags]")
	db := f.db()
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "up" && pos[0] != "status") {
		f.Usage()
		return usageError{"say 'migrate up' or 'migrate status'"}
	}
	s, err := store.Open(ctx, *db, pos[0] == "up")
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, m := range st {
		state := "pending"
		if m.Applied {
			state = "applied " + m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(e.stdout, "%05d  %-28s %s\n", m.Version, m.Name, state)
	}
	return nil
}

func seed(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "seed", "seed demo [flags]")
	db := f.db()
	pw := f.str("demo-password", "", "give every account this password (tests only); default: random, shown once")
	sealKey := f.sealKey()
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "demo" {
		f.Usage()
		return usageError{"say 'seed demo'"}
	}
	// The sealing key is checked before the database is touched.
	sealer, err := app.Sealer(*sealKey, *db)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(e.stderr)); err != nil {
		return err
	}
	res, err := demo.Seed(ctx, s, auth.NewHasher(0), *pw, sealer)
	if err != nil {
		return err
	}
	app.PrintAccounts(e.stdout, res)
	return nil
}

func user(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "role" && args[0] != "list" && args[0] != "reset-password") {
		fmt.Fprintln(e.stderr, "Usage: svhub user add|role|list|reset-password [flags]  (svhub user add -h for flags)")
		return usageError{"say 'user add', 'user role', 'user list' or 'user reset-password EMAIL'"}
	}
	sub := args[0]
	if sub == "reset-password" {
		return resetPassword(ctx, e, args[1:])
	}
	f := newFlags(e, "user "+sub, "user "+sub+" [flags]")
	db := f.db()
	var email, name, password, org, role *string
	var admin, remove *bool
	switch sub {
	case "add":
		email = f.String("email", "", "email address (required)")
		name = f.String("name", "", "full name (required)")
		password = f.String("password", "", "password; default: read a line from standard input, or generate one if it is empty")
		admin = f.Bool("admin", false, "make the user a hub administrator")
	case "role":
		email = f.String("email", "", "email address of the user (required)")
		org = f.String("org", "", "organisation slug, for an organisation role")
		role = f.String("role", "", "organisation role ("+roleNames()+") or 'admin' for hub administrator")
		remove = f.Bool("remove", false, "remove the role instead of granting it")
	}
	if pos, err := f.parse(args[1:]); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{fmt.Sprintf("user %s takes flags only, got %q", sub, pos)}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	cli := auth.Actor{User: &auth.User{Email: "svhub user " + sub + " (command line)", IsAdmin: true}}
	switch sub {
	case "list":
		users, err := s.ListUsers(ctx, "", 10000, 0)
		if err != nil {
			return err
		}
		for _, u := range users {
			ms, err := s.MembershipsOfUser(ctx, u.ID)
			if err != nil {
				return err
			}
			var roles []string
			if u.IsAdmin {
				roles = append(roles, "hub administrator")
			}
			for _, m := range ms {
				roles = append(roles, string(m.Role)+"@"+m.OrgSlug)
			}
			verified := "unverified"
			if u.Verified() {
				verified = "verified"
			}
			fmt.Fprintf(e.stdout, "%-32s %-24s %-10s %s\n", u.Email, u.Name, verified, strings.Join(roles, ", "))
		}
		return nil
	case "add":
		addr, msg := auth.NormaliseEmail(*email)
		if msg != "" {
			return usageError{"--email: " + msg}
		}
		if strings.TrimSpace(*name) == "" {
			return usageError{"--name is required"}
		}
		pw := *password
		generated := false
		if pw == "" {
			line, _ := bufio.NewReader(e.stdin).ReadString('\n')
			pw = strings.TrimRight(line, "\r\n")
		}
		if pw == "" {
			secret, _ := auth.NewToken()
			pw, generated = secret[:20], true
		}
		if msg := auth.CheckPasswordStrength(pw, addr); msg != "" {
			return usageError{"password: " + msg}
		}
		hash, err := auth.NewHasher(0).Hash(ctx, pw)
		if err != nil {
			return err
		}
		u, err := s.CreateVerifiedUser(ctx, cli.Label(), auth.User{Email: addr, Name: strings.TrimSpace(*name), PasswordHash: hash, IsAdmin: *admin})
		if errors.Is(err, problem.ErrConflict) {
			return fmt.Errorf("a user with email %s already exists", addr)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Added %s (id %d)%s\n", u.Email, u.ID, map[bool]string{true: " as hub administrator", false: ""}[*admin])
		if generated {
			fmt.Fprintf(e.stdout, "Password (shown once): %s\n", pw)
		}
		return nil
	default: // role
		addr, _ := auth.NormaliseEmail(*email)
		u, err := s.UserByEmail(ctx, addr)
		if err != nil {
			return fmt.Errorf("no user with email %q", *email)
		}
		if *role == "admin" {
			if err := s.SetAdmin(ctx, cli, u.ID, !*remove); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s hub administrator: %v\n", u.Email, !*remove)
			return nil
		}
		r, ok := auth.ParseRole(*role)
		if !ok {
			return usageError{fmt.Sprintf("--role %q is not one of %s, admin", *role, roleNames())}
		}
		o, err := s.OrganisationBySlug(ctx, *org)
		if err != nil {
			return fmt.Errorf("no organisation with slug %q", *org)
		}
		if !auth.RoleFitsKind(r, o.Kind) {
			return usageError{fmt.Sprintf("a %s cannot have the role %s", strings.ToLower(o.KindLabel()), r)}
		}
		if *remove {
			err = s.RemoveMember(ctx, cli, o.ID, u.ID, r)
		} else {
			err = s.AddMember(ctx, cli, o.ID, u.ID, r)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s %s %s at %s\n", u.Email, map[bool]string{true: "no longer", false: "is now"}[*remove], r.Label(), o.LegalName)
		return nil
	}
}

func roleNames() string {
	var names []string
	for _, r := range auth.Roles {
		names = append(names, string(r))
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func importCmd(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "spend" {
		return importSpend(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "register" {
		return importRegister(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "creditors" {
		return importCreditors(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "postcodes" {
		return importPostcodes(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "imd" {
		return importIMD(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "proxies" {
		return importProxies(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "deflator" {
		return importDeflator(ctx, e, args[1:])
	}
	f := newFlags(e, "import", "import geo DIR [flags]   (DIR holds geo/ and imd/ laid out like the shipped copy)\n       svhub import spend --buyer ORG [--map FIELD=COLUMN …] FILE…\n       svhub import register --source charity|company FILE\n       svhub import creditors --buyer ORG FILE\n       svhub import postcodes [--release NAME] FILE   (ONSPD or NSPL zip or CSV)\n       svhub import imd [--edition IoD2019|IoD2025] FILE\n       svhub import proxies --edition E [--format json|table] FILE\n       svhub import deflator --source S --published YYYY-MM-DD FILE")
	db := f.db()
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "geo" {
		f.Usage()
		return usageError{"say 'import geo DIR'"}
	}
	ref, err := geo.Load(os.DirFS(pos[1]))
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	bar := progressbar.NewOptions(len(ref.Postcodes), progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("postcodes"), progressbar.OptionShowCount(), progressbar.OptionThrottle(100_000_000))
	if err := s.ImportGeo(ctx, "svhub import geo", ref, func(done, _ int) { _ = bar.Set(done) }); err != nil {
		return err
	}
	_ = bar.Finish()
	fmt.Fprintf(e.stdout, "\nImported %d districts, %d wards, %d LSOAs with IMD 2019, %d postcodes from %s\n", len(ref.Districts), len(ref.Wards), len(ref.LSOAs), len(ref.Postcodes), pos[1])
	return nil
}

func backup(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "backup", "backup --out FILE [flags]")
	db := f.db()
	out := f.String("out", "", "file to write (must not exist)")
	if pos, err := f.parse(args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError{fmt.Sprintf("backup takes flags only, got %q", pos)}
	}
	if d, _, _ := store.ParseDSN(*db); d == store.Postgres {
		fmt.Fprintf(e.stdout, "For PostgreSQL use pg_dump, for example:\n  pg_dump --format=custom --file=svhub.dump '%s'\nand restore with:\n  pg_restore --clean --if-exists --dbname='%s' svhub.dump\n", *db, *db)
		return nil
	}
	if *out == "" {
		return usageError{"--out FILE is required"}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Backed up %s to %s\n", s.Where, *out)
	return nil
}

func prioritiesCmd(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "priorities", "priorities aggregate [--method M] [--format json|table] FILE.csv\n\nFILE.csv has the header ballot_id followed by one column per priority; each row holds non-negative numbers with a positive sum (rows are normalised to shares).")
	method := f.String("method", priorities.IndependentMarkets, "aggregation method: "+strings.Join(priorities.Methods, ", "))
	format := f.String("format", "json", "output format: json or table")
	file, err := f.inputFile(args, "aggregate", "priorities aggregate FILE.csv", format)
	if err != nil {
		return err
	}
	defer file.Close()
	t, err := priorities.ReadCSV(bufio.NewReaderSize(file, 1<<20), file.Name())
	if err != nil {
		return err
	}
	w, err := priorities.Aggregate(*method, t.Ballots)
	if err != nil {
		return usageError{err.Error()}
	}
	if *format == "table" {
		fmt.Fprintf(e.stdout, "method: %s, ballots: %d\n\n", *method, t.Ballots.N())
		for j, c := range t.Columns {
			fmt.Fprintf(e.stdout, "%-40s %10.6f  %6.2f%%\n", c, w[j], w[j]*100)
		}
		return nil
	}
	return priorities.WriteResultJSON(e.stdout, *method, t.Columns, t.Ballots.N(), w)
}

func fundCmd(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "fund", "fund allocate [--rule R] [--format json|table] FILE.pb\n\nFILE.pb is a Pabulib file with approval ballots.")
	rule := f.String("rule", "mes-add1", "allocation rule: "+strings.Join(fund.Rules, ", "))
	format := f.String("format", "json", "output format: json or table")
	file, err := f.inputFile(args, "allocate", "fund allocate FILE.pb", format)
	if err != nil {
		return err
	}
	defer file.Close()
	el, _, err := fund.ReadPabulib(file, file.Name())
	if err != nil {
		return err
	}
	o, err := fund.Allocate(*rule, el)
	if err != nil {
		return usageError{err.Error()}
	}
	sel := o.SelectedInIDOrder(el)
	if *format == "table" {
		fmt.Fprintf(e.stdout, "rule: %s\nbudget: %s\nvoters: %d\ntotal cost: %s\nselected (%d): %s\n", *rule, fund.Decimal(el.Budget), len(el.Ballots), fund.Decimal(o.TotalCost), len(sel), strings.Join(sel, ", "))
		return nil
	}
	if sel == nil {
		sel = []string{}
	}
	out := map[string]any{"rule": *rule, "budget": fund.Decimal(el.Budget), "selected": sel, "total_cost": fund.Decimal(o.TotalCost), "voters": len(el.Ballots)}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// mapFlag collects repeated --map FIELD=COLUMN options.
type mapFlag map[string]string

func (m mapFlag) String() string { return fmt.Sprint(map[string]string(m)) }

func (m mapFlag) Set(v string) error {
	field, col, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(field) == "" || strings.TrimSpace(col) == "" {
		return fmt.Errorf("--map takes FIELD=COLUMN, like date=Date Paid")
	}
	m[strings.TrimSpace(field)] = strings.TrimSpace(col)
	return nil
}

// spendImportMemory is the soft limit on the Go heap during a command-line
// spend import.
const spendImportMemory = 160 << 20

// spendImportGCPercent is the garbage collector's GOGC during a
// command-line spend import.
const spendImportGCPercent = 300

func importSpend(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import spend", "import spend --buyer ORG [--format json|table] [--map FIELD=COLUMN …] FILE…\n\nFILE is a CSV, a .zip holding one, or an .xlsx workbook (--sheet chooses the worksheet). Fields for --map: date, supplier, amount, gross, vat, transaction, supplier_id, vat_number, company_number, postcode, service, expense_type, merchant.")
	db := f.db()
	buyerName := f.String("buyer", "", "the public body that made the payments: its name, slug or id (created if none exists)")
	format := f.String("format", "json", "output format: json or table")
	maps := mapFlag{}
	f.Var(maps, "map", "FIELD=COLUMN: read FIELD from the column named COLUMN (repeatable)")
	sheet := f.String("sheet", "", "for .xlsx files: the worksheet to read (default: the one that looks like payments)")
	limits := spendLimitFlags(f)
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if *buyerName == "" || len(files) == 0 {
		f.Usage()
		return usageError{"say 'import spend --buyer ORG FILE…'"}
	}
	if *format != "json" && *format != "table" {
		return usageError{"--format must be json or table"}
	}
	if e.getenv("GOMEMLIMIT") == "" {
		// An import's live heap stays under about 100 MB (blocks being
		// filled, rollup sums, batches in flight), but Go lets the heap
		// grow to twice the live size between collections; a soft limit
		// keeps a 5-million-row import under 300 MB for a little more
		// collection work (bench/RESULTS.md). GOMEMLIMIT overrides it.
		debug.SetMemoryLimit(spendImportMemory)
	}
	if e.getenv("GOGC") == "" {
		// The live heap is small (20-100 MB) and most of what an import
		// allocates (rows' text) dies young: collecting when the heap has
		// grown by 300% rather than 100% takes about 8% less CPU for
		// 20-30 MB more peak memory, still bounded by the limit above
		// (bench/RESULTS.md). GOGC overrides it.
		debug.SetGCPercent(spendImportGCPercent)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	cliActor := auth.Actor{User: &auth.User{Email: "svhub import spend (command line)", IsAdmin: true}}
	buyer, created, err := findOrCreateBuyer(ctx, s, cliActor, *buyerName)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(e.stderr, "Created the public body %q (%s) as the buyer\n", buyer.LegalName, buyer.Slug)
	}
	var runs []store.SpendRun
	for _, name := range files {
		// The file is hashed while it is imported, on a goroutine of its
		// own (the run records the hash at the end): a pass of its own
		// before took about a second of a 5-million-row import.
		hashed := make(chan struct{})
		var sum string
		var sumErr error
		go func() {
			defer close(hashed)
			sum, sumErr = fileSHA256(name)
		}()
		waitSum := func() (string, error) {
			<-hashed
			return sum, sumErr
		}
		overrides := map[string]string(maps)
		if len(maps) == 0 {
			// Columns an officer chose for this buyer's layout on the
			// web are used here too; --map overrides them.
			if overrides, err = rememberedLayout(ctx, s, buyer.ID, name, *sheet, limits()); err != nil {
				return err
			}
			if overrides != nil {
				fmt.Fprintf(e.stderr, "Reading %s with the columns chosen earlier for %s's files with these columns\n", filepath.Base(name), buyer.LegalName)
			}
		}
		progress := rowProgress(e, filepath.Base(name))
		run, err := s.ImportSpendStreamSum(ctx, cliActor, buyer.ID, name, waitSum, func(each func(*spend.Payment, *spend.Reject) error) (spend.Meta, error) {
			return spend.StreamFileLimits(name, overrides, *sheet, limits(), func(p *spend.Payment, r *spend.Reject) error {
				progress.row()
				if err := ctx.Err(); err != nil {
					return errInterrupted // SIGTERM or Ctrl-C: the transaction rolls back
				}
				return each(p, r)
			})
		})
		progress.done()
		if err != nil {
			return fileError(name, err)
		}
		runs = append(runs, run)
	}
	if *format == "table" {
		fmt.Fprintf(e.stdout, "%-40s %8s %8s %8s %8s %16s  %s\n", "file", "read", "imported", "rejected", "dupl.", "net £", "dates")
		for _, r := range runs {
			dates := r.DateFrom + " to " + r.DateTo
			if r.DateFrom == "" {
				dates = "none imported"
			}
			fmt.Fprintf(e.stdout, "%-40s %8d %8d %8d %8d %16s  %s\n", filepath.Base(r.File), r.RowsRead, r.RowsImported, r.RowsRejected, r.RowsDuplicate, fund.Pounds(r.TotalNetPence), dates)
		}
		return nil
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"buyer": buyer.Slug, "runs": runs})
}

// rememberedLayout is the column mapping remembered for the buyer and the
// file's header layout, or nil: the file's first rows are read for its
// header (whether or not its columns could be detected).
func rememberedLayout(ctx context.Context, s *store.Store, buyerID int64, name, sheet string, lim spend.Limits) (map[string]string, error) {
	stop := errors.New("header read")
	meta, err := spend.StreamFileLimits(name, nil, sheet, lim, func(*spend.Payment, *spend.Reject) error { return stop })
	signature := meta.Columns.Signature
	if de, ok := spend.IsDetectError(err); ok && de.HeaderLine > 0 {
		signature = spend.LayoutSignature(de.Header)
	}
	if signature == "" {
		return nil, nil // the import reports what is wrong with the file
	}
	return s.SpendLayout(ctx, buyerID, signature)
}

// rowCounter shows how many rows of a file an import has read, as a
// progress bar on standard error (the total is not known until the end).
type rowCounter struct {
	bar  *progressbar.ProgressBar
	w    io.Writer
	rows int64
}

func rowProgress(e env, file string) *rowCounter {
	return &rowCounter{w: e.stderr, bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(file),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionShowIts(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)}
}

// row counts one row; the bar is moved every 4,096 rows so that drawing it
// costs nothing next to the import.
func (c *rowCounter) row() {
	c.rows++
	if c.rows%4096 == 0 {
		_ = c.bar.Add(4096)
	}
}

func (c *rowCounter) done() {
	_ = c.bar.Set64(c.rows)
	_ = c.bar.Finish()
	fmt.Fprintln(c.w)
}

// resetPassword gives an account a new generated password, shown once, and
// ends its sessions: the way back in when the demo's passwords (printed only
// when the data was created) are lost, or for an administrator locked out.
// It goes through the same single-use reset token as the emailed link, so
// the change is audited the same way.
func resetPassword(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "user reset-password", "user reset-password EMAIL [--db DSN]\n\nSets a new generated password for the account, prints it once and signs the account out everywhere.")
	db := f.db()
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		f.Usage()
		return usageError{"say 'user reset-password EMAIL'"}
	}
	addr, msg := auth.NormaliseEmail(pos[0])
	if msg != "" {
		return usageError{"EMAIL: " + msg}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UserByEmail(ctx, addr)
	if err != nil {
		return fmt.Errorf("no account with email %s in %s", addr, s.Where)
	}
	secret, hash := auth.NewToken()
	now := time.Now()
	if err := s.AddUserToken(ctx, u.ID, auth.PurposeReset, hash, now.Add(time.Minute)); err != nil {
		return err
	}
	pwSecret, _ := auth.NewToken()
	pw := pwSecret[:20]
	pwHash, err := auth.NewHasher(0).Hash(ctx, pw)
	if err != nil {
		return err
	}
	if _, err := s.ConsumeResetToken(ctx, auth.HashToken(secret), pwHash, now); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "New password for %s (shown only now; change it on the account page after signing in): %s\n", u.Email, pw)
	return nil
}

// findOrCreateBuyer finds a public body by id, slug or name, or creates one.
func findOrCreateBuyer(ctx context.Context, s *store.Store, a auth.Actor, name string) (orgs.Organisation, bool, error) {
	if id, err := strconv.ParseInt(name, 10, 64); err == nil {
		o, err := s.OrganisationByID(ctx, id)
		return o, false, err
	}
	if o, err := s.OrganisationBySlug(ctx, orgs.Slugify(name)); err == nil {
		if o.Kind != orgs.PublicBody {
			return o, false, usageError{fmt.Sprintf("%s is a %s, not a public body", o.LegalName, strings.ToLower(o.KindLabel()))}
		}
		return o, false, nil
	}
	o, err := s.CreateOrganisation(ctx, a, orgs.Organisation{Kind: orgs.PublicBody, LegalName: name}, 0)
	return o, true, err
}

// fileSHA256 hashes a file as it streams from disk.
func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func reportCmd(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "report", "report spend (--buyer ORG | --all-gm) [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--service AREA] [--category TYPE] [--top N] [--format json|csv|table]")
	db := f.db()
	buyerName := f.String("buyer", "", "the public body: its name, slug or id")
	allGM := f.Bool("all-gm", false, "every public body that has imported spend, together")
	from := f.String("from", "1990-01-01", "first payment date included")
	to := f.String("to", "2100-12-31", "last payment date included")
	service := f.String("service", "", "only payments from this service area (exactly as in the files)")
	category := f.String("category", "", "only payments of this expense type (exactly as in the files)")
	top := f.Int("top", 300, "how many suppliers the top table lists")
	format := f.String("format", "json", "output format: json, csv (the top suppliers) or table")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "spend" || (*buyerName == "") == !*allGM {
		f.Usage()
		return usageError{"say 'report spend --buyer ORG' or 'report spend --all-gm'"}
	}
	for _, d := range []string{*from, *to} {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return usageError{fmt.Sprintf("%q is not a date like 2026-04-01", d)}
		}
	}
	if *format != "json" && *format != "csv" && *format != "table" {
		return usageError{"--format must be json, csv or table"}
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(io.Discard)); err != nil {
		return err
	}
	districts, err := s.Districts(ctx)
	if err != nil {
		return err
	}
	gm := map[string]bool{}
	for _, d := range districts {
		gm[d.Code] = true
	}
	var buyers []int64
	buyerDistrict, label := "", "all Greater Manchester public bodies"
	if *allGM {
		if buyers, err = s.SpendBuyers(ctx); err != nil {
			return err
		}
	} else {
		o, err := findBuyer(ctx, s, *buyerName)
		if err != nil {
			return err
		}
		buyers, label = []int64{o.ID}, o.LegalName
		buyerDistrict = buyerHome(o, districts)
	}
	filter := store.SpendFilter{BuyerIDs: buyers, From: *from, To: *to, Service: *service, ExpenseType: *category}
	rows, err := s.SpendBySupplier(ctx, filter)
	if err != nil {
		return err
	}
	orgList, err := s.SupplierCandidatesFor(ctx, rows)
	if err != nil {
		return err
	}
	rep := spend.BuildReport(rows, orgList, buyerDistrict, gm, *top)
	services, err := s.SpendByService(ctx, filter)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"buyer": label, "buyer_district": buyerDistrict, "from": *from, "to": *to, "report": rep, "by_service": services})
	case "csv":
		w := csv.NewWriter(e.stdout)
		// Every row carries how much of the whole report is placed, so the
		// file never travels without it.
		_ = w.Write([]string{"rank", "supplier", "net_pence", "payments", "location", "sme", "vcse", "matched_by", "report_placed_share", "report_provisional"})
		placed, provisional := strconv.FormatFloat(rep.PlacedShare, 'f', 4, 64), strconv.FormatBool(rep.Provisional)
		for i, sp := range rep.Top {
			_ = w.Write([]string{strconv.Itoa(i + 1), sp.Name, strconv.FormatInt(sp.NetPence, 10), strconv.Itoa(sp.Payments), sp.Location, sp.SME, sp.VCSE, sp.MatchedBy, placed, provisional})
		}
		w.Flush()
		return w.Error()
	}
	fmt.Fprintf(e.stdout, "Spend of %s, %s to %s: %s in %d payments to %d suppliers (%s to redacted payees)\n\n", label, *from, *to, fund.Pounds(rep.TotalNetPence), rep.Payments, rep.Suppliers, fund.Pounds(rep.RedactedPence))
	coverageLines(e.stdout, rep)
	for _, k := range []string{spend.InDistrict, spend.InGM, spend.OutsideGM, spend.Unknown} {
		fmt.Fprintf(e.stdout, "  %-34s %18s  %6.2f%%\n", map[string]string{spend.InDistrict: "based or branched in the district", spend.InGM: "elsewhere in Greater Manchester", spend.OutsideGM: "outside Greater Manchester", spend.Unknown: "unknown (not matched or not placed)"}[k], fund.Pounds(rep.Location[k].Pence), rep.Location[k].Share*100)
	}
	if rep.Provisional {
		fmt.Fprintf(e.stdout, "  (%s)\n", rep.LocationNote)
	}
	fmt.Fprintf(e.stdout, "\n  %-34s %18s  %6.2f%%\n  %-34s %18s  %6.2f%%\n", "in the 10% most deprived areas", fund.Pounds(rep.Deprivation["decile_1"].Pence), rep.Deprivation["decile_1"].Share*100,
		"in the 20% most deprived areas", fund.Pounds(rep.Deprivation["deciles_1_2"].Pence), rep.Deprivation["deciles_1_2"].Share*100)
	fmt.Fprintf(e.stdout, "\nBy service area:\n")
	for _, sv := range services {
		fmt.Fprintf(e.stdout, "  %-50s %16s  %d payments\n", sv.Service, fund.Pounds(sv.NetPence), sv.Payments)
	}
	fmt.Fprintf(e.stdout, "\nTop %d suppliers:\n", len(rep.Top))
	for i, sp := range rep.Top {
		fmt.Fprintf(e.stdout, "  %3d  %-50s %16s  %s\n", i+1, sp.Name, fund.Pounds(sp.NetPence), sp.Location)
	}
	return nil
}

// findBuyer finds a public body by id, slug or name.
func findBuyer(ctx context.Context, s *store.Store, name string) (orgs.Organisation, error) {
	if id, err := strconv.ParseInt(name, 10, 64); err == nil {
		return s.OrganisationByID(ctx, id)
	}
	o, err := s.OrganisationBySlug(ctx, orgs.Slugify(name))
	if err != nil {
		return o, fmt.Errorf("no organisation called %q", name)
	}
	return o, nil
}

// buyerHome is the buyer's district: its registered office's, else a
// Greater Manchester district its name contains ("Trafford Council").
func buyerHome(o orgs.Organisation, districts []geo.District) string {
	for _, st := range o.Sites {
		if st.Kind == "registered_office" && st.DistrictCode != "" {
			return st.DistrictCode
		}
	}
	for _, d := range districts {
		if strings.Contains(strings.ToLower(o.LegalName), strings.ToLower(d.Name)) {
			return d.Code
		}
	}
	return ""
}

func importRegister(ctx context.Context, e env, args []string) error {
	f := newFlags(e, "import register", "import register --source charity|company FILE\n\nFILE is a Companies House basic company data file (BasicCompanyData…csv or its .zip, as published: CompanyName, CompanyNumber, RegAddress.PostCode, CompanyCategory, CompanyStatus, Accounts.AccountCategory, SICCode.SicText_1…4, PreviousName_N.CompanyName) or a Charity Commission register extract (publicextract.charity as .txt, .json or .zip, or the older CSV extracts: registered_charity_number, charity_name, charity_contact_postcode, charity_type, charity_company_registration_number). The file is streamed into one transaction: a bad row, a limit or a kill imports nothing.")
	db := f.db()
	source := f.String("source", "", "which register: charity or company")
	limits := registerLimitFlags(f)
	files, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(files) != 1 || (*source != spend.CharityRegister && *source != spend.CompaniesHouse) {
		f.Usage()
		return usageError{"say 'import register --source charity|company FILE'"}
	}
	file, err := spend.OpenRegister(files[0], limits())
	if err != nil {
		return err
	}
	defer file.Close()
	if e.getenv("GOMEMLIMIT") == "" {
		// As for spend imports: a soft limit on the Go heap keeps a
		// Companies House import's peak memory flat (bench/RESULTS.md).
		debug.SetMemoryLimit(spendImportMemory)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := app.EnsureGeo(ctx, s, logger(io.Discard)); err != nil {
		return err
	}
	bar := rowProgress(e, filepath.Base(files[0]))
	n, err := s.ImportRegisterStream(ctx, auth.Actor{User: &auth.User{Email: "svhub import register (command line)", IsAdmin: true}}, files[0], *source, func(each func(spend.RegisterEntry) error) error {
		_, err := spend.StreamRegister(file, files[0], *source, limits(), func(en spend.RegisterEntry) error {
			bar.row()
			return each(en)
		})
		return err
	})
	if err != nil {
		return err
	}
	bar.done()
	fmt.Fprintf(e.stdout, "Imported %d %s register entries from %s\n", n, *source, files[0])
	return nil
}
