package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// Views lists the views saved for the project of a snapshot (0 = latest),
// by name.
func (a *App) Views(snapshotID int64) ([]backend.View, error) {
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return nil, err
	}
	return a.store.Views(a.ctx, snap.Project)
}

// View returns one view of the project of a snapshot (0 = latest); a name
// it does not have gets ENOTFOUND listing the names it has.
func (a *App) View(snapshotID int64, name string) (backend.View, error) {
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return backend.View{}, err
	}
	return a.projectView(a.ctx, snap.Project, name)
}

func (a *App) projectView(ctx context.Context, project, name string) (backend.View, error) {
	views, err := a.store.Views(ctx, project)
	if err != nil {
		return backend.View{}, err
	}
	var names []string
	for _, v := range views {
		if v.Name == name {
			return v, nil
		}
		names = append(names, fmt.Sprintf("%q", v.Name))
	}
	if len(names) == 0 {
		return backend.View{}, backend.Errorf(backend.ENOTFOUND, "project %s has no saved views yet, so none named %q: save one first", project, name)
	}
	return backend.View{}, backend.Errorf(backend.ENOTFOUND, "project %s has no view named %q; its views: %s", project, name, strings.Join(names, ", "))
}

// SaveView saves the picture req asks for as a view of its snapshot's
// project, replacing the project's view of that name. The snapshot, the
// format and the snapshot compared with are not kept: a view draws the
// same question on whichever snapshot it is opened.
func (a *App) SaveView(name string, req LineageRequest) (backend.View, error) {
	snap, err := a.snapshot(a.ctx, req.SnapshotID)
	if err != nil {
		return backend.View{}, err
	}
	v := backend.View{Project: snap.Project, Name: name, SavedAt: time.Now().UTC().Truncate(time.Microsecond), ViewSpec: backend.ViewSpec{
		Select: strings.TrimSpace(req.Select), Exclude: strings.TrimSpace(req.Exclude), IncludeTests: req.IncludeTests,
		IndirectSelection: req.IndirectSelection, GroupBy: req.GroupBy, Open: req.Open, Lens: req.Lens, Runtime: req.Runtime, Diff: req.Diff, AcrossProjects: req.AcrossProjects,
	}}
	if v.GroupBy == "none" {
		v.GroupBy = ""
	}
	if v.Lens == string(render.LensTests) {
		v.Lens = ""
	}
	if err := checkView(v); err != nil {
		return backend.View{}, err
	}
	if err := a.store.SaveView(a.ctx, v); err != nil {
		return backend.View{}, err
	}
	return v, nil
}

// DeleteView deletes a view of the project of a snapshot (0 = latest).
func (a *App) DeleteView(snapshotID int64, name string) error {
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return err
	}
	return a.store.DeleteView(a.ctx, snap.Project, name)
}

// ViewRequest is the lineage request a view asks for on a snapshot.
func ViewRequest(v backend.View, snapshotID int64) LineageRequest {
	return LineageRequest{
		SnapshotID: snapshotID, Select: v.Select, Exclude: v.Exclude, IncludeTests: v.IncludeTests,
		IndirectSelection: v.IndirectSelection, GroupBy: v.GroupBy, Open: v.Open, Lens: v.Lens, Runtime: v.Runtime, Diff: v.Diff, AcrossProjects: v.AcrossProjects,
	}
}

// checkView refuses what no picture can be drawn from, naming the field.
func checkView(v backend.View) error {
	if err := backend.CheckViewName(v.Name); err != nil {
		return err
	}
	if v.Select == "" {
		return backend.Errorf(backend.EINVALID, "view %q: select is empty; a view names what to select (+orders+, tag:finance)", v.Name)
	}
	if _, err := render.ParseLens(v.Lens); err != nil {
		return fmt.Errorf("view %q: %w", v.Name, err)
	}
	if v.IndirectSelection != "" && !slices.Contains(lineage.IndirectSelectionModes, v.IndirectSelection) {
		return backend.Errorf(backend.EINVALID, "view %q: indirect_selection %q is not one of dbt's modes (%s)", v.Name, v.IndirectSelection, strings.Join(lineage.IndirectSelectionModes, ", "))
	}
	if v.GroupBy != "" {
		if err := lineage.CheckGroupBy(v.GroupBy); err != nil {
			return fmt.Errorf("view %q: group_by: %w", v.Name, err)
		}
	}
	if len(v.Open) > 0 && v.GroupBy == "" {
		return backend.Errorf(backend.EINVALID, "view %q: open names boxes, but the view groups nothing (group_by)", v.Name)
	}
	return nil
}

// viewFileVersion is the format of view files this version writes and
// reads.
const viewFileVersion = 1

// maxViewFile bounds what is read as a view file: the longest selector a
// person writes is a few kilobytes.
const maxViewFile = 1 << 20

// viewFile is a view as a file to share: the view and a marker saying
// what the file is.
type viewFile struct {
	Format int `json:"lineagedesk_view"`
	backend.View
}

// ViewFile is a view as a file to share, and the name to give the file.
type ViewFile struct {
	Filename string `json:"filename"`
	Content  string `json:"content"`
}

