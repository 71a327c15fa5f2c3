package app_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// buildBinary compiles the real lineagedesk binary (without the desktop
// window, which needs cgo) once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lineagedesk")
	cmd := exec.Command("go", "build", "-o", bin, "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

type cli struct {
	t   *testing.T
	bin string
	db  string
	env []string
}

func (c cli) run(stdin string, args ...string) (string, string, int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append(args, "--db", c.db)...)
	cmd.Env = append(os.Environ(), c.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestBinaryConnectSyncBrowse drives the real binary: connect to the fake
// dbt Cloud server (token on stdin), sync, then browse what was synced,
// checking exit codes and the JSON contracts of the CLI.
func TestBinaryConnectSyncBrowse(t *testing.T) {
	srv := cloudWithRuns(t)
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "cli.db"),
		env: []string{"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "HOME=" + dir}}

	// A wrong token: the test fails, nothing is saved, exit code 4.
	_, stderr, code := c.run("not-the-token\n", "connect", "--name", "prod", "--access-url", srv.URL, "--account-id", "7001", "--token-stdin")
	if code != 4 || !strings.Contains(stderr, "nothing saved") {
		t.Fatalf("connect with a bad token: exit %d, stderr %q", code, stderr)
	}
	out, _, _ := c.run("", "connections", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Fatalf("a failed connect saved something: %s", out)
	}

	out, stderr, code = c.run(srv.Token+"\n", "connect", "--name", "prod", "--access-url", srv.URL, "--account-id", "7001", "--token-stdin", "--json")
	if code != 0 {
		t.Fatalf("connect: exit %d: %s", code, stderr)
	}
	if strings.Contains(out+stderr, srv.Token) {
		t.Fatal("connect printed the token")
	}
	// The name is taken: refused before any test, unless --replace, which
	// says what the connection was.
	_, stderr, code = c.run(srv.Token+"\n", "connect", "--name", "prod", "--access-url", srv.URL, "--account-id", "7002", "--token-stdin")
	if code != 6 || !strings.Contains(stderr, `a connection named "prod" is already saved (account 7001 at http://127.0.0.1`) || !strings.Contains(stderr, "--replace") {
		t.Fatalf("connect under a saved name: exit %d, stderr %q", code, stderr)
	}
	out, stderr, code = c.run(srv.Token+"\n", "connect", "--name", "prod", "--access-url", srv.URL, "--account-id", "7001", "--job-id", "31", "--token-stdin", "--replace")
	if code != 0 || !strings.Contains(out, `Replaced connection "prod" (account 7001 at `+srv.URL+`, job 31; it was account 7001 at `+srv.URL+`;`) {
		t.Fatalf("connect --replace: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// Input refused before any test says what is wrong, not --save-anyway.
	_, stderr, code = c.run(srv.Token+"\n", "connect", "--name", "other", "--access-url", srv.URL, "--account-id", "-5", "--token-stdin")
	if code != 2 || !strings.Contains(stderr, "account ID -5 is not an id") || strings.Contains(stderr, "save-anyway") {
		t.Fatalf("connect with account -5: exit %d, stderr %q", code, stderr)
	}

	out, stderr, code = c.run("", "sync", "--json")
	if code != 0 {
		t.Fatalf("sync: exit %d: %s", code, stderr)
	}
	var res struct {
		SnapshotID    int64          `json:"snapshot_id"`
		RunID         int64          `json:"run_id"`
		JobID         int64          `json:"job_id"`
		ProjectID     int64          `json:"project_id"`
		EnvironmentID int64          `json:"environment_id"`
		Counts        map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("sync --json: %v\n%s", err, out)
	}
	if res.RunID != 901 || res.JobID != jobID || res.ProjectID != projectID || res.EnvironmentID != envID || res.SnapshotID == 0 || res.Counts["model"] == 0 {
		t.Fatalf("sync --json: %+v", res)
	}

	out, _, code = c.run("", "lineage", "--select", "+exposure:*", "--format", "json")
	var picture struct {
		Nodes []struct {
			ResourceType string `json:"resource_type"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal([]byte(out), &picture); code != 0 || err != nil || len(picture.Nodes) == 0 ||
		picture.Nodes[0].ResourceType != "exposure" {
		t.Fatalf("lineage after sync: exit %d, %v\n%.400s", code, err, out)
	}
	_, stderr, code = c.run("", "show", "model.nope.nope")
	if code != 3 || !strings.Contains(stderr, "model.nope.nope") {
		t.Fatalf("show of a missing id: exit %d, %q", code, stderr)
	}
	// show gives a node's health, and shows what health does not judge
	// (a macro, outside the lineage) without it.
	out, stderr, code = c.run("", "show", "model.dbt_bouncer_test_project.orders")
	if code != 0 || !strings.Contains(out, "\n  health:       healthy\n") {
		t.Fatalf("show of a model: exit %d, %q\n%s", code, stderr, out)
	}
	// An exposure's type and owner, and a versioned model's access,
	// version and contract, as --json has them (QA: the text left them out).
	out, stderr, code = c.run("", "show", "exposure.dbt_bouncer_test_project.customers")
	if code != 0 || !strings.Contains(out, "\n  type:         dashboard\n") || !strings.Contains(out, "\n  owner:        Anna Anderson <anna.anderson@example.com>\n") {
		t.Fatalf("show of an exposure: exit %d, %q\n%s", code, stderr, out)
	}
	out, stderr, code = c.run("", "show", "model.dbt_bouncer_test_project.customers.v2")
	if code != 0 || !strings.Contains(out, "\n  access:       public\n  version:      2 (the latest)\n  contract:     enforced\n") {
		t.Fatalf("show of a versioned model: exit %d, %q\n%s", code, stderr, out)
	}
	out, stderr, code = c.run("", "show", "macro.dbt_bouncer_test_project.cents_to_dollars")
	if code != 0 || strings.Contains(out, "health:") || !strings.HasPrefix(out, "macro.dbt_bouncer_test_project.cents_to_dollars (macro)") {
		t.Fatalf("show of a macro: exit %d, %q\n%s", code, stderr, out)
	}
	assertTokenNowhere(t, dir, srv.Token)
}

// TestBinaryImportJSONContract checks `import --json` against the manifest,
// counted independently, and that bad input exits non-zero naming the file.
func TestBinaryImportJSONContract(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "i.db"), env: []string{"XDG_CONFIG_HOME=" + dir}}
	dataset := "hubspot-v12-dbt1.8-postgres"
	out, stderr, code := c.run("", "import", filepath.Join(fixtures, dataset), "--json")
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	var res struct {
		SnapshotID     int64          `json:"snapshot_id"`
		Project        string         `json:"project"`
		DbtVersion     string         `json:"dbt_version"`
		SchemaVersions map[string]int `json:"schema_versions"`
		Counts         map[string]int `json:"counts"`
		Warnings       []string       `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	m := manifestJSON(t, dataset)
	want := map[string]int{}
	for _, section := range []string{"nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries", "unit_tests", "macros", "docs", "groups"} {
		entries, _ := m[section].(map[string]any)
		for _, e := range entries {
			want[e.(map[string]any)["resource_type"].(string)]++
		}
	}
	for typ, n := range want {
		if res.Counts[typ] != n {
			t.Errorf("counts[%s] = %d, manifest has %d", typ, res.Counts[typ], n)
		}
	}
	if res.Project != "hubspot_integration_tests" || res.DbtVersion != "1.8.3" || res.SchemaVersions["manifest"] != 12 || res.Warnings == nil {
		t.Errorf("import --json: %+v", res)
	}

	bad := filepath.Join(dir, "manifest.json")
	os.WriteFile(bad, []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": {`), 0o644)
	_, stderr, code = c.run("", "import", bad)
	if code != 2 || !strings.Contains(stderr, "manifest.json") {
		t.Fatalf("truncated manifest: exit %d, %q", code, stderr)
	}
	out, _, _ = c.run("", "snapshots", "--json")
	var snaps []map[string]any
	json.Unmarshal([]byte(out), &snaps)
	if len(snaps) != 1 {
		t.Fatalf("after a failed import: %d snapshots, want 1", len(snaps))
	}

	// The global --db may come before the command, as the usage says.
	cmd := exec.Command(c.bin, "--db", c.db, "snapshots", "--json")
	cmd.Env = append(os.Environ(), c.env...)
	if before, err := cmd.Output(); err != nil || string(before) != out {
		t.Errorf("--db before the command: %v, %q; want %q", err, before, out)
	}
	// Without a command and without a display there is no window to open:
	// say so and point at serve, rather than GTK's panic.
	cmd = exec.Command(c.bin, "--db", c.db)
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	if msg, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(msg), "lineagedesk serve --open") {
		t.Errorf("window without a display: %v, %q", err, msg)
	}

	// changes, as a table: what changed before the unique_id, which a
	// test's long id would otherwise push off the terminal.
	if _, stderr, code := c.run("", "import", filepath.Join(fixtures, "hubspot-v12-dbt1.11-postgres")); code != 0 {
		t.Fatalf("second import: exit %d: %s", code, stderr)
	}
	out, stderr, code = c.run("", "changes")
	lines := strings.Split(out, "\n")
	header := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "CHANGE") })
	if code != 0 || header < 0 || strings.Join(strings.Fields(lines[header]), " ") != "CHANGE WHAT UNIQUE_ID" {
		t.Fatalf("changes: exit %d, %q\n%s", code, stderr, out)
	}
	modified := 0
	for _, l := range lines[header+1:] {
		f := strings.Fields(l)
		if len(f) >= 3 && f[0] == "modified" {
			modified++
			if id := f[len(f)-1]; !strings.Contains(id, ".hubspot") {
				t.Errorf("modified row %q does not end with a unique_id", l)
			}
		}
	}
	if modified == 0 {
		t.Errorf("changes lists nothing modified between dbt 1.8 and 1.11:\n%s", out)
	}
	// The column redefined, old way then new (TestColumnChanges reads it).
	if !regexp.MustCompile(`(?m)^model\.hubspot\.hubspot__engagement_calls\.owner_id +redefined +coalesce\(engagements\.owner_id, base\.owner_id\) as owner_id -> stg_hubspot__engagement_call\.owner_id +-$`).MatchString(out) {
		t.Errorf("changes does not show the redefined column:\n%s", out)
	}
	// A removed column with its readers and how far it reached.
	if !regexp.MustCompile(`(?m)^model\.hubspot\.int_hubspot__contact_merge_adjust\.calculated_merged_vids +removed +\S+ +model\.hubspot\.hubspot__contacts\.calculated_merged_vids \(reaches 1 node and 1 column\)$`).MatchString(out) {
		t.Errorf("changes does not say how far the removed column reached:\n%s", out)
	}
}

// TestBinaryRenderWorker: the binary's hidden render-worker command (the
// process serve and the window lay pictures out in) answers a layout
// request on stdin with an SVG on stdout and stops at the end of its input.
func TestBinaryRenderWorker(t *testing.T) {
	bin := buildBinary(t)
	dot := "digraph g { a -> b }"
	var req bytes.Buffer
	req.Write(binary.AppendUvarint(nil, 3))
	req.WriteString("svg")
	req.Write(binary.AppendUvarint(nil, uint64(len(dot))))
	req.WriteString(dot)
	cmd := exec.Command(bin, "render-worker")
	cmd.Stdin = &req
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("render-worker: %v\n%s", err, errb.String())
	}
	r := bytes.NewReader(out)
	status, _ := r.ReadByte()
	rss, err1 := binary.ReadUvarint(r)
	n, err2 := binary.ReadUvarint(r)
	if status != 0 || err1 != nil || err2 != nil || rss == 0 || int(n) != r.Len() {
		t.Fatalf("reply: status %d, rss %d (%v), length %d (%v) for %d bytes left", status, rss, err1, n, err2, r.Len())
	}
	body := out[len(out)-int(n):]
	if !bytes.Contains(body, []byte("<svg")) || !bytes.Contains(body, []byte("<title>a&#45;&gt;b</title>")) {
		t.Errorf("not the SVG of a -> b:\n%s", body)
	}
}

// TestBinaryTerminalText: artifact text printed to a terminal cannot act on
// it (retitle the window, clear the screen, write the clipboard): the
// controls become U+FFFD in text output, while --json keeps the text as
// dbt wrote it, escaped by JSON.
func TestBinaryTerminalText(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "t.db"), env: []string{"XDG_CONFIG_HOME=" + dir}}
	hostile := "Title \x1b]0;PWNED\x07 clear \x1b[2J clip \x1b]52;c;ZXZpbA==\x07 csi \u009b31m end"
	target := editedJaffle(t, dir, "target", func(nodes map[string]any) {
		nodes["model.jaffle_shop.customers"].(map[string]any)["description"] = hostile
		// Lineage JSON carries tags; encoding/json escapes C0, not C1 or DEL.
		nodes["model.jaffle_shop.stg_customers"].(map[string]any)["tags"] = []any{"c1 \u009b31m del \x7f end"}
	})
	if _, stderr, code := c.run("", "import", target); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	// An export written to a pipe is the file -o writes, byte for byte, the
	// tags as dbt wrote them (a terminal gets them filtered).
	out, stderr, code := c.run("", "lineage", "-s", "stg_customers", "--format", "json")
	if code != 0 || !strings.Contains(out, "c1 \u009b31m del \x7f end") {
		t.Errorf("lineage --format json to a pipe: exit %d (%s), %q", code, stderr, out)
	}
	// On a terminal (script(1) gives it one) the controls are replaced.
	onTerminal, err := exec.Command("script", "-qec", c.bin+" lineage -s stg_customers --format json --db "+c.db, "/dev/null").Output()
	if err != nil || !strings.Contains(string(onTerminal), "c1 \uFFFD31m del \uFFFD end") {
		t.Errorf("lineage --format json on a terminal (%v): %q", err, onTerminal)
	}
	written := filepath.Join(dir, "lineage.json")
	if _, stderr, code := c.run("", "lineage", "-s", "stg_customers", "--format", "json", "-o", written); code != 0 {
		t.Fatalf("lineage -o: exit %d: %s", code, stderr)
	}
	if file, err := os.ReadFile(written); err != nil || string(file) != out {
		t.Errorf("lineage -o wrote other bytes than standard output (%v)", err)
	}
	// A picture, laid out with Ctrl-C handed back to its default action.
	svgPath := filepath.Join(dir, "lineage.svg")
	if _, stderr, code := c.run("", "lineage", "-s", "stg_customers", "-o", svgPath); code != 0 {
		t.Errorf("lineage -o SVG: exit %d: %s", code, stderr)
	} else if svg, err := os.ReadFile(svgPath); err != nil || !bytes.Contains(svg, []byte("</svg>")) {
		t.Errorf("lineage -o SVG wrote no picture (%v)", err)
	}
	// A PNG goes to a pipe too (a terminal is refused it).
	if png, stderr, code := c.run("", "lineage", "-s", "stg_customers", "--format", "png", "-o", "-"); code != 0 || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("lineage --format png -o - to a pipe: exit %d: %s", code, stderr)
	}
	// The edge list for spreadsheets: a header, then the selection's edges.
	if out, stderr, code := c.run("", "lineage", "-s", "+stg_customers", "--format", "csv"); code != 0 {
		t.Errorf("lineage --format csv: exit %d: %s", code, stderr)
	} else if rows, err := csv.NewReader(strings.NewReader(out)).ReadAll(); err != nil || len(rows) < 2 || rows[0][0] != "from_unique_id" || rows[1][5] != "model.jaffle_shop.stg_customers" {
		t.Errorf("lineage --format csv (%v): %q", err, out)
	}
	// An impact list: every node downstream, nearest first, as a table
	// or for spreadsheets; -o writes what standard output gets.
	if out, stderr, code := c.run("", "impact", "stg_customers", "--list"); code != 0 || !strings.Contains(out, "HOPS") ||
		!regexp.MustCompile(`(?m)^1 +model +model\.jaffle_shop\.customers `).MatchString(out) {
		t.Errorf("impact --list: exit %d (%s): %q", code, stderr, out)
	}
	impactCSV, stderr, code := c.run("", "impact", "stg_customers", "--list", "--csv")
	if rows, err := csv.NewReader(strings.NewReader(impactCSV)).ReadAll(); code != 0 || err != nil || len(rows) < 3 ||
		rows[0][0] != "distance" || rows[1][0] != "1" || rows[1][1] != "model.jaffle_shop.customers" || rows[len(rows)-1][0] == "1" {
		t.Errorf("impact --list --csv: exit %d (%s, %v): %q", code, stderr, err, impactCSV)
	}
	impactFile := filepath.Join(dir, "impact.csv")
	if _, stderr, code := c.run("", "impact", "stg_customers", "--list", "--csv", "-o", impactFile); code != 0 {
		t.Errorf("impact --list --csv -o: exit %d: %s", code, stderr)
	} else if file, err := os.ReadFile(impactFile); err != nil || string(file) != impactCSV {
		t.Errorf("impact -o wrote other bytes than standard output (%v)", err)
	}
	// Standard output sent onto the store is refused as -o STORE is.
	// So is an impact list's CSV (exports share one writer).
	for _, args := range [][]string{{"lineage", "-s", "stg_customers"}, {"impact", "stg_customers", "--list", "--csv"}} {
		storeFile, err := os.OpenFile(c.db, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		onStore := exec.Command(c.bin, append(args, "--db", c.db)...)
		var errOut bytes.Buffer
		onStore.Env, onStore.Stdout, onStore.Stderr = append(os.Environ(), c.env...), storeFile, &errOut
		err = onStore.Run()
		storeFile.Close()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(errOut.String(), "standard output is the store itself") {
			t.Errorf("%v > STORE: %v, %s", args, err, errOut.String())
		}
	}
	// -o naming the store would overwrite every snapshot: refused, store intact.
	for _, args := range [][]string{{"lineage", "-s", "stg_customers", "--format", "json"}, {"impact", "stg_customers", "--list", "--json"}} {
		if _, stderr, code := c.run("", append(args, "-o", c.db)...); code != 2 || !strings.Contains(stderr, "is the store itself") {
			t.Errorf("%v -o STORE: exit %d, %q", args, code, stderr)
		}
	}
	if _, stderr, code := c.run("", "snapshots"); code != 0 {
		t.Errorf("the store after -o STORE was refused: exit %d, %s", code, stderr)
	}
	for _, args := range [][]string{{"show", "model.jaffle_shop.customers"}, {"search", "PWNED"}} {
		out, stderr, code := c.run("", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if strings.ContainsAny(out+stderr, "\x1b\x07\u009b") {
			t.Errorf("%v printed terminal controls: %q", args, out)
		}
		if !strings.Contains(out, "\uFFFD]0;PWNED") {
			t.Errorf("%v: the text around the controls is lost: %q", args, out)
		}
	}
	out, _, code = c.run("", "show", "model.jaffle_shop.customers", "--json")
	var shown struct {
		Description string `json:"description"`
	}
	if err := json.Unmarshal([]byte(out), &shown); code != 0 || err != nil {
		t.Fatalf("show --json: exit %d, %v", code, err)
	}
	if want := strings.ReplaceAll(hostile, "\u009b", "\uFFFD"); shown.Description != want {
		t.Errorf("show --json description = %q, want %q (only the C1 control replaced)", shown.Description, want)
	}
}

// TestBinaryImportWatch: import --watch imports the folder, keeps
// watching, and ends with exit status 0 on Ctrl-C (SIGINT).
func TestBinaryImportWatch(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "w.db"), env: []string{"XDG_CONFIG_HOME=" + dir}}
	target := filepath.Join(dir, "target")
	for _, f := range []string{"manifest.json.gz", "run_results.json.gz"} {
		copyInto(t, filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb", f), target)
	}
	cmd := exec.Command(c.bin, "import", "--watch", target, "--every", "50ms", "--db", c.db)
	cmd.Env = append(os.Environ(), c.env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 10)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
	}()
	select {
	case line := <-lines:
		if !strings.HasPrefix(line, "Imported dbt_bouncer_test_project (dbt 1.11.2) as snapshot 1:") {
			t.Errorf("first line %q", line)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("nothing imported in 30 s: %s", errb.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil || !strings.Contains(errb.String(), "watching "+target) {
		t.Errorf("import --watch after Ctrl-C: %v, stderr %q", err, errb.String())
	}
	if out, _, code := c.run("", "snapshots", "--json"); code != 0 || strings.Count(out, `"id":`) != 1 {
		t.Errorf("snapshots after the watch: %s", out)
	}

	// With --json, each import is one line of JSON (QA: it was indented
	// over many lines, which a consumer reading lines cannot take).
	cmd = exec.Command(c.bin, "import", "--watch", "--json", target, "--every", "50ms", "--db", filepath.Join(dir, "json.db"))
	cmd.Env = append(os.Environ(), c.env...)
	if stdout, err = cmd.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		scanner.Buffer(nil, 1<<20)
		if scanner.Scan() {
			first <- scanner.Text()
		}
		close(first)
	}()
	select {
	case line := <-first:
		var res struct {
			SnapshotID int64  `json:"snapshot_id"`
			Project    string `json:"project"`
		}
		if err := json.Unmarshal([]byte(line), &res); err != nil || res.SnapshotID != 1 || res.Project != "dbt_bouncer_test_project" {
			t.Errorf("the first line is not the import as JSON: %q (%v)", line, err)
		}
	case <-time.After(30 * time.Second):
		t.Error("nothing imported in 30 s with --json")
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
}

// TestBinaryColumns: the columns command prints a node's column lineage
// and traces a column as a table, JSON, DOT or an SVG picture.
func TestBinaryColumns(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "t.db"), env: []string{"XDG_CONFIG_HOME=" + dir}}
	if _, stderr, code := c.run("", "import", filepath.Join(fixtures, "jaffle-dap-v12-1.12")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	out, stderr, code := c.run("", "columns", "model.jaffle_shop.customers")
	if code != 0 || !regexp.MustCompile(`(?m)^lifetime_spend +transformed +model\.jaffle_shop\.orders\.order_total$`).MatchString(out) ||
		!strings.Contains(out, "reads to join, filter, group or order:\n  model.jaffle_shop.orders.customer_id\n") {
		t.Errorf("columns NODE: exit %d (%s): %q", code, stderr, out)
	}
	out, stderr, code = c.run("", "columns", "stg_orders", "ordered_at", "--upstream")
	if code != 0 || !regexp.MustCompile(`(?m)^raw_orders\.ordered_at +stg_orders\.ordered_at +transformed +date_trunc\('day', ordered_at\) as ordered_at$`).MatchString(out) ||
		strings.Contains(out, "orders.ordered_at ") && strings.Contains(out, "customers.") {
		t.Errorf("columns NODE COLUMN --upstream: exit %d (%s): %q", code, stderr, out)
	}
	out, _, code = c.run("", "columns", "stg_orders", "ordered_at", "--json")
	var trace backend.ColumnTrace
	// 1 link up, 13 down: 5 through models, 5 into the semantic models,
	// 2 into saved queries' metric_time__day, 1 into a metric's filter.
	if err := json.Unmarshal([]byte(out), &trace); code != 0 || err != nil || len(trace.Edges) != 14 {
		t.Errorf("columns --json: exit %d, %v, %d links (want 1 up, 13 down)", code, err, len(trace.Edges))
	}
	dot, _, code := c.run("", "columns", "stg_orders", "ordered_at", "--format", "dot")
	if code != 0 || !strings.HasPrefix(dot, "digraph columns {") || strings.Count(dot, " -> ") != 14 {
		t.Errorf("columns --format dot: exit %d: %q", code, dot)
	}
	table, _, code := c.run("", "columns", "stg_orders", "ordered_at", "--format", "csv")
	if rows, err := csv.NewReader(strings.NewReader(table)).ReadAll(); code != 0 || err != nil || len(rows) != 15 || rows[0][0] != "from_unique_id" {
		t.Errorf("columns --format csv: exit %d (%v): %q", code, err, table)
	}
	out, stderr, code = c.run("", "columns", "stg_orders", "ordered_at", "--downstream", "--depth", "1")
	if code != 0 || !strings.Contains(out, ": 4 columns, 3 links\n") ||
		!strings.HasSuffix(out, "at depth 1; the links go on past order_items (downstream), orders (downstream)\n") {
		t.Errorf("columns --depth 1: exit %d (%s): %q", code, stderr, out)
	}
	svgPath := filepath.Join(dir, "columns.svg")
	if _, stderr, code := c.run("", "columns", "stg_orders", "ordered_at", "--format", "svg", "-o", svgPath); code != 0 ||
		!strings.Contains(stderr, "wrote "+svgPath+": 14 columns of 11 nodes") {
		t.Errorf("columns --format svg -o: exit %d: %s", code, stderr)
	} else if svg, err := os.ReadFile(svgPath); err != nil || !bytes.HasPrefix(svg, []byte("<?xml")) || !bytes.Contains(svg, []byte("</svg>")) {
		t.Errorf("columns -o wrote no picture (%v)", err)
	}
	// A PNG for a slide, through a pipe: the image's bytes, not base64.
	pngOut, stderr, code := c.run("", "columns", "stg_orders", "ordered_at", "--format", "png")
	if img, err := png.Decode(strings.NewReader(pngOut)); code != 0 || err != nil || img.Bounds().Dx() < 800 {
		t.Errorf("columns --format png: exit %d (%s), %v", code, stderr, err)
	}
	for _, args := range [][]string{
		{"columns"},
		{"columns", "model.jaffle_shop.customers", "--upstream"},
		{"columns", "model.jaffle_shop.customers", "customer_id", "--upstream", "--downstream"},
		{"columns", "model.jaffle_shop.customers", "customer_id", "-o", filepath.Join(dir, "x")},
		{"columns", "model.jaffle_shop.customers", "customer_id", "--format", "dot", "-o", c.db},
	} {
		if _, stderr, code := c.run("", args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, %q; want a usage error", args, code, stderr)
		}
	}
	if _, stderr, code := c.run("", "columns", "model.jaffle_shop.customers", "lifetime_spent"); code == 0 || !strings.Contains(stderr, "lifetime_spend") {
		t.Errorf("a slip in the column: exit %d, %q", code, stderr)
	}
}

// search --all-projects leads each hit with its project, finds finance's
// ref to bouncer's customers.v3 as bouncer's model, and counts by project.
func TestBinarySearchAllProjects(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "t.db"), env: []string{"XDG_CONFIG_HOME=" + dir}}
	for _, path := range []string{filepath.Join(fixtures, "bouncer-v12-dbt1.12-duckdb"), filepath.Join(meshDir, "bouncer_finance")} {
		if _, stderr, code := c.run("", "import", path); code != 0 {
			t.Fatalf("import %s: exit %d: %s", path, code, stderr)
		}
	}
	out, stderr, code := c.run("", "search", "customers", "--type", "model", "--all-projects")
	if code != 0 {
		t.Fatalf("search --all-projects: exit %d: %s", code, stderr)
	}
	var v3 []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[1] == "model.dbt_bouncer_test_project.customers.v3" {
			v3 = append(v3, f[0])
		}
	}
	if !slices.Equal(v3, []string{"dbt_bouncer_test_project"}) || !strings.Contains(out, "by project: ") ||
		!strings.Contains(out, "bouncer_finance") {
		t.Errorf("search --all-projects: customers.v3 in %v, want in bouncer's run alone; output:\n%s", v3, out)
	}
	// bouncer's run (#1) lacks finance's models: the other projects' matches are counted.
	out, _, code = c.run("", "search", "dim_customer_value", "--snapshot", "1")
	if code != 0 || !strings.Contains(out, "No match for \"dim_customer_value\".\nAcross the projects the store holds: ") ||
		!strings.Contains(out, " bouncer_finance (--all-projects).") {
		t.Errorf("search in bouncer's run of finance's model:\n%s", out)
	}
	out, _, code = c.run("", "search", "customers", "--type", "model")
	if code != 0 || strings.Contains(out, "dbt_bouncer_test_project  ") || !strings.Contains(out, "model.dbt_bouncer_test_project.customers.v3") {
		t.Errorf("search alone searches finance's run (its ref too), no project column:\n%s", out)
	}
}
