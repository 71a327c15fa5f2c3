package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/app/demo"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

// answeringDialogs stands in for the window's native save dialog, which
// only a person (or the desktop test under Xvfb) can answer.
type answeringDialogs struct {
	path    string
	offered []string // folder/filename
}

func (d *answeringDialogs) PickFolder(string) (string, error) { return "", nil }
func (d *answeringDialogs) SaveFile(_, dir, filename string) (string, error) {
	d.offered = append(d.offered, filepath.Join(dir, filename))
	return d.path, nil
}

func TestSaveLineage(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	os.MkdirAll(filepath.Join(home, "Downloads"), 0o755)
	os.MkdirAll(filepath.Join(home, ".config"), 0o755)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Desktop\"\nXDG_DOWNLOAD_DIR=\"$HOME/Downloads\"\n"), 0o644)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	store, err := storage.Open(t.Context(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	dialogs := &answeringDialogs{}
	a := app.New(t.Context(), store, app.Config{Version: "test", DBPath: filepath.Join(dir, "store.db"), Demo: demo.Source{}, Dialogs: dialogs})
	if _, err := a.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"pdf", "png", "svg", "mermaid", "csv"} {
		dialogs.path = filepath.Join(dir, "exports", "orders."+format)
		os.MkdirAll(filepath.Dir(dialogs.path), 0o755)
		req := app.LineageRequest{Select: "+orders", Format: format}
		saved, err := a.SaveLineage(req)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		written, err := os.ReadFile(dialogs.path)
		if err != nil || saved.Path != dialogs.path || saved.Bytes != len(written) {
			t.Fatalf("%s: saved %+v, read %d bytes (%v)", format, saved, len(written), err)
		}
		res, err := a.Lineage(req)
		if err != nil {
			t.Fatal(err)
		}
		want := []byte(res.Content)
		if res.Base64 {
			want, _ = base64.StdEncoding.DecodeString(res.Content)
		}
		// Every format, pictures too, is the same bytes drawn again.
		if !bytes.Equal(written, want) {
			t.Errorf("%s: the saved file is not the export", format)
		}
	}
	// The first dialog opens in the downloads folder named in
	// user-dirs.dirs, the next ones where the last export went.
	if offered := dialogs.offered[0]; offered != filepath.Join(home, "Downloads", "jaffle_shop-+orders-s1.pdf") {
		t.Errorf("the dialog offered %q", offered)
	}
	if offered := dialogs.offered[1]; offered != filepath.Join(dir, "exports", "jaffle_shop-+orders-s1.png") {
		t.Errorf("the second dialog offered %q", offered)
	}

	dialogs.path = "" // cancelled
	if saved, err := a.SaveLineage(app.LineageRequest{Select: "+orders", Format: "png"}); err != nil || !saved.Cancelled {
		t.Errorf("cancelled: %+v, %v", saved, err)
	}
	dialogs.path = filepath.Join(dir, "no such folder", "x.png")
	if _, err := a.SaveLineage(app.LineageRequest{Select: "+orders", Format: "png"}); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "no such folder") {
		t.Errorf("unwritable: %v", err)
	}
	// A view's file, through the same dialog.
	if _, err := a.SaveView("Orders", app.LineageRequest{Select: "+orders", GroupBy: "folder"}); err != nil {
		t.Fatal(err)
	}
	dialogs.path = filepath.Join(dir, "exports", "orders.view.json")
	saved, err := a.SaveViewFile(0, "Orders")
	file, ferr := a.ViewFile(0, "Orders")
	written, rerr := os.ReadFile(dialogs.path)
	if err != nil || ferr != nil || rerr != nil || saved.Path != dialogs.path || string(written) != file.Content {
		t.Errorf("SaveViewFile: %+v (%v, %v, %v)", saved, err, ferr, rerr)
	}
	if offered := dialogs.offered[len(dialogs.offered)-1]; filepath.Base(offered) != "jaffle_shop-Orders.view.json" {
		t.Errorf("the view's file was offered as %q", offered)
	}
	// An impact list's CSV, through the same dialog.
	dialogs.path = filepath.Join(dir, "exports", "orders-impact.csv")
	savedCSV, err := a.SaveImpactCSV(0, "model.jaffle_shop.orders", "upstream")
	csvFile, ferr := a.ImpactCSV(0, "model.jaffle_shop.orders", "upstream")
	written, rerr = os.ReadFile(dialogs.path)
	if err != nil || ferr != nil || rerr != nil || savedCSV.Path != dialogs.path || string(written) != csvFile.Content || !strings.HasPrefix(csvFile.Content, "distance,") {
		t.Errorf("SaveImpactCSV: %+v (%v, %v, %v)", savedCSV, err, ferr, rerr)
	}
	if offered := dialogs.offered[len(dialogs.offered)-1]; filepath.Base(offered) != "jaffle_shop-orders-upstream.csv" {
		t.Errorf("the impact list was offered as %q", offered)
	}
	dialogs.path = ""
	if saved, err := a.SaveImpactCSV(0, "model.jaffle_shop.orders", "downstream"); err != nil || !saved.Cancelled {
		t.Errorf("cancelled impact CSV: %+v, %v", saved, err)
	}
	browser, _, _ := openApp(t) // no dialogs: serve and the CLI
	if _, err := browser.SaveLineage(app.LineageRequest{Select: "+orders"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("without a window: %v", err)
	}
	if _, err := browser.SaveViewFile(0, "Orders"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a view's file without a window: %v", err)
	}
	if _, err := browser.SaveImpactCSV(0, "model.jaffle_shop.orders", "upstream"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("an impact list without a window: %v", err)
	}
}

// TestCancelledImport: an import cut short says so, and leaves no snapshot.
func TestCancelledImport(t *testing.T) {
	dir := t.TempDir()
	store, err := storage.Open(t.Context(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx, cancel := context.WithCancel(t.Context())
	a := app.New(ctx, store, app.Config{Version: "test", DBPath: filepath.Join(dir, "store.db")})
	cancel()
	_, err = a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.11")}, "cut short")
	if backend.ErrorCode(err) != backend.ECANCELED || !strings.Contains(err.Error(), "the import was cancelled: the store is as it was") {
		t.Errorf("cancelled import: %v", err)
	}
	if snaps, err := store.Snapshots(t.Context()); err != nil || len(snaps) != 0 {
		t.Errorf("after a cancelled import: %d snapshots, %v", len(snaps), err)
	}
}
