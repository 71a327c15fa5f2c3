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