// ViewFile returns a view of the project of a snapshot (0 = latest) as a
// small JSON file that ImportView (on this machine or another) reads back.
func (a *App) ViewFile(snapshotID int64, name string) (ViewFile, error) {
	v, err := a.View(snapshotID, name)
	if err != nil {
		return ViewFile{}, err
	}
	data, err := json.MarshalIndent(viewFile{Format: viewFileVersion, View: v}, "", "  ")
	if err != nil {
		return ViewFile{}, fmt.Errorf("view file %q: %w", name, err)
	}
	return ViewFile{Filename: viewFilename(v), Content: string(data) + "\n"}, nil
}

func viewFilename(v backend.View) string {
	return strings.TrimSuffix(exportFilename(v.Project, v.Name, "x"), ".x") + ".view.json"
}

// ImportedView is a view read from a file and saved: under the name the
// file gives, or, when the project has a view of that name already,
// under "NAME (imported)", so nothing of the user's is replaced.
type ImportedView struct {
	View     backend.View `json:"view"`
	Warnings []string     `json:"warnings"`
}

// ImportView saves the view a view file (ViewFile's content) holds into
// the project it names.
func (a *App) ImportView(content string) (ImportedView, error) {
	v, err := parseViewFile(content)
	if err != nil {
		return ImportedView{}, err
	}
	taken, err := a.store.Views(a.ctx, v.Project)
	if err != nil {
		return ImportedView{}, err
	}
	var res ImportedView
	if name := freeViewName(v.Name, taken); name != v.Name {
		res.Warnings = append(res.Warnings, fmt.Sprintf("a view named %q exists already, so this one was saved under another name", v.Name))
		v.Name = name
	}
	v.SavedAt = time.Now().UTC().Truncate(time.Microsecond)
	if err := a.store.SaveView(a.ctx, v); err != nil {
		return ImportedView{}, err
	}
	if !a.hasProject(a.ctx, v.Project) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("no snapshot of project %s here yet: the view is kept for when one is imported or synced", v.Project))
	}
	res.View = v
	return res, nil
}

// parseViewFile reads a view file, refusing, with the field named, what
// is no view file or no view a picture can be drawn from.
func parseViewFile(content string) (backend.View, error) {
	if len(content) > maxViewFile {
		return backend.View{}, backend.Errorf(backend.EINVALID, "not a view file: %d bytes, where a view file is a few hundred (at most %d)", len(content), maxViewFile)
	}
	var f viewFile
	if err := json.Unmarshal([]byte(content), &f); err != nil {
		return backend.View{}, backend.Errorf(backend.EINVALID, "not a view file: %v; a view file is the JSON Lineage Desk writes when sharing a view", err)
	}
	switch {
	case f.Format == 0:
		return backend.View{}, backend.Errorf(backend.EINVALID, `not a view file: it has no "lineagedesk_view" field; a view file is the JSON Lineage Desk writes when sharing a view`)
	case f.Format > viewFileVersion || f.Format < 0:
		return backend.View{}, backend.Errorf(backend.EINVALID, "the view file is of format %d, which this Lineage Desk does not read (it reads format %d): update Lineage Desk", f.Format, viewFileVersion)
	case strings.TrimSpace(f.Project) == "":
		return backend.View{}, backend.Errorf(backend.EINVALID, `view file: "project" is empty; it names the dbt project the view belongs to`)
	}
	v := f.View
	v.Select, v.Exclude = strings.TrimSpace(v.Select), strings.TrimSpace(v.Exclude)
	if len(v.Open) == 0 {
		v.Open = nil // "open": [] is no box open, as its absence
	}
	if err := checkView(v); err != nil {
		return backend.View{}, fmt.Errorf("view file: %w", err)
	}
	return v, nil
}

// freeViewName is name, or the first of "name (imported)", "name
// (imported 2)"... that no view in taken has.
func freeViewName(name string, taken []backend.View) string {
	has := func(n string) bool {
		return slices.ContainsFunc(taken, func(v backend.View) bool { return v.Name == n })
	}
	if !has(name) {
		return name
	}
	for i := 1; ; i++ {
		suffix := " (imported)"
		if i > 1 {
			suffix = fmt.Sprintf(" (imported %d)", i)
		}
		base := []rune(name)
		if keep := backend.MaxViewName - len([]rune(suffix)); len(base) > keep {
			base = base[:keep]
		}
		if n := strings.TrimSpace(string(base)) + suffix; !has(n) {
			return n
		}
	}
}

// hasProject says whether the store holds a snapshot of project.
func (a *App) hasProject(ctx context.Context, project string) bool {
	snaps, err := a.store.Snapshots(ctx)
	if err != nil {
		return true // no warning on a doubt
	}
	return slices.ContainsFunc(snaps, func(s backend.Snapshot) bool { return s.Project == project })
}

// SaveViewFile asks with the system's save dialog where to put a view's
// file, then writes it there (the desktop window, whose web view would put
// a download in the home folder without asking; see SaveLineage).
func (a *App) SaveViewFile(snapshotID int64, name string) (SavedExport, error) {
	if a.cfg.Dialogs == nil {
		return SavedExport{}, backend.Errorf(backend.EINVALID, "no save dialog here: the browser downloads view files itself, and the CLI writes them with view-file -o FILE")
	}
	file, err := a.ViewFile(snapshotID, name)
	if err != nil {
		return SavedExport{}, err
	}
	return a.saveWithDialog("Save the view "+name, file.Filename, "the view", []byte(file.Content))
}
