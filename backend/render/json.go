package render

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

type jsonNode struct {
	UniqueID     string `json:"unique_id"`
	ResourceType string `json:"resource_type"`
	Name         string `json:"name"`
	Package      string `json:"package"`
	Path         string `json:"path,omitempty"`
	// CrossProject marks another project's public model this project
	// refs (dbt Mesh), drawn from this project's manifest.
	CrossProject bool     `json:"cross_project,omitempty"`
	Database     string   `json:"database,omitempty"`
	Schema       string   `json:"schema,omitempty"`
	RelationName string   `json:"relation_name,omitempty"`
	Materialized string   `json:"materialized,omitempty"`
	Version      string   `json:"version,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	RunStatus    string   `json:"run_status,omitempty"`
	// ExecutionTime is set only on diagrams drawn with run times, for the
	// nodes the run included.
	ExecutionTime *float64            `json:"execution_time,omitempty"`
	TestStatus    string              `json:"test_status,omitempty"`
	StateChange   []string            `json:"state_change,omitempty"`
	TestSummary   backend.TestSummary `json:"test_summary"`
	// TestsBefore is, in a diff of two runs that ran tests, the node's
	// test summary in the run compared with.
	TestsBefore *backend.TestSummary `json:"tests_before,omitempty"`
	// TestTrend is, with the trend lens, the trend of the node's tests
	// over the project's recent runs: newly failing, flaky or fixed.
	TestTrend string `json:"test_trend,omitempty"`
	// Health is, with the health lens, the node's data health and why.
	Health *backend.Health `json:"health,omitempty"`
	Focus  bool            `json:"focus,omitempty"`
	// NodeColor is the project's docs.node_color as "#RRGGBB".
	NodeColor string `json:"node_color,omitempty"`
}

type jsonEdge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count,omitempty"` // grouped diagrams only
	// Change is "added" or "removed" in a diff, against the snapshot
	// compared with.
	Change string `json:"change,omitempty"`
}

// jsonCriticalPath is the critical path of a diagram drawn with run times.
type jsonCriticalPath struct {
	Command string    `json:"command"`
	Seconds float64   `json:"seconds"`
	Nodes   []string  `json:"nodes"`
	Times   []float64 `json:"times"`
}

// jsonGroup is a box of a grouped diagram; drawn with run times, it says
// how long its members ran in all, as the picture does.
type jsonGroup struct {
	lineage.Box
	ExecutionTime *float64 `json:"execution_time,omitempty"`
	// Health is, with the health lens, its members' worst and their
	// count by state.
	Health *backend.Health `json:"health,omitempty"`
}

type jsonDoc struct {
	Selector string `json:"selector"`
	// Where the picture comes from, as its footer says it (Meta): the
	// project, the snapshot, the dbt Cloud run and the snapshot compared
	// with; the render time is left out, so an export is the same bytes
	// every time.
	Project      string `json:"project,omitempty"`
	Snapshot     string `json:"snapshot,omitempty"`
	DbtCloudRun  string `json:"dbt_cloud_run,omitempty"`
	ComparedWith string `json:"compared_with,omitempty"`
	// AcrossProjects names the other projects' runs drawn from.
	AcrossProjects string            `json:"across_projects,omitempty"`
	CriticalPath   *jsonCriticalPath `json:"critical_path,omitempty"`
	Nodes          []jsonNode        `json:"nodes"`
	Groups         []jsonGroup       `json:"groups,omitempty"`
	Edges          []jsonEdge        `json:"edges"`
}

