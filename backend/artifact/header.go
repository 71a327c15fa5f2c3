package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Newest schema versions this package knows. Newer ones are read as these,
// with a warning.
const (
	newestManifest   = 12
	newestCatalog    = 1
	newestRunResults = 6
	newestSources    = 3
	// fusionManifestLabel is the made-up version early dbt Fusion previews
	// wrote for what is a v12 manifest (dbt-fusion #462).
	fusionManifestLabel = 20
)

// ErrUnversioned marks an artifact without metadata.dbt_schema_version,
// i.e. one written by dbt 0.18 or older, whose layout we do not read.
var ErrUnversioned = errors.New("artifact has no dbt_schema_version")

// Header is what an artifact's metadata says about it.
type Header struct {
	Kind string // backend.ArtifactManifest, ArtifactCatalog, ArtifactRunResults or ArtifactSources
	// SchemaVersion is the version the file declares (0 when it declares none).
	SchemaVersion int
	// ReadAs is the version the file was parsed as: SchemaVersion, or the
	// newest known one for an unknown newer version, or 12 for Fusion's v20.
	ReadAs       int
	DbtVersion   string
	GeneratedAt  time.Time
	InvocationID string
	ProjectName  string // manifest v10+
	ProjectID    string // manifest: md5 of the project name, when tracking was on
	AdapterType  string // manifest only
}

// Both "…/dbt/manifest/v12.json" and third-party "…/v20/manifest.json" forms.
var (
	schemaKindFirst    = regexp.MustCompile(`(?i)(manifest|catalog|run[-_]results|sources)/v(\d+)(?:\.json|/|$)`)
	schemaVersionFirst = regexp.MustCompile(`(?i)/v(\d+)/(manifest|catalog|run[-_]results|sources)\b`)
)

