package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// ImpactList is an impact analysis as a list: every node one way of a
// node, each with how many hops away it is and what a reader needs to act
// on it (where it is built, who owns it, how its tests fared), nearest
// first. Downstream, it is who to warn before changing the node.
type ImpactList struct {
	SnapshotID int64               `json:"snapshot_id"`
	UniqueID   string              `json:"unique_id"`
	Name       string              `json:"name"`
	Direction  string              `json:"direction"` // "downstream" or "upstream"
	Rows       []backend.ImpactRow `json:"rows"`
	// Owners sums the rows that are not tests up by owner, the most
	// first: who to tell.
	Owners []ImpactOwner `json:"owners"`
}

// ImpactOwner is one owner of nodes an impact list reaches, and how many
// of each type.
type ImpactOwner struct {
	Owner  string         `json:"owner"`
	Nodes  int            `json:"nodes"`
	ByType map[string]int `json:"by_type"`
}

// ImpactList returns the nodes downstream or upstream (direction) of the
// node ref names in a snapshot (0 = latest), tests included, sorted by
// distance, then tests after the rest, then by type, name and unique_id.
// A node's owner is an exposure's own, else its dbt group's, else its
// config's meta.owner.
func (a *App) ImpactList(snapshotID int64, ref, direction string) (ImpactList, error) {
	ctx := a.ctx
	if direction != "downstream" && direction != "upstream" {
		return ImpactList{}, backend.Errorf(backend.EINVALID, "impact direction %q: use downstream or upstream", direction)
	}
	down := direction == "downstream"
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return ImpactList{}, err
	}
	// A unique_id needs only its side read; a name is resolved with both,
	// as Impact resolves it: a node of the same name on the other side
	// makes it ambiguous there too.
	parents, children := -1, -1
	if strings.Contains(ref, ".") {
		if down {
			parents = 0
		} else {
			children = 0
		}
	}
	g, err := a.graphHolding(ctx, snap, parents, children, ref)
	if err != nil {
		return ImpactList{}, err
	}
	id, err := g.Resolve(ref)
	if err != nil {
		return ImpactList{}, err
	}
	n, _ := g.Node(id)
	// Across projects, the list goes on through cross-project refs.
	m, err := a.mesh(ctx, snap)
	if err != nil {
		return ImpactList{}, fmt.Errorf("impact of %s across projects: %w", id, err)
	}
	var owners map[string]backend.Snapshot
	if len(m.runs) > 1 {
		term := backend.ReachTerm{Value: id, Parents: -1}
		if down {
			term = backend.ReachTerm{Value: id, Children: -1}
		}
		// The part of this run read already is the first run's.
		known := &backend.GraphData{SnapshotID: snap.ID, Nodes: g.Nodes(), Edges: g.Edges()}
		part, ok, err := a.meshPart(ctx, m, backend.ReachQuery{Terms: []backend.ReachTerm{term}, Tests: true}, known)
		if err != nil {
			return ImpactList{}, fmt.Errorf("impact of %s across projects: %w", id, err)
		}
		if !ok { // too big a part for the reach tables: the whole lineages
			if part, err = a.meshLineage(ctx, m); err != nil {
				return ImpactList{}, err
			}
		}
		g, owners = part.graph, part.owners
	}
	dist, err := g.Distances(id, down)
	if err != nil {
		return ImpactList{}, fmt.Errorf("impact of %s: %w", id, err)
	}
	list := ImpactList{SnapshotID: snap.ID, UniqueID: id, Name: n.Name, Direction: direction, Rows: make([]backend.ImpactRow, 0, len(dist))}
	for uid, d := range dist {
		node, _ := g.Node(uid)
		list.Rows = append(list.Rows, backend.ImpactRow{Distance: d, UniqueID: uid, Name: node.Name, Version: node.Version,
			ResourceType: node.ResourceType, Package: node.Package, Materialized: node.Materialized,
			RelationName: node.RelationName, Path: node.Path, Access: node.Access, Group: node.Group,
			Tests: node.Tests, TestStatus: node.TestStatus, TestsDefined: testsOf(g, uid), SnapshotID: owners[uid].ID})
	}
	// Each row's owner is read from its own run.
	slices.SortFunc(list.Rows, func(x, y backend.ImpactRow) int { return cmp.Compare(x.SnapshotID, y.SnapshotID) })
	for start := 0; start < len(list.Rows); {
		end := start + 1
		for end < len(list.Rows) && list.Rows[end].SnapshotID == list.Rows[start].SnapshotID {
			end++
		}
		if err := a.addOwners(ctx, cmp.Or(list.Rows[start].SnapshotID, snap.ID), list.Rows[start:end]); err != nil {
			return ImpactList{}, fmt.Errorf("impact of %s: %w", id, err)
		}
		start = end
	}
	slices.SortFunc(list.Rows, func(x, y backend.ImpactRow) int {
		return cmp.Or(cmp.Compare(x.Distance, y.Distance), cmp.Compare(isTest(x.ResourceType), isTest(y.ResourceType)),
			strings.Compare(x.ResourceType, y.ResourceType), strings.Compare(x.Name, y.Name), strings.Compare(x.UniqueID, y.UniqueID))
	})
	list.Owners = ownersOf(list.Rows)
	return list, nil
}

