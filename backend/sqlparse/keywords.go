package sqlparse

// keyword is a word the parser gives a meaning to. Most of them are also
// fine column names ("first", "rows", "value", "zone"): what a word means
// depends on where it is, and only the reserved ones are never a column.
type keyword uint8

const (
	kwNone keyword = iota
	kwAll
	kwAnd
	kwAnti
	kwAny
	kwApply
	kwArray
	kwAs
	kwAsc
	kwAsof
	kwAt
	kwBefore
	kwBetween
	kwBoth
	kwBy
	kwCase
	kwChanges
	kwCollate
	kwCross
	kwCube
	kwCurrent
	kwCurrentCatalog
	kwCurrentDatabase
	kwCurrentDate
	kwCurrentRole
	kwCurrentSchema
	kwCurrentTime
	kwCurrentTimestamp
	kwCurrentUser
	kwDesc
	kwDistinct
	kwDiv
	kwElse
	kwEnd
	kwEscape
	kwExcept
	kwExclude
	kwExists
	kwFalse
	kwFetch
	kwFilter
	kwFirst
	kwFollowing
	kwFor
	kwFrom
	kwFull
	kwGlob
	kwGroup
	kwGrouping
	kwGroups
	kwHaving
	kwIgnore
	kwIlike
	kwIn
	kwInner
	kwIntersect
	kwInterval
	kwInto
	kwIs
	kwIsnull
	kwJoin
	kwLambda
	kwLast
	kwLateral
	kwLeading
	kwLeft
	kwLike
	kwLimit
	kwLocal
	kwLocaltime
	kwLocaltimestamp
	kwMap
	kwMatchRecognize
	kwMaterialized
	kwMinus
	kwName
	kwNatural
	kwNext
	kwNot
	kwNotnull
	kwNull
	kwNulls
	kwOf
	kwOffset
	kwOn
	kwOnly
	kwOr
	kwOrder
	kwOrdinality
	kwOuter
	kwOver
	kwPartition
	kwPercent
	kwPivot
	kwPlacing
	kwPositional
	kwPreceding
	kwQualify
	kwRange
	kwRecursive
	kwRegexp
	kwRename
	kwRepeatable
	kwReplace
	kwRespect
	kwReturning
	kwRight
	kwRlike
	kwRollup
	kwRow
	kwRows
	kwSample
	kwSeed
	kwSelect
	kwSemi
	kwSessionUser
	kwSets
	kwSimilar
	kwSome
	kwStruct
	kwSysdate
	kwSystemTime
	kwTablesample
	kwThen
	kwTies
	kwTime
	kwTimestamp
	kwTo
	kwTop
	kwTrailing
	kwTrue
	kwUnbounded
	kwUnion
	kwUnknown
	kwUnpivot
	kwUser
	kwUsing
	kwValue
	kwValues
	kwVersion
	kwView
	kwWhen
	kwWhere
	kwWindow
	kwWith
	kwWithin
	kwXor
	kwZone
)