// parseSchemaURL returns the artifact kind and version in a dbt_schema_version.
func parseSchemaURL(url string) (string, int, bool) {
	kind, num := "", ""
	if m := schemaKindFirst.FindStringSubmatch(url); m != nil {
		kind, num = m[1], m[2]
	} else if m := schemaVersionFirst.FindStringSubmatch(url); m != nil {
		kind, num = m[2], m[1]
	} else {
		return "", 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n > 1000 {
		return "", 0, false
	}
	kind = strings.ReplaceAll(strings.ToLower(kind), "-", "_")
	return kind, n, true
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}

func parseTime(s string) time.Time {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// notAnObject says what a file starting with c is instead of an artifact:
// JSON of another shape (a list, a string ...), or not JSON at all.
func notAnObject(c byte) string {
	if c == '[' || c == '"' || c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n' {
		return "JSON but not an object, as dbt artifacts are"
	}
	return "not JSON"
}

// notAnArtifact is the error of a file that does not start as a JSON
// object: head is what it starts with, after any space and UTF-8 BOM.
func notAnArtifact(name string, head []byte) error {
	// Windows PowerShell's > and Out-File write UTF-16 (dbt writes UTF-8):
	// a brace beside a NUL, after a byte-order mark (read as invalid UTF-8
	// and replaced by then) or not.
	if bytes.Contains(head, []byte("{\x00")) || bytes.Contains(head, []byte("\x00{")) {
		return invalid(nil, "%s is UTF-16 text, not the UTF-8 dbt writes (a PowerShell redirect or Out-File saves UTF-16): copy the file dbt wrote into target/, or save it again as UTF-8", name)
	}
	return invalid(nil, "%s is %s (it starts with %q): pass the .json or .json.gz file dbt wrote into target/", name, notAnObject(head[0]), preview(head))
}

// topLevel splits an artifact file into its top-level members.
func topLevel(data []byte, name string) (map[string][]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	start := skipSpace(data, 0)
	if start >= len(data) {
		return nil, invalid(nil, "%s is empty: a dbt artifact is a JSON object; copy the file again or regenerate it with dbt", name)
	}
	if data[start] != '{' || bytes.HasPrefix(data[start:], []byte("{\x00")) {
		return nil, notAnArtifact(name, data[start:])
	}
	sections := make(map[string][]byte, 24)
	end, err := validEnd(data, start)
	if err == nil {
		err = EachMember(data[start:end], func(key, value []byte) error {
			if _, dup := sections[string(key)]; !dup {
				sections[string(key)] = value
			}
			return nil
		})
	}
	if err == nil && skipSpace(data, end) < len(data) {
		err = badSyntax(skipSpace(data, end), "unexpected data after the top-level object")
	}
	if err != nil {
		return nil, invalid(err, "%s is not valid JSON: copy the file again or regenerate it with dbt", name)
	}
	return sections, nil
}

func preview(b []byte) string {
	if len(b) > 12 {
		b = b[:12]
	}
	return string(b)
}

func invalid(cause error, format string, args ...any) *backend.Error {
	return &backend.Error{Code: backend.EINVALID, Message: fmt.Sprintf(format, args...), Err: cause}
}

// describeKind names an artifact kind in a sentence: "a dbt catalog".
func describeKind(kind string, withDbt bool) string {
	prefix := ""
	if withDbt {
		prefix = "dbt "
	}
	switch kind {
	case backend.ArtifactManifest:
		return "a " + prefix + "manifest"
	case backend.ArtifactCatalog:
		return "a " + prefix + "catalog"
	case backend.ArtifactRunResults:
		return prefix + "run results"
	}
	return prefix + "source freshness results"
}

func newestVersion(kind string) int {
	switch kind {
	case backend.ArtifactManifest:
		return newestManifest
	case backend.ArtifactCatalog:
		return newestCatalog
	case backend.ArtifactRunResults:
		return newestRunResults
	}
	return newestSources
}

// readHeader reads metadata and checks the file is the artifact `want`.
// It returns the warnings the version check produced.
func readHeader(sections map[string][]byte, want, name string) (Header, []string, error) {
	h := Header{Kind: want}
	if md, ok := sections["metadata"]; ok && kindOf(md) != "an object" {
		return h, nil, invalid(nil, "%s: its \"metadata\" is %s, where dbt writes an object: pass the %s.json dbt wrote into target/", name, kindOf(md), want)
	}
	var schemaURL string
	_ = EachMember(sections["metadata"], func(key, value []byte) error {
		switch string(key) {
		case "dbt_schema_version":
			schemaURL = str(value)
		case "dbt_version":
			h.DbtVersion = str(value)
		case "generated_at":
			h.GeneratedAt = parseTime(str(value))
		case "invocation_id":
			h.InvocationID = str(value)
		case "project_name":
			h.ProjectName = str(value)
		case "project_id":
			h.ProjectID = str(value)
		case "adapter_type":
			h.AdapterType = str(value)
		}
		return nil
	})
	if schemaURL == "" {
		return h, nil, unversioned(sections, want, name, h.DbtVersion)
	}
	kind, version, ok := parseSchemaURL(schemaURL)
	if !ok {
		return h, nil, invalid(nil, "%s declares metadata.dbt_schema_version %q, which is not a dbt artifact schema: pass the %s.json dbt wrote into target/", name, schemaURL, want)
	}
	if kind != want {
		return h, nil, invalid(nil, "%s is %s, not %s: pass it as %s.json, and use the %s.json from the same target/ folder here", name, describeKind(kind, true), describeKind(want, false), kind, want)
	}
	h.SchemaVersion, h.ReadAs = version, version
	var warnings []string
	newest := newestVersion(want)
	switch {
	case want == backend.ArtifactManifest && version == fusionManifestLabel:
		h.ReadAs = newestManifest
	case version > newest:
		h.ReadAs = newest
		warnings = append(warnings, fmt.Sprintf("%s declares %s schema v%d, newer than the newest this version of Lineage Desk knows (v%d); it was read as v%d and fields it added are ignored — update Lineage Desk to read them", name, want, version, newest, newest))
	case version < 1:
		return h, nil, invalid(nil, "%s declares %s schema v%d, which does not exist: regenerate the file with dbt", name, want, version)
	}
	if h.GeneratedAt.IsZero() {
		h.GeneratedAt = parseTime(str(sections["generated_at"]))
	}
	return h, warnings, nil
}

// unversioned explains a file without dbt_schema_version: dbt 0.18 or older
// when its layout looks like a dbt artifact, otherwise not an artifact at all.
func unversioned(sections map[string][]byte, want, name, dbtVersion string) error {
	kind := guessUnversionedKind(sections)
	if kind == "" {
		return invalid(nil, "%s is not a dbt artifact (it has no metadata.dbt_schema_version and none of the keys dbt writes): pass the %s.json dbt wrote into target/", name, want)
	}
	writer := "dbt 0.18 or older"
	if dbtVersion != "" {
		writer = "dbt " + dbtVersion
	}
	if writesSchemaVersion(dbtVersion) {
		return invalid(nil, "%s has no metadata.dbt_schema_version, which dbt %s writes in every %s: the file was edited or cut; regenerate it with dbt", name, dbtVersion, strings.ReplaceAll(kind, "_", " "))
	}
	return invalid(ErrUnversioned, "%s was written by %s (it has no metadata.dbt_schema_version), whose %s layout Lineage Desk does not read: regenerate it with dbt 0.19 or newer (dbt docs generate writes manifest.json and catalog.json)", name, writer, strings.ReplaceAll(kind, "_", " "))
}

// writesSchemaVersion reports whether a dbt version (from the metadata)
// writes dbt_schema_version: 0.19 and every later one.
func writesSchemaVersion(dbtVersion string) bool {
	var major, minor int
	if _, err := fmt.Sscanf(dbtVersion, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major > 0 || minor >= 19
}

func guessUnversionedKind(sections map[string][]byte) string {
	_, nodes := sections["nodes"]
	_, macros := sections["macros"]
	_, results := sections["results"]
	switch {
	case nodes && macros:
		return backend.ArtifactManifest
	case nodes:
		return backend.ArtifactCatalog
	case results:
		kind := backend.ArtifactRunResults
		_ = eachElement(sections["results"], func(e []byte) error {
			_ = EachMember(e, func(key, _ []byte) error {
				switch string(key) {
				case "max_loaded_at", "snapshotted_at", "age":
					kind = backend.ArtifactSources
				}
				return nil
			})
			return errStop
		})
		return kind
	}
	return ""
}

var errStop = errors.New("stop")
