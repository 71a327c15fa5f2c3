package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// defaultPathLimit is how many paths Paths lists when not told.
const defaultPathLimit = 200

// Paths lists the dependency paths between two nodes, in either direction,
// shortest first: up to limit of them (0: defaultPathLimit), and how many
// there are in all.
func (a *App) Paths(snapshotID int64, from, to string, limit int) (PathsResult, error) {
	if limit <= 0 {
		limit = defaultPathLimit
	}
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return PathsResult{}, err
	}
	g, err := a.pathsGraph(a.ctx, snap, from, to)
	if err != nil {
		return PathsResult{}, err
	}
	paths, err := g.Paths(from, to, limit)
	truncated := errors.Is(err, lineage.ErrPathsTruncated)
	if err != nil && !truncated {
		return PathsResult{}, fmt.Errorf("paths %s -> %s: %w", from, to, err)
	}
	res := PathsResult{From: from, To: to, Paths: paths, Truncated: truncated}
	if len(paths) > 0 { // its ends, in the direction the paths run
		res.From, res.To = paths[0][0], paths[0][len(paths[0])-1]
		if asked, err := g.Resolve(from); err == nil {
			res.Reversed = asked != res.From
		}
		res.Total, res.TotalSaturated = uint64(len(paths)), false
		if truncated {
			res.Total, res.TotalSaturated = g.CountPaths(res.From, res.To)
		}
	} else {
		// Named as asked for, the ends are still the nodes compared.
		res.Paths = [][]string{}
		if id, err := g.Resolve(from); err == nil {
			res.From = id
		}
		if id, err := g.Resolve(to); err == nil {
			res.To = id
		}
	}
	return res, nil
}

// pathsGraph is a graph that holds every path between from and to, either
// way: the part of the lineage made of from+ and to+ (a path from a node
// runs through its descendants). On 50k models a one-off paths command
// read the whole graph, 0.46-0.73 s and 312 MB.
func (a *App) pathsGraph(ctx context.Context, snap backend.Snapshot, from, to string) (*lineage.Graph, error) {
	return a.graphHolding(ctx, snap, 0, -1, from, to)
}

// graphHolding is a graph holding the nodes refs name and their ancestors
// and descendants up to parents and children hops (-1: all): that part of
// the lineage when the reach tables give it, else the whole graph, which
// also words the errors of a ref that names nothing (near names of a
// slip) or several nodes.
func (a *App) graphHolding(ctx context.Context, snap backend.Snapshot, parents, children int, refs ...string) (*lineage.Graph, error) {
	part, err := a.partNaming(ctx, snap, parents, children, refs...)
	if part != nil || err != nil {
		return part, err
	}
	return a.graph(ctx, snap)
}

// partNaming reads from the reach tables the part of the lineage that
// holds the nodes refs name (unique_ids, or names Resolve takes) and their
// ancestors and descendants up to parents and children hops (-1: all). It
// returns nil when the whole graph is loaded already, when the reach
// tables cannot answer (a bare name that is also a package's, say) or when
// a ref does not resolve in the part: the whole graph then answers. Only a
// cancelled ctx is an error.
func (a *App) partNaming(ctx context.Context, snap backend.Snapshot, parents, children int, refs ...string) (*lineage.Graph, error) {
	if a.graphs.loaded(snap) != nil {
		return nil, nil
	}
	q := backend.ReachQuery{Tests: true}
	for _, ref := range refs {
		q.Terms = append(q.Terms, backend.ReachTerm{Value: ref, Bare: !strings.Contains(ref, "."), Parents: parents, Children: children})
	}
	data, err := a.store.Reach(ctx, snap.ID, q)
	if err != nil {
		return nil, ctx.Err()
	}
	part := lineage.New(data)
	for _, ref := range refs {
		if _, err := part.Resolve(ref); err != nil {
			return nil, nil
		}
	}
	return part, nil
}
