// Package cli is Lineage Desk's command line: one flag.FlagSet per
// subcommand, each a thin adapter over the same *app.App the window and the
// browser use.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// Env is what a command may touch: its streams, the environment, and how to
// open the application on a store.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// IsTerminal reports whether Stderr is a terminal (progress bars).
	IsTerminal bool
	// StdoutIsTerminal reports whether Stdout is a terminal: an export
	// written to a file or a pipe is not filtered (terminalText).
	StdoutIsTerminal bool
	// KillOnInterrupt, when set, makes Ctrl-C and SIGTERM end the process
	// at once from then on, for work the runtime cannot interrupt.
	KillOnInterrupt func()
	// Open opens the store at dbPath ("" = default) and the app on it.
	// events, when not nil, receives the app's events.
	Open func(ctx context.Context, dbPath string, events app.Emitter) (*app.App, func() error, error)
	// Assets is the built frontend (index.html at its root) for serve.
	Assets fs.FS
	// Version is the build's version string.
	Version string
	// rawStderr is Stderr before Run filtered it (terminalText), for the
	// progress bar's own escape sequences; rawStdout is Stdout before.
	rawStderr, rawStdout io.Writer
}

// RenderWorkerCommand is the hidden command a Graphviz worker process runs.
const RenderWorkerCommand = "render-worker"

type command struct {
	name    string
	usage   string
	summary string
	run     func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"import", "import PATH... [--name NAME] [--json] [--watch [--every 2s]]", "import a dbt target/ folder, project folder or artifact files; --watch imports it again after each dbt run, until Ctrl-C", runImport},
		{"snapshots", "snapshots [--json]", "list stored snapshots", runSnapshots},
		{"delete-snapshot", "delete-snapshot ID... | --keep N [--project NAME] [--dry-run] [--compact] [--json]", "delete snapshots by id, or all but each project's N latest runs", runDeleteSnapshot},
		{"compact", "compact [--json]", "give the space deleted snapshots left back to the file system", runCompact},
		{"show", "show UNIQUE_ID|NAME [--snapshot ID] [--json]", "show one resource", runShow},
		{"history", "history UNIQUE_ID|NAME [--snapshot ID] [--json]", "how a resource and its tests fared in the project's last 20 snapshots: flaky, newly failing, fixed; and how it and its columns changed from one to the next", runHistory},
		{"sqldiff", "sqldiff UNIQUE_ID|NAME [--snapshot ID] [--against ID] [--json]", "a node's SQL against the run before (or snapshot --against), line by line: its compiled SQL where both runs hold it, else its raw SQL", runSQLDiff},
		{"runtimes", "runtimes [--snapshot ID] [--json]", "how long the models, seeds and snapshots took over the project's last 10 runs that built them: the slowest of the latest run, and those that got slower", runRunTimes},
		{"mesh", "mesh [--snapshot ID] [--json]", "the dbt projects this one refs public models of, and those the store holds that ref its own (dbt Mesh), each model with what reads it", runMesh},
		{"health", "health [--snapshot ID] [--all] [--json]", "the data health of the project's models, seeds, snapshots, sources and exposures: the degraded and caution ones, and why", runHealth},
		{"search", "search QUERY [--snapshot ID] [--type T] [--limit N] [--all-projects [--project P]] [--json]", "full-text search", runSearch},
		{"lineage", "lineage --select EXPR | --selector NAME [--exclude EXPR] [--snapshot ID] [--state ID] [--format svg|png|pdf|dot|mermaid|json|csv|csv-nodes] [--group-by none|package|folder|schema|layer|group|project|select:EXPR [--open LABEL]...] [--lens tests|runs|docs|trend|health|none] [--include-tests] [--indirect-selection MODE] [--runtime] [--diff] [--across-projects] [--scale N] [--view NAME] [--save-view NAME] [-o FILE]", "render or export lineage", runLineage},
		{"views", "views [--snapshot ID] [--json]", "list the project's saved views (lineage --save-view NAME saves one, --view NAME draws it)", runViews},
		{"delete-view", "delete-view NAME [--snapshot ID]", "delete a saved view", runDeleteView},
		{"view-file", "view-file NAME [--snapshot ID] [-o FILE]", "write a saved view as a small file to share", runViewFile},
		{"import-view", "import-view FILE", "save the view a view file holds into its project", runImportView},
		{"changes", "changes [--snapshot ID] [--state ID] [--json]", "what is new, modified (and how) or removed since another snapshot, as state: sees it", runChanges},
		{"selectors", "selectors [--snapshot ID] [--json]", "list the project's YAML selectors (selectors.yml)", runSelectors},
		{"columns", "columns UNIQUE_ID|NAME [COLUMN [--upstream|--downstream] [--depth N] [--format svg|png|pdf|dot|mermaid|json|csv [-o FILE]]] [--snapshot ID] [--json]", "column-level lineage from the compiled SQL: what each column of a node is made from, or one column traced up to its sources and down to every column made from it", runColumns},
		{"paths", "paths A B [--snapshot ID] [--limit N] [--json]", "the dependency paths between two nodes, shortest first", runPaths},
		{"impact", "impact UNIQUE_ID|NAME [--snapshot ID] [--json] [--list [--upstream] [--csv] [-o FILE]]", "what a change to a node reaches downstream (the exposures by name) and what it is built from upstream (the sources); --list lists every node that way, nearest first, with its owner and tests", runImpact},
		{"connect", "connect --name NAME --access-url URL --account-id N --token-stdin [--project-id N] [--environment-id N] [--job-id N] [--run-id N] [--save-anyway] [--replace] [--json]", "test and save a dbt Cloud connection", runConnect},
		{"connections", "connections [--json]", "list saved dbt Cloud connections", runConnections},
		{"test-connection", "test-connection NAME [--json]", "test a saved connection", runTestConnection},
		{"disconnect", "disconnect NAME", "delete a saved connection and its token", runDisconnect},
		{"sync", "sync [NAME] [--run-id N] [--json]", "sync a dbt Cloud job run into a new snapshot", runSync},
		{"serve", "serve [--addr 127.0.0.1:PORT] [--open]", "serve the UI to a browser on this machine", runServe},
		{"version", "version", "print the version", runVersion},
	}
}

