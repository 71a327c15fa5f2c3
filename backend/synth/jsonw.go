package synth

import (
	"bufio"
	"strconv"
)

// jsonWriter streams JSON straight into a bufio.Writer so that a 300 MB
// manifest never exists in memory. It writes dbt's own spacing (Python's
// json.dumps default: ", " and ": ") so the bytes look like real artifacts.
// Write errors are sticky inside bufio.Writer and surface at Flush.
type jsonWriter struct {
	w *bufio.Writer
	// first[i] is true while container depth i has no member yet.
	first []bool
}

func newJSONWriter(w *bufio.Writer) *jsonWriter {
	return &jsonWriter{w: w, first: make([]bool, 0, 16)}
}

// sep writes the comma that precedes every member but the first one.
func (j *jsonWriter) sep() {
	top := len(j.first) - 1
	if top < 0 {
		return
	}
	if j.first[top] {
		j.first[top] = false
		return
	}
	j.w.WriteString(", ")
}

func (j *jsonWriter) open(c byte) {
	j.w.WriteByte(c)
	j.first = append(j.first, true)
}

func (j *jsonWriter) close(c byte) {
	j.first = j.first[:len(j.first)-1]
	j.w.WriteByte(c)
}

// obj starts an object as an array element or top-level value.
func (j *jsonWriter) obj() { j.sep(); j.open('{') }

// arr starts an array as an array element or top-level value.
func (j *jsonWriter) arr()    { j.sep(); j.open('[') }
func (j *jsonWriter) endObj() { j.close('}') }
func (j *jsonWriter) endArr() { j.close(']') }

// key writes `"k": ` for the next object member.
func (j *jsonWriter) key(k string) {
	j.sep()
	j.quote(k)
	j.w.WriteString(": ")
}

// keyObj and keyArr start a member whose value is a container.
func (j *jsonWriter) keyObj(k string) { j.key(k); j.open('{') }
func (j *jsonWriter) keyArr(k string) { j.key(k); j.open('[') }

func (j *jsonWriter) kStr(k, v string)     { j.key(k); j.quote(v) }
func (j *jsonWriter) kInt(k string, v int) { j.key(k); j.w.WriteString(strconv.Itoa(v)) }
func (j *jsonWriter) kBool(k string, v bool) {
	j.key(k)
	j.w.WriteString(strconv.FormatBool(v))
}
func (j *jsonWriter) kNull(k string)         { j.key(k); j.w.WriteString("null") }
func (j *jsonWriter) kRaw(k, rawJSON string) { j.key(k); j.w.WriteString(rawJSON) }

// kFloat writes a float with a fixed number of decimals, as dbt's epoch
// timestamps and durations look (1771626471.029395).
func (j *jsonWriter) kFloat(k string, v float64, decimals int) {
	j.key(k)
	var buf [32]byte
	j.w.Write(strconv.AppendFloat(buf[:0], v, 'f', decimals, 64))
}

// kStrOrNull writes null for an empty string.
func (j *jsonWriter) kStrOrNull(k, v string) {
	if v == "" {
		j.kNull(k)
		return
	}
	j.kStr(k, v)
}

// kStrs writes a list of strings.
func (j *jsonWriter) kStrs(k string, vs []string) {
	j.keyArr(k)
	for _, v := range vs {
		j.str(v)
	}
	j.endArr()
}

// str writes a string as an array element.
func (j *jsonWriter) str(v string) { j.sep(); j.quote(v) }

// raw writes pre-encoded JSON as an array element.
func (j *jsonWriter) raw(rawJSON string) { j.sep(); j.w.WriteString(rawJSON) }

const hexDigits = "0123456789abcdef"

// quote writes s as a JSON string. The generator only emits ASCII, so
// bytes >= 0x80 (valid UTF-8) pass through unchanged.
func (j *jsonWriter) quote(s string) {
	w := j.w
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		w.WriteString(s[start:i])
		switch c {
		case '"':
			w.WriteString(`\"`)
		case '\\':
			w.WriteString(`\\`)
		case '\n':
			w.WriteString(`\n`)
		case '\t':
			w.WriteString(`\t`)
		case '\r':
			w.WriteString(`\r`)
		default:
			w.WriteString(`\u00`)
			w.WriteByte(hexDigits[c>>4])
			w.WriteByte(hexDigits[c&0xf])
		}
		start = i + 1
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}
