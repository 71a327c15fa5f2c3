package backend_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

func TestFolder(t *testing.T) {
	for path, want := range map[string]string{
		"models/staging/stg_orders.sql": "models/staging",
		"stg_orders.sql":                "",
		"./dbt_project.yml":             "", // a hook's: the root, not a folder "."
		"models//marts/orders.sql":      "models/marts",
		"../seeds/raw.csv":              "../seeds", // seed-paths outside the project stay as dbt wrote them
		"":                              "",
	} {
		r := backend.Resource{Path: path}
		if got := r.Folder(); got != want {
			t.Errorf("%q: folder %q, want %q", path, got, want)
		}
	}
}
