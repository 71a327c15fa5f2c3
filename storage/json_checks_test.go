package storage_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/storage"
)

// A store's NULL JSON columns pass their checks in Debian 12's sqlite3
// (3.40, where json_valid(NULL) is 0; QA: PRAGMA integrity_check there
// reported "CHECK constraint failed" for every such row): a store written
// before migration 21 is mended when it opens, and invalid JSON is still
// refused.
func TestJSONChecksLetNullPass(t *testing.T) {
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("Debian's sqlite3 is missing: make deps installs it")
	}
	s, path := openStore(t)
	saveShop(t, s)
	s.Close()
	rewind(t, path, 20)
	db := rawDB(t, path)
	oldChecks := func() int {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%CHECK (json_valid(%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var nulls int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM resources WHERE test_kwargs IS NULL) + (SELECT count(*) FROM run_results WHERE adapter_response IS NULL OR timing IS NULL)`).Scan(&nulls); err != nil || nulls == 0 {
		t.Fatalf("the store holds %d NULL JSON values (%v): nothing to check", nulls, err)
	}
	if n := oldChecks(); n < 5 {
		t.Fatalf("the store before migration 21 has %d tables checking json_valid(col) alone", n)
	}

	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if n := oldChecks(); n != 0 {
		t.Errorf("%d tables still check json_valid(col) alone", n)
	}
	out, err := exec.Command(sqlite3, path, "PRAGMA integrity_check").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("sqlite3's integrity_check: %s (%v)", out, err)
	}
	var embedded string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&embedded); err != nil || embedded != "ok" {
		t.Errorf("integrity_check: %s (%v)", embedded, err)
	}
	if _, err := db.Exec(`UPDATE run_results SET timing = '[{"name":' WHERE rowid = (SELECT min(rowid) FROM run_results)`); err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Errorf("invalid JSON stored: %v", err)
	}
}