// CommandArgs finds the command in the program's arguments (without the
// program name). Global flags may come before it, as the usage says they
// can go with any command: "--db F lineage ..." gives "lineage ... --db F".
// ok is false when there is no command (the desktop window opens).
func CommandArgs(args []string) (command []string, ok bool) {
	var global []string
	for i := 0; i < len(args); i++ {
		switch arg := args[i]; {
		case arg == "--db" || arg == "-db":
			if i+1 == len(args) {
				return nil, false
			}
			global = append(global, arg, args[i+1])
			i++
		case strings.HasPrefix(arg, "--db=") || strings.HasPrefix(arg, "-db="):
			global = append(global, arg)
		default:
			command = append(append(command, args[i:]...), global...)
			return command, true
		}
	}
	return nil, false
}

// Run executes args (without the program name) and returns the exit code.
func Run(ctx context.Context, env Env, args []string) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args = append([]string{"version"}, args[1:]...)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 && args[0] == "help" {
			// "help lineage" is "lineage --help".
			return Run(ctx, env, []string{args[1], "--help"})
		}
		printUsage(env.Stdout)
		return 0
	}
	if args[0] == RenderWorkerCommand {
		// Not a user command: the long-lived UI's layouts run here (see
		// render.ServeWorker); stdin and stdout carry the protocol.
		if err := render.ServeWorker(ctx, env.Stdin, env.Stdout); err != nil {
			fmt.Fprintf(env.Stderr, "lineagedesk %s: %v\n", RenderWorkerCommand, err)
			return 1
		}
		return 0
	}
	env.rawStderr = env.Stderr
	env.Stderr = &terminalText{w: env.Stderr}
	for _, c := range commands() {
		if c.name == args[0] {
			env.rawStdout = env.Stdout
			env.Stdout = &terminalText{w: env.Stdout}
			err := c.run(ctx, env, args[1:])
			if err == nil {
				return 0
			}
			var help helpRequest
			if errors.As(err, &help) {
				printCommandHelp(env.Stdout, c, help.flags)
				return 0
			}
			var ue usageError
			if errors.As(err, &ue) {
				fmt.Fprintf(env.Stderr, "lineagedesk %s: %s\nusage: lineagedesk %s\n", c.name, ue.msg, c.usage)
				return 2
			}
			fmt.Fprintf(env.Stderr, "lineagedesk %s: %s\n", c.name, userMessage(err))
			return exitCode(err)
		}
	}
	fmt.Fprintf(env.Stderr, "lineagedesk: unknown command %q; run 'lineagedesk help' for the list\n", args[0])
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Lineage Desk: offline dbt lineage.")
	fmt.Fprintln(w, "\nusage:\n  lineagedesk                 open the desktop window")
	for _, c := range commands() {
		fmt.Fprintf(w, "  lineagedesk %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nglobal flags (any command): --db PATH (or LINEAGEDESK_DB) picks the store file")
	fmt.Fprintln(w, "a command's own flags: lineagedesk CMD --help")
}

