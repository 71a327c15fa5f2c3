package app

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// columnTraceLimit bounds a column trace: past it the trace says it was
// cut short rather than drawing a hub's every reader.
const columnTraceLimit = 5000

// columnProjects keeps each snapshot's column lineage after its first use,
// as the graph cache keeps its lineage: the SQL read and analysed once.
type columnProjects struct {
	mu       sync.Mutex
	projects map[int64]*columnlineage.Project
}

// maxColumnProjects is how many snapshots' column lineage stay in memory;
// the window moves between a few at most. A project that has read more
// than maxColumnNodes nodes (their SQL: ~2 kB each) starts afresh at the
// next request, so a long session on a big project stays bounded.
const (
	maxColumnProjects = 4
	maxColumnNodes    = 20000
)

func newColumnProjects() *columnProjects {
	return &columnProjects{projects: map[int64]*columnlineage.Project{}}
}

func (a *App) columnProject(snap backend.Snapshot) *columnlineage.Project {
	c := a.columns
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.projects[snap.ID]; ok && p.Size() <= maxColumnNodes {
		return p
	}
	if len(c.projects) >= maxColumnProjects {
		// Start afresh rather than track use: a few snapshots at most.
		c.projects = map[int64]*columnlineage.Project{}
	}
	p := columnlineage.NewProject(storedSnapshot{a.store, snap.ID}, sqlparse.DialectOf(snap.AdapterType))
	c.projects[snap.ID] = p
	return p
}

// storedSnapshot is a snapshot of the store as column lineage reads it.
type storedSnapshot struct {
	store Store
	id    int64
}

func (s storedSnapshot) CodeNodes(ctx context.Context, ids []string) ([]backend.CodeNode, error) {
	return s.store.CodeNodes(ctx, s.id, ids)
}

func (s storedSnapshot) SemanticLayer(ctx context.Context) ([]string, error) {
	found, err := s.store.Resources(ctx, s.id, backend.ResourceFilter{ResourceTypes: []string{backend.TypeSemanticModel, backend.TypeMetric, backend.TypeSavedQuery}})
	if err != nil {
		return nil, fmt.Errorf("list the semantic layer of snapshot %d: %w", s.id, err)
	}
	ids := make([]string, len(found))
	for i, r := range found {
		ids[i] = r.UniqueID
	}
	return ids, nil
}

// ColumnLineage returns how each column of a node (its unique_id, or a
// name one node carries) is made from its parents' columns, as its
// compiled SQL says, and the columns it reads to join and filter.
func (a *App) ColumnLineage(snapshotID int64, node string) (backend.NodeColumns, error) {
	ctx := a.ctx
	_, p, id, err := a.columnNode(ctx, snapshotID, node)
	if err != nil {
		return backend.NodeColumns{}, fmt.Errorf("column lineage of %s: %w", node, err)
	}
	got, err := p.Columns(ctx, []string{id})
	if err != nil {
		return backend.NodeColumns{}, fmt.Errorf("column lineage of %s: %w", node, err)
	}
	return *got[0], nil // columnNode found the node
}

// ColumnTrace follows one column of a node up to the columns it is made
// from and down to the columns made from it (direction "upstream",
// "downstream" or "" for both), through every model's compiled SQL, depth
// levels each way at most (0: all the way; the nodes where the links go
// on past it say so).
func (a *App) ColumnTrace(snapshotID int64, node, column, direction string, depth int) (backend.ColumnTrace, error) {
	ctx := a.ctx
	directions, err := traceDirections(direction)
	if err != nil {
		return backend.ColumnTrace{}, err
	}
	if depth < 0 {
		return backend.ColumnTrace{}, backend.Errorf(backend.EINVALID, "depth %d: give how many levels to follow each way, or 0 for all", depth)
	}
	snap, p, id, err := a.columnNode(ctx, snapshotID, node)
	if err != nil {
		return backend.ColumnTrace{}, fmt.Errorf("trace %s.%s: %w", node, column, err)
	}
	cols, err := p.Columns(ctx, []string{id})
	if err != nil {
		return backend.ColumnTrace{}, fmt.Errorf("trace %s.%s: %w", node, column, err)
	}
	name, err := columnNamed(ctx, cols[0], p, id, column)
	if err != nil {
		return backend.ColumnTrace{}, err
	}
	t, err := p.Trace(ctx, backend.ColumnKey{Node: id, Column: name}, directions, depth, columnTraceLimit)
	if err != nil {
		return backend.ColumnTrace{}, fmt.Errorf("trace %s.%s: %w", node, column, err)
	}
	t.SnapshotID = snap.ID
	// On into the other projects the store holds, through cross-project refs.
	m, err := a.mesh(ctx, snap)
	if err != nil {
		return backend.ColumnTrace{}, fmt.Errorf("trace %s.%s across projects: %w", node, column, err)
	}
	if t, err = a.traceAcross(ctx, m, t, depth); err != nil {
		return backend.ColumnTrace{}, fmt.Errorf("trace %s.%s across projects: %w", node, column, err)
	}
	if err := a.addColumnTests(ctx, &t); err != nil {
		return backend.ColumnTrace{}, fmt.Errorf("trace %s.%s: %w", node, column, err)
	}
	return t, nil
}

