package sqlparse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// lexer splits a statement into tokens, dropping whitespace and comments,
// and pairs up the brackets so the parser can look past a bracketed group
// without reading it.
type lexer struct {
	src  string
	opts lexOptions
	toks []token
	open []int32 // indices of the opening brackets not closed yet
}

// lex returns the tokens of src, ending with a tokEOF token.
func lex(src string, opts lexOptions) ([]token, error) {
	l := &lexer{src: src, opts: opts, toks: make([]token, 0, len(src)/4+16)}
	if err := l.run(); err != nil {
		return nil, err
	}
	n := int32(len(src))
	l.toks = append(l.toks, token{kind: tokEOF, start: n, end: n, pair: -1})
	return l.toks, nil
}

// run reads l.src into l.toks.
func (l *lexer) run() error {
	src := l.src
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && byteAt(src, i+1) == '-',
			c == '#' && l.opts.hashComments,
			c == '/' && byteAt(src, i+1) == '/' && l.opts.slashComments:
			i = lineEnd(src, i)
		case c == '/' && byteAt(src, i+1) == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return errorAt(src, i, "unterminated comment")
			}
			i += 2 + end + 2
		case isASCIILetter(c) || c == '_':
			var err error
			if i, err = l.word(i); err != nil {
				return err
			}
		case c >= '0' && c <= '9', c == '.' && isDigit(byteAt(src, i+1)) && !l.afterOperand():
			end := numberEnd(src, i, l.opts.numberSuffixes)
			l.add(tokNumber, i, end)
			i = end
		case c == '\'':
			var err error
			if i, err = l.stringLiteral(i, i, l.opts.backslashEscapes); err != nil {
				return err
			}
		case c == '"' && l.opts.doubleQuotedStrings:
			var err error
			if i, err = l.stringLiteral(i, i, l.opts.backslashEscapes); err != nil {
				return err
			}
		case c == '"' || c == '`':
			var err error
			if i, err = l.quotedIdent(i); err != nil {
				return err
			}
		case c == '$':
			var err error
			if i, err = l.dollar(i); err != nil {
				return err
			}
		case c == '@' && (isIdentStart(src, i+1) || byteAt(src, i+1) == '@' && isIdentStart(src, i+2)):
			// @param, @@system_variable (BigQuery, SQL Server, MySQL).
			j := i + 1
			if src[j] == '@' {
				j++
			}
			end := identEnd(src, j)
			l.add(tokParam, i, end)
			i = end
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(src[i:])
			switch {
			case unicode.IsSpace(r) || r == '\uFEFF': // a byte order mark too
				i += size
			case unicode.IsLetter(r):
				var err error
				if i, err = l.word(i); err != nil {
					return err
				}
			default:
				l.add(tokOp, i, i+size)
				i += size
			}
		default:
			i = l.punctuation(i)
		}
	}
	return nil
}

// add appends a token of src[start:end], pairing brackets.
func (l *lexer) add(kind tokenKind, start, end int) {
	l.addText(kind, start, end, l.src[start:end])
}

func (l *lexer) addText(kind tokenKind, start, end int, text string) {
	t := token{kind: kind, start: int32(start), end: int32(end), pair: -1, text: text}
	if kind == tokWord {
		t.kw = lookupKeyword(text)
	}
	idx := int32(len(l.toks))
	switch kind {
	case tokLParen, tokLBracket, tokLBrace:
		l.open = append(l.open, idx)
	case tokRParen, tokRBracket, tokRBrace:
		// A closer pairs with the innermost open bracket when it is of
		// its kind; a mismatched one stays unpaired, and the parser
		// reports it where it stands.
		if n := len(l.open); n > 0 && l.toks[l.open[n-1]].kind == kind-1 {
			t.pair = l.open[n-1]
			l.toks[l.open[n-1]].pair = idx
			l.open = l.open[:n-1]
		}
	}
	l.toks = append(l.toks, t)
}

// afterOperand reports whether the previous token ends an operand, so that a
// "." next is a qualifier's dot rather than the start of a number (t.5 is
// not valid SQL, but .5 after an operator is a number).
func (l *lexer) afterOperand() bool {
	if len(l.toks) == 0 {
		return false
	}
	switch l.toks[len(l.toks)-1].kind {
	case tokWord, tokQuoted, tokRParen, tokRBracket:
		return true
	}
	return false
}

