package cli

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/app/web"
	"github.com/lineagedesk/lineagedesk/backend/hugepage"
)

func runServe(ctx context.Context, env Env, args []string) error {
	f := newFlags("serve")
	addr := f.String("addr", "127.0.0.1:8484", "loopback address to listen on (port 0 picks a free one)")
	open := f.Bool("open", false, "open the UI in the default browser")
	if err := f.parseFlagsOnly(args); err != nil {
		return err
	}
	hugepage.AdviseHeap(UIHeapBytes)
	broker := web.NewBroker()
	return withApp(ctx, env, f, broker, func(a *app.App) error {
		if _, err := a.EnsureDemo(); err != nil {
			fmt.Fprintf(env.Stderr, "warning: could not open the demo project: %v\n", err)
		}
		a.WarmUp()
		srv, err := web.NewServer(a, env.Assets, broker, nil)
		if err != nil {
			return err
		}
		ln, err := srv.Listen(*addr)
		if err != nil {
			return err
		}
		url := srv.URL(ln)
		fmt.Fprintf(env.Stdout, "Lineage Desk is serving on %s\n", url)
		fmt.Fprintln(env.Stdout, "Keep this URL private: it carries this session's secret. Press Ctrl+C to stop.")
		if *open {
			page, remove, err := writeOpenPage(url)
			if err == nil {
				defer remove()
				err = exec.Command("xdg-open", page).Start()
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "could not open a browser (%v); open the URL yourself\n", err)
			}
		}
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case <-ctx.Done():
			ln.Close()
			return nil
		case err := <-errc:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return fmt.Errorf("serve: %w", err)
		}
	})
}

// UIHeapBytes is how much heap the window and serve ready for huge pages
// (hugepage.AdviseHeap) at launch: what their first big picture touches.
// That picture's selection, DOT, SVG (2 MB at 1,377 nodes, copied a few
// times) and JSON answer faulted ~9,800 fresh 4 kB pages in serve, against
// 1,400-5,400 for a warm one, at 20-40 µs each on this kind of VM; with the
// advice 2,600-3,900, and the first render took 0.66-0.71 s against
// 0.77-0.78 s (four launches each, alternating; warm ones ~0.5 s either
// way). The advice costs 13-17 ms at launch; serve's resident size after
// five pictures was 169-208 MB with it, 168-203 MB without.
const UIHeapBytes = 128 << 20

// writeOpenPage writes a page, readable by this user only, that sends the
// browser on to url. The browser is given the page's path: a command line
// is visible to every user of the machine (ps), and url carries the
// session's secret. remove deletes it.
func writeOpenPage(url string) (path string, remove func(), err error) {
	dir, err := os.MkdirTemp("", "lineagedesk-open-")
	if err != nil {
		return "", nil, fmt.Errorf("write the page that opens the browser: %w", err)
	}
	remove = func() { os.RemoveAll(dir) }
	path = filepath.Join(dir, "open.html")
	escaped := html.EscapeString(url)
	page := `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=` + escaped +
		`"><title>Lineage Desk</title><p><a href="` + escaped + `">Open Lineage Desk</a></p>`
	if err := os.WriteFile(path, []byte(page), 0o600); err != nil {
		remove()
		return "", nil, fmt.Errorf("write the page that opens the browser: %w", err)
	}
	return path, remove, nil
}