// addColumnTests sums up the tests of each column of the trace, each node's
// from the run it was read from.
func (a *App) addColumnTests(ctx context.Context, t *backend.ColumnTrace) error {
	byRun := map[int64][]string{}
	for _, n := range t.Nodes {
		if n.UniqueID != "" {
			run := cmp.Or(n.SnapshotID, t.SnapshotID)
			byRun[run] = append(byRun[run], n.UniqueID)
		}
	}
	tests := map[int64]map[string]map[string]backend.TestSummary{}
	for run, ids := range byRun {
		var err error
		if tests[run], err = a.store.ColumnTests(ctx, run, ids); err != nil {
			return err
		}
	}
	for i := range t.Nodes {
		n := &t.Nodes[i]
		for _, c := range n.Columns {
			if sum, ok := tests[cmp.Or(n.SnapshotID, t.SnapshotID)][n.UniqueID][strings.ToLower(c)]; ok {
				if n.Tests == nil {
					n.Tests = map[string]backend.TestSummary{}
				}
				n.Tests[c] = sum
			}
		}
	}
	return nil
}

func traceDirections(direction string) (int, error) {
	switch direction {
	case "":
		return columnlineage.Upstream | columnlineage.Downstream, nil
	case "upstream":
		return columnlineage.Upstream, nil
	case "downstream":
		return columnlineage.Downstream, nil
	}
	return 0, backend.Errorf(backend.EINVALID, "direction %q: use upstream, downstream, or nothing for both", direction)
}

// columnNode resolves a snapshot and a node reference for column lineage.
func (a *App) columnNode(ctx context.Context, snapshotID int64, ref string) (backend.Snapshot, *columnlineage.Project, string, error) {
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return snap, nil, "", err
	}
	p := a.columnProject(snap)
	if _, ok, err := p.Node(ctx, ref); err != nil || ok {
		return snap, p, ref, err
	}
	// Not a unique_id: a name one node carries, or a slip answered with
	// the names near it.
	g, err := a.graphHolding(ctx, snap, 0, 0, ref)
	if err != nil {
		return snap, nil, "", err
	}
	id, err := g.Resolve(ref)
	if err != nil {
		return snap, nil, "", err
	}
	return snap, p, id, nil
}

// columnNamed finds the column a trace starts from, case-insensitively
// among what the node's SQL produces and what the catalog and the YAML
// list, and says which columns there are when it is none of them.
func columnNamed(ctx context.Context, nc *backend.NodeColumns, p *columnlineage.Project, id, column string) (string, error) {
	var names []string
	for _, c := range nc.Columns {
		names = append(names, c.Name)
	}
	if n, ok, err := p.Node(ctx, id); err == nil && ok {
		for _, c := range n.Columns {
			if !slices.ContainsFunc(names, func(s string) bool { return strings.EqualFold(s, c.Name) }) {
				names = append(names, c.Name)
			}
		}
	}
	for _, n := range names {
		if strings.EqualFold(n, column) {
			return n, nil
		}
	}
	if len(names) == 0 {
		msg := fmt.Sprintf("%s has no columns the catalog, its YAML or its SQL name", id)
		if nc.Problem != "" {
			msg += ": " + nc.Problem
		}
		return "", backend.Errorf(backend.ENOTFOUND, "%s", msg)
	}
	near := lineage.NearestNames(column, names)
	if len(near) == 0 {
		near = names[:min(len(names), 10)]
	}
	return "", backend.Errorf(backend.ENOTFOUND, "%s has no column %q; did you mean %s?", id, column, strings.Join(near, ", "))
}

func (c *columnProjects) forget(id int64) {
	c.mu.Lock()
	delete(c.projects, id)
	c.mu.Unlock()
}

// ColumnPicture is a column trace drawn or written in one format.
type ColumnPicture struct {
	Trace    backend.ColumnTrace `json:"trace"`
	Format   string              `json:"format"` // svg, png, pdf, dot, mermaid, json or csv
	MimeType string              `json:"mime_type"`
	Filename string              `json:"filename"` // suggested file name for an export
	Content  string              `json:"content"`
	Base64   bool                `json:"base64,omitempty"` // Content is base64 (png, pdf)
	// Warnings say what a reader of the export should know: a Mermaid
	// flowchart past what Mermaid draws by default.
	Warnings []string `json:"warnings,omitempty"`
}

