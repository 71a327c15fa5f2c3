package artifact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file splits JSON into sub-slices of the input without decoding or
// copying it. Manifests reach tens of megabytes; walking an object's members
// as raw slices and decoding only the fields we keep is several times faster
// than encoding/json's reflection and keeps Resource.Raw a view of the file.

// syntaxError is malformed JSON at an offset of the slice being scanned.
type syntaxError struct {
	offset    int
	msg       string
	truncated bool // the input ended inside a value
}

func (e *syntaxError) Error() string {
	if e.truncated {
		return fmt.Sprintf("the JSON ends unexpectedly at byte %d (the file looks truncated)", e.offset)
	}
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.offset, e.msg)
}

func truncatedAt(off int) error { return &syntaxError{offset: off, truncated: true} }

func badSyntax(off int, format string, args ...any) error {
	return &syntaxError{offset: off, msg: fmt.Sprintf(format, args...)}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the index just past the closing quote of the string that
// starts at data[i] (a '"'), and whether the string contains escapes.
func stringEnd(data []byte, i int) (int, bool, error) {
	escaped := false
	j := i + 1
	for {
		q := bytes.IndexByte(data[j:], '"')
		if q < 0 {
			return 0, false, truncatedAt(len(data))
		}
		end := j + q
		if bytes.IndexByte(data[j:end], '\\') >= 0 {
			escaped = true
			backslashes := 0
			for k := end - 1; k > i && data[k] == '\\'; k-- {
				backslashes++
			}
			if backslashes%2 == 1 { // the quote is escaped: keep looking
				j = end + 1
				continue
			}
		}
		return end + 1, escaped, nil
	}
}

func isLiteralByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.'
}

// valueEnd returns the index just past the JSON value starting at data[i].
// Containers are checked for balanced brackets only; whatever is decoded
// later is checked again by its decoder.
func valueEnd(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, truncatedAt(len(data))
	}
	switch c := data[i]; {
	case c == '"':
		end, _, err := stringEnd(data, i)
		return end, err
	case c == '{' || c == '[':
		return containerEnd(data, i)
	case isLiteralByte(c):
		j := i
		for j < len(data) && isLiteralByte(data[j]) {
			j++
		}
		return j, nil
	default:
		return 0, badSyntax(i, "unexpected character %q", c)
	}
}

// maxNesting is the deepest a value may nest. dbt writes a few levels;
// SQLite, which keeps configs and metas as JSON, refuses more than 1000
// (json_valid), which a hand-made file could reach and fail the import at
// its end with no word of where.
const maxNesting = 512

func containerEnd(data []byte, i int) (int, error) {
	var closers [64]byte
	stack := closers[:0]
	for j := i; j < len(data); j++ {
		switch c := data[j]; c {
		case '"':
			end, _, err := stringEnd(data, j)
			if err != nil {
				return 0, err
			}
			j = end - 1
		case '{', '[':
			if len(stack) == maxNesting {
				return 0, badSyntax(j, "a value nests deeper than %d levels (dbt writes a few): the file is not dbt's as written", maxNesting)
			}
			stack = append(stack, c+2) // '}' and ']' are 2 past their openers
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return 0, badSyntax(j, "unexpected %q", c)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, truncatedAt(len(data))
}

var errNotObject = errors.New("not a JSON object")

// EachMember calls fn with each member of the JSON object in data, in order.
// key is the raw key (unescaped only when it had escapes) and value a
// sub-slice of data. A null data is an empty object.
func EachMember(data []byte, fn func(key, value []byte) error) error {
	i := skipSpace(data, 0)
	if i >= len(data) || isNull(data[i:]) { // absent or null: no members
		return nil
	}
	if data[i] != '{' {
		return errNotObject
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return nil
	}
	for {
		if i >= len(data) {
			return truncatedAt(i)
		}
		if data[i] != '"' {
			return badSyntax(i, "expected a key, found %q", data[i])
		}
		keyEnd, escaped, err := stringEnd(data, i)
		if err != nil {
			return err
		}
		key := data[i+1 : keyEnd-1]
		if escaped {
			key = []byte(unquote(data[i:keyEnd]))
		}
		i = skipSpace(data, keyEnd)
		if i >= len(data) {
			return truncatedAt(i)
		}
		if data[i] != ':' {
			return badSyntax(i, "expected ':' after a key")
		}
		i = skipSpace(data, i+1)
		end, err := valueEnd(data, i)
		if err != nil {
			return err
		}
		if err := fn(key, data[i:end]); err != nil {
			return err
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return truncatedAt(i)
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return nil
		default:
			return badSyntax(i, "expected ',' or '}' after a value")
		}
	}
}

// eachElement calls fn with each element of the JSON array in data. A null
// or non-array data has no elements.
func eachElement(data []byte, fn func(value []byte) error) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return nil
	}
	for {
		end, err := valueEnd(data, i)
		if err != nil {
			return err
		}
		if err := fn(data[i:end]); err != nil {
			return err
		}
		i = skipSpace(data, end)
		if i >= len(data) {
			return truncatedAt(i)
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return nil
		default:
			return badSyntax(i, "expected ',' or ']' in an array")
		}
	}
}

