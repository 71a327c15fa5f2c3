package artifact

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Thresholds of the "different project" check: a catalog or run_results
// whose unique_ids are mostly unknown to the manifest belongs to another
// project. A few unknown ids are normal (stale files, deleted models).
const (
	foreignShare    = 0.5
	foreignMinCount = 5
)

// Load reads the artifacts in fs (gzip or not), checks that each is the
// artifact its role expects and that they describe the same project, and
// returns them normalised as one bundle.
func Load(ctx context.Context, fs FileSet) (*backend.Bundle, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if fs.Manifest == "" {
		return nil, missingManifest(fs)
	}
	data, err := readArtifact(fs.Manifest)
	if err != nil {
		return nil, fmt.Errorf("import manifest: %w", err)
	}
	m, err := parseManifest(data, fs.Manifest)
	if err != nil {
		return nil, fmt.Errorf("import manifest: %w", err)
	}
	b := &backend.Bundle{
		Meta: backend.BundleMeta{
			Project:        m.Project,
			DbtVersion:     m.Header.DbtVersion,
			AdapterType:    m.Header.AdapterType,
			InvocationID:   m.Header.InvocationID,
			GeneratedAt:    m.Header.GeneratedAt,
			SchemaVersions: map[string]int{backend.ArtifactManifest: m.Header.SchemaVersion},
		},
		Resources: m.Resources,
		Warnings:  m.Warnings,
	}
	index := make(map[string]int, len(b.Resources))
	for i := range b.Resources {
		index[b.Resources[i].UniqueID] = i
	}
	l := loader{bundle: b, index: index, manifest: m.Header, manifestPath: fs.Manifest}

	steps := []struct {
		role, path string
		load       func(data []byte, path string) error
	}{
		{backend.ArtifactCatalog, fs.Catalog, l.catalog},
		{backend.ArtifactRunResults, fs.RunResults, l.runResults},
		{backend.ArtifactSources, fs.Sources, l.sources},
	}
	for _, s := range steps {
		if s.path == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := readArtifact(s.path)
		if err == nil {
			err = s.load(data, s.path)
		}
		if errors.Is(err, ErrUnversioned) {
			var e *backend.Error
			errors.As(err, &e)
			b.Warnings = append(b.Warnings, e.Message+"; it was skipped")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", s.role, err)
		}
	}
	return b, ctx.Err()
}

type loader struct {
	bundle       *backend.Bundle
	index        map[string]int
	manifest     Header
	manifestPath string
}

func (l *loader) resource(id string) *backend.Resource {
	if i, ok := l.index[id]; ok {
		return &l.bundle.Resources[i]
	}
	return nil
}