// word reads an identifier or keyword at i, or a string with a prefix
// (E'..', r'..', b'..', N'..', X'..', U&'..').
func (l *lexer) word(i int) (int, error) {
	src := l.src
	end := identEnd(src, i)
	if end < len(src) && end-i <= 2 {
		if q := src[end]; q == '\'' || q == '"' && l.opts.prefixedStrings {
			if backslash, ok := l.stringPrefix(src[i:end]); ok {
				return l.stringLiteral(i, end, backslash)
			}
		}
		if end-i == 1 && (src[i] == 'u' || src[i] == 'U') && byteAt(src, end) == '&' && byteAt(src, end+1) == '\'' {
			return l.stringLiteral(i, end+1, false)
		}
	}
	l.add(tokWord, i, end)
	return end, nil
}

// stringPrefix reports whether p, right before a quote, makes it a prefixed
// string, and whether backslashes escape inside it.
func (l *lexer) stringPrefix(p string) (backslash, ok bool) {
	switch strings.ToLower(p) {
	case "n", "x":
		return l.opts.backslashEscapes, true
	case "e":
		return true, !l.opts.prefixedStrings
	case "b":
		return l.opts.backslashEscapes, true
	case "r", "rb", "br":
		// A raw string keeps its backslashes, but \' still does not end it.
		return true, l.opts.prefixedStrings
	}
	return false, false
}

// stringLiteral reads a string whose opening quote is at q (start is where
// its prefix, if any, begins).
func (l *lexer) stringLiteral(start, q int, backslash bool) (int, error) {
	src := l.src
	quote := src[q]
	if l.opts.tripleQuotes && byteAt(src, q+1) == quote && byteAt(src, q+2) == quote {
		delim := src[q : q+3]
		for j := q + 3; j < len(src); j++ {
			if src[j] == '\\' {
				j++
				continue
			}
			if strings.HasPrefix(src[j:], delim) {
				l.add(tokString, start, j+3)
				return j + 3, nil
			}
		}
		return 0, errorAt(src, start, "unterminated string")
	}
	end, ok := quotedEnd(src, q, backslash)
	if !ok {
		return 0, errorAt(src, start, "unterminated string")
	}
	l.add(tokString, start, end)
	return end, nil
}

// quotedIdent reads a "quoted" or `quoted` identifier.
func (l *lexer) quotedIdent(i int) (int, error) {
	src := l.src
	quote := src[i]
	backslash := quote == '`' && l.opts.backslashInBacktick
	end, ok := quotedEnd(src, i, backslash)
	if !ok {
		return 0, errorAt(src, i, "unterminated quoted identifier")
	}
	l.addText(tokQuoted, i, end, unquote(src[i+1:end-1], quote, backslash))
	return end, nil
}

// dollar reads a $$dollar-quoted$$ or $tag$dollar-quoted$tag$ string, or a
// $1 / $name parameter (Snowflake positional columns and variables).
func (l *lexer) dollar(i int) (int, error) {
	src := l.src
	if l.opts.dollarQuotes {
		j := i + 1
		if j < len(src) && (isASCIILetter(src[j]) || src[j] == '_') {
			for j < len(src) && (isASCIILetter(src[j]) || isDigit(src[j]) || src[j] == '_') {
				j++
			}
		}
		if byteAt(src, j) == '$' {
			tag := src[i : j+1]
			close := strings.Index(src[j+1:], tag)
			if close < 0 {
				return 0, errorAt(src, i, "unterminated dollar-quoted string")
			}
			end := j + 1 + close + len(tag)
			l.add(tokString, i, end)
			return end, nil
		}
	}
	j := i + 1
	for j < len(src) && isIdentByte(src[j]) {
		j++
	}
	if j == i+1 {
		l.add(tokOp, i, j)
	} else {
		l.add(tokParam, i, j)
	}
	return j, nil
}

// multiCharOps are the operators of more than one character, longest first
// so that "->>" is not read as "->" and ">".
var multiCharOps = [...]string{
	"->>", "#>>", "<=>", "!~*", "~~*",
	"::", "->", "=>", ":=", "||", "!=", "<>", "<=", ">=", "<<", ">>", "**",
	"#>", "@>", "<@", "~~", "!~", "~*", "&&", "?|", "?&", "//", "^@", "|/", "@@",
}

// multiCharOpStarts are the first characters of multiCharOps.
const multiCharOpStarts = "-#<!~:=|>*@&?/^"

