package app_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// -o's extension names the format when --format is not given, and one it
// contradicts is refused (QA: -o x.png wrote an SVG into it, exit 0); a
// write that fails half-way (the file size limit, here, as a full disk
// would) leaves the file there as it was and nothing beside it (QA: it was
// cut off, the old picture lost); a symbolic link is written through.
func TestBinaryExportFiles(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "cli.db")}
	if _, stderr, code := c.run("", "import", filepath.Join(fixtures, "jaffle-dap-v12-1.12")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	for name, magic := range map[string]string{"p.png": "\x89PNG", "p.PDF": "%PDF-", "p.json": "{", "p.dot": "digraph", "p.mmd": "---\ntitle:", "p.svg": "<?xml"} {
		path := filepath.Join(dir, name)
		if _, stderr, code := c.run("", "lineage", "-s", "+orders", "-o", path); code != 0 {
			t.Errorf("-o %s: exit %d: %s", name, code, stderr)
			continue
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("-o %s wrote %.20q (%v), want it to start %q", name, b, err, magic)
		}
	}
	if _, stderr, code := c.run("", "lineage", "-s", "+orders", "--format", "svg", "-o", filepath.Join(dir, "q.png")); code != 2 || !strings.Contains(stderr, "names a png file, but --format is svg") {
		t.Errorf("--format svg -o q.png: exit %d: %s", code, stderr)
	}

	good := filepath.Join(dir, "good.svg")
	if _, stderr, code := c.run("", "lineage", "-s", "+orders", "-o", good); code != 0 {
		t.Fatalf("lineage: exit %d: %s", code, stderr)
	}
	before, _ := os.ReadFile(good)
	big, _, code := c.run("", "lineage", "-s", "*", "--format", "svg")
	limitKB := len(big)/1024 - 4 // below the picture, above the store's shared memory file (32 KB)
	if code != 0 || limitKB < 40 {
		t.Fatalf("the whole project's SVG is %d bytes (exit %d): too small to outgrow a file size limit", len(big), code)
	}
	// bash's ulimit -f counts kilobytes (dash's, 512-byte blocks).
	cmd := exec.Command("bash", "-c", fmt.Sprintf(`ulimit -f %d; exec "$0" lineage -s '*' --format svg -o "$1" --db "$2"`, limitKB), c.bin, good, c.db)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "could not write "+good+": file too large; free some space") {
		t.Errorf("a write past the file size limit: %v: %s", err, out)
	}
	if after, _ := os.ReadFile(good); !bytes.Equal(after, before) {
		t.Errorf("the failed write changed %s (%d bytes, was %d)", good, len(after), len(before))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".good.svg*")); len(left) != 0 {
		t.Errorf("the failed write left %v", left)
	}

	link := filepath.Join(dir, "link.svg")
	if err := os.Symlink(good, link); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := c.run("", "lineage", "-s", "orders", "-o", link); code != 0 {
		t.Fatalf("-o a link: exit %d: %s", code, stderr)
	}
	if target, err := os.Readlink(link); err != nil || target != good {
		t.Errorf("-o replaced the link (%q, %v)", target, err)
	}
	if after, _ := os.ReadFile(good); bytes.Equal(after, before) {
		t.Error("-o a link did not write its target")
	}
	// A dangling link is written through too, making its target.
	dangling, made := filepath.Join(dir, "dangling.json"), filepath.Join(dir, "made.json")
	if err := os.Symlink("made.json", dangling); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := c.run("", "lineage", "-s", "orders", "-o", dangling); code != 0 {
		t.Fatalf("-o a dangling link: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(made); err != nil || !bytes.HasPrefix(b, []byte("{")) {
		t.Errorf("-o a dangling link made %q (%v), want the JSON at its target", b, err)
	}
	// A new file takes the mode the umask leaves: a private export stays so.
	private := filepath.Join(dir, "private.svg")
	if out, err := exec.Command("bash", "-c", `umask 077; exec "$0" lineage -s orders -o "$1" --db "$2"`, c.bin, private, c.db).CombinedOutput(); err != nil {
		t.Fatalf("under umask 077: %v: %s", err, out)
	}
	if info, err := os.Stat(private); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("a new export under umask 077: %v (%v), want -rw-------", info.Mode(), err)
	}
	// -o /dev/stdout writes where standard output is, after what came before.
	shell := filepath.Join(dir, "shell.txt")
	script := `{ echo BEFORE; "$0" lineage -s orders --format json -o /dev/stdout --db "$1"; echo AFTER; } > "$2"`
	if out, err := exec.Command("bash", "-c", script, c.bin, c.db, shell).CombinedOutput(); err != nil {
		t.Fatalf("-o /dev/stdout: %v: %s", err, out)
	}
	if b, _ := os.ReadFile(shell); !bytes.HasPrefix(b, []byte("BEFORE\n{")) || !bytes.HasSuffix(b, []byte("AFTER\n")) {
		t.Errorf("-o /dev/stdout into a file: %q, want BEFORE, the JSON, AFTER", b)
	}
}
