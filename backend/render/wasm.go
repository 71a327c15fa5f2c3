package render

import (
	"bytes"
	"context"
	"fmt"

	"github.com/goccy/go-graphviz"

	// go-graphviz's compiled-module cache goes to a directory of the
	// user's own, and TMPDIR comes back after (see the packages).
	_ "github.com/lineagedesk/lineagedesk/backend/render/graphvizcache/restored"
)

// wasmEngine runs dot in this process, in go-graphviz's WebAssembly
// instance. go-graphviz keeps one global instance with no locking of its
// own, so layouts are serialised.
//
// The compiled WASM module is cached by go-graphviz itself, from its
// package init, in $TMPDIR/go-graphviz, TMPDIR being then the user's own
// cache directory (package graphvizcache).
type wasmEngine struct {
	gv  *graphviz.Graphviz
	sem chan struct{} // one layout at a time; a channel so waiting can be cancelled
}

func newWasmEngine(ctx context.Context) (*wasmEngine, error) {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("start graphviz: %w", err)
	}
	return &wasmEngine{gv: gv, sem: make(chan struct{}, 1)}, nil
}

func (e *wasmEngine) close() error {
	e.sem <- struct{}{}
	return e.gv.Close()
}

// layout honours ctx while waiting for the lock and for the job. The WASM
// layout itself cannot be interrupted (go-graphviz's wazero runtime is not
// set up to close on context cancellation), so a cancelled job finishes in
// the background and then releases the lock; its result is dropped.
func (e *wasmEngine) layout(ctx context.Context, dot []byte, format string) ([]byte, error) {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, canceled(ctx.Err())
	}
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-e.sem }()
		out, err := e.run(context.WithoutCancel(ctx), dot, format)
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		return nil, canceled(ctx.Err())
	}
}

func (e *wasmEngine) run(ctx context.Context, dot []byte, format string) ([]byte, error) {
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	defer g.Close()
	var buf bytes.Buffer
	if err := e.gv.Render(ctx, g, graphviz.Format(format), &buf); err != nil {
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	return buf.Bytes(), nil
}
