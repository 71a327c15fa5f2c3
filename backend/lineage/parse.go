package lineage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// The grammar, as dbt documents it for --select and --exclude:
//
//	expr      = union { "--exclude" union }   (also "--select" to switch back)
//	union     = term { whitespace term }
//	term      = atom { "," atom }             (intersection)
//	atom      = [ "@" ] [ [n] "+" ] [ method ":" ] value [ "+" [n] ]
//
// Quotes ('…' or "…") make their content literal, so names with spaces,
// commas or plus signs can be written ("exposure.pkg.Pulse queries").

// atom is one selector criterion with its graph operators.
type atom struct {
	text     string // as written, for messages
	method   string // "" means the default (path, file or fqn by the value's shape)
	value    string
	parents  int // -1: all ancestors; 0: none; n: n hops
	children int
	at       bool // @X: X, its descendants and all their ancestors
}

func (a atom) hasGraphOperator() bool { return a.parents != 0 || a.children != 0 || a.at }

// term is an intersection of atoms.
type term []atom

func (t term) String() string {
	parts := make([]string, len(t))
	for i, a := range t {
		parts[i] = a.text
	}
	return strings.Join(parts, ",")
}

type parsedExpr struct {
	selects  []term
	excludes []term
}

// NamesSelected returns the values of expr's select criteria that have no
// method (a name, an fqn or a unique_id), graph operators stripped; none
// when expr does not parse.
func NamesSelected(expr string) []string {
	p, err := parseExpr(expr)
	if err != nil {
		return nil
	}
	var names []string
	for _, t := range p.selects {
		for _, a := range t {
			if a.method == "" {
				names = append(names, a.value)
			}
		}
	}
	return names
}

// char is one character of the expression and whether it was quoted.
type char struct {
	r      rune
	quoted bool
}

func invalid(format string, args ...any) error {
	return &backend.Error{Code: backend.EINVALID, Message: fmt.Sprintf(format, args...)}
}

// parseExpr splits expr into select and exclude terms.
func parseExpr(expr string) (*parsedExpr, error) {
	words, err := splitWords(expr)
	if err != nil {
		return nil, err
	}
	p := &parsedExpr{}
	excluding := false
	for _, w := range words {
		if s := plain(w); s == "--exclude" || s == "--select" || s == "-s" {
			excluding = s == "--exclude"
			continue
		}
		t, err := parseTerm(w)
		if err != nil {
			return nil, err
		}
		if excluding {
			p.excludes = append(p.excludes, t)
		} else {
			p.selects = append(p.selects, t)
		}
	}
	if len(p.selects) == 0 {
		return nil, invalid("selector %q selects nothing: write at least one criterion before --exclude, e.g. \"+my_model+\" or \"tag:nightly\"", expr)
	}
	return p, nil
}

// plain returns the word's text when no character was quoted, else "".
func plain(w []char) string {
	var b strings.Builder
	for _, c := range w {
		if c.quoted {
			return ""
		}
		b.WriteRune(c.r)
	}
	return b.String()
}

func splitWords(expr string) ([][]char, error) {
	var words [][]char
	var cur []char
	inWord := false
	var quote rune
	for _, r := range expr {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur = append(cur, char{r, true})
		case r == '"' || r == '\'':
			quote = r
			inWord = true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inWord {
				words = append(words, cur)
				cur, inWord = nil, false
			}
		default:
			cur = append(cur, char{r, false})
			inWord = true
		}
	}
	if quote != 0 {
		return nil, invalid("selector %q has an unclosed %c quote: close it, e.g. 'exposure:\"Pulse queries\"'", expr, quote)
	}
	if inWord {
		words = append(words, cur)
	}
	return words, nil
}

func parseTerm(w []char) (term, error) {
	var t term
	start := 0
	for i := 0; i <= len(w); i++ {
		if i < len(w) && (w[i].quoted || w[i].r != ',') {
			continue
		}
		a, err := parseAtom(w[start:i])
		if err != nil {
			return nil, err
		}
		t = append(t, a)
		start = i + 1
	}
	return t, nil
}

func text(w []char) string {
	var b strings.Builder
	for _, c := range w {
		b.WriteRune(c.r)
	}
	return b.String()
}

func parseAtom(w []char) (atom, error) {
	a := atom{text: text(w)}
	if len(w) == 0 {
		return a, invalid("selector has an empty criterion (two commas in a row, or a comma at an end): remove the extra comma")
	}
	i := 0
	if !w[0].quoted && w[0].r == '@' {
		a.at = true
		i = 1
	}
	// Leading "n+" or "+".
	j := i
	for j < len(w) && !w[j].quoted && w[j].r >= '0' && w[j].r <= '9' {
		j++
	}
	if j < len(w) && !w[j].quoted && w[j].r == '+' {
		a.parents = -1
		if j > i {
			n, err := strconv.Atoi(text(w[i:j]))
			if err != nil {
				return a, invalid("selector %q: depth %q is not a number", a.text, text(w[i:j]))
			}
			a.parents = n
		}
		i = j + 1
	}
	// Trailing "+" or "+n".
	end := len(w)
	k := end
	for k > i && !w[k-1].quoted && w[k-1].r >= '0' && w[k-1].r <= '9' {
		k--
	}
	if k > i && !w[k-1].quoted && w[k-1].r == '+' {
		a.children = -1
		if k < end {
			n, err := strconv.Atoi(text(w[k:end]))
			if err != nil {
				return a, invalid("selector %q: depth %q is not a number", a.text, text(w[k:end]))
			}
			a.children = n
		}
		end = k - 1
	}
	if a.at {
		// dbt takes @2+x and @+x: @ already adds every ancestor of what
		// it adds, so they select what @x does.
		a.parents = 0
	}
	if a.at && a.children != 0 { // dbt refuses it too: "@" prefix and "+" suffix are incompatible
		return a, invalid("selector %q combines @ with a trailing +: @ already includes every descendant, so write %q", a.text, "@"+text(w[i:end]))
	}
	body := w[i:end]
	for n, c := range body {
		if !c.quoted && c.r == ':' {
			a.method = text(body[:n])
			a.value = text(body[n+1:])
			break
		}
	}
	if a.method == "" {
		a.value = text(body)
	} else if err := checkMethod(a); err != nil {
		return a, err
	}
	if a.value == "" {
		return a, invalid("selector %q has no value: write a name or pattern, e.g. \"my_model\", \"tag:nightly\"", a.text)
	}
	return a, nil
}

// methodNames lists the selector methods in the order error messages show them.
var methodNames = []string{
	"fqn", "tag", "path", "file", "package", "source", "exposure", "metric", "semantic_model",
	"saved_query", "unit_test", "resource_type", "config.<key>", "test_name", "test_type",
	"group", "access", "version", "result", "state", "source_status", "selector",
}

func checkMethod(a atom) error {
	if strings.HasPrefix(a.method, "config.") && len(a.method) > len("config.") {
		return nil
	}
	for _, m := range methodNames {
		if m == a.method {
			return nil
		}
	}
	if near := nearest(strings.ToLower(a.method), methodNames); len(near) > 0 {
		return invalid("selector %q uses unknown method %q (did you mean %s?): the methods are %s (or no method, for a name, path or file)",
			a.text, a.method, quoteList(near), strings.Join(methodNames, ", "))
	}
	return invalid("selector %q uses unknown method %q: the methods are %s (or no method, for a name, path or file)",
		a.text, a.method, strings.Join(methodNames, ", "))
}
