package render

import (
	"bytes"
	"encoding/csv"
	"strconv"

	"github.com/lineagedesk/lineagedesk/backend"
)

// impactHeader names the columns of an impact list's CSV.
var impactHeader = []string{"distance", "unique_id", "name", "resource_type", "package", "materialized",
	"relation_name", "path", "access", "group", "owner", "test_status",
	"tests", "tests_pass", "tests_warn", "tests_fail", "tests_error", "tests_skipped"}

// ImpactCSV writes an impact list for spreadsheets, one row per node in
// the order given, named as lists name them (backend.ListedName), its text made safe as the lineage CSV's is (csvCell:
// nothing from the artifacts can start a formula).
func ImpactCSV(rows []backend.ImpactRow) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(impactHeader); err != nil {
		return nil, err
	}
	for _, r := range rows {
		record := []string{strconv.Itoa(r.Distance)}
		for _, text := range []string{r.UniqueID, backend.ListedName(r.UniqueID, r.ResourceType, r.Name, r.Version), r.ResourceType, r.Package, r.Materialized,
			r.RelationName, r.Path, r.Access, r.Group, r.Owner, r.TestStatus} {
			record = append(record, csvCell(text))
		}
		// A docs generate's snapshot has no outcomes: its tests still count.
		tests := r.Tests.Total
		if tests == 0 {
			tests = r.TestsDefined
		}
		for _, n := range []int{tests, r.Tests.Pass, r.Tests.Warn, r.Tests.Fail, r.Tests.Error, r.Tests.Skipped} {
			record = append(record, strconv.Itoa(n))
		}
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