// keywords maps each keyword, lower case, to its value.
var keywords = map[string]keyword{
	"all": kwAll, "and": kwAnd, "anti": kwAnti, "any": kwAny, "apply": kwApply,
	"array": kwArray, "as": kwAs, "asc": kwAsc, "asof": kwAsof, "at": kwAt,
	"before": kwBefore, "between": kwBetween, "both": kwBoth, "by": kwBy,
	"case": kwCase, "changes": kwChanges, "collate": kwCollate, "cross": kwCross,
	"cube": kwCube, "current": kwCurrent, "current_catalog": kwCurrentCatalog,
	"current_database": kwCurrentDatabase, "current_date": kwCurrentDate,
	"current_role": kwCurrentRole, "current_schema": kwCurrentSchema,
	"current_time": kwCurrentTime, "current_timestamp": kwCurrentTimestamp,
	"current_user": kwCurrentUser, "desc": kwDesc, "distinct": kwDistinct,
	"div": kwDiv, "else": kwElse, "end": kwEnd, "escape": kwEscape,
	"except": kwExcept, "exclude": kwExclude, "exists": kwExists, "false": kwFalse,
	"fetch": kwFetch, "filter": kwFilter, "first": kwFirst, "following": kwFollowing,
	"for": kwFor, "from": kwFrom, "full": kwFull, "glob": kwGlob, "group": kwGroup,
	"grouping": kwGrouping, "groups": kwGroups, "having": kwHaving,
	"ignore": kwIgnore, "ilike": kwIlike, "in": kwIn, "inner": kwInner,
	"intersect": kwIntersect, "interval": kwInterval, "into": kwInto, "is": kwIs,
	"isnull": kwIsnull, "join": kwJoin, "lambda": kwLambda, "last": kwLast,
	"lateral": kwLateral, "leading": kwLeading, "left": kwLeft, "like": kwLike,
	"limit": kwLimit, "local": kwLocal, "localtime": kwLocaltime,
	"localtimestamp": kwLocaltimestamp, "map": kwMap,
	"match_recognize": kwMatchRecognize, "materialized": kwMaterialized,
	"minus": kwMinus, "name": kwName, "natural": kwNatural, "next": kwNext,
	"not": kwNot, "notnull": kwNotnull, "null": kwNull, "nulls": kwNulls,
	"of": kwOf, "offset": kwOffset, "on": kwOn, "only": kwOnly, "or": kwOr,
	"order": kwOrder, "ordinality": kwOrdinality, "outer": kwOuter, "over": kwOver,
	"partition": kwPartition, "percent": kwPercent, "pivot": kwPivot,
	"placing": kwPlacing, "positional": kwPositional, "preceding": kwPreceding,
	"qualify": kwQualify, "range": kwRange, "recursive": kwRecursive,
	"regexp": kwRegexp, "rename": kwRename, "repeatable": kwRepeatable,
	"replace": kwReplace, "respect": kwRespect, "returning": kwReturning,
	"right": kwRight, "rlike": kwRlike, "rollup": kwRollup, "row": kwRow,
	"rows": kwRows, "sample": kwSample, "seed": kwSeed, "select": kwSelect,
	"semi": kwSemi, "session_user": kwSessionUser, "sets": kwSets,
	"similar": kwSimilar, "some": kwSome, "struct": kwStruct, "sysdate": kwSysdate,
	"system_time": kwSystemTime, "tablesample": kwTablesample, "then": kwThen,
	"ties": kwTies, "time": kwTime, "timestamp": kwTimestamp, "to": kwTo,
	"top": kwTop, "trailing": kwTrailing, "true": kwTrue, "unbounded": kwUnbounded,
	"union": kwUnion, "unknown": kwUnknown, "unpivot": kwUnpivot, "user": kwUser,
	"using": kwUsing, "value": kwValue, "values": kwValues, "version": kwVersion,
	"view": kwView, "when": kwWhen, "where": kwWhere, "window": kwWindow,
	"with": kwWith, "within": kwWithin, "xor": kwXor, "zone": kwZone,
}

// maxKeywordLen is the length of the longest keyword ("current_timestamp"
// and "match_recognize" are the long ones); lookups of longer words stop early.
const maxKeywordLen = 17

// lookupKeyword is the keyword a word spells, in any case, or kwNone. It
// lowercases into a stack buffer, so looking a word up allocates nothing.
func lookupKeyword(word string) keyword {
	var buf [maxKeywordLen]byte
	lower, ok := lowerASCII(word, buf[:])
	if !ok {
		return kwNone
	}
	return keywords[string(lower)]
}

