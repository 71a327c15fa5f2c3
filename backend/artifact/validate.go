package artifact

// validEnd checks that data[i:] starts with one valid JSON value (RFC 8259,
// as encoding/json accepts it) and returns the index just past it. Load
// runs it once over each file, so the raw sub-slices kept afterwards
// (Resource.Raw, Meta, Config, ...) are valid JSON and the faster,
// bracket-counting scanner can be used for the rest.
func validEnd(data []byte, i int) (int, error) {
	var closers [64]byte
	stack := closers[:0]
	var err error
	for {
		// A value starts at i.
		i = skipSpace(data, i)
		if i >= len(data) {
			return 0, truncatedAt(i)
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			closer := byte('}')
			if c == '[' {
				closer = ']'
			}
			i = skipSpace(data, i+1)
			if i < len(data) && data[i] == closer {
				i++
				break
			}
			stack = append(stack, closer)
			if closer == '}' {
				if i, err = validKey(data, i); err != nil {
					return 0, err
				}
			}
			continue
		case c == '"':
			if i, err = validStringEnd(data, i); err != nil {
				return 0, err
			}
		case c == 't':
			i, err = literalEnd(data, i, "true")
		case c == 'f':
			i, err = literalEnd(data, i, "false")
		case c == 'n':
			i, err = literalEnd(data, i, "null")
		default:
			i, err = numberEnd(data, i)
		}
		if err != nil {
			return 0, err
		}
		// After a value: close containers or move to the next element.
		for {
			if len(stack) == 0 {
				return i, nil
			}
			i = skipSpace(data, i)
			if i >= len(data) {
				return 0, truncatedAt(i)
			}
			top := stack[len(stack)-1]
			if data[i] == top {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if data[i] != ',' {
				return 0, badSyntax(i, "expected ',' or %q", top)
			}
			i++
			if top == '}' {
				if i, err = validKey(data, i); err != nil {
					return 0, err
				}
			}
			break
		}
	}
}

// validKey checks `"key" :` at i (after spaces) and returns the index after the colon.
func validKey(data []byte, i int) (int, error) {
	i = skipSpace(data, i)
	if i >= len(data) {
		return 0, truncatedAt(i)
	}
	if data[i] != '"' {
		return 0, badSyntax(i, "expected a key")
	}
	i, err := validStringEnd(data, i)
	if err != nil {
		return 0, err
	}
	i = skipSpace(data, i)
	if i >= len(data) {
		return 0, truncatedAt(i)
	}
	if data[i] != ':' {
		return 0, badSyntax(i, "expected ':' after a key")
	}
	return i + 1, nil
}

func validStringEnd(data []byte, i int) (int, error) {
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			return j + 1, nil
		case c == '\\':
			j++
			if j >= len(data) {
				return 0, truncatedAt(j)
			}
			switch data[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(data) {
					return 0, truncatedAt(len(data))
				}
				for _, h := range data[j+1 : j+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return 0, badSyntax(j, "invalid \\u escape")
					}
				}
				j += 4
			default:
				return 0, badSyntax(j, "invalid escape")
			}
		case c < 0x20:
			return 0, badSyntax(j, "control character in a string")
		}
	}
	return 0, truncatedAt(len(data))
}

func literalEnd(data []byte, i int, lit string) (int, error) {
	end := i + len(lit)
	if end > len(data) {
		if string(data[i:]) == lit[:len(data)-i] {
			return 0, truncatedAt(len(data))
		}
		return 0, badSyntax(i, "invalid literal")
	}
	if string(data[i:end]) != lit {
		return 0, badSyntax(i, "invalid literal")
	}
	return end, nil
}

// numberEnd checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd(data []byte, i int) (int, error) {
	j := i
	digits := func() int {
		start := j
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
		return j - start
	}
	if j < len(data) && data[j] == '-' {
		j++
	}
	if j < len(data) && data[j] == '0' {
		j++
	} else if digits() == 0 {
		return 0, numberError(data, j)
	}
	if j < len(data) && data[j] == '.' {
		j++
		if digits() == 0 {
			return 0, numberError(data, j)
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		if digits() == 0 {
			return 0, numberError(data, j)
		}
	}
	return j, nil
}

func numberError(data []byte, j int) error {
	if j >= len(data) {
		return truncatedAt(j)
	}
	return badSyntax(j, "unexpected character %q", data[j])
}
