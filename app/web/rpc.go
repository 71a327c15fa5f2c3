package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"

	"github.com/lineagedesk/lineagedesk/backend"
)

// rpc calls the exported methods of one value by name with JSON arguments,
// the way Wails' bindings do, so the browser and the window share one API.
type rpc struct {
	target  reflect.Value
	methods map[string]reflect.Method
}

var errorType = reflect.TypeFor[error]()

func newRPC(api any) (*rpc, error) {
	v := reflect.ValueOf(api)
	t := v.Type()
	r := &rpc{target: v, methods: map[string]reflect.Method{}}
	for i := range t.NumMethod() {
		m := t.Method(i)
		if err := checkSignature(m); err != nil {
			return nil, err
		}
		r.methods[m.Name] = m
	}
	return r, nil
}

// checkSignature enforces the binding contract: results are (), (error),
// (T) or (T, error), so every call maps onto one JSON answer.
func checkSignature(m reflect.Method) error {
	mt := m.Type
	switch mt.NumOut() {
	case 0:
	case 1:
	case 2:
		if mt.Out(1) != errorType {
			return fmt.Errorf("method %s: second result must be error", m.Name)
		}
	default:
		return fmt.Errorf("method %s: at most two results", m.Name)
	}
	return nil
}

func (s *Server) handleRPC(w http.ResponseWriter, req *http.Request) {
	name := req.PathValue("method")
	m, ok := s.rpc.methods[name]
	if !ok {
		writeError(w, backend.Errorf(backend.ENOTFOUND, "no API method %q", name))
		return
	}
	var raw []json.RawMessage
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, 16<<20))
	if err == nil {
		err = json.Unmarshal(body, &raw) // the whole body: nothing may follow the array
	}
	if err == nil && raw == nil {
		err = errors.New("got null")
	}
	if tooLarge, ok := errors.AsType[*http.MaxBytesError](err); ok {
		writeError(w, backend.Errorf(backend.EINVALID, "%s: the request body is over %d MB", name, tooLarge.Limit>>20))
		return
	}
	if err != nil {
		writeError(w, backend.Errorf(backend.EINVALID, "%s: the request body must be a JSON array of arguments: %v", name, err))
		return
	}
	mt := m.Type // includes the receiver as In(0)
	if len(raw) != mt.NumIn()-1 {
		writeError(w, backend.Errorf(backend.EINVALID, "%s takes %d arguments, got %d", name, mt.NumIn()-1, len(raw)))
		return
	}
	args := []reflect.Value{s.rpc.target}
	for i, a := range raw {
		p := reflect.New(mt.In(i + 1))
		if err := json.Unmarshal(a, p.Interface()); err != nil {
			writeError(w, backend.Errorf(backend.EINVALID, "%s: argument %d: %v", name, i+1, err))
			return
		}
		args = append(args, p.Elem())
	}
	if stop := s.cancelWhenGone(req, args[1:]); stop != nil {
		defer stop()
	}
	out := m.Func.Call(args)
	var result any
	for _, o := range out {
		if o.Type() == errorType {
			if !o.IsNil() {
				writeError(w, o.Interface().(error))
				return
			}
			continue
		}
		result = o.Interface()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := json.NewEncoder(w).Encode(result); err != nil {
		s.log.Warn("write rpc answer", "method", name, "err", err)
	}
}

// requestCanceller is an API whose long calls take a caller-chosen
// RequestID in their argument (a lineage render) and can be cancelled by it.
type requestCanceller interface {
	CancelRequest(requestID string) error
}

// cancelWhenGone cancels a call carrying a RequestID when its client goes
// away (a closed tab, a reload): its render would hold the one Graphviz
// worker, and every picture after it would wait. A call without one gets
// one. It returns the function that stops watching, or nil.
func (s *Server) cancelWhenGone(req *http.Request, args []reflect.Value) func() {
	api, ok := s.rpc.target.Interface().(requestCanceller)
	if !ok || len(args) == 0 || args[0].Kind() != reflect.Struct {
		return nil
	}
	field := args[0].FieldByName("RequestID")
	if !field.IsValid() || field.Kind() != reflect.String || !field.CanSet() {
		return nil
	}
	if field.String() == "" {
		id, err := newSecret()
		if err != nil {
			return nil
		}
		field.SetString("http-" + id[:16])
	}
	id := field.String()
	finished := make(chan struct{})
	go func() {
		select {
		case <-req.Context().Done():
			_ = api.CancelRequest(id)
		case <-finished:
		}
	}()
	return func() { close(finished) }
}

// httpStatus maps error codes to HTTP statuses, in one place.
func httpStatus(code string) int {
	switch code {
	case backend.EINVALID:
		return http.StatusBadRequest
	case backend.ENOTFOUND:
		return http.StatusNotFound
	case backend.ECONFLICT:
		return http.StatusConflict
	case backend.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case backend.EFORBIDDEN:
		return http.StatusForbidden
	case backend.ERATELIMIT:
		return http.StatusTooManyRequests
	case backend.EUNAVAILABLE:
		return http.StatusBadGateway
	case backend.ECANCELED:
		return 499 // client closed request, as nginx names it
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, err error) {
	p := backend.NewErrorPayload(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus(p.Code))
	_ = json.NewEncoder(w).Encode(p)
}
