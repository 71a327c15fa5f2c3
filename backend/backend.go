// Package backend holds Lineage Desk's domain: the resources dbt describes, the
// snapshots they are stored in, and the interfaces the application layer uses
// to reach storage. It imports nothing from app/ or storage/, so every concern
// below it (artifact parsing, lineage, rendering, dbt Cloud, syncing) can be
// tested on its own.
package backend

import (
	"encoding/json"
	"path"
	"time"
)

// Resource types as dbt spells them in `resource_type`.
const (
	TypeModel         = "model"
	TypeSeed          = "seed"
	TypeSnapshot      = "snapshot"
	TypeTest          = "test"
	TypeAnalysis      = "analysis"
	TypeOperation     = "operation"
	TypeSource        = "source"
	TypeExposure      = "exposure"
	TypeMetric        = "metric"
	TypeSemanticModel = "semantic_model"
	TypeSavedQuery    = "saved_query"
	TypeUnitTest      = "unit_test"
	TypeMacro         = "macro"
	TypeDoc           = "doc"
	TypeGroup         = "group"
	TypeFunction      = "function"
)

// ResourceTypes lists every resource type a snapshot stores, in the order
// messages show them.
func ResourceTypes() []string {
	return []string{
		TypeModel, TypeSeed, TypeSnapshot, TypeSource, TypeTest, TypeUnitTest, TypeAnalysis, TypeExposure,
		TypeMetric, TypeSemanticModel, TypeSavedQuery, TypeOperation, TypeFunction, TypeMacro, TypeDoc, TypeGroup,
	}
}

// SearchedByDefault says whether a search without a type filter returns
// resources of type t: macros and docs are code and prose about the project,
// and come only when asked for by type.
func SearchedByDefault(t string) bool { return t != TypeMacro && t != TypeDoc }

// Artifact names used as keys of Bundle.SchemaVersions and in messages.
const (
	ArtifactManifest   = "manifest"
	ArtifactCatalog    = "catalog"
	ArtifactRunResults = "run_results"
	ArtifactSources    = "sources"
)

// Resource is one thing a manifest describes (a node, source, exposure,
// metric, semantic model, saved query, unit test, group, macro, doc block or
// function), normalised across manifest schema versions v1-v12.
//
// Fields that only some resource types have are empty for the others; the
// type-specific groups (Test, Source, Exposure) are nil when they do not
// apply. Raw keeps the resource's original JSON so fields we do not model yet
// are never lost.
type Resource struct {
	UniqueID     string   `json:"unique_id"`
	ResourceType string   `json:"resource_type"`
	Name         string   `json:"name"`
	Package      string   `json:"package"`
	FQN          []string `json:"fqn,omitempty"`
	// Path is original_file_path with forward slashes (Windows paths normalised).
	Path string `json:"path,omitempty"`
	// PatchPath is the YAML file documenting the resource, without the "pkg://" prefix.
	PatchPath string `json:"patch_path,omitempty"`
	// Checksum is the manifest's checksum of the resource's file
	// ("sha256:…", or "path:…" for a seed too big to hash): it tells a
	// changed seed from an unchanged one (state:modified.body).
	Checksum string `json:"checksum,omitempty"`

	Database     string `json:"database,omitempty"`
	Schema       string `json:"schema,omitempty"`
	Identifier   string `json:"identifier,omitempty"` // alias for nodes, identifier for sources
	RelationName string `json:"relation_name,omitempty"`
	Materialized string `json:"materialized,omitempty"`

	Description string          `json:"description,omitempty"`
	Tags        []string        `json:"tags,omitempty"`
	Meta        json.RawMessage `json:"meta,omitempty"`   // merged meta and config.meta
	Config      json.RawMessage `json:"config,omitempty"` // the whole config object
	Enabled     bool            `json:"enabled"`

	Language     string `json:"language,omitempty"`
	RawCode      string `json:"raw_code,omitempty"`      // raw_code or raw_sql
	CompiledCode string `json:"compiled_code,omitempty"` // compiled_code, compiled_sql or injected_sql

	// Governance (manifest v9+).
	Access           string `json:"access,omitempty"`
	Group            string `json:"group,omitempty"`
	Version          string `json:"version,omitempty"` // compared as strings: 2 and "2" are the same
	LatestVersion    string `json:"latest_version,omitempty"`
	ContractEnforced bool   `json:"contract_enforced,omitempty"`

	// DependsOn are the unique_ids this resource reads from (depends_on.nodes);
	// they are the lineage edges. DependsOnMacros are macro dependencies.
	DependsOn       []string `json:"depends_on,omitempty"`
	DependsOnMacros []string `json:"depends_on_macros,omitempty"`

	Columns []Column `json:"columns,omitempty"`
	// Elements are a semantic model's entities, dimensions and measures
	// (their definitions stay in Raw, which column lineage reads).
	Elements []SemanticElement `json:"-"`

	// State is what state: compares beyond the fields above.
	State StateKeys `json:"-"`

	Test     *TestInfo     `json:"test,omitempty"`
	Source   *SourceInfo   `json:"source,omitempty"`
	Exposure *ExposureInfo `json:"exposure,omitempty"`

	Raw json.RawMessage `json:"-"`
}

