package backend

import (
	"context"
	"errors"
	"fmt"
)

// Error codes: what kind of failure an error is, independent of where it
// happened. The edges (CLI exit codes, HTTP statuses, the desktop window)
// translate them in one place, ErrorPayload.
const (
	EINVALID      = "invalid"      // the user's input is wrong: a bad file, flag or setting
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	ECONFLICT     = "conflict"     // the request clashes with what is stored or running
	EUNAUTHORIZED = "unauthorized" // credentials were refused
	EFORBIDDEN    = "forbidden"    // credentials lack a permission
	ERATELIMIT    = "rate_limited" // a remote service asked us to slow down
	EUNAVAILABLE  = "unavailable"  // a remote service failed or could not be reached
	ECANCELED     = "canceled"     // the user cancelled
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is a failure with a code and a message meant for the user: it names
// the file, field or setting at fault and says what to do.
type Error struct {
	Code    string
	Message string
	Err     error // optional cause, for errors.Is/As and logs
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.Canceled) {
		return ECANCELED
	}
	return EINTERNAL
}

// ErrorPayload is the one shape every edge shows an error in.
type ErrorPayload struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NewErrorPayload turns err into what a user sees. The wrapping context of
// an *Error is kept ("import manifest x.json: ..."), because it names the
// file or setting; internal errors keep their text too, since this is a
// local tool and the text is what a bug report needs.
func NewErrorPayload(err error) ErrorPayload {
	return ErrorPayload{Code: ErrorCode(err), Message: err.Error()}
}