// ownersOf counts the rows other than tests by owner, the most first,
// then by name.
func ownersOf(rows []backend.ImpactRow) []ImpactOwner {
	byOwner := map[string]*ImpactOwner{}
	for _, r := range rows {
		if r.Owner == "" || isTest(r.ResourceType) == 1 {
			continue
		}
		o := byOwner[r.Owner]
		if o == nil {
			o = &ImpactOwner{Owner: r.Owner, ByType: map[string]int{}}
			byOwner[r.Owner] = o
		}
		o.Nodes++
		o.ByType[r.ResourceType]++
	}
	owners := make([]ImpactOwner, 0, len(byOwner))
	for _, o := range byOwner {
		owners = append(owners, *o)
	}
	slices.SortFunc(owners, func(x, y ImpactOwner) int {
		return cmp.Or(cmp.Compare(y.Nodes, x.Nodes), strings.Compare(x.Owner, y.Owner))
	})
	return owners
}

// testsOf counts the tests attached to a node (its children that are
// tests of it).
func testsOf(g *lineage.Graph, uid string) int {
	n := 0
	for _, c := range g.Children(uid) {
		if child, ok := g.Node(c); ok && isTest(child.ResourceType) == 1 && child.AttachedNode == uid {
			n++
		}
	}
	return n
}

func isTest(resourceType string) int {
	if resourceType == backend.TypeTest || resourceType == backend.TypeUnitTest {
		return 1
	}
	return 0
}

// addOwners fills each row's owner: an exposure's owner, else the owner
// of the dbt group the node belongs to, else its config's meta.owner.
func (a *App) addOwners(ctx context.Context, snapshotID int64, rows []backend.ImpactRow) error {
	byID := make(map[string]*backend.ImpactRow, len(rows))
	ids := make([]string, 0, len(rows))
	for i := range rows {
		byID[rows[i].UniqueID] = &rows[i]
		ids = append(ids, rows[i].UniqueID)
	}
	slices.Sort(ids)
	metaOwners, err := a.store.ConfigValues(ctx, snapshotID, []string{"meta", "owner"}, ids)
	if err != nil {
		return fmt.Errorf("meta.owner: %w", err)
	}
	groupOwners := map[string]string{}
	for i, id := range ids {
		row := byID[id]
		switch {
		case row.ResourceType == backend.TypeExposure:
			detail, err := a.store.Resource(ctx, snapshotID, id)
			if err != nil {
				return fmt.Errorf("owner of %s: %w", id, err)
			}
			if e := detail.Exposure; e != nil {
				row.Owner = ownerText(e.OwnerName, e.OwnerEmail)
			}
		case row.Group != "":
			key := "group." + row.Package + "." + row.Group
			owner, seen := groupOwners[key]
			if !seen {
				if owner, err = a.groupOwner(ctx, snapshotID, key); err != nil {
					return err
				}
				groupOwners[key] = owner
			}
			row.Owner = owner
		}
		if row.Owner == "" {
			row.Owner = metaText(metaOwners[i])
		}
	}
	return nil
}

// groupOwner reads the owner of a dbt group from the manifest's own
// words; "" when the snapshot does not hold the group.
func (a *App) groupOwner(ctx context.Context, snapshotID int64, groupID string) (string, error) {
	detail, err := a.store.Resource(ctx, snapshotID, groupID)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("owner of %s: %w", groupID, err)
	}
	var group struct {
		Owner struct {
			Name  string `json:"name"`
			Email any    `json:"email"` // a string or a list
		} `json:"owner"`
	}
	if json.Unmarshal(detail.Raw, &group) != nil {
		return "", nil // a group without a readable owner has none to show
	}
	return ownerText(group.Owner.Name, metaText(group.Owner.Email)), nil
}

// ownerText is "Name <email>", or whichever of the two is set.
func ownerText(name, email string) string {
	switch {
	case name != "" && email != "":
		return name + " <" + email + ">"
	case name != "":
		return name
	}
	return email
}

// metaText is a meta value as text: a string, or a list's strings joined.
func metaText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var parts []string
		for _, item := range v {
			if s, ok := item.(string); ok && s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	}
	return ""
}

// CSV writes the list's rows for a spreadsheet.
func (l ImpactList) CSV() ([]byte, error) {
	data, err := render.ImpactCSV(l.Rows)
	if err != nil {
		return nil, fmt.Errorf("impact of %s as CSV: %w", l.UniqueID, err)
	}
	return data, nil
}

// ImpactFile is an impact list as a CSV file to open in a spreadsheet,
// and the name to give the file.
type ImpactFile struct {
	Filename string `json:"filename"`
	Content  string `json:"content"`
}

// ImpactCSV returns ImpactList's rows as a CSV file.
func (a *App) ImpactCSV(snapshotID int64, ref, direction string) (ImpactFile, error) {
	list, err := a.ImpactList(snapshotID, ref, direction)
	if err != nil {
		return ImpactFile{}, err
	}
	data, err := list.CSV()
	if err != nil {
		return ImpactFile{}, err
	}
	snap, err := a.snapshot(a.ctx, list.SnapshotID)
	if err != nil {
		return ImpactFile{}, err
	}
	return ImpactFile{Filename: exportFilename(snap.Project, list.Name+"-"+direction, "csv"), Content: string(data)}, nil
}

// SaveImpactCSV asks with the system's save dialog where to put
// ImpactCSV's file, then writes it there (the desktop window; a browser
// downloads it itself).
func (a *App) SaveImpactCSV(snapshotID int64, ref, direction string) (SavedExport, error) {
	if a.cfg.Dialogs == nil {
		return SavedExport{}, backend.Errorf(backend.EINVALID, "no save dialog here: the browser downloads the file itself, and the CLI writes it with impact --list --csv -o FILE")
	}
	file, err := a.ImpactCSV(snapshotID, ref, direction)
	if err != nil {
		return SavedExport{}, err
	}
	return a.saveWithDialog("Save the "+direction+" impact as CSV", file.Filename, "the impact list", []byte(file.Content))
}
