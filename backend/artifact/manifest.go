package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Manifest is a parsed manifest.json: every resource it describes, enabled
// ones first-class and disabled ones (Enabled=false) only when no enabled
// resource has the same unique_id.
type Manifest struct {
	Header Header
	// Project is metadata.project_name, or inferred for manifests before v10.
	Project   string
	Resources []backend.Resource // sorted by UniqueID
	Selectors []backend.NamedSelector
	Warnings  []string
}

// manifestSections lists the top-level maps holding resources with the
// resource_type of entries that do not say theirs.
func manifestSections() []struct{ key, defaultType string } {
	return []struct{ key, defaultType string }{
		{"nodes", ""},
		{"sources", backend.TypeSource},
		{"exposures", backend.TypeExposure},
		{"metrics", backend.TypeMetric},
		{"semantic_models", backend.TypeSemanticModel},
		{"saved_queries", backend.TypeSavedQuery},
		{"unit_tests", backend.TypeUnitTest},
		{"macros", backend.TypeMacro},
		{"docs", backend.TypeDoc},
		{"groups", backend.TypeGroup},
		{"functions", backend.TypeFunction},
	}
}

func sectionType(key string) (string, bool) {
	for _, s := range manifestSections() {
		if s.key == key {
			return s.defaultType, true
		}
	}
	return "", false
}

