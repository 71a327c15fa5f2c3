// Package textdiff diffs two texts line by line: what a node's SQL became
// between two runs.
package textdiff

import "strings"

// Line is one line of a diff: unchanged (' '), removed ('-') or added ('+').
type Line struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// maxCells bounds the longest common subsequence's table (lines before
// times lines after, their common head and tail aside): past it the old
// text is given removed and the new one added.
const maxCells = 4_000_000

// Lines diffs before and after by the longest common subsequence of their
// lines: each line of either, in order, unchanged, removed or added. The
// unchanged and removed lines are before, the unchanged and added after.
func Lines(before, after string) []Line {
	a, b := strings.Split(before, "\n"), strings.Split(after, "\n")
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	out := make([]Line, 0, len(a)+len(b)-head-tail)
	for _, l := range a[:head] {
		out = append(out, Line{" ", l})
	}
	out = middle(out, a[head:len(a)-tail], b[head:len(b)-tail])
	for _, l := range a[len(a)-tail:] {
		out = append(out, Line{" ", l})
	}
	return out
}

func middle(out []Line, x, y []string) []Line {
	n, m := len(x), len(y)
	if n == 0 || m == 0 || n*m > maxCells {
		for _, l := range x {
			out = append(out, Line{"-", l})
		}
		for _, l := range y {
			out = append(out, Line{"+", l})
		}
		return out
	}
	// lcs[i*w+j]: the longest common subsequence of x[i:] and y[j:].
	w := m + 1
	lcs := make([]uint32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			out = append(out, Line{" ", x[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			out = append(out, Line{"-", x[i]})
			i++
		default:
			out = append(out, Line{"+", y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, Line{"-", x[i]})
	}
	for ; j < m; j++ {
		out = append(out, Line{"+", y[j]})
	}
	return out
}

// Counts returns how many lines a diff adds and removes.
func Counts(lines []Line) (added, removed int) {
	for _, l := range lines {
		switch l.Op {
		case "+":
			added++
		case "-":
			removed++
		}
	}
	return added, removed
}
