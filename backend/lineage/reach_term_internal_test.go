package lineage

import (
	"reflect"
	"testing"
)

// A term's String is a selector that parses back to the same term, quotes
// and all: its messages must name what was asked, and Pulse queries
// unquoted is two names.
func TestReachTermStringParsesBack(t *testing.T) {
	for _, expr := range []string{
		`exposure:"Pulse queries"+`,
		`"model.shop.my orders"`,
		`2+"model.shop.a,b"+1`,
		`@"model.shop.it's"`,
		`tag:'say "hi"'`,
		`config.meta.owner:"kim:data"`,
		`+"model.shop.x+y"`,
		`path:"models/my marts/*"`,
		`"2024_orders"+`,
		`tag:nightly+`,
	} {
		term := reachTerm(onlyAtom(t, expr))
		written := term.String()
		if back := reachTerm(onlyAtom(t, written)); !reflect.DeepEqual(back, term) {
			t.Errorf("%s: term %+v writes %s, which reads %+v", expr, term, written, back)
		}
	}
}

func onlyAtom(t *testing.T, expr string) atom {
	t.Helper()
	p, err := parseExpr(expr)
	if err != nil || len(p.selects) != 1 || len(p.selects[0]) != 1 || len(p.excludes) != 0 {
		t.Fatalf("%s parses to %+v (%v), want one atom", expr, p, err)
	}
	return p.selects[0][0]
}
