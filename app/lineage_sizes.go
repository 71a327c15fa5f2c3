package app

import (
	"github.com/lineagedesk/lineagedesk/backend"
)

// LineageSize says whether a lineage request's picture can be drawn, and
// how big it is.
type LineageSize struct {
	Fits  bool `json:"fits"`
	Nodes int  `json:"nodes"` // boxes and nodes drawn
	Boxes int  `json:"boxes"`
	Edges int  `json:"edges"`
	// Reason is why it cannot be drawn: the size guard's refusal, or the
	// request's own error.
	Reason string `json:"reason,omitempty"`
}

// maxSizeRequests bounds a LineageSizes call: each request selects and
// groups as a picture does.
const maxSizeRequests = 10

// LineageSizes says for each request whether its picture passes the size
// guard, without laying it out. The lineage view asks it, once a picture
// was refused, about the ways to draw less it would offer (other
// groupings, fewer hops, tests off, the open boxes shut), and offers only
// those that can be drawn: on a 50k-model project "group by folder" or
// "two hops" were refused in turn.
func (a *App) LineageSizes(reqs []LineageRequest) ([]LineageSize, error) {
	if len(reqs) > maxSizeRequests {
		return nil, backend.Errorf(backend.EINVALID, "%d requests: LineageSizes answers at most %d at a time", len(reqs), maxSizeRequests)
	}
	r, err := a.renderer()
	if err != nil {
		return nil, err
	}
	sizes := make([]LineageSize, len(reqs))
	for i, req := range reqs {
		// What is drawn does not depend on the format or the lens; CSV and
		// the plain lens mark nothing (no node colours, no health).
		req.Format, req.Lens = "csv", "none"
		p, err := a.picture(a.ctx, req)
		if err != nil {
			if a.ctx.Err() != nil {
				return nil, err
			}
			sizes[i].Reason = backend.NewErrorPayload(err).Message
			continue
		}
		d := p.diagram
		sizes[i].Nodes, sizes[i].Edges = len(d.Nodes), len(d.Edges)
		for _, n := range d.Nodes {
			if n.Box != nil {
				sizes[i].Boxes++
			}
		}
		if err := r.CheckSize(d); err != nil {
			sizes[i].Reason = err.Error()
			continue
		}
		sizes[i].Fits = true
	}
	return sizes, nil
}