// Folder is the directory part of Path ("models/staging"), or "" at the root.
func (r *Resource) Folder() string {
	// Cleaned: a hook's ./dbt_project.yml is at the root, not in a folder ".".
	dir := path.Dir(path.Clean(r.Path))
	if dir == "." || dir == "/" {
		return ""
	}
	return dir
}

// Column is a column as the manifest documents it, joined case-insensitively
// with what the catalog found in the warehouse.
type Column struct {
	Name         string          `json:"name"`
	Description  string          `json:"description,omitempty"`
	DeclaredType string          `json:"declared_type,omitempty"` // data_type from YAML
	CatalogType  string          `json:"catalog_type,omitempty"`  // type from catalog.json
	Index        int             `json:"index"`                   // catalog index (1-based), 0 when unknown
	Comment      string          `json:"comment,omitempty"`       // catalog comment
	Tags         []string        `json:"tags,omitempty"`
	Meta         json.RawMessage `json:"meta,omitempty"`
	Constraints  json.RawMessage `json:"constraints,omitempty"`
	InManifest   bool            `json:"in_manifest"`
	InCatalog    bool            `json:"in_catalog"`
}

// TestInfo describes a data test (generic or singular) or a unit test.
type TestInfo struct {
	TestName     string          `json:"test_name,omitempty"` // test_metadata.name; the file name for singular tests
	Namespace    string          `json:"namespace,omitempty"`
	Kwargs       json.RawMessage `json:"kwargs,omitempty"`
	ColumnName   string          `json:"column_name,omitempty"`
	Severity     string          `json:"severity,omitempty"` // upper case: ERROR or WARN
	TestType     string          `json:"test_type"`          // generic, singular or unit
	AttachedNode string          `json:"attached_node"`      // the node the test is about
}

// SourceInfo holds what only sources have.
type SourceInfo struct {
	SourceName        string          `json:"source_name"`
	SourceDescription string          `json:"source_description,omitempty"`
	Loader            string          `json:"loader,omitempty"`
	LoadedAtField     string          `json:"loaded_at_field,omitempty"`
	Freshness         json.RawMessage `json:"freshness,omitempty"` // warn_after/error_after/filter
}

// ExposureInfo holds what only exposures have.
type ExposureInfo struct {
	Type       string `json:"type,omitempty"`
	OwnerName  string `json:"owner_name,omitempty"`
	OwnerEmail string `json:"owner_email,omitempty"` // several addresses are joined with ", "
	Maturity   string `json:"maturity,omitempty"`
	URL        string `json:"url,omitempty"`
	Label      string `json:"label,omitempty"`
}

// CatalogTable is what catalog.json says about one relation.
type CatalogTable struct {
	UniqueID string          `json:"unique_id"`
	Type     string          `json:"type"` // as the adapter reports it: BASE TABLE, view, ...
	Database string          `json:"database,omitempty"`
	Schema   string          `json:"schema,omitempty"`
	Name     string          `json:"name,omitempty"`
	Owner    string          `json:"owner,omitempty"`
	Comment  string          `json:"comment,omitempty"`
	Stats    json.RawMessage `json:"stats,omitempty"` // stats with include=true, keyed by id
}

// RunResult is one entry of run_results.json.
type RunResult struct {
	UniqueID        string          `json:"unique_id"`
	Status          string          `json:"status"`
	Failures        *int64          `json:"failures,omitempty"`
	Message         string          `json:"message,omitempty"`
	ExecutionTime   float64         `json:"execution_time"`
	ThreadID        string          `json:"thread_id,omitempty"`
	Timing          json.RawMessage `json:"timing,omitempty"`
	AdapterResponse json.RawMessage `json:"adapter_response,omitempty"`
	// IsTestOutcome is true only for tests and unit tests of a command that
	// executes them (test, build, ...). docs generate and compile mark every
	// node "success"; those results are kept but are not test outcomes.
	IsTestOutcome bool `json:"is_test_outcome"`
}