func isNull(v []byte) bool { return len(v) >= 4 && string(v[:4]) == "null" }

// isEmptyValue is true for null, {}, [] and "": values we treat as absent.
func isEmptyValue(v []byte) bool {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || isNull(v) {
		return true
	}
	if len(v) >= 2 && (v[0] == '{' || v[0] == '[' || v[0] == '"') {
		return len(bytes.TrimSpace(v[1:len(v)-1])) == 0
	}
	return false
}

// rawOrNil returns v unless it is an empty value.
func rawOrNil(v []byte) json.RawMessage {
	if isEmptyValue(v) {
		return nil
	}
	return v
}

// unquote decodes a JSON string literal with escapes (v includes the
// quotes). SQL bodies are full of \n, so this is on the hot path and avoids
// encoding/json's extra validation pass. Broken \u escapes yield U+FFFD.
func unquote(v []byte) string {
	if len(v) < 2 {
		return ""
	}
	v = v[1 : len(v)-1]
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); {
		j := bytes.IndexByte(v[i:], '\\')
		if j < 0 {
			out = append(out, v[i:]...)
			break
		}
		out = append(out, v[i:i+j]...)
		i += j + 1
		if i >= len(v) {
			break
		}
		c := v[i]
		i++
		switch c {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'u':
			r, n := hexRune(v[i:])
			i += n
			if utf16.IsSurrogate(r) {
				if len(v) >= i+2 && v[i] == '\\' && v[i+1] == 'u' {
					if r2, n2 := hexRune(v[i+2:]); n2 == 4 {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							i += 2 + n2
						}
					}
				}
				if utf16.IsSurrogate(r) {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default: // \" \\ \/ and anything invalid: the character itself
			out = append(out, c)
		}
	}
	return string(out)
}

// hexRune reads the 4 hex digits of a \u escape.
func hexRune(v []byte) (rune, int) {
	if len(v) < 4 {
		return utf8.RuneError, len(v)
	}
	var r rune
	for _, c := range v[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return utf8.RuneError, 4
		}
	}
	return r, 4
}

// str decodes a JSON value permissively as a string: strings as themselves,
// numbers in canonical form (2, 2.0 and "2" all become "2"), booleans as
// true/false, anything else (null, objects, arrays) as "".
func str(v []byte) string {
	// The scanner hands over exact value spans, but a span with trailing
	// whitespace must not turn `"" ` into a quote character.
	v = bytes.TrimRight(v, " \t\r\n")
	if len(v) == 0 {
		return ""
	}
	switch c := v[0]; {
	case c == '"':
		if len(v) < 2 {
			return ""
		}
		inner := v[1 : len(v)-1]
		if bytes.IndexByte(inner, '\\') < 0 {
			return string(inner)
		}
		return unquote(v)
	case c == '-' || c >= '0' && c <= '9':
		return canonicalNumber(v)
	case c == 't' && string(v) == "true", c == 'f' && string(v) == "false":
		return string(v)
	}
	return ""
}

func canonicalNumber(v []byte) string {
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return ""
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// versionString is str for version/latest_version: numbers and strings
// compare equal, and a string holding a number is canonicalised too.
func versionString(v []byte) string {
	s := str(v)
	if s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
		if n := canonicalNumber([]byte(s)); n != "" {
			return n
		}
	}
	return s
}

func boolean(v []byte) bool { return string(v) == "true" }

func number(v []byte) float64 {
	if len(v) > 0 && v[0] == '"' {
		v = []byte(str(v))
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0
	}
	return f
}

// strs decodes a string or a list of strings (config.tags, owner.email, ...);
// empty strings are dropped.
func strs(v []byte) []string {
	if len(v) == 0 {
		return nil
	}
	if v[0] != '[' {
		if s := str(v); s != "" {
			return []string{s}
		}
		return nil
	}
	var out []string
	_ = eachElement(v, func(e []byte) error {
		if s := str(e); s != "" {
			out = append(out, s)
		}
		return nil
	})
	return out
}