// lowerASCII writes word in lower case into buf; ok is false when it does not
// fit or is not ASCII (no keyword or known function is).
func lowerASCII(word string, buf []byte) (lower []byte, ok bool) {
	if len(word) < 2 || len(word) > len(buf) {
		return nil, false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= 0x80 {
			return nil, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(word)], true
}

// reserved reports whether an unquoted k is never a column name: in an
// expression it is a keyword wherever it stands.
func (k keyword) reserved() bool {
	switch k {
	case kwAll, kwAnd, kwAny, kwArray, kwAs, kwAsc, kwBetween, kwBoth, kwBy, kwCase,
		kwCollate, kwCross, kwDesc, kwDistinct, kwElse, kwEnd, kwEscape, kwExcept,
		kwExists, kwFalse, kwFetch, kwFor, kwFrom, kwFull, kwGroup, kwHaving,
		kwIlike, kwIn, kwInner, kwIntersect, kwInterval, kwInto, kwIs, kwJoin,
		kwLateral, kwLeft, kwLike, kwLimit, kwMinus, kwNatural, kwNot, kwNull,
		kwOn, kwOr, kwOrder, kwOuter, kwPlacing, kwQualify, kwRight, kwSelect, kwSimilar,
		kwSome, kwStruct, kwThen, kwTrue, kwUnion, kwUsing, kwWhen, kwWhere,
		kwWindow, kwWith:
		return true
	}
	return k.niladic()
}

// startsClause reports whether k, right after a complete expression, begins
// the next clause of the statement (so it is not the expression's alias).
func (k keyword) startsClause() bool {
	switch k {
	case kwFrom, kwWhere, kwGroup, kwHaving, kwQualify, kwWindow, kwOrder,
		kwLimit, kwOffset, kwFetch, kwUnion, kwIntersect, kwExcept, kwMinus,
		kwInto, kwJoin, kwInner, kwLeft, kwRight, kwFull, kwOuter, kwCross,
		kwNatural, kwLateral, kwAsof, kwSemi, kwAnti, kwPositional, kwApply,
		kwOn, kwUsing, kwSelect, kwWith, kwValues, kwReturning, kwFor:
		return true
	}
	return false
}

// niladic reports whether k is a value without arguments (CURRENT_DATE,
// USER, ...), written with or without parentheses: never a column.
func (k keyword) niladic() bool {
	switch k {
	case kwCurrentDate, kwCurrentTime, kwCurrentTimestamp, kwLocaltime,
		kwLocaltimestamp, kwCurrentUser, kwSessionUser, kwUser, kwSysdate,
		kwCurrentSchema, kwCurrentDatabase, kwCurrentRole, kwCurrentCatalog:
		return true
	}
	return false
}

// joinWord reports whether k may stand before JOIN (or APPLY) in a join.
func (k keyword) joinWord() bool {
	switch k {
	case kwInner, kwLeft, kwRight, kwFull, kwOuter, kwCross, kwNatural, kwAsof,
		kwSemi, kwAnti, kwPositional:
		return true
	}
	return false
}

// funcKind says which arguments of a function are not expressions.
type funcKind uint8

const (
	funcPlain    funcKind = iota
	funcDate              // a date part (day, month) as first or last argument
	funcExtract           // EXTRACT(part FROM expr)
	funcTrim              // TRIM(BOTH|LEADING|TRAILING chars FROM expr)
	funcConvert           // CONVERT(type, expr) (Redshift, SQL Server)
	funcFromArgs          // SUBSTRING(x FROM 1 FOR 2), OVERLAY(x PLACING y FROM 1)
)

// functionKinds lists the functions whose arguments need reading with care,
// by name in lower case.
var functionKinds = map[string]funcKind{
	"datediff": funcDate, "dateadd": funcDate, "date_add": funcDate,
	"date_sub": funcDate, "date_diff": funcDate, "datetime_diff": funcDate,
	"datetime_add": funcDate, "datetime_sub": funcDate, "timestamp_diff": funcDate,
	"timestamp_add": funcDate, "timestamp_sub": funcDate, "timestampdiff": funcDate,
	"timestampadd": funcDate, "date_trunc": funcDate, "datetime_trunc": funcDate,
	"timestamp_trunc": funcDate, "time_trunc": funcDate, "time_diff": funcDate,
	"time_add": funcDate, "time_sub": funcDate, "timeadd": funcDate,
	"timediff": funcDate, "date_part": funcDate, "datepart": funcDate,
	"last_day": funcDate, "trunc": funcDate, "time_slice": funcDate,
	"extract": funcExtract, "trim": funcTrim, "convert": funcConvert,
	"substring": funcFromArgs, "substr": funcFromArgs, "overlay": funcFromArgs,
}

// maxFunctionKindLen is the length of the longest name in functionKinds.
const maxFunctionKindLen = 15

func lookupFunctionKind(name string) funcKind {
	var buf [maxFunctionKindLen]byte
	lower, ok := lowerASCII(name, buf[:])
	if !ok {
		return funcPlain
	}
	return functionKinds[string(lower)]
}

// dateParts are the unquoted words a date function takes for a unit of
// time, lower case. Single letters (d, m, y) are left out: they are more
// often a table alias than a unit; so are date and time, often a column.
var dateParts = map[string]bool{
	"year": true, "years": true, "yy": true, "yyyy": true, "yr": true, "yrs": true,
	"quarter": true, "quarters": true, "qq": true, "qtr": true, "qtrs": true,
	"month": true, "months": true, "mm": true, "mon": true, "mons": true,
	"week": true, "weeks": true, "wk": true, "ww": true, "weekofyear": true,
	"woy": true, "wy": true, "isoweek": true, "isoyear": true, "week_iso": true,
	"day": true, "days": true, "dd": true, "dayofmonth": true, "dayofweek": true,
	"dayofweekiso": true, "dow": true, "dow_iso": true, "dw": true, "isodow": true,
	"dayofyear": true, "doy": true, "dy": true, "yearofweek": true, "yearofweekiso": true,
	"hour": true, "hours": true, "hh": true, "hr": true, "hrs": true,
	"minute": true, "minutes": true, "mi": true, "min": true, "mins": true,
	"second": true, "seconds": true, "ss": true, "sec": true, "secs": true,
	"millisecond": true, "milliseconds": true, "ms": true, "msec": true,
	"microsecond": true, "microseconds": true, "us": true, "usec": true,
	"nanosecond": true, "nanoseconds": true, "ns": true, "nsec": true,
	"epoch": true, "epoch_second": true, "epoch_millisecond": true,
	"epoch_microsecond": true, "epoch_nanosecond": true, "decade": true,
	"century": true, "millennium": true, "timezone_hour": true, "timezone_minute": true,
}

// maxDatePartLen is the length of the longest word in dateParts.
const maxDatePartLen = 17

func isDatePart(word string) bool {
	var buf [maxDatePartLen]byte
	lower, ok := lowerASCII(word, buf[:])
	return ok && dateParts[string(lower)]
}
