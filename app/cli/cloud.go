package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
)

func connectionFlags(f *flags, in *app.ConnectionInput) {
	f.StringVar(&in.Name, "name", "", "connection name")
	f.StringVar(&in.AccessURL, "access-url", "", "dbt Cloud access URL, e.g. https://ab123.us1.dbt.com")
	f.Int64Var(&in.AccountID, "account-id", 0, "dbt Cloud account ID")
	f.Int64Var(&in.ProjectID, "project-id", 0, "only this project")
	f.Int64Var(&in.EnvironmentID, "environment-id", 0, "only this environment")
	f.Int64Var(&in.JobID, "job-id", 0, "only this job")
	f.Int64Var(&in.RunID, "run-id", 0, "always this run")
}

func runConnect(ctx context.Context, env Env, args []string) error {
	f := newFlags("connect")
	var in app.ConnectionInput
	connectionFlags(f, &in)
	tokenStdin := f.Bool("token-stdin", false, "read the token from standard input (it is never accepted as a flag, so it stays out of shell history)")
	saveAnyway := f.Bool("save-anyway", false, "save even when the connection test fails")
	f.BoolVar(&in.Replace, "replace", false, "replace the saved connection of this name with these settings (those not given are cleared)")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	if !*tokenStdin {
		return usagef("give --token-stdin and pipe the token in, e.g. lineagedesk connect ... --token-stdin < token.txt")
	}
	tok, err := readToken(env.Stdin)
	if err != nil {
		return err
	}
	in.Token = tok
	if err := in.Validate(); err != nil {
		return err // nothing was tested: --save-anyway would not help
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		old, err := a.ConnectionInputFor(in.Name)
		exists := err == nil
		switch {
		case err != nil && backend.ErrorCode(err) != backend.ENOTFOUND:
			return err
		case exists && !in.Replace:
			return backend.Errorf(backend.ECONFLICT, "a connection named %q is already saved (%s): give --replace to replace it with these settings (those not given are cleared), or choose another --name", in.Name, connectionText(old))
		}
		report, testErr := a.TestConnection(in)
		if testErr != nil && !*saveAnyway {
			return fmt.Errorf("connection test failed, nothing saved (use --save-anyway to save regardless): %w", testErr)
		}
		conn, err := a.SaveConnection(in)
		if err != nil {
			return err
		}
		if *asJSON {
			out := map[string]any{"connection": conn, "report": report}
			if testErr != nil {
				out["test_error"] = testErr.Error()
			}
			return printJSON(env.Stdout, out)
		}
		if report != nil {
			printReport(env.Stdout, report)
		} else {
			fmt.Fprintf(env.Stdout, "Connection test failed: %v\n", testErr)
		}
		if exists {
			fmt.Fprintf(env.Stdout, "Replaced connection %q (%s; it was %s; token kept in %s).\n", conn.Name, connectionText(in), connectionText(old), conn.TokenStorage)
			return nil
		}
		fmt.Fprintf(env.Stdout, "Saved connection %q (token kept in %s).\n", conn.Name, conn.TokenStorage)
		return nil
	})
}

// connectionText sums a connection's settings up in a line.
func connectionText(in app.ConnectionInput) string {
	text := fmt.Sprintf("account %d at %s", in.AccountID, in.AccessURL)
	for _, pin := range []struct {
		name string
		id   int64
	}{{"project", in.ProjectID}, {"environment", in.EnvironmentID}, {"job", in.JobID}, {"run", in.RunID}} {
		if pin.id != 0 {
			text += fmt.Sprintf(", %s %d", pin.name, pin.id)
		}
	}
	return text
}

// readToken reads one line from stdin; the token never appears in argv.
func readToken(r io.Reader) (string, error) {
	if stdinIsEmpty(r) {
		return "", usagef("--token-stdin: pipe the token in; nothing is waiting on standard input")
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read token from stdin: %w", err)
	}
	tok := strings.TrimSpace(line)
	if tok == "" {
		return "", usagef("--token-stdin: standard input held no token")
	}
	return tok, nil
}

