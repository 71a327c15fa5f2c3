package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/lineagedesk/lineagedesk/app"
)

// progressBar draws sync progress events on a terminal, redrawing one
// line. When stderr is not a terminal it stays quiet, so scripts and CI
// logs get only the final result.
type progressBar struct {
	mu      sync.Mutex
	w       io.Writer
	enabled bool
	drawn   bool
}

func newProgressBar(w io.Writer, enabled bool) *progressBar {
	return &progressBar{w: w, enabled: enabled}
}

// Emit satisfies app.Emitter.
func (p *progressBar) Emit(name string, payload any) {
	if !p.enabled || name != app.EventSyncProgress {
		return
	}
	ev, ok := payload.(app.SyncProgress)
	if !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[K%s", renderProgress(ev, 30))
	p.drawn = true
	if ev.Done {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// finish ends the line if a bar is on screen.
func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// renderProgress formats one progress line: phase, a bar when the total is
// known, and the byte and item counts.
func renderProgress(ev app.SyncProgress, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s", ev.Phase)
	done, total := float64(ev.Bytes), float64(ev.TotalBytes)
	// A download of unknown size draws no bar: one counting the files
	// would stand at 0% while the first one comes in.
	if total <= 0 && ev.TotalItems > 0 && ev.Bytes == 0 {
		done, total = float64(ev.Items), float64(ev.TotalItems)
	}
	if total > 0 {
		frac := min(done/total, 1)
		filled := int(frac * float64(width))
		fmt.Fprintf(&b, " [%s%s] %3.0f%%", strings.Repeat("#", filled), strings.Repeat(".", width-filled), frac*100)
	}
	if ev.Bytes > 0 {
		fmt.Fprintf(&b, " %s", humanBytes(ev.Bytes))
	}
	if ev.TotalItems > 0 {
		fmt.Fprintf(&b, " %d/%d", ev.Items, ev.TotalItems)
	}
	if ev.Message != "" {
		fmt.Fprintf(&b, " %s", ev.Message)
	}
	return b.String()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
