package render

// LensTrend: the trend of the node's tests over the project's recent runs,
// in the words of a resource's history: newly failing, flaky, fixed (a
// box: its members' worst).
const LensTrend Lens = "trend"

// trendColors are LensTrend's legend, worst first.
var trendColors = []struct{ status, color, legend string }{
	{"error", "#C62828", "newly failing"},
	{"warn", "#F9A825", "flaky"},
	{"pass", "#2E7D32", "fixed"},
	{"", "#9E9E9E", "steady / no history"},
}

// trendStatus is the status colour a trend is drawn in ("" for none).
func trendStatus(trend string) string {
	for _, c := range trendColors {
		if c.legend == trend {
			return c.status
		}
	}
	return ""
}

// WorseTrend returns the worse of two trends: newly failing, then flaky,
// then fixed, then none.
func WorseTrend(a, b string) string {
	rank := func(t string) int {
		for i, c := range trendColors[:3] {
			if c.legend == t {
				return len(trendColors) - i
			}
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// MarkTrends notes each resource's test trend (by unique_id: "newly
// failing", "flaky", "fixed" or none), for LensTrend; a box takes its
// members' worst.
func (d *Diagram) MarkTrends(trends map[string]string) {
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box == nil {
			n.Trend = trends[n.Resource.UniqueID]
			continue
		}
		for _, m := range n.Box.Members {
			n.Trend = WorseTrend(n.Trend, trends[m])
		}
	}
}