// checkSameProject refuses an artifact whose ids are mostly unknown to the
// manifest, and otherwise says how many are unknown.
func (l *loader) checkSameProject(path, what string, ids []string) error {
	var unknown []string
	for _, id := range ids {
		if l.resource(id) == nil {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	if len(unknown) > foreignMinCount && float64(len(unknown)) > foreignShare*float64(len(ids)) {
		return invalid(nil, "%s does not belong to the project of %s: %d of its %d %s are not in the manifest (for example %q); use the files of one dbt project and run", path, l.manifestPath, len(unknown), len(ids), what, unknown[0])
	}
	l.bundle.Warnings = append(l.bundle.Warnings, fmt.Sprintf("%s has %d %s the manifest does not know (for example %q); they were kept but link to nothing", path, len(unknown), what, unknown[0]))
	return nil
}

// checkInvocation warns when a file comes from another dbt invocation than
// the manifest: normal for dbt Cloud steps and committed docs folders, but
// worth knowing when results and code disagree.
func (l *loader) checkInvocation(path string, h Header) {
	if h.InvocationID == "" || l.manifest.InvocationID == "" || h.InvocationID == l.manifest.InvocationID {
		return
	}
	l.bundle.Warnings = append(l.bundle.Warnings, fmt.Sprintf("%s comes from another dbt invocation than %s (generated %s, the manifest %s); results may not match the code", path, l.manifestPath, formatTime(h.GeneratedAt), formatTime(l.manifest.GeneratedAt)))
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	return "at " + t.UTC().Format(time.RFC3339)
}

func (l *loader) record(h Header, warnings []string) {
	l.bundle.Meta.SchemaVersions[h.Kind] = h.SchemaVersion
	l.bundle.Warnings = append(l.bundle.Warnings, warnings...)
}

func (l *loader) catalog(data []byte, path string) error {
	c, err := parseCatalog(data, path)
	if err != nil {
		return err
	}
	ids := make([]string, len(c.Tables))
	for i := range c.Tables {
		ids[i] = c.Tables[i].Table.UniqueID
	}
	if err := l.checkSameProject(path, "catalog relations", ids); err != nil {
		return err
	}
	l.record(c.Header, c.Warnings)
	l.checkInvocation(path, c.Header)
	if len(c.Errors) > 0 {
		l.bundle.Warnings = append(l.bundle.Warnings, fmt.Sprintf("%s lists %d errors dbt met while reading the warehouse (first: %s); relations it could not read have no columns", path, len(c.Errors), c.Errors[0]))
	}
	l.bundle.Catalog = make([]backend.CatalogTable, len(c.Tables))
	for i := range c.Tables {
		t := &c.Tables[i]
		l.bundle.Catalog[i] = t.Table
		if r := l.resource(t.Table.UniqueID); r != nil {
			r.Columns = joinColumns(r.Columns, t.Columns)
		}
	}
	return nil
}

func (l *loader) runResults(data []byte, path string) error {
	rr, err := parseRunResults(data, path)
	if err != nil {
		return err
	}
	ids := make([]string, len(rr.Results))
	for i := range rr.Results {
		ids[i] = rr.Results[i].UniqueID
	}
	if err := l.checkSameProject(path, "results", ids); err != nil {
		return err
	}
	l.record(rr.Header, rr.Warnings)
	l.checkInvocation(path, rr.Header)
	outcomes := executesTests(rr.Command)
	for i := range rr.Results {
		res := &rr.Results[i]
		if r := l.resource(res.UniqueID); r != nil {
			res.IsTestOutcome = outcomes && (r.ResourceType == backend.TypeTest || r.ResourceType == backend.TypeUnitTest)
		}
	}
	l.bundle.RunResults = rr.Results
	l.bundle.Meta.RunCommand = rr.Command
	return nil
}

func (l *loader) sources(data []byte, path string) error {
	s, err := parseSources(data, path)
	if err != nil {
		return err
	}
	ids := make([]string, len(s.Results))
	for i := range s.Results {
		ids[i] = s.Results[i].UniqueID
	}
	if err := l.checkSameProject(path, "freshness results", ids); err != nil {
		return err
	}
	l.record(s.Header, s.Warnings)
	l.checkInvocation(path, s.Header)
	l.bundle.Freshness = s.Results
	return nil
}

// maxArtifactSize bounds what a gzip header may make us allocate up front.
const maxArtifactSize = 1 << 30

// readArtifact reads a file, decompressing it when it is gzip (by content,
// not by name).
func readArtifact(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, invalid(err, "cannot read %s: check the path and its permissions", path)
	}
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, invalid(err, "%s is not a valid gzip file: compress it again or pass the plain .json", path)
	}
	// The gzip trailer holds the uncompressed size (mod 4 GiB): size the buffer once.
	size := 4 * len(data)
	if len(data) >= 18 {
		if n := int(binary.LittleEndian.Uint32(data[len(data)-4:])); n <= maxArtifactSize {
			size = n
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := io.Copy(buf, zr); err != nil {
		return nil, invalid(err, "%s is a damaged gzip file: compress it again or pass the plain .json", path)
	}
	return buf.Bytes(), nil
}