// JSON returns the diagram's nodes and edges, keyed by unique_id (box ID
// for groups), and where they come from (meta). It has no size limit: it
// is the export for big selections.
func (r *Renderer) JSON(d *Diagram, meta Meta) ([]byte, error) {
	doc := jsonDoc{Selector: d.Title, Project: meta.Project, Snapshot: meta.Snapshot, DbtCloudRun: meta.DbtCloudRun, ComparedWith: meta.ComparedWith,
		AcrossProjects: meta.AcrossProjects, Nodes: []jsonNode{}, Edges: []jsonEdge{}}
	if rt := d.Runtime; rt != nil {
		doc.CriticalPath = &jsonCriticalPath{Command: rt.Command, Seconds: rt.Path.Seconds, Nodes: rt.Path.Nodes, Times: rt.Path.Times}
	}
	key := map[string]string{}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box != nil {
			key[n.ID] = n.Box.ID
			doc.Groups = append(doc.Groups, jsonGroup{Box: *n.Box, Health: n.Health})
			if n.Ran {
				doc.Groups[len(doc.Groups)-1].ExecutionTime = &n.RunSeconds
			}
			continue
		}
		res := n.Resource
		key[n.ID] = res.UniqueID
		doc.Nodes = append(doc.Nodes, jsonNode{
			UniqueID: res.UniqueID, ResourceType: res.ResourceType, Name: res.Name, Package: res.Package,
			Path: res.Path, CrossProject: res.CrossProject(), Database: res.Database, Schema: res.Schema, RelationName: res.RelationName,
			Materialized: res.Materialized, Version: res.Version, Tags: res.Tags, RunStatus: res.RunStatus, TestStatus: res.TestStatus,
			StateChange: n.Change.Parts(), TestSummary: res.Tests, TestsBefore: n.TestsBefore, TestTrend: n.Trend, Health: n.Health, Focus: n.Focus, NodeColor: n.Fill,
		})
		if n.Ran {
			doc.Nodes[len(doc.Nodes)-1].ExecutionTime = &n.RunSeconds
		}
	}
	slices.SortStableFunc(doc.Nodes, func(a, b jsonNode) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	grouped := len(doc.Groups) > 0
	for _, e := range d.Edges {
		je := jsonEdge{From: key[e.From], To: key[e.To], Change: e.Change}
		if grouped {
			je.Count = e.Count
		}
		doc.Edges = append(doc.Edges, je)
	}
	slices.SortStableFunc(doc.Edges, func(a, b jsonEdge) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	return doc.marshal()
}

// marshal writes the document with one node, group or edge per line:
// readable, friendly to diff and grep, and a fraction of MarshalIndent's
// time on a selection of thousands of nodes.
func (doc *jsonDoc) marshal() ([]byte, error) {
	selector, err := json.Marshal(doc.Selector)
	if err != nil {
		return nil, err
	}
	// Sized for a typical node and edge, so the buffer rarely grows.
	out := make([]byte, 0, 64+400*len(doc.Nodes)+160*len(doc.Edges))
	out = append(append(out, `{"selector": `...), selector...)
	for _, f := range [...]struct{ key, value string }{{"project", doc.Project}, {"snapshot", doc.Snapshot}, {"dbt_cloud_run", doc.DbtCloudRun}, {"compared_with", doc.ComparedWith}, {"across_projects", doc.AcrossProjects}} {
		if f.value != "" {
			out = appendJSONString(append(append(append(out, ",\n\""...), f.key...), `": `...), f.value)
		}
	}
	if doc.CriticalPath != nil {
		path, err := json.Marshal(doc.CriticalPath)
		if err != nil {
			return nil, err
		}
		out = append(append(out, ",\n\"critical_path\": "...), path...)
	}
	out, err = appendLines(out, "nodes", doc.Nodes)
	if err != nil {
		return nil, err
	}
	if len(doc.Groups) > 0 {
		if out, err = appendLines(out, "groups", doc.Groups); err != nil {
			return nil, err
		}
	}
	if out, err = appendLines(out, "edges", doc.Edges); err != nil {
		return nil, err
	}
	return append(out, "\n}\n"...), nil
}

func appendLines[T any](out []byte, key string, items []T) ([]byte, error) {
	out = append(out, ",\n\""+key+"\": ["...)
	for i := range items {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, "\n  "...)
		if a, ok := any(&items[i]).(jsonAppender); ok {
			out = a.appendJSON(out)
			continue
		}
		b, err := json.Marshal(&items[i])
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	if len(items) > 0 {
		out = append(out, '\n')
	}
	return append(out, ']'), nil
}
