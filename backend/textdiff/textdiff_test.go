package textdiff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/textdiff"
)

func render(lines []textdiff.Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Op + l.Text
	}
	return out
}

// side is the text a diff's lines give back: before without the added
// ones, after without the removed ones.
func side(lines []textdiff.Line, skip string) string {
	var out []string
	for _, l := range lines {
		if l.Op != skip {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

func TestLines(t *testing.T) {
	got := render(textdiff.Lines("select\n  a,\n  b\nfrom t\nwhere x", "select\n  a,\n  c,\n  b\nfrom u\nwhere x"))
	want := []string{" select", "   a,", "+  c,", "   b", "-from t", "+from u", " where x"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if d := textdiff.Lines("a\nb", "a\nb"); len(d) != 2 || d[0].Op != " " || d[1].Op != " " {
		t.Errorf("equal texts: %v", d)
	}
	if got := render(textdiff.Lines("", "a")); fmt.Sprint(got) != fmt.Sprint([]string{"-", "+a"}) {
		t.Errorf("from empty: %q", got)
	}
}

// TestLinesKeepsTheLongestCommonSubsequence: on texts with many repeated
// lines, the diff gives both back whole and keeps as many lines unchanged
// as their longest common subsequence holds (computed here by brute force).
func TestLinesKeepsTheLongestCommonSubsequence(t *testing.T) {
	var a, b []string
	for i := range 14 {
		a = append(a, fmt.Sprint("l", i%5))
	}
	for i := range 12 {
		b = append(b, fmt.Sprint("l", (i*3)%7))
	}
	before, after := strings.Join(a, "\n"), strings.Join(b, "\n")
	d := textdiff.Lines(before, after)
	if side(d, "+") != before || side(d, "-") != after {
		t.Fatalf("the diff does not give the texts back: %q", render(d))
	}
	var lcs func(i, j int) int
	memo := map[[2]int]int{}
	lcs = func(i, j int) int {
		if i == len(a) || j == len(b) {
			return 0
		}
		if v, ok := memo[[2]int{i, j}]; ok {
			return v
		}
		v := max(lcs(i+1, j), lcs(i, j+1))
		if a[i] == b[j] {
			v = max(v, 1+lcs(i+1, j+1))
		}
		memo[[2]int{i, j}] = v
		return v
	}
	added, removed := textdiff.Counts(d)
	if same := len(d) - added - removed; same != lcs(0, 0) {
		t.Errorf("%d lines unchanged, the longest common subsequence holds %d", same, lcs(0, 0))
	}
}

// FuzzLines: any two texts diff without a panic into lines that give them back.
func FuzzLines(f *testing.F) {
	f.Add("select 1\nfrom t", "select 2\nfrom t\nwhere x")
	f.Add("", "\n\n")
	f.Fuzz(func(t *testing.T, before, after string) {
		d := textdiff.Lines(before, after)
		if side(d, "+") != before || side(d, "-") != after {
			t.Fatalf("%q -> %q: %q", before, after, render(d))
		}
	})
}
