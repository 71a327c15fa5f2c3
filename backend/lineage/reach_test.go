package lineage_test

import (
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

func TestPlanReach(t *testing.T) {
	for _, c := range []struct {
		expr  string
		opts  lineage.SelectOptions
		want  []backend.ReachTerm // nil: declined
		tests bool                // the part must keep tests: the selector shows them
	}{
		{expr: "+orders+", want: []backend.ReachTerm{{Value: "orders", Bare: true, Parents: -1, Children: -1}}},
		{expr: "2+orders+1 stg_customers", want: []backend.ReachTerm{
			{Value: "orders", Bare: true, Parents: 2, Children: 1}, {Value: "stg_customers", Bare: true}}},
		{expr: "model.shop.orders+", want: []backend.ReachTerm{{Value: "model.shop.orders", Children: -1}}},
		{expr: "+orders+", opts: lineage.SelectOptions{IncludeTests: true},
			want: []backend.ReachTerm{{Value: "orders", Bare: true, Parents: -1, Children: -1}}},
		{expr: "@orders tag:a --exclude @stg_orders", want: []backend.ReachTerm{
			{Value: "stg_orders", Bare: true, At: true},
			{Value: "orders", Bare: true, At: true},
			{Value: "a", Method: "tag", Attribute: lineage.AttributeTags}}},
		{expr: "tag:nightly+ config.materialized:view", want: []backend.ReachTerm{
			{Value: "nightly", Method: "tag", Attribute: lineage.AttributeTags, Children: -1},
			{Value: "view", Method: "config.materialized", Attribute: lineage.AttributeMaterialized}}},
		{expr: "2+path:models/marts/*", want: []backend.ReachTerm{
			{Value: "models/marts/*", Method: "path", Attribute: lineage.AttributePath, Parents: 2}}},
		{expr: "version:latest+"},  // reads the version and the model's siblings
		{expr: "test_name:unique"}, // tests and unit tests
		{expr: "config.severity:warn", tests: true, want: []backend.ReachTerm{ // asks for tests
			{Value: "warn", Method: "config.severity", Attribute: lineage.AttributeConfig}}},
		{expr: "config.meta.owner:kim+", want: []backend.ReachTerm{
			{Value: "kim", Method: "config.meta.owner", Attribute: lineage.AttributeConfig, Children: -1}}},
		{expr: "config..owner:kim"}, // an empty key: the whole graph says so
		// Tests shown: the part holds every parent of its tests (storage's
		// Reach), which an exclude's or an intersected criterion's indirect
		// selection looks at.
		{expr: "+orders+ --exclude stg_orders", opts: lineage.SelectOptions{IncludeTests: true},
			want: []backend.ReachTerm{{Value: "stg_orders", Bare: true}, {Value: "orders", Bare: true, Parents: -1, Children: -1}}},
		{expr: "+orders,tag:a", opts: lineage.SelectOptions{IncludeTests: true},
			want: []backend.ReachTerm{{Value: "orders", Bare: true, Parents: -1}}},
		{expr: "+orders,stg_orders", want: []backend.ReachTerm{{Value: "orders", Bare: true, Parents: -1}}},
		{expr: "tag:nightly,+orders", want: []backend.ReachTerm{{Value: "orders", Bare: true, Parents: -1}}},
		{expr: "+orders,stg_orders+"},  // two expansions: a path between may leave the part
		{expr: "@orders,+tag:nightly"}, // two expansions
		{expr: "+orders,version:latest"},
		{expr: "+orders --exclude stg_orders tag:old+", want: []backend.ReachTerm{
			{Value: "stg_orders", Bare: true},
			{Value: "old", Method: "tag", Attribute: lineage.AttributeTags, Children: -1},
			{Value: "orders", Bare: true, Parents: -1}}},
		{expr: "+orders --exclude stg_orders,tag:old"}, // an intersection may warn differently on a part
		{expr: "'Pulse queries'+"},
		{expr: "exposure.shop.Pulse queries"},
		{expr: "+exposure:weekly_* source:raw.orders+1", want: []backend.ReachTerm{
			{Value: "weekly_*", Method: "exposure", ResourceType: backend.TypeExposure, Parents: -1},
			{Value: "raw.orders", Method: "source", ResourceType: backend.TypeSource, Children: 1}}},
		{expr: "resource_type:seed+", want: []backend.ReachTerm{
			{Value: "seed", Method: "resource_type", ResourceType: backend.TypeSeed, Children: -1}}},
		{expr: "resource_type:test+", tests: true, want: []backend.ReachTerm{ // shows tests
			{Value: "test", Method: "resource_type", ResourceType: backend.TypeTest, Children: -1}}},
		{expr: "unit_test:checks_orders test_type:generic", tests: true, want: []backend.ReachTerm{
			{Value: "checks_orders", Method: "unit_test", ResourceType: backend.TypeUnitTest},
			{Value: "generic", Method: "test_type", ResourceType: backend.TypeTest}}},
		{expr: "+orders --exclude test_type:unit", want: []backend.ReachTerm{ // an exclude shows none
			{Value: "unit", Method: "test_type", ResourceType: backend.TypeUnitTest},
			{Value: "orders", Bare: true, Parents: -1}}},
		{expr: "resource_type:tables+"}, // not a type: the whole graph says so
		{expr: "test_type:fuzzy"},
		{expr: "+exposure:weekly,source:raw", want: []backend.ReachTerm{
			{Value: "weekly", Method: "exposure", ResourceType: backend.TypeExposure, Parents: -1}}},
	} {
		q, ok := lineage.PlanReach(c.expr, c.opts)
		if c.want == nil {
			if ok {
				t.Errorf("PlanReach(%q) = %+v, want declined", c.expr, q)
			}
			continue
		}
		if !ok || !reflect.DeepEqual(q.Terms, c.want) || q.Tests != (c.opts.IncludeTests || c.tests) {
			t.Errorf("PlanReach(%q) = %+v, %v; want %+v", c.expr, q.Terms, ok, c.want)
		}
	}
}
