package sqlparse

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError is SQL the parser could not find the structure of.
type SyntaxError struct {
	Line   int // 1-based line of the offending token
	Column int // 1-based column of the offending token, in characters
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// position is the 1-based line and column of a byte offset in src; the
// column counts characters, not bytes, as an editor shows them.
func position(src string, offset int) (line, column int) {
	if offset > len(src) {
		offset = len(src)
	}
	line, lineStart := 1, 0
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCountInString(src[lineStart:offset]) + 1
}

// errorAt is a SyntaxError at a byte offset.
func errorAt(src string, offset int, format string, args ...any) *SyntaxError {
	line, col := position(src, offset)
	return &SyntaxError{Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}
