// Package artifact turns dbt's JSON artifacts (manifest.json, catalog.json,
// run_results.json, sources.json) of every schema version into one
// normalised *backend.Bundle.
//
// Discover finds the files of an import, Load reads (gzip transparently),
// checks and joins them. ParseManifest, ParseCatalog, ParseRunResults and
// ParseSources parse one file each and never panic. Files are split into
// raw sub-slices and only the fields we keep are decoded, so a resource's
// Raw is a view of the file buffer rather than a copy.
package artifact
