package artifact

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
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
	var resources []backend.Resource
	b, err := Stream(ctx, fs, func(r *backend.Resource) error {
		resources = append(resources, *r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(resources, func(a, b backend.Resource) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	b.Resources = resources
	return b, nil
}

// emitCheckEvery is how many resources Stream emits between looks at ctx.
const emitCheckEvery = 1000

// Stream reads the artifacts like Load, but hands each resource of the
// manifest to emit as soon as it is read (in no particular order, each
// unique_id once, with its catalog columns joined), so the manifest is
// never in memory whole. It returns the rest of the bundle, without
// Resources. An error of emit is returned as it is; emit must not keep
// the *Resource itself, only what it points to.
func Stream(ctx context.Context, fs FileSet, emit func(*backend.Resource) error) (*backend.Bundle, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if fs.Manifest == "" {
		return nil, missingManifest(fs)
	}
	// The other artifacts are read on their own goroutines while the
	// manifest streams, so the store is not left waiting for them at the
	// end: the catalog before the first resource is handed over (its
	// columns join each resource), the others by the end. Their problems
	// are still reported after the manifest's, in this order.
	catalog := readAsync(fs.Catalog, parseCatalog)
	results := readAsync(fs.RunResults, parseRunResults)
	sources := readAsync(fs.Sources, parseSources)
	var columns map[string][][]CatalogColumn
	catalogOK, emitted := false, 0
	m, reader, err := readManifestFile(fs.Manifest, func(r *backend.Resource) error {
		if emitted++; emitted == 1 {
			c, err := catalog()
			columns, catalogOK = catalogColumns(c), err == nil
		} else if emitted%emitCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if !catalogOK {
			return nil // the import fails anyway: only check the manifest
		}
		for _, cols := range columns[r.UniqueID] {
			r.Columns = joinColumns(r.Columns, cols)
		}
		return emit(r)
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("import manifest: %w", err)
	}
	if m.Project == "" && emitted == 0 {
		// Stored, it would be a snapshot of no project, which every
		// command would take for the latest.
		return nil, backend.Errorf(backend.EINVALID, "import manifest: %s names no project (metadata.project_name) and holds no resources: it is not the manifest of a dbt project; pass the manifest.json dbt wrote into target/", fs.Manifest)
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
		Selectors: m.Selectors,
		Warnings:  m.Warnings,
	}
	l := loader{bundle: b, known: reader.known, manifest: m.Header, manifestPath: fs.Manifest}

	steps := []struct {
		role, path string
		load       func(path string) error
	}{
		{backend.ArtifactCatalog, fs.Catalog, func(path string) error { return then(catalog, path, l.catalog) }},
		{backend.ArtifactRunResults, fs.RunResults, func(path string) error { return then(results, path, l.runResults) }},
		{backend.ArtifactSources, fs.Sources, func(path string) error { return then(sources, path, l.sources) }},
	}
	for _, s := range steps {
		if s.path == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		err := s.load(s.path)
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

// readAsync reads and parses an artifact on another goroutine; the func it
// returns waits for the result. An empty path reads nothing.
func readAsync[T any](path string, parse func(data []byte, path string) (*T, error)) func() (*T, error) {
	var v *T
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if path == "" {
			return
		}
		var data []byte
		if data, err = readArtifact(path); err != nil {
			return
		}
		data, bad := validUTF8(data)
		if v, err = parse(data, path); err == nil && bad > 0 {
			if w, ok := any(v).(interface{ warn(string) }); ok {
				w.warn(notUTF8Warning(path, bad))
			}
		}
	}()
	return func() (*T, error) {
		<-done
		return v, err
	}
}

// then waits for a parsed artifact and loads it into the bundle.
func then[T any](parsed func() (*T, error), path string, load func(v *T, path string) error) error {
	v, err := parsed()
	if err != nil {
		return err
	}
	return load(v, path)
}

// catalogColumns indexes a catalog's columns by unique_id, in file order
// (a relation listed twice joins twice, as it always has).
func catalogColumns(c *Catalog) map[string][][]CatalogColumn {
	if c == nil {
		return nil
	}
	out := make(map[string][][]CatalogColumn, len(c.Tables))
	for i := range c.Tables {
		t := &c.Tables[i]
		out[t.Table.UniqueID] = append(out[t.Table.UniqueID], t.Columns)
	}
	return out
}

type loader struct {
	bundle       *backend.Bundle
	known        map[string]known
	manifest     Header
	manifestPath string
}

func (l *loader) resource(id string) *known {
	if k, ok := l.known[id]; ok {
		return &k
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

// checkInvocation warns when a catalog or run results come from another
// dbt invocation than the manifest: normal for dbt Cloud steps and
// committed docs folders, but worth knowing when results and code
// disagree. It names both invocations, whose times can be the same second.
func (l *loader) checkInvocation(path string, h Header) {
	if h.InvocationID == "" || l.manifest.InvocationID == "" || h.InvocationID == l.manifest.InvocationID {
		return
	}
	l.bundle.Warnings = append(l.bundle.Warnings, fmt.Sprintf("%s comes from another dbt invocation than %s (invocation %s generated %s, the manifest's %s generated %s); results may not match the code",
		path, l.manifestPath, h.InvocationID, formatTime(h.GeneratedAt), l.manifest.InvocationID, formatTime(l.manifest.GeneratedAt)))
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

func (l *loader) catalog(c *Catalog, path string) error {
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
		l.bundle.Catalog[i] = c.Tables[i].Table // the columns joined the resources as they were read
	}
	return nil
}

func (l *loader) runResults(rr *RunResults, path string) error {
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
			res.IsTestOutcome = outcomes && (r.resourceType == backend.TypeTest || r.resourceType == backend.TypeUnitTest)
		}
	}
	l.bundle.RunResults = rr.Results
	l.bundle.Meta.RunCommand = rr.Command
	return nil
}

func (l *loader) sources(s *Sources, path string) error {
	ids := make([]string, len(s.Results))
	for i := range s.Results {
		ids[i] = s.Results[i].UniqueID
	}
	if err := l.checkSameProject(path, "freshness results", ids); err != nil {
		return err
	}
	l.record(s.Header, s.Warnings)
	// No invocation check: `dbt source freshness` is always a dbt
	// invocation of its own, and it checks the data, not the code.
	l.bundle.Freshness = s.Results
	return nil
}

// maxArtifactSize bounds what a gzip header may make us allocate up front.
const maxArtifactSize = 1 << 30

// maxWholeArtifact bounds the catalog, run results and sources, which are
// read whole: the catalog of 50,000 models is some hundreds of MB, and a
// gzip bomb would otherwise take all the memory there is.
const maxWholeArtifact = 2 << 30

// tooLargeArtifact is the error of an artifact past max bytes.
func tooLargeArtifact(path string, max int64) error {
	return invalid(errTooLarge, "%s is larger than %s (uncompressed): no dbt catalog, run results or sources file is; check that it is one", path, sizeText(int(max)))
}

var errTooLarge = errors.New("too large")

// readArtifact reads a file, decompressing it when it is gzip (by content,
// not by name), up to maxWholeArtifact bytes.
func readArtifact(path string) ([]byte, error) { return readArtifactUpTo(path, maxWholeArtifact) }

func readArtifactUpTo(path string, max int64) ([]byte, error) {
	if info, err := os.Stat(path); err == nil && info.Size() > max {
		return nil, tooLargeArtifact(path, max)
	}
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
	n, err := io.Copy(buf, io.LimitReader(zr, max+1))
	if err != nil {
		return nil, invalid(err, "%s is a damaged gzip file: compress it again or pass the plain .json", path)
	}
	if n > max {
		return nil, tooLargeArtifact(path, max)
	}
	return buf.Bytes(), nil
}

// readManifestFile streams a manifest file (gzip or not, by content)
// through readManifest.
func readManifestFile(path string, emit func(*backend.Resource) error) (*Manifest, *manifestReader, error) {
	f, r, err := openStream(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	mr := newManifestReader(path, emit)
	valid := newUTF8Reader(r)
	m, err := mr.read(valid)
	if m != nil && valid.bad > 0 {
		m.Warnings = append(m.Warnings, notUTF8Warning(path, valid.bad))
	}
	return m, mr, err
}

// openStream opens an artifact file for reading as it streams, inflating
// it when it is gzip (by content, not by name); close the file.
func openStream(path string) (*os.File, io.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, invalid(err, "cannot read %s: check the path and its permissions", path)
	}
	br := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = readErrors{br, func(err error) error {
		return invalid(err, "cannot read %s: check the path and its permissions", path)
	}}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, invalid(err, "%s is not a valid gzip file: compress it again or pass the plain .json", path)
		}
		r = readErrors{zr, func(err error) error {
			return invalid(err, "%s is a damaged gzip file: compress it again or pass the plain .json", path)
		}}
	}
	return f, r, nil
}

// ReadHeader reads an artifact's metadata alone, which dbt writes first:
// what run it is from (invocation, generation time; a manifest's project),
// without reading the rest. kind is the artifact the file should be
// (backend.ArtifactManifest...). ok is false when the file does not start
// with its metadata, or it says another kind.
func ReadHeader(path, kind string) (h Header, ok bool, err error) {
	f, r, err := openStream(path)
	if err != nil {
		return h, false, err
	}
	defer f.Close()
	s := newJSONStream(r, 64<<10)
	if more, err := s.open('{', '}'); err != nil || !more {
		return h, false, nil
	}
	key, err := s.key()
	if err != nil || key != "metadata" {
		return h, false, nil
	}
	v, err := s.value()
	if err != nil {
		return h, false, nil
	}
	h, _, err = readHeader(map[string][]byte{"metadata": v}, kind, path)
	return h, err == nil, nil
}

// readErrors gives a reader's failures (not its end) the message to show.
type readErrors struct {
	r    io.Reader
	wrap func(error) error
}

func (r readErrors) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = r.wrap(err)
	}
	return n, err
}

// Source is a FileSet to stream into a store (backend.NewSnapshot.Stream)
// that tells the artifacts' own errors from the store's.
type Source struct {
	files FileSet
	err   error
}

// NewSource returns a Source reading files.
func NewSource(files FileSet) *Source { return &Source{files: files} }

// Stream is Stream of the Source's files.
func (s *Source) Stream(ctx context.Context, emit func(*backend.Resource) error) (*backend.Bundle, error) {
	var emitErr error
	b, err := Stream(ctx, s.files, func(r *backend.Resource) error {
		emitErr = emit(r)
		return emitErr
	})
	if err != nil && emitErr == nil {
		s.err = err
	}
	return b, err
}

// Err is the error the artifacts themselves caused in the last Stream: nil
// when they were read, or when emit (the store) failed first.
func (s *Source) Err() error { return s.err }
