package render

import (
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/health"
)

// LensHealth: the node's data health as of the snapshot (backend/health):
// degraded, caution, healthy or unknown; a box, its members' worst.
const LensHealth Lens = "health"

// healthColors are LensHealth's legend, worst first.
var healthColors = []struct{ status, color, legend string }{
	{"error", "#C62828", health.Degraded},
	{"warn", "#F9A825", health.Caution},
	{"pass", "#2E7D32", health.Healthy},
	{"", "#9E9E9E", "unknown / not judged"},
}

// healthStatus is the status colour a node's health is drawn in.
func healthStatus(n *Node) string {
	if n.Health == nil {
		return ""
	}
	switch n.Health.State {
	case health.Degraded:
		return "error"
	case health.Caution:
		return "warn"
	case health.Healthy:
		return "pass"
	}
	return ""
}

// MarkHealth notes each resource's health (by unique_id; the types health
// does not judge have none), for LensHealth. A box takes its members'
// worst, and its reasons count its members by state.
func (d *Diagram) MarkHealth(judged map[string]backend.Health) {
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box == nil {
			if h, ok := judged[n.Resource.UniqueID]; ok {
				n.Health = &h
			}
			continue
		}
		counts := map[string]int{}
		state := ""
		for _, m := range n.Box.Members {
			if h, ok := judged[m]; ok {
				counts[h.State]++
				state = health.Worse(state, h.State)
			}
		}
		if state == "" {
			continue
		}
		var parts []string
		for _, s := range health.States() {
			if counts[s] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
			}
		}
		n.Health = &backend.Health{State: state, Reasons: []string{strings.Join(parts, ", ")}}
	}
}

// healthTooltip is the tooltip's line saying a node's health and why.
func healthTooltip(h *backend.Health) string {
	if h == nil {
		return ""
	}
	t := "health: " + h.State
	if len(h.Reasons) > 0 {
		t += " (" + strings.Join(h.Reasons, "; ") + ")"
	}
	return "\n" + clean(t, 600)
}
