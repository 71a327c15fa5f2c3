package app

import (
	"context"
	"slices"
	"sync"

	"github.com/lineagedesk/lineagedesk/backend"
)

// requestRegistry remembers the cancel functions of long requests (lineage
// renders) by the id the caller chose, so the UI can cancel them.
type requestRegistry struct {
	mu      sync.Mutex
	cancels map[string]*context.CancelFunc
}

func newRequestRegistry() *requestRegistry {
	return &requestRegistry{cancels: map[string]*context.CancelFunc{}}
}

// start derives a cancellable context for a request; call the returned
// function when the request ends. A second request with the same id
// cancels the first and takes the id over.
func (r *requestRegistry) start(parent context.Context, id string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent)
	if id == "" {
		return ctx, cancel
	}
	entry := &cancel
	r.mu.Lock()
	if old, ok := r.cancels[id]; ok {
		(*old)()
	}
	r.cancels[id] = entry
	r.mu.Unlock()
	return ctx, func() {
		cancel()
		r.mu.Lock()
		if r.cancels[id] == entry { // not a later request's, which took the id over
			delete(r.cancels, id)
		}
		r.mu.Unlock()
	}
}

func (r *requestRegistry) cancel(id string) {
	r.mu.Lock()
	c, ok := r.cancels[id]
	r.mu.Unlock()
	if ok {
		(*c)()
	}
}

// syncRegistry allows one sync per connection at a time.
type syncRegistry struct {
	mu      sync.Mutex
	running map[string]context.CancelFunc
}

func newSyncRegistry() *syncRegistry {
	return &syncRegistry{running: map[string]context.CancelFunc{}}
}

// start claims the connection; ECONFLICT when a sync of it is running.
func (r *syncRegistry) start(parent context.Context, name string) (context.Context, func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, busy := r.running[name]; busy {
		return nil, nil, backend.Errorf(backend.ECONFLICT, "a sync of connection %q is already running; wait for it or cancel it", name)
	}
	ctx, cancel := context.WithCancel(parent)
	r.running[name] = cancel
	return ctx, func() {
		cancel()
		r.mu.Lock()
		delete(r.running, name)
		r.mu.Unlock()
	}, nil
}

// names lists the connections whose syncs are running, sorted.
func (r *syncRegistry) names() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.running))
	for name := range r.running {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

func (r *syncRegistry) cancel(name string) bool {
	r.mu.Lock()
	c, ok := r.running[name]
	r.mu.Unlock()
	if ok {
		c()
	}
	return ok
}