func printReport(w io.Writer, r *dbtcloud.ConnectionReport) {
	fmt.Fprintf(w, "Connected to %s, account %d %q.\n", r.AccessURL, r.AccountID, r.AccountName)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, p := range r.Projects {
		fmt.Fprintf(tw, "project %d\t%s\n", p.ID, p.Name)
		for _, e := range p.Environments {
			prod := ""
			if e.Production {
				prod = " (production)"
			}
			fmt.Fprintf(tw, "  environment %d\t%s%s\n", e.ID, e.Name, prod)
		}
		for _, j := range p.Jobs {
			docs := "generates docs"
			if !j.GenerateDocs {
				docs = "NO docs (no catalog)"
			}
			sel := ""
			if j.Selected {
				sel = "  <- synced: " + j.Reason
			}
			fmt.Fprintf(tw, "  job %d\t%s\t%s%s\n", j.ID, j.Name, docs, sel)
			for _, run := range j.LatestRuns {
				fmt.Fprintf(tw, "    run %d\t%s\t%s\n", run.ID, run.StatusName, finishedText(run))
			}
			if run := j.NextRun; run != nil {
				fmt.Fprintf(tw, "    a sync takes run %d\t%s\t%s\n", run.ID, run.StatusName, finishedText(*run))
			}
		}
	}
	tw.Flush()
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

func finishedText(run dbtcloud.RunSummary) string {
	if run.FinishedAt.IsZero() {
		return "not finished"
	}
	return run.FinishedAt.UTC().Format("2006-01-02 15:04 MST")
}

func runConnections(ctx context.Context, env Env, args []string) error {
	f := newFlags("connections")
	asJSON := f.Bool("json", false, "print JSON")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		cs, err := a.Connections()
		if err != nil {
			return err
		}
		return printList(env.Stdout, *asJSON, cs, "No connections: add one with 'lineagedesk connect'.",
			"NAME\tACCESS URL\tACCOUNT\tPROJECT\tENVIRONMENT\tJOB\tRUN\tTOKEN", func(c backend.Connection) string {
				return fmt.Sprintf("%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s", c.Name, c.AccessURL, c.AccountID, optID(c.ProjectID), optID(c.EnvironmentID), optID(c.JobID), optID(c.RunID), c.TokenStorage)
			})
	})
}

func optID(id int64) string {
	if id == 0 {
		return "any"
	}
	return fmt.Sprint(id)
}

func runTestConnection(ctx context.Context, env Env, args []string) error {
	f := newFlags("test-connection")
	asJSON := f.Bool("json", false, "print JSON")
	names, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(names) != 1 {
		return usagef("give the connection's name")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		in, err := a.ConnectionInputFor(names[0])
		if err != nil {
			return err
		}
		report, err := a.TestConnection(in)
		if err != nil {
			return err
		}
		if *asJSON {
			return printJSON(env.Stdout, report)
		}
		printReport(env.Stdout, report)
		return nil
	})
}

func runDisconnect(ctx context.Context, env Env, args []string) error {
	f := newFlags("disconnect")
	names, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(names) != 1 {
		return usagef("give the connection's name")
	}
	return withApp(ctx, env, f, nil, func(a *app.App) error {
		if err := a.DeleteConnection(names[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Deleted connection %q and its token.\n", names[0])
		return nil
	})
}

func runSync(ctx context.Context, env Env, args []string) error {
	f := newFlags("sync")
	runID := f.Int64("run-id", 0, "sync exactly this run")
	asJSON := f.Bool("json", false, "print JSON")
	names, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(names) > 1 {
		return usagef("give at most one connection name")
	}
	lowerPeakMemory()
	bar := newProgressBar(env.rawStderr, env.IsTerminal && !*asJSON)
	return withApp(ctx, env, f, bar, func(a *app.App) error {
		name := ""
		if len(names) == 1 {
			name = names[0]
		}
		res, err := a.Sync(name, *runID)
		bar.finish()
		if err != nil {
			return err
		}
		if *asJSON {
			if err := printJSON(env.Stdout, res); err != nil {
				return err
			}
			return someRunsFailed(res)
		}
		for _, s := range res.Runs {
			if s.Error != "" {
				fmt.Fprintf(env.Stdout, "Run %d of job %d was not synced: %s\n", s.RunID, s.JobID, s.Error)
				continue
			}
			if s.Skipped {
				fmt.Fprintf(env.Stdout, "Run %d of job %d is already in snapshot %d; nothing new was stored.\n", s.RunID, s.JobID, s.SnapshotID)
				continue
			}
			fmt.Fprintf(env.Stdout, "Synced run %d of job %d into snapshot %d: %s\n  %s\n", s.RunID, s.JobID, s.SnapshotID, formatCounts(s.Counts), s.Reason)
			for _, w := range s.Warnings {
				fmt.Fprintf(env.Stdout, "  warning: %s\n", w)
			}
		}
		return someRunsFailed(res)
	})
}

// someRunsFailed is the error of a sync that stored some runs and failed
// on others, for the exit status: the runs are listed above it.
func someRunsFailed(res app.SyncResult) error {
	if res.Failed == 0 {
		return nil
	}
	// The exit status is the first failure's, as when it fails alone.
	code := backend.EINTERNAL
	for _, s := range res.Runs {
		if s.Error != "" {
			code = s.ErrorCode
			break
		}
	}
	return backend.Errorf(code, "%d of %d runs were not synced (listed above); the others were", res.Failed, len(res.Runs))
}