// punctuation reads a bracket, separator or operator at i.
func (l *lexer) punctuation(i int) int {
	src := l.src
	if i+1 < len(src) && strings.IndexByte(multiCharOpStarts, src[i]) >= 0 {
		for _, op := range multiCharOps {
			if op[0] == src[i] && strings.HasPrefix(src[i:], op) {
				kind := tokOp
				switch op {
				case "::":
					kind = tokDoubleColon
				case "->":
					kind = tokArrow
				case "=>", ":=":
					kind = tokNamedArg
				}
				l.add(kind, i, i+len(op))
				return i + len(op)
			}
		}
	}
	kind := tokOp
	switch src[i] {
	case '(':
		kind = tokLParen
	case ')':
		kind = tokRParen
	case '[':
		kind = tokLBracket
	case ']':
		kind = tokRBracket
	case '{':
		kind = tokLBrace
	case '}':
		kind = tokRBrace
	case ',':
		kind = tokComma
	case '.':
		kind = tokDot
	case ';':
		kind = tokSemicolon
	case ':':
		kind = tokColon
	case '*':
		kind = tokStar
	}
	l.add(kind, i, i+1)
	return i + 1
}

// quotedEnd returns the offset just after the quoted text whose opening
// quote is src[i]: a doubled quote stands for one quote, and so does a
// backslash-escaped one when backslash is set. ok is false when the text
// does not end.
func quotedEnd(src string, i int, backslash bool) (end int, ok bool) {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(src) && src[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(src), false
}

// unquote is a quoted identifier's name: doubled quotes and backslash
// escapes stand for the character they escape.
func unquote(s string, quote byte, backslash bool) string {
	if strings.IndexByte(s, quote) < 0 && (!backslash || strings.IndexByte(s, '\\') < 0) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '\\' && backslash || c == quote) && i+1 < len(s) {
			i++
			c = s[i]
		}
		b.WriteByte(c)
	}
	return b.String()
}

// numberEnd returns the offset just after the number starting at i: 1,
// 1.5, .5, 1e10, 1.5E-3, 0x1F, 1_000 and, with suffixes, Spark's 1L, 2.5D,
// 1BD.
func numberEnd(src string, i int, suffixes bool) int {
	j := i
	if src[j] == '0' && (byteAt(src, j+1) == 'x' || byteAt(src, j+1) == 'X') && isHexDigit(byteAt(src, j+2)) {
		j += 2
		for j < len(src) && isHexDigit(src[j]) {
			j++
		}
		return j
	}
	j = digitsEnd(src, j)
	if byteAt(src, j) == '.' && byteAt(src, j+1) != '.' {
		j = digitsEnd(src, j+1)
	}
	if c := byteAt(src, j); c == 'e' || c == 'E' {
		k := j + 1
		if c := byteAt(src, k); c == '+' || c == '-' {
			k++
		}
		if isDigit(byteAt(src, k)) {
			j = digitsEnd(src, k)
		}
	}
	if suffixes {
		for _, s := range [...]string{"bd", "l", "s", "y", "d", "f"} {
			if len(src)-j >= len(s) && strings.EqualFold(src[j:j+len(s)], s) && !isIdentStart(src, j+len(s)) {
				return j + len(s)
			}
		}
	}
	return j
}

func digitsEnd(src string, j int) int {
	for j < len(src) && (isDigit(src[j]) || src[j] == '_' && isDigit(byteAt(src, j+1))) {
		j++
	}
	return j
}

// identEnd returns the offset just after the identifier starting at i:
// letters, digits, _ and $.
func identEnd(src string, i int) int {
	for i < len(src) {
		c := src[i]
		if c < utf8.RuneSelf {
			if !isIdentByte(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			return i
		}
		i += size
	}
	return i
}

func lineEnd(src string, i int) int {
	if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}

// isIdentStart reports whether an identifier starts at src[i].
func isIdentStart(src string, i int) bool {
	if i >= len(src) {
		return false
	}
	c := src[i]
	if c < utf8.RuneSelf {
		return isASCIILetter(c) || c == '_'
	}
	r, _ := utf8.DecodeRuneInString(src[i:])
	return unicode.IsLetter(r)
}

func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isIdentByte(c byte) bool {
	return isASCIILetter(c) || isDigit(c) || c == '_' || c == '$'
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }
func isHexDigit(c byte) bool    { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }
