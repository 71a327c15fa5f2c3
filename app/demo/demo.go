// Package demo embeds a small real dbt project's artifacts so a newcomer sees
// real models without any account: the app opens on it when the store is empty.
package demo

import (
	"embed"
	"io/fs"
)

//go:embed jaffle_shop
var files embed.FS

// Source is the embedded demo project; it satisfies app.DemoSource.
type Source struct{}

// Name is the snapshot name the demo project is imported under.
func (Source) Name() string { return "Demo: jaffle_shop (dbt 1.12)" }

// Files returns the demo's artifact files (manifest.json.gz, catalog.json.gz,
// run_results.json.gz) at the root of the returned file system.
func (Source) Files() fs.FS {
	sub, err := fs.Sub(files, "jaffle_shop")
	if err != nil {
		// fs.Sub fails only on an invalid path, and this one is a constant.
		panic(err)
	}
	return sub
}
