// Package restored puts TMPDIR back as the process started with it, once
// go-graphviz has made its compiled-module cache where package
// graphvizcache pointed it. It imports go-graphviz, so Go initializes it
// after go-graphviz: every binary that renders (the app, and the test
// binaries of the packages that use render) gets its TMPDIR back before
// its own code runs.
package restored

import (
	_ "github.com/goccy/go-graphviz"

	"github.com/lineagedesk/lineagedesk/backend/render/graphvizcache"
)

func init() {
	graphvizcache.RestoreTempDir()
}
