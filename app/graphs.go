package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// graphCache keeps each snapshot's lineage graph in memory after its first
// use: snapshots never change, so a graph is built once per process. An
// entry also holds when its snapshot was taken: SQLite gives a deleted
// snapshot's id to the next one, and another process (the window and
// serve on one store) may delete and import.
type graphCache struct {
	mu     sync.Mutex
	graphs map[int64]*graphLoad
	clock  uint64 // counts uses, for evict
	keep   int    // the nodes the graphs kept may hold (keptNodes)

	rendererOnce sync.Once
	renderer     *render.Renderer
	rendererErr  error
	// longLived is set by WarmUp: the window or serve, where layouts go to
	// a worker process when the app has one.
	longLived  atomic.Bool
	workerOnce sync.Once // starts the renderer's worker after the first picture

	// mesh is the last lineage across projects built, for the runs meshKey names.
	mesh    *meshLineage
	meshKey string
}

// graphLoad is one snapshot's graph, loaded once; done closes when g or
// err is set.
type graphLoad struct {
	done chan struct{}
	g    *lineage.Graph
	err  error
	used uint64 // graphCache.clock at the last use
}

// keptNodes bounds the graphs kept in memory, by their nodes: a 50,000-model
// graph takes a few hundred MB, and serve asked for each of a store's
// runs in turn grew past 2 GB and kept it (QA). The graphs used least
// recently go first; the one in use always stays.
const keptNodes = 150_000

// touch marks l used now; c.mu is held.
func (c *graphCache) touch(l *graphLoad) {
	c.clock++
	l.used = c.clock
}

// evict drops the least recently used loaded graphs while those kept hold
// more than c.keep nodes; c.mu is held. A graph counts once set (under
// c.mu), before its load's done closes: the one just loaded counts too.
func (c *graphCache) evict() {
	for {
		total, oldest, oldestID := 0, (*graphLoad)(nil), int64(0)
		for id, l := range c.graphs {
			if l.g == nil { // loading, or failed: not counted, not dropped
				continue
			}
			total += l.g.Len()
			if oldest == nil || l.used < oldest.used {
				oldest, oldestID = l, id
			}
		}
		if total <= c.keep || oldest == nil || oldest.used == c.clock {
			return
		}
		delete(c.graphs, oldestID)
	}
}

func newGraphCache() *graphCache {
	return &graphCache{graphs: map[int64]*graphLoad{}, keep: keptNodes}
}

func (c *graphCache) forget(id int64) {
	c.mu.Lock()
	delete(c.graphs, id)
	c.mu.Unlock()
}

// loaded returns the snapshot's whole graph if it is already in memory,
// without waiting for a load under way.
func (c *graphCache) loaded(snap backend.Snapshot) *lineage.Graph {
	c.mu.Lock()
	l := c.graphs[snap.ID]
	if l != nil {
		c.touch(l)
	}
	c.mu.Unlock()
	if l == nil {
		return nil
	}
	select {
	case <-l.done:
		return l.g
	default:
		return nil
	}
}

