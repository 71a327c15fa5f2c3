package backend

// CrossProject tells whether the node is another dbt project's public
// model that this project refs across projects (dbt Mesh: ref('other',
// 'model')). dbt puts such a model in the manifest, in the other
// project's package, with that project's relation and dependencies but no
// file, code, columns or tests: those are in the other project's own
// manifest. A model of an installed package always has its file.
func (n *GraphNode) CrossProject() bool { return crossProjectRef(n.ResourceType, n.Path) }

// CrossProject tells whether the resource is another project's public
// model that this project refs (see GraphNode.CrossProject).
func (r *Resource) CrossProject() bool { return crossProjectRef(r.ResourceType, r.Path) }

// CrossProject tells whether the node is another project's public model
// that this project refs (see GraphNode.CrossProject).
func (n *CodeNode) CrossProject() bool { return crossProjectRef(n.ResourceType, n.Path) }

func crossProjectRef(resourceType, path string) bool {
	return resourceType == TypeModel && path == ""
}

// CrossProjectRef is one public model of another project that a
// snapshot's manifest holds because the project refs it.
type CrossProjectRef struct {
	UniqueID string `json:"unique_id"`
	// Project is the project that defines it: its package in the manifest.
	Project string `json:"project"`
}

// ProjectRun is another dbt project's run that a picture or a trace across
// projects read nodes from.
type ProjectRun struct {
	Project    string `json:"project"`
	SnapshotID int64  `json:"snapshot_id"`
	// Nodes counts the nodes read from it.
	Nodes int `json:"nodes"`
	// ComparedWith is, when state: compared, the run of the project it
	// was compared with.
	ComparedWith int64 `json:"compared_with,omitempty"`
}