// ParseManifest parses manifest.json of any schema version from v1 to v12
// (including dbt Fusion's). It never panics; bad input is an *backend.Error.
func ParseManifest(data []byte) (*Manifest, error) {
	var resources []backend.Resource
	m, err := readManifest(bytes.NewReader(data), "the manifest", func(r *backend.Resource) error {
		resources = append(resources, *r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(resources, func(a, b backend.Resource) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	m.Resources = resources
	return m, nil
}

// readManifest reads a manifest from r and hands each resource to emit as
// soon as it is complete, in no particular order, so the file is never in
// memory whole. The Manifest it returns has no Resources (a
// manifestReader's known map keeps what the other artifacts need of them).
//
// dbt writes metadata first; then every section is read entry by entry.
// A file whose metadata comes later (or is not a good manifest header) is
// kept whole and read as such at the end, with the same checks in the same
// order. Either way a syntax error anywhere wins over every other problem,
// as when the file was validated whole before being read.
func readManifest(r io.Reader, name string, emit func(*backend.Resource) error) (*Manifest, error) {
	mr := newManifestReader(name, emit)
	return mr.read(r)
}

// manifestReader turns manifest entries into resources as they are read.
type manifestReader struct {
	name     string
	emit     func(*backend.Resource) error
	chunk    int // of its jsonStream
	maxValue int // of its jsonStream
	header   Header
	headerOK bool // metadata came first and is a good manifest header
	warnings []string
	// sections keeps copies of the top-level members read later: all of
	// them while the header is not known to be good, then only "disabled"
	// (read after every enabled resource) and "generated_at".
	sections map[string][]byte
	seen     map[string]bool  // top-level keys met
	known    map[string]known // every kept unique_id
	// pending are the tests whose attached node can only be told once
	// every resource is known.
	pending             []*entry
	skipped, duplicates tally // entries left out: no resource, a unique_id again
	misKeyed            tally // entries whose unique_id is not their key
	odd                 oddFields
	repeatedKeys        []string // top-level keys met more than once
	nodes               int      // entries of "nodes" read, disabled ones aside
	project             projectTally
	// problem is the first error that is not a syntax error: reading goes
	// on, emitting nothing more, so that a syntax error further on wins.
	problem error
}

func newManifestReader(name string, emit func(*backend.Resource) error) *manifestReader {
	return &manifestReader{name: name, emit: emit, chunk: streamChunk, maxValue: maxValueSize, sections: map[string][]byte{}, seen: map[string]bool{},
		known: map[string]known{}, project: newProjectTally()}
}

func (m *manifestReader) read(r io.Reader) (*Manifest, error) {
	s := newJSONStream(r, m.chunk)
	s.maxValue = m.maxValue
	if err := m.members(s); err != nil {
		var ee emitError
		if errors.As(err, &ee) {
			return nil, ee.err
		}
		var big *errValueTooLarge
		if errors.As(s.err, &big) {
			return nil, invalid(nil, "%s holds %s: no dbt artifact does (is it one? a damaged or edited file?); regenerate it with dbt", m.name, big)
		}
		if s.err != nil {
			return nil, s.err
		}
		var be *backend.Error
		if errors.As(err, &be) {
			return nil, err
		}
		return nil, invalid(err, "%s is not valid JSON: copy the file again or regenerate it with dbt", m.name)
	}
	return m.finish()
}

const utf8BOM = "\xef\xbb\xbf"

// members reads the top-level object member by member.
func (m *manifestReader) members(s *jsonStream) error {
	if bytes.HasPrefix(s.rest(len(utf8BOM)), []byte(utf8BOM)) {
		s.pos += len(utf8BOM)
	}
	c, ok := s.peek()
	if !ok {
		if s.err != nil {
			return s.err
		}
		return invalid(nil, "%s is empty: a dbt artifact is a JSON object; copy the file again or regenerate it with dbt", m.name)
	}
	if c != '{' || bytes.HasPrefix(s.rest(2), []byte("{\x00")) {
		return notAnArtifact(m.name, s.rest(12))
	}
	more, err := s.open('{', '}')
	for err == nil && more {
		var key string
		if key, err = s.key(); err != nil {
			break
		}
		if err = m.member(s, key); err != nil {
			break
		}
		more, err = s.next('}')
	}
	if err != nil {
		return err
	}
	if _, ok := s.peek(); ok {
		return s.fileError(badSyntax(s.pos, "unexpected data after the top-level object"))
	}
	return s.err
}

// member reads one top-level member: the header, a section entry by entry,
// or a value to keep or only check.
func (m *manifestReader) member(s *jsonStream, key string) error {
	first := !m.seen[key]
	m.seen[key] = true
	if !first { // as topLevel: the first of duplicate keys counts
		m.repeatedKeys = append(m.repeatedKeys, key)
		_, err := s.value()
		return err
	}
	if key == "metadata" && len(m.seen) == 1 {
		v, err := s.value()
		if err != nil {
			return err
		}
		m.sections[key] = bytes.Clone(v)
		h, warnings, err := readHeader(m.sections, backend.ArtifactManifest, m.name)
		if err == nil {
			m.header, m.warnings, m.headerOK = h, warnings, true
		}
		return nil
	}
	if m.headerOK {
		if defaultType, ok := sectionType(key); ok {
			return m.section(s, key, defaultType)
		}
		if key != "disabled" && key != "generated_at" && key != "selectors" {
			_, err := s.value() // parent_map, child_map, ...: checked, not kept
			return err
		}
	}
	v, err := s.value()
	if err != nil {
		return err
	}
	m.sections[key] = bytes.Clone(v)
	return nil
}

// section reads a map of entries, handing each to entry as it is read.
func (m *manifestReader) section(s *jsonStream, key, defaultType string) error {
	c, _ := s.peek()
	if c != '{' {
		v, err := s.value()
		if err == nil && !isNull(v) {
			m.fail(invalid(errNotObject, "%s: its %q map is malformed: regenerate the manifest with dbt", m.name, key))
		}
		return err
	}
	more, err := s.open('{', '}')
	for err == nil && more {
		var id string
		if id, err = s.key(); err != nil {
			return err
		}
		var v []byte
		if v, err = s.value(); err != nil {
			return err
		}
		if m.problem == nil {
			// The entry's own copy: resources keep slices of it (Raw,
			// Config, ...) after the window has moved on.
			if err := m.entry(id, defaultType, bytes.Clone(v), false); err != nil {
				var ee emitError
				if errors.As(err, &ee) {
					return err
				}
				m.fail(err)
			}
		}
		more, err = s.next('}')
	}
	return err
}

func (m *manifestReader) fail(err error) {
	if m.problem == nil {
		m.problem = err
	}
}

// finish reads what had to wait for the whole file: a manifest kept whole,
// the disabled resources, the tests waiting for their targets.
func (m *manifestReader) finish() (*Manifest, error) {
	if m.problem != nil {
		return nil, m.problem
	}
	if !m.headerOK {
		if err := m.readKept(); err != nil {
			return nil, unwrapEmit(err)
		}
	} else if _, ok := m.sections["nodes"]; !ok && !m.seen["nodes"] {
		return nil, noNodes(m.name)
	}
	if m.header.GeneratedAt.IsZero() {
		m.header.GeneratedAt = parseTime(str(m.sections["generated_at"]))
	}
	var disabled []job
	if err := collectDisabled(m.sections["disabled"], &disabled); err != nil {
		return nil, invalid(err, "%s: its \"disabled\" entry is malformed: regenerate the manifest with dbt", m.name)
	}
	delete(m.sections, "disabled")
	for _, j := range disabled {
		if err := m.entry(j.key, "", j.raw, true); err != nil {
			return nil, unwrapEmit(err)
		}
	}
	for _, e := range m.pending {
		e.Test.AttachedNode = attachedNode(e, m.lookup)
		if err := m.emit(&e.Resource); err != nil {
			return nil, err
		}
	}
	m.pending = nil
	if m.skipped.n > 0 {
		m.warnings = append(m.warnings, fmt.Sprintf("%s: %s skipped, being no resource (not a JSON object, or without unique_id; e.g. the one keyed %s)", m.name, count(m.skipped.n, "entry"), m.skipped.example))
	}
	if m.nodes == 0 {
		m.warnings = append(m.warnings, fmt.Sprintf("%s has no entries in \"nodes\" (empty or null): no models, seeds, snapshots or tests were imported; if the project has some, regenerate the manifest with dbt", m.name))
	}
	m.warnings = append(m.warnings, m.odd.warnings(m.name, "entry")...)
	if len(m.repeatedKeys) > 0 {
		m.warnings = append(m.warnings, fmt.Sprintf("%s has the top-level key %q more than once; the first was read (tools that keep the last may show other data): regenerate the manifest with dbt", m.name, m.repeatedKeys[0]))
	}
	if m.misKeyed.n > 0 {
		m.warnings = append(m.warnings, misKeyedWarning(m.name, m.misKeyed, "dbt"))
	}
	if m.duplicates.n > 0 {
		m.warnings = append(m.warnings, fmt.Sprintf("%s defines %s more than once (e.g. %s); the first definition of each was kept: regenerate the manifest with dbt", m.name, count(m.duplicates.n, "unique_id"), m.duplicates.example))
	}
	out := &Manifest{Header: m.header, Project: m.header.ProjectName}
	out.Selectors, m.warnings = readSelectors(m.sections["selectors"], m.name, m.warnings)
	out.Warnings = m.warnings
	if out.Project == "" {
		out.Project = m.project.infer(m.header.ProjectID)
	}
	return out, nil
}

// readKept reads a manifest whose members were all kept: header first,
// then the sections in a fixed order.
func (m *manifestReader) readKept() error {
	h, warnings, err := readHeader(m.sections, backend.ArtifactManifest, m.name)
	if err != nil {
		return err
	}
	m.header, m.warnings = h, warnings
	if _, ok := m.sections["nodes"]; !ok {
		return noNodes(m.name)
	}
	for _, s := range manifestSections() {
		var entryErr error
		err := EachMember(m.sections[s.key], func(key, value []byte) error {
			entryErr = m.entry(string(key), s.defaultType, value, false)
			return entryErr
		})
		if entryErr != nil {
			return entryErr
		}
		if err != nil {
			return invalid(err, "%s: its %q map is malformed: regenerate the manifest with dbt", m.name, s.key)
		}
	}
	return nil
}

func noNodes(name string) error {
	return invalid(nil, "%s has no \"nodes\": it is not a complete dbt manifest; regenerate it with dbt parse, dbt compile or dbt docs generate", name)
}

// job is a disabled entry waiting to be read: its unique_id (the key it is
// listed under) and its JSON.
type job struct {
	key string
	raw []byte
}

// collectDisabled lists the disabled resources: a list of nodes up to v3, a
// map from unique_id to a list of definitions from v4.
func collectDisabled(v []byte, jobs *[]job) error {
	add := func(key string) func([]byte) error {
		return func(value []byte) error {
			*jobs = append(*jobs, job{key: key, raw: value})
			return nil
		}
	}
	i := skipSpace(v, 0)
	if i < len(v) && v[i] == '[' {
		return eachElement(v, add(""))
	}
	return EachMember(v, func(key, value []byte) error {
		if j := skipSpace(value, 0); j < len(value) && value[j] == '{' {
			return add(string(key))(value)
		}
		return eachElement(value, add(string(key)))
	})
}

// entry decodes one entry and emits it, keeping the first definition of
// each unique_id (every enabled one is read before any disabled one).
func (m *manifestReader) entry(key, defaultType string, raw []byte, disabled bool) error {
	e, err := decodeEntry(raw, key, defaultType)
	if err != nil {
		return invalid(fmt.Errorf("%s: %w", key, err), "%s has a malformed entry: regenerate the manifest with dbt", m.name)
	}
	e.Enabled = !disabled && !e.configDisabled
	if !e.ok || e.UniqueID == "" {
		m.skipped.add(strconv.Quote(key))
		return nil
	}
	for _, o := range e.odd {
		m.odd.note(o.field, o.want, e.UniqueID, o.value, "ignored")
	}
	if key != "" && e.UniqueID != key {
		// dbt keys every entry by its unique_id. An entry that says
		// otherwise is an edit; read, it would stand in for another node
		// (and could make that node its own parent).
		m.misKeyed.add(keyedExample(key, e.UniqueID))
		return nil
	}
	if _, dup := m.known[e.UniqueID]; dup {
		if !disabled {
			m.duplicates.add(e.UniqueID)
		}
		return nil
	}
	if e.RelationName == "" {
		e.RelationName = relationName(&e.Resource, m.header.AdapterType, e.quoting...)
	}
	m.known[e.UniqueID] = knownOf(&e.Resource)
	if defaultType == "" && !disabled {
		m.nodes++
	}
	m.project.add(&e.Resource)
	if e.Test != nil && e.Test.AttachedNode == "" {
		if needsEveryResource(&e) {
			m.pending = append(m.pending, &e)
			return nil
		}
		e.Test.AttachedNode = attachedNode(&e, m.lookup)
	}
	if err := m.emit(&e.Resource); err != nil {
		return emitError{err}
	}
	return nil
}

// emitError is a failure of emit (the store's, or a cancellation): it ends
// the reading at once and is returned as it is.
type emitError struct{ err error }

func (e emitError) Error() string { return e.err.Error() }
func (e emitError) Unwrap() error { return e.err }

func unwrapEmit(err error) error {
	var ee emitError
	if errors.As(err, &ee) {
		return ee.err
	}
	return err
}

func (m *manifestReader) lookup(id string) *known {
	if k, ok := m.known[id]; ok {
		return &k
	}
	return nil
}