// graph returns the snapshot's whole lineage graph, loading it once. The
// load runs under the app's context, not ctx: a cancelled request stops
// waiting but does not waste a load that others (or the next request) use.
// A failed load is forgotten, so the next call tries again.
func (a *App) graph(ctx context.Context, snap backend.Snapshot) (*lineage.Graph, error) {
	snapshotID := snap.ID
	c := a.graphs
	c.mu.Lock()
	l, ok := c.graphs[snapshotID]
	if !ok {
		l = &graphLoad{done: make(chan struct{})}
		c.graphs[snapshotID] = l
		go func() {
			defer close(l.done)
			data, err := a.store.Graph(a.ctx, snapshotID)
			if err != nil {
				l.err = fmt.Errorf("load lineage of snapshot %d: %w", snapshotID, err)
				c.mu.Lock()
				if c.graphs[snapshotID] == l {
					delete(c.graphs, snapshotID)
				}
				c.mu.Unlock()
				return
			}
			g := lineage.New(data)
			c.mu.Lock()
			l.g = g
			c.touch(l)
			c.evict()
			c.mu.Unlock()
		}()
	}
	c.touch(l)
	c.mu.Unlock()
	select {
	case <-l.done:
		return l.g, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// WarmUp is for long-lived sessions (the window, serve): it starts Graphviz
// (with a worker process for big pictures when Config.RenderWorker is set;
// the worker itself starts after the first picture) and prepares search
// of the latest snapshot in the background, so that neither the first
// lineage picture after launch nor the first keystroke waits for them. It does
// not load the whole lineage graph ahead: selections by name are answered
// from the store (selectLineage), and on a 50k-model project that load is a
// second of CPU that would compete with the user's first picture and
// searches. The first selection that needs the whole graph (tag:, path:,
// @, paths between nodes) loads it, once.
// A second call does nothing.
func (a *App) WarmUp() {
	a.warmedUp.Do(func() {
		a.graphs.longLived.Store(true)
		go a.watchSnapshots(a.cfg.SnapshotPoll)
		a.resumeWatches()
		go func() {
			if _, err := a.renderer(); err != nil {
				a.log.Warn("warm up graphviz", "err", err)
			}
			if id, err := a.resolveSnapshot(0); err == nil {
				if err := a.store.PrepareSearch(a.ctx, id); err != nil {
					a.log.Warn("warm up search", "snapshot", id, "err", err)
				}
			}
		}()
	})
}

// selectLineage evaluates expr on the snapshot's lineage and returns the
// graph it evaluated on. When the whole graph is not in memory and the
// selector only names nodes and follows their edges (+orders+, 2+orders),
// it loads just the part the selector can reach (Store.Reach): a one-off
// CLI call or the first picture after launch then skips loading the whole
// graph, which on a 50k-model project takes about a second. Anything else,
// and any selection that fails (for the whole graph's near-name
// suggestions), goes to the whole graph.
//
// drawing, when set, is told the size of the selection as early as it is
// known (for a part, before its rows are read).
func (a *App) selectLineage(ctx context.Context, snap backend.Snapshot, expr string, opts lineage.SelectOptions, groupBy string,
	keepTests bool, drawing func(nodes int)) (*lineage.Graph, *lineage.Selection, error) {
	snapshotID := snap.ID
	if a.graphs.loaded(snap) == nil && !strings.HasPrefix(groupBy, lineage.GroupBySelection) {
		if q, ok := lineage.PlanReach(expr, opts); ok {
			q.Reached = drawing
			q.Tests = q.Tests || keepTests
			data, err := a.store.Reach(ctx, snapshotID, q)
			switch {
			case err == nil:
				part := lineage.New(data)
				if sel, err := part.Select(expr, opts); err == nil {
					return part, sel, nil
				}
			case !errors.Is(err, backend.ErrReachUnknown):
				return nil, nil, err
			}
		}
	}
	g, err := a.graph(ctx, snap)
	if err != nil {
		return nil, nil, err
	}
	sel, err := g.Select(expr, opts)
	if err != nil {
		return nil, nil, err // the selector's own message names what matched nothing
	}
	if drawing != nil {
		drawing(len(sel.Nodes))
	}
	return g, sel, nil
}

// readyToDraw returns what selectLineage tells the size of a selection
// to be drawn: a picture big enough for the renderer's worker process
// starts it then, if it is not running, instead of once the diagram is
// built (a launch's first big picture: the worker's start, ~0.25 s,
// overlaps reading the nodes and building the DOT). Nil when nothing is
// laid out or the session has no worker.
func (a *App) readyToDraw(format, groupBy string) func(nodes int) {
	if format != "svg" && format != "png" || groupBy != "" && groupBy != "none" || !a.graphs.longLived.Load() {
		return nil
	}
	return func(nodes int) {
		if nodes < render.DefaultWorkerMinNodes {
			return
		}
		go func() {
			r, err := a.renderer()
			if err == nil {
				err = r.StartWorker()
			}
			if err != nil {
				a.log.Warn("start graphviz worker", "err", err)
			}
		}()
	}
}

// workerStartDelay is how long after the first picture the renderer's
// worker process starts (see renderDiagram).
const workerStartDelay = 3 * time.Second

// renderer starts graphviz on first use; one per process, because
// go-graphviz runs one global WebAssembly instance. A long-lived session
// also gets a worker process for big pictures.
func (a *App) renderer() (*render.Renderer, error) {
	c := a.graphs
	c.rendererOnce.Do(func() {
		if c.longLived.Load() && a.cfg.RenderWorker != nil {
			c.renderer, c.rendererErr = render.NewWorkerRenderer(a.ctx, render.WorkerOptions{Command: a.cfg.RenderWorker})
			return
		}
		c.renderer, c.rendererErr = render.NewRenderer(a.ctx, 0)
	})
	return c.renderer, c.rendererErr
}
