package storage

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestFirstNamedIsTheBeginningOfTheFullOrder: selecting a page among the
// shortest names gives what sorting every candidate would.
func TestFirstNamedIsTheBeginningOfTheFullOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		n := rng.IntN(300)
		candidates := make([]nameCandidate, n)
		for i := range candidates {
			name := "fct" + strings.Repeat("x", rng.IntN(8)) + fmt.Sprint(rng.IntN(50))
			if rng.IntN(20) == 0 {
				name = "fct"
			}
			candidates[i] = nameCandidate{id: int64(rng.IntN(1000)), name: name, exact: name == "fct"}
		}
		all := slices.Clone(candidates)
		slices.SortFunc(all, func(a, b nameCandidate) int {
			if a.exact != b.exact {
				if a.exact {
					return -1
				}
				return 1
			}
			return cmp.Or(cmp.Compare(len(a.name), len(b.name)), strings.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
		})
		page := 1 + rng.IntN(60)
		want := []int64{}
		for _, c := range all[:min(page, len(all))] {
			want = append(want, c.id)
		}
		if got := firstNamed(candidates, page); !slices.Equal(got, want) {
			t.Fatalf("round %d: %d candidates, page %d: %v, want %v", round, n, page, got, want)
		}
	}
}
