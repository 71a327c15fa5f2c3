package lineage

import (
	"math/rand/v2"
	"testing"
)

// TestBoundedDistance: the banded distance equals the full one wherever it
// is at most k, and says k+1 everywhere else, on strings of a small
// alphabet (so that distances of every size occur) and on the cases at
// the band's edges.
func TestBoundedDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, rng.IntN(14))
		for i := range b {
			b[i] = "ab_c"[rng.IntN(4)]
		}
		return string(b)
	}
	var rows []int
	check := func(a, b string, k int) {
		want := min(editDistance(a, b), k+1)
		if got := boundedDistance(a, b, k, &rows); got != want {
			t.Fatalf("boundedDistance(%q, %q, %d) = %d, want %d", a, b, k, got, want)
		}
	}
	for range 20000 {
		a, b := word(), word()
		for k := range 8 {
			check(a, b, k)
		}
	}
	for _, c := range [][2]string{{"", ""}, {"", "abc"}, {"abc", ""}, {"kitten", "sitting"}, {"orders", "fct_orders"}, {"abcdef", "fedcba"}} {
		for k := range 8 {
			check(c[0], c[1], k)
			check(c[1], c[0], k)
		}
	}
}
