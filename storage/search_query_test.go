package storage

import "testing"

func TestFTSQueryFromTypedText(t *testing.T) {
	cases := []struct {
		text, want string
		ok         bool
	}{
		{"cust", `"cust"*`, true},
		{"customer ", `"customer"`, true},
		{"orders c", `"orders"`, true}, // one character after other words: not yet
		{"orders cu", `"orders" AND "cu"*`, true},
		{"c", `"c"*`, true},
		{"orders fct_orders_1", `"orders" AND "fct_orders_"*`, true}, // a one-character token: not yet
		{"orders fct_orders_12", `"orders" AND "fct_orders_12"*`, true},
		{"orders fct_orders_1 ", `"orders" AND "fct_orders_1"`, true},
		{`say "hi" NEAR(`, `"say" AND """hi""" AND "NEAR("*`, true},
		{"  -- ** ", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := ftsQuery(c.text)
		if got != c.want || ok != c.ok {
			t.Errorf("ftsQuery(%q) = %q, %v; want %q, %v", c.text, got, ok, c.want, c.ok)
		}
	}
}

func TestEndsInOneCharToken(t *testing.T) {
	for text, want := range map[string]bool{
		"fct_orders_1": true, "stg.a": true, "a b_c": true, "x__1": true,
		"fct_orders_12": false, "orders": false, "1": false, "_1": false, "fct_orders_1 ": false, "a b": false, "": false,
	} {
		if got := endsInOneCharToken(text); got != want {
			t.Errorf("endsInOneCharToken(%q) = %v, want %v", text, got, want)
		}
	}
}