// printCommandHelp answers "lineagedesk CMD --help": the usage line, what
// the command does and every flag with its default.
func printCommandHelp(w io.Writer, c command, flags *flag.FlagSet) {
	fmt.Fprintf(w, "usage: lineagedesk %s\n\n%s.\n\nflags:\n", c.usage, upperFirst(c.summary))
	flags.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-"
		}
		fmt.Fprintf(w, "  %s\n      %s", strings.TrimSpace(dashes+f.Name+" "+kind), usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// userMessage is what the CLI says of an error: its message, but for a
// Ctrl-C that only stopped whatever ran ("node colours: read the node
// colours of snapshot 3: context canceled", QA), which is "interrupted".
func userMessage(err error) string {
	var e *backend.Error
	if backend.ErrorCode(err) == backend.ECANCELED && !errors.As(err, &e) {
		return "interrupted"
	}
	return backend.NewErrorPayload(err).Message
}

// exitCode maps error codes to exit statuses, in one place.
func exitCode(err error) int {
	switch backend.ErrorCode(err) {
	case backend.EINVALID:
		return 2
	case backend.ENOTFOUND:
		return 3
	case backend.EUNAUTHORIZED, backend.EFORBIDDEN:
		return 4
	case backend.EUNAVAILABLE, backend.ERATELIMIT:
		return 5
	case backend.ECONFLICT:
		return 6
	case backend.ECANCELED:
		return 130
	}
	return 1
}

// helpRequest is -h or --help given to a command: its flags are printed
// by Run, where the command's usage line is known.
type helpRequest struct{ flags *flag.FlagSet }

func (h helpRequest) Error() string { return flag.ErrHelp.Error() }
func (h helpRequest) Unwrap() error { return flag.ErrHelp }

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// flags is a FlagSet with the global --db flag, parsing flags anywhere
// among the positional arguments ("import target --json").
type flags struct {
	*flag.FlagSet
	db string
}

func newFlags(name string) *flags {
	f := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.SetOutput(io.Discard)
	f.StringVar(&f.db, "db", "", "store file (default: LINEAGEDESK_DB or the user data dir)")
	return f
}

// parse returns the positional arguments.
func (f *flags) parse(args []string) ([]string, error) {
	var positional []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, helpRequest{f.FlagSet}
			}
			return nil, usagef("%v", err)
		}
		rest := f.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// parseFlagsOnly parses a command that takes no arguments besides its
// flags, refusing any (a word left over is a typo or a missing --flag).
func (f *flags) parseFlagsOnly(args []string) error {
	rest, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected arguments %q: lineagedesk %s takes flags only (lineagedesk %s --help)", rest, f.Name(), f.Name())
	}
	return nil
}

func (f *flags) dbPath(env Env) string {
	if f.db != "" {
		return f.db
	}
	return env.Getenv("LINEAGEDESK_DB")
}

// makesStore reports whether a command may start a new store; the others
// only read one, and a store file named that does not exist is a typo.
func makesStore(command string) bool {
	switch command {
	case "import", "connect", "sync", "serve":
		return true
	}
	return false
}

// withApp opens the app for one command and closes it afterwards.
func withApp(ctx context.Context, env Env, f *flags, events app.Emitter, fn func(a *app.App) error) error {
	path := f.dbPath(env)
	if path != "" && !makesStore(f.Name()) {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return backend.Errorf(backend.EINVALID, "there is no store at %s: check --db (or LINEAGEDESK_DB); lineagedesk import PATH starts one", path)
		}
	}
	a, closeFn, err := env.Open(ctx, path, events)
	if err != nil {
		return err
	}
	runErr := fn(a)
	if err := closeFn(); err != nil && runErr == nil {
		runErr = fmt.Errorf("close store: %w", err)
	}
	// A refused first import leaves an empty store: removing it would race
	// another process that opened it meanwhile and lose what that one wrote.
	return runErr
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printJSONLine prints v as one line of JSON (JSON Lines).
func printJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printList prints items as JSON (an empty list, never null), or as a
// table under header (tab-separated columns, as row writes them), or, when
// there are none, the empty message.
func printList[T any](w io.Writer, asJSON bool, items []T, empty, header string, row func(T) string) error {
	if asJSON {
		if items == nil {
			items = []T{}
		}
		return printJSON(w, items)
	}
	if len(items) == 0 {
		_, err := fmt.Fprintln(w, empty)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, it := range items {
		fmt.Fprintln(tw, row(it))
	}
	return tw.Flush()
}

// formatCounts renders {"model": 3, "test": 9} as "3 models, 9 tests".
func formatCounts(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return strings.Join(parts, ", ")
}

func runVersion(_ context.Context, env Env, _ []string) error {
	fmt.Fprintln(env.Stdout, "lineagedesk", env.Version)
	return nil
}

func stdinIsEmpty(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
