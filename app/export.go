package app

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/lineagedesk/lineagedesk/backend"
)

// SavedExport is where SaveLineage wrote an export.
type SavedExport struct {
	Path      string `json:"path,omitempty"` // "" when the user cancelled
	Bytes     int    `json:"bytes"`
	Cancelled bool   `json:"cancelled,omitempty"`
	// Warnings are the export's own, e.g. a Mermaid flowchart past what
	// Mermaid draws by default.
	Warnings []string `json:"warnings,omitempty"`
}

// SaveLineage asks with the system's save dialog where to put an export,
// then renders it there. The desktop window needs it: its web view (Wails
// v2 on WebKitGTK) saves a download into the home folder without asking,
// and the page cannot tell where it went. A browser downloads exports
// itself.
func (a *App) SaveLineage(req LineageRequest) (SavedExport, error) {
	if a.cfg.Dialogs == nil {
		return SavedExport{}, backend.Errorf(backend.EINVALID, "no save dialog here: the browser downloads exports itself, and the CLI writes them with -o FILE")
	}
	format := req.Format
	if format == "" {
		format = "svg"
	}
	if mimeType(format) == "" {
		return SavedExport{}, unknownFormat(req.Format)
	}
	snap, err := a.snapshot(a.ctx, req.SnapshotID)
	if err != nil {
		return SavedExport{}, err
	}
	path, err := a.cfg.Dialogs.SaveFile("Export the lineage as "+format, a.exportDir(), exportFilename(snap.Project, pictureName(req, snap.ID), format))
	if err != nil {
		return SavedExport{}, fmt.Errorf("save dialog: %w", err)
	}
	if path == "" {
		return SavedExport{Cancelled: true}, nil
	}
	res, err := a.Lineage(req)
	if err != nil {
		return SavedExport{}, err
	}
	content := []byte(res.Content)
	if res.Base64 {
		if content, err = base64.StdEncoding.DecodeString(res.Content); err != nil {
			return SavedExport{}, fmt.Errorf("decode %s: %w", format, err)
		}
	}
	if err := WriteFileAtomically(path, content); err != nil {
		return SavedExport{}, backend.Errorf(backend.EINVALID, "could not save the export to %s: %v; pick another folder", path, err)
	}
	a.lastExportDir.Store(filepath.Dir(path))
	return SavedExport{Path: path, Bytes: len(content), Warnings: res.Warnings}, nil
}

// saveWithDialog asks with the system's save dialog where to put a file
// (filename proposed), then writes content there; what names the file in
// an error. The caller has checked that there is a dialog.
func (a *App) saveWithDialog(title, filename, what string, content []byte) (SavedExport, error) {
	path, err := a.cfg.Dialogs.SaveFile(title, a.exportDir(), filename)
	if err != nil {
		return SavedExport{}, fmt.Errorf("save dialog: %w", err)
	}
	if path == "" {
		return SavedExport{Cancelled: true}, nil
	}
	if err := WriteFileAtomically(path, content); err != nil {
		return SavedExport{}, backend.Errorf(backend.EINVALID, "could not save %s to %s: %v; pick another folder", what, path, err)
	}
	a.lastExportDir.Store(filepath.Dir(path))
	return SavedExport{Path: path, Bytes: len(content)}, nil
}

// exportDir is the folder the save dialog opens in: the last one an export
// went to, else the user's downloads folder, else home. (The dialog's own
// default is the process's working directory, wherever it was launched.)
func (a *App) exportDir() string {
	if dir, ok := a.lastExportDir.Load().(string); ok && dir != "" {
		return dir
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	if dir := downloadsDir(home); dir != "" {
		return dir
	}
	return home
}

// downloadsDir reads XDG_DOWNLOAD_DIR from ~/.config/user-dirs.dirs (what
// desktops write, as "$HOME/Downloads"), else takes ~/Downloads when it
// exists; "" without either.
func downloadsDir(home string) string {
	config := os.Getenv("XDG_CONFIG_HOME")
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	if data, err := os.ReadFile(filepath.Join(config, "user-dirs.dirs")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			value, ok := strings.CutPrefix(strings.TrimSpace(line), "XDG_DOWNLOAD_DIR=")
			if !ok {
				continue
			}
			dir := strings.ReplaceAll(strings.Trim(value, `"`), "$HOME", home)
			if info, err := os.Stat(dir); err == nil && info.IsDir() {
				return dir
			}
		}
	}
	if info, err := os.Stat(filepath.Join(home, "Downloads")); err == nil && info.IsDir() {
		return filepath.Join(home, "Downloads")
	}
	return ""
}

// WriteFileAtomically writes through a temporary file in the same folder,
// renamed into place, so an export that fails half-way (a full disk, a
// Ctrl-C) never leaves a broken file where a good one was. A new file gets
// the mode the umask leaves of 0666, an existing one keeps its mode. A
// symbolic link is written through to its target (a dangling one too),
// keeping the link. A path under /dev or /proc (/dev/stdout: the file the
// output goes to) and a file that is no regular file (a pipe) are written
// as they are, never replaced; so is a writable file in a folder that is
// not, which cannot hold the temporary file.
func WriteFileAtomically(path string, data []byte) error {
	if abs, err := filepath.Abs(path); err == nil && (strings.HasPrefix(abs, "/dev/") || strings.HasPrefix(abs, "/proc/")) {
		return os.WriteFile(path, data, 0o666)
	}
	path = linkTarget(path)
	mode, exists := os.FileMode(0), false
	if info, err := os.Stat(path); err == nil {
		if !info.Mode().IsRegular() {
			return os.WriteFile(path, data, info.Mode().Perm())
		}
		mode, exists = info.Mode().Perm(), true
	}
	tmp, err := createBeside(path)
	if err != nil {
		if exists && (errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)) {
			return os.WriteFile(path, data, mode)
		}
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if exists {
		if err := os.Chmod(tmp.Name(), mode); err != nil {
			return err
		}
	}
	return os.Rename(tmp.Name(), path)
}

// linkTarget is the file a path names through symbolic links; a dangling
// link's target, one level down; else the path itself.
func linkTarget(path string) string {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		return resolved
	}
	if target, err := os.Readlink(path); err == nil {
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		return target
	}
	return path
}

// createBeside creates a new temporary file next to path, with the mode
// the umask leaves of 0666 (os.CreateTemp's 0600 would have to be widened
// by hand, past the umask).
func createBeside(path string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.%d", filepath.Base(path), rand.Uint32()))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name beside %s", path)
}
