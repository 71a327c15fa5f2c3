package app_test

import (
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// The relations read in the CTEs dbt injects for ephemeral parents are the
// project's nodes, not relations outside it (QA: hubspot__email_sends's
// joins read stg_hubspot__email_event through two ephemeral models, and
// were listed as outside the project).
func TestReadsThroughEphemeralParentsAreTheProjects(t *testing.T) {
	a := appWith(t, "hubspot-v12-dbt1.8-postgres")
	nc, err := a.ColumnLineage(0, "model.hubspot.hubspot__email_sends")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range nc.Reads {
		if r.Node == "" {
			t.Errorf("read %s.%s taken for a relation outside the project", r.Relation, r.Column)
		}
	}
	if !slices.ContainsFunc(nc.Reads, func(r backend.ColumnSource) bool {
		return r.Node == "model.hubspot_source.stg_hubspot__email_event" && r.Column == "sent_by_event_id"
	}) {
		t.Errorf("reads %+v lack stg_hubspot__email_event.sent_by_event_id, read inside an ephemeral parent's CTE", nc.Reads)
	}
}
