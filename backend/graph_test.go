package backend_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

func TestListedName(t *testing.T) {
	for _, c := range []struct{ id, typ, name, version, want string }{
		{"source.p.shopify.orders", "source", "orders", "", "shopify.orders"},
		{"source.p.shop.raw.orders", "source", "raw.orders", "", "shop.raw.orders"}, // a table name with a dot
		{"model.p.customers.v2", "model", "customers", "2", "customers v2"},
		{"model.p.customers", "model", "customers", "", "customers"},
		{"exposure.p.customers", "exposure", "customers", "", "customers"},
		{"source.odd", "source", "odd", "", "odd"}, // not dbt's shape: its name
	} {
		if got := backend.ListedName(c.id, c.typ, c.name, c.version); got != c.want {
			t.Errorf("ListedName(%s) = %q, want %q", c.id, got, c.want)
		}
	}
}
