package sqlparse

type tokenKind uint8

const (
	tokEOF         tokenKind = iota
	tokWord                  // an unquoted identifier or keyword
	tokQuoted                // a quoted identifier; text is the name, unquoted
	tokString                // a string literal, as written
	tokNumber                // a number literal, as written
	tokParam                 // $1, $name, @name, @@name, ?: a value we cannot name a column of
	tokLParen                // (
	tokRParen                // )
	tokLBracket              // [
	tokRBracket              // ]
	tokLBrace                // {
	tokRBrace                // }
	tokComma                 // ,
	tokDot                   // .
	tokSemicolon             // ;
	tokColon                 // : (Snowflake path, slices)
	tokDoubleColon           // :: (cast)
	tokStar                  // *
	tokArrow                 // -> (lambda, or JSON access)
	tokNamedArg              // => or := (named argument)
	tokOp                    // any other operator; text says which
)

// token is one token of the statement. Tokens point into the source by
// byte offsets, so an item's text and an error's position come from them.
type token struct {
	kind  tokenKind
	kw    keyword // for tokWord: the keyword it spells, if any
	start int32   // byte offset of the token's first byte
	end   int32   // byte offset just after the token
	pair  int32   // for brackets: index of the matching bracket, -1 if none
	text  string  // the token as written (for tokQuoted: the unquoted name)
}

// is reports whether t is an unquoted word spelling keyword k.
func (t *token) is(k keyword) bool { return t.kind == tokWord && t.kw == k }

// isName reports whether t can be a name: an unquoted word or a quoted
// identifier.
func (t *token) isName() bool { return t.kind == tokWord || t.kind == tokQuoted }

// isRelationName reports whether t can name a table or CTE: a name that is
// not a reserved word, though it may be a niladic one (BigQuery has no
// CURRENT_SCHEMA, and a CTE may be called so).
func (t *token) isRelationName() bool {
	return t.kind == tokQuoted || t.kind == tokWord && (!t.kw.reserved() || t.kw.niladic())
}

// isLiteral reports whether t is a string or number literal or a parameter.
func (t *token) isLiteral() bool {
	return t.kind == tokString || t.kind == tokNumber || t.kind == tokParam
}

// isCloser reports whether t closes a bracket of any kind.
func (t *token) isCloser() bool {
	return t.kind == tokRParen || t.kind == tokRBracket || t.kind == tokRBrace
}