// FreshnessResult is one entry of sources.json.
type FreshnessResult struct {
	UniqueID      string          `json:"unique_id"`
	Status        string          `json:"status"` // pass, warn, error, runtime error
	MaxLoadedAt   string          `json:"max_loaded_at,omitempty"`
	SnapshottedAt string          `json:"snapshotted_at,omitempty"`
	AgeSeconds    float64         `json:"age_seconds,omitempty"`
	Criteria      json.RawMessage `json:"criteria,omitempty"`
	Error         string          `json:"error,omitempty"`
	ExecutionTime float64         `json:"execution_time,omitempty"`
}

// BundleMeta is the metadata of a set of artifacts from one dbt invocation.
type BundleMeta struct {
	Project      string    `json:"project"`
	DbtVersion   string    `json:"dbt_version"`
	AdapterType  string    `json:"adapter_type,omitempty"`
	InvocationID string    `json:"invocation_id,omitempty"`
	GeneratedAt  time.Time `json:"generated_at"`
	// SchemaVersions maps an artifact name (ArtifactManifest, ...) to the
	// schema version it declared, e.g. {"manifest": 12, "catalog": 1}.
	SchemaVersions map[string]int `json:"schema_versions"`
	// RunCommand is run_results' args.which (build, test, generate, ...).
	RunCommand string `json:"run_command,omitempty"`
}

// CommandLine is a dbt command as people type it: run_results' args.which
// "generate" is "dbt docs generate".
func CommandLine(which string) string {
	if which == "generate" {
		return "dbt docs generate"
	}
	return "dbt " + which
}

// RunsNodes reports whether run_results.json written by a dbt command
// times the execution of its nodes: build, run, seed, snapshot, test and
// retry execute them, while docs generate and compile record how long
// compiling took.
func RunsNodes(command string) bool {
	switch command {
	case "build", "run", "seed", "snapshot", "test", "retry":
		return true
	}
	return false
}

// NamedSelector is a YAML selector of the project (selectors.yml), as the
// manifest records it: selector:NAME selects with it.
type NamedSelector struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Default     bool   `json:"default,omitempty"`
	// Definition is dbt's: a method/value criterion with graph flags, a
	// union or intersection of definitions, excludes, or a selector string.
	Definition json.RawMessage `json:"definition"`
}

// Bundle is everything one set of artifacts says about a project, normalised.
// It is what the artifact parser produces and what a snapshot stores.
type Bundle struct {
	Meta       BundleMeta
	Resources  []Resource // sorted by UniqueID
	Catalog    []CatalogTable
	RunResults []RunResult
	Freshness  []FreshnessResult
	Selectors  []NamedSelector // sorted by Name
	Warnings   []string
}

// Counts returns the number of resources per resource_type.
func (b *Bundle) Counts() map[string]int {
	counts := map[string]int{}
	for i := range b.Resources {
		if b.Resources[i].Enabled {
			counts[b.Resources[i].ResourceType]++
		}
	}
	return counts
}

// Origin says where a snapshot came from: a local path or a dbt Cloud run.
type Origin struct {
	Kind          string `json:"kind"` // "path", "dbt_cloud" or "demo"
	Path          string `json:"path,omitempty"`
	Connection    string `json:"connection,omitempty"`
	AccountID     int64  `json:"account_id,omitempty"`
	ProjectID     int64  `json:"project_id,omitempty"`
	EnvironmentID int64  `json:"environment_id,omitempty"`
	JobID         int64  `json:"job_id,omitempty"`
	RunID         int64  `json:"run_id,omitempty"`
}

// Origin kinds.
const (
	OriginPath     = "path"
	OriginDbtCloud = "dbt_cloud"
	OriginDemo     = "demo"
)

// Snapshot is one stored import or sync, kept side by side with earlier ones.
type Snapshot struct {
	ID             int64          `json:"id"`
	Name           string         `json:"name"`
	Origin         Origin         `json:"origin"`
	Project        string         `json:"project"`
	DbtVersion     string         `json:"dbt_version"`
	AdapterType    string         `json:"adapter_type,omitempty"`
	SchemaVersions map[string]int `json:"schema_versions"`
	GeneratedAt    time.Time      `json:"generated_at"`
	InvocationID   string         `json:"invocation_id,omitempty"`
	RunCommand     string         `json:"run_command,omitempty"`
	TakenAt        time.Time      `json:"taken_at"`
	Counts         map[string]int `json:"counts"`
	Warnings       []string       `json:"warnings"`
}