// Bytes is the file the picture is: Content, decoded when base64.
func (p ColumnPicture) Bytes() ([]byte, error) {
	if !p.Base64 {
		return []byte(p.Content), nil
	}
	b, err := base64.StdEncoding.DecodeString(p.Content)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", p.Format, err)
	}
	return b, nil
}

// columnPNGScale is a column trace's PNG scale: 192 dpi, sharp on a slide.
const columnPNGScale = 2

// ColumnTracePicture traces a column (as ColumnTrace) and draws the trace
// with graphviz (format "svg", the default; "png" at 192 dpi or "pdf", one
// vector page, for slides), or writes it as DOT, JSON or CSV (one row per
// link, for a spreadsheet).
func (a *App) ColumnTracePicture(snapshotID int64, node, column, direction string, depth int, format string) (ColumnPicture, error) {
	if format == "" {
		format = "svg"
	}
	if !slices.Contains([]string{"svg", "png", "pdf", "dot", "mermaid", "json", "csv"}, format) {
		return ColumnPicture{}, backend.Errorf(backend.EINVALID, "format %q: a column trace is written as svg, png, pdf, dot, mermaid, json or csv", format)
	}
	t, err := a.ColumnTrace(snapshotID, node, column, direction, depth)
	if err != nil {
		return ColumnPicture{}, err
	}
	snap, err := a.snapshot(a.ctx, t.SnapshotID)
	if err != nil {
		return ColumnPicture{}, err
	}
	meta := snapshotMeta(snap)
	meta.AcrossProjects = acrossFooter(t.AcrossProjects)
	var content []byte
	switch format {
	case "svg", "png", "pdf":
		r, err := a.renderer()
		if err != nil {
			return ColumnPicture{}, err
		}
		switch format {
		case "svg":
			content, err = r.ColumnSVG(a.ctx, t, meta)
		case "png":
			content, err = r.ColumnPNG(a.ctx, t, meta, columnPNGScale)
		case "pdf":
			content, err = r.ColumnPDF(a.ctx, t, meta)
		}
		if err != nil {
			return ColumnPicture{}, fmt.Errorf("draw %s: %w", render.ColumnTitle(t), err)
		}
	case "dot":
		content = render.ColumnDOT(t, meta)
	case "mermaid":
		content = render.ColumnMermaid(t)
	case "json":
		if content, err = json.MarshalIndent(t, "", "  "); err != nil {
			return ColumnPicture{}, err
		}
	case "csv":
		if content, err = render.ColumnCSV(t); err != nil {
			return ColumnPicture{}, err
		}
	}
	pic := ColumnPicture{Trace: t, Format: format, MimeType: mimeType(format), Content: string(content),
		Filename: exportFilename(snap.Project, focusFileName(t)+"."+t.Focus.Column+"-columns", format)}
	if format == "png" || format == "pdf" {
		pic.Content, pic.Base64 = base64.StdEncoding.EncodeToString(content), true
	}
	if format == "mermaid" {
		if w := render.ColumnMermaidLimitWarning(t, content); w != "" {
			pic.Warnings = append(pic.Warnings, w)
		}
	}
	return pic, nil
}

// SaveColumnTrace asks with the system's save dialog where to put a column
// trace's picture (or DOT, JSON or CSV), then writes it there (the desktop
// window; a browser downloads it).
func (a *App) SaveColumnTrace(snapshotID int64, node, column, direction string, depth int, format string) (SavedExport, error) {
	if a.cfg.Dialogs == nil {
		return SavedExport{}, backend.Errorf(backend.EINVALID, "no save dialog here: the browser downloads exports itself, and the CLI writes them with -o FILE")
	}
	p, err := a.ColumnTracePicture(snapshotID, node, column, direction, depth, format)
	if err != nil {
		return SavedExport{}, err
	}
	content, err := p.Bytes()
	if err != nil {
		return SavedExport{}, err
	}
	saved, err := a.saveWithDialog("Export the column lineage as "+p.Format, p.Filename, "the column lineage", content)
	saved.Warnings = p.Warnings
	return saved, err
}

// focusFileName names the trace's node in its export's file name: its
// name, and its version after it (customers_v2: two versions' traces of a
// column are two files); the unique_id's last part if the trace has no
// name for it.
func focusFileName(t backend.ColumnTrace) string {
	id := t.Focus.Node
	for _, n := range t.Nodes {
		if n.UniqueID == id && n.Name != "" {
			if _, version, ok := strings.Cut(id, "."+n.Name+"."); ok {
				return n.Name + "_" + version
			}
			return n.Name
		}
	}
	return id[strings.LastIndex(id, ".")+1:]
}
