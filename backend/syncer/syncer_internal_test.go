package syncer

import (
	"fmt"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// A run's own broken artifacts let the next runs go on; the store refusing
// the first write stops them whatever its code (QA: a read-only store,
// coded as the user's setting to mend, failed every run one by one).
func TestOfTheRun(t *testing.T) {
	readOnly := backend.Errorf(backend.EINVALID, "the store s.db cannot be written")
	for err, want := range map[error]bool{
		backend.Errorf(backend.EINVALID, "manifest.json: unexpected end"):       true,
		backend.Errorf(backend.ENOTFOUND, "run 9 has no catalog.json"):          true,
		backend.Errorf(backend.EFORBIDDEN, "the token may not read artifacts"):  false,
		backend.Errorf(backend.EUNAVAILABLE, "dbt Cloud could not be reached"):  false,
		fmt.Errorf("sync run 9: %w", backend.Errorf(backend.ECONFLICT, "held")): false,
		storeFailure{fmt.Errorf("sync run 9: record start: %w", readOnly)}:      false,
		fmt.Errorf("sync run 9 of job 2: %w", storeFailure{readOnly}):           false,
	} {
		if got := ofTheRun(err); got != want {
			t.Errorf("ofTheRun(%v) = %v, want %v", err, got, want)
		}
	}
}
