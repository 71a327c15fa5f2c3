package render

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
)

// The JSON export of a big selection is mostly nodes and edges; writing
// them by hand is four times quicker than encoding/json's reflection
// (thousands of nodes on a one-off CLI call), and the output is byte for
// byte what encoding/json writes for the same structs (json_test.go).

type jsonAppender interface {
	appendJSON(out []byte) []byte
}

func (n *jsonNode) appendJSON(out []byte) []byte {
	out = appendField(out, '{', "unique_id", n.UniqueID)
	out = appendField(out, ',', "resource_type", n.ResourceType)
	out = appendField(out, ',', "name", n.Name)
	out = appendField(out, ',', "package", n.Package)
	for _, f := range [...]struct{ key, value string }{{"path", n.Path}, {"database", n.Database},
		{"schema", n.Schema}, {"relation_name", n.RelationName}, {"materialized", n.Materialized}, {"version", n.Version}} {
		if f.value != "" {
			out = appendField(out, ',', f.key, f.value)
		}
	}
	if len(n.Tags) > 0 {
		out = appendStrings(append(out, `,"tags":`...), n.Tags)
	}
	if n.RunStatus != "" {
		out = appendField(out, ',', "run_status", n.RunStatus)
	}
	if n.ExecutionTime != nil {
		out = appendJSONFloat(append(out, `,"execution_time":`...), *n.ExecutionTime)
	}
	if n.TestStatus != "" {
		out = appendField(out, ',', "test_status", n.TestStatus)
	}
	if len(n.StateChange) > 0 {
		out = appendStrings(append(out, `,"state_change":`...), n.StateChange)
	}
	out = appendSummary(append(out, `,"test_summary":`...), n.TestSummary)
	if n.TestsBefore != nil {
		out = appendSummary(append(out, `,"tests_before":`...), *n.TestsBefore)
	}
	if n.TestTrend != "" {
		out = appendField(out, ',', "test_trend", n.TestTrend)
	}
	if n.Health != nil {
		out = appendField(append(out, `,"health":`...), '{', "state", n.Health.State)
		if len(n.Health.Reasons) > 0 {
			out = appendStrings(append(out, `,"reasons":`...), n.Health.Reasons)
		}
		out = append(out, '}')
	}
	if n.Focus {
		out = append(out, `,"focus":true`...)
	}
	if n.NodeColor != "" {
		out = appendField(out, ',', "node_color", n.NodeColor)
	}
	return append(out, '}')
}

// appendJSONFloat appends f as encoding/json writes it: shortest decimal,
// exponent form only outside [1e-6, 1e21).
func appendJSONFloat(out []byte, f float64) []byte {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) || math.IsNaN(f) || math.IsInf(f, 0) {
		b, err := json.Marshal(f)
		if err != nil { // NaN and infinities: no run reports them
			return append(out, '0')
		}
		return append(out, b...)
	}
	return strconv.AppendFloat(out, f, 'f', -1, 64)
}

// appendStrings appends a JSON list of strings.
func appendStrings(out []byte, list []string) []byte {
	out = append(out, '[')
	for i, s := range list {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendJSONString(out, s)
	}
	return append(out, ']')
}

func (e *jsonEdge) appendJSON(out []byte) []byte {
	out = appendField(out, '{', "from", e.From)
	out = appendField(out, ',', "to", e.To)
	if e.Count != 0 {
		out = strconv.AppendInt(append(out, `,"count":`...), int64(e.Count), 10)
	}
	if e.Change != "" {
		out = appendField(out, ',', "change", e.Change)
	}
	return append(out, '}')
}

func appendSummary(out []byte, s backend.TestSummary) []byte {
	for i, f := range [...]struct {
		key string
		n   int
	}{{"total", s.Total}, {"pass", s.Pass}, {"warn", s.Warn}, {"fail", s.Fail}, {"error", s.Error}, {"skipped", s.Skipped}} {
		if i == 0 {
			out = append(out, '{')
		} else {
			out = append(out, ',')
		}
		out = append(append(append(out, '"'), f.key...), `":`...)
		out = strconv.AppendInt(out, int64(f.n), 10)
	}
	return append(out, '}')
}

func appendField(out []byte, sep byte, key, value string) []byte {
	out = append(append(append(out, sep, '"'), key...), `":`...)
	return appendJSONString(out, value)
}

// appendJSONString quotes s as encoding/json does: control characters,
// quotes and backslashes escaped, <, > and & as \u escapes (HTML-safe),
// U+2028 and U+2029 escaped, and invalid UTF-8 as U+FFFD.
func appendJSONString(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			out = append(out, s[start:i]...)
			switch c {
			case '"', '\\':
				out = append(out, '\\', c)
			case '\n':
				out = append(out, '\\', 'n')
			case '\r':
				out = append(out, '\\', 'r')
			case '\t':
				out = append(out, '\\', 't')
			case '\b':
				out = append(out, '\\', 'b')
			case '\f':
				out = append(out, '\\', 'f')
			default:
				out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			out = append(append(out, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			out = append(append(out, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(out, s[start:]...), '"')
}
