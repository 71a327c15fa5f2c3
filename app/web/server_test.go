package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lineagedesk/lineagedesk/app/web"
	"github.com/lineagedesk/lineagedesk/backend"
)

// calculator is a tiny API with the same method shapes as *app.App, so the
// dispatcher is tested on its own; the real App is tested end to end in the
// app and frontend suites.
type calculator struct{}

type pair struct {
	A int `json:"a"`
	B int `json:"b"`
}

func (calculator) Add(p pair) (int, error)            { return p.A + p.B, nil }
func (calculator) Greet(name string) string           { return "hello " + name }
func (calculator) Fail() error                        { return backend.Errorf(backend.ENOTFOUND, "no such thing") }
func (calculator) Crash() (int, error)                { return 0, errors.New("disk on fire") }
func (calculator) Concat(a, b string) (string, error) { return a + b, nil }

type fixture struct {
	srv    *web.Server
	base   string
	broker *web.Broker
}

func start(t *testing.T) fixture {
	t.Helper()
	return startWith(t, calculator{})
}

// startWith serves api on a loopback port for the test's duration.
func startWith(t *testing.T, api any) fixture {
	t.Helper()
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Lineage Desk</title>")}}
	broker := web.NewBroker()
	srv, err := web.NewServer(api, assets, broker, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { ln.Close() })
	return fixture{srv: srv, base: "http://" + ln.Addr().String(), broker: broker}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	srv, err := web.NewServer(calculator{}, fstest.MapFS{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.10:0", "example.com:80"} {
		if ln, err := srv.Listen(addr); err == nil {
			ln.Close()
			t.Errorf("Listen(%q) succeeded; serve must bind loopback only", addr)
		} else if backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("Listen(%q): %v, coded %s; want the user's setting at fault (invalid: exit 2)", addr, err, backend.ErrorCode(err))
		}
	}
}

// A port in use is the user's to change (conflict: exit 6), said with how.
func TestListenOnAPortInUse(t *testing.T) {
	srv, err := web.NewServer(calculator{}, fstest.MapFS{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	taken, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	ln, err := srv.Listen(taken.Addr().String())
	if err == nil {
		ln.Close()
		t.Fatalf("Listen on %s, in use, succeeded", taken.Addr())
	}
	if backend.ErrorCode(err) != backend.ECONFLICT || !strings.Contains(err.Error(), "give another port") {
		t.Errorf("Listen on a port in use: %v, coded %s; want a conflict saying what to do", err, backend.ErrorCode(err))
	}
}

// The page is public, the API needs the secret as a Bearer header (the
// event stream as ?token=), and no cookie carries it: a browser would send
// a 127.0.0.1 cookie to every other local server the user visits.
func TestSessionSecret(t *testing.T) {
	f := start(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 5 * time.Second}

	for _, path := range []string{"/", "/index.html", "/?token=" + f.srv.Secret()} {
		resp := get(t, client, f.base+path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", path, resp.StatusCode)
		}
		if len(resp.Cookies()) != 0 {
			t.Errorf("GET %s set cookies %v", path, resp.Cookies())
		}
		if resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Content-Security-Policy") != "frame-ancestors 'none'" {
			t.Errorf("GET %s may be framed by another page: %v", path, resp.Header)
		}
	}
	// The printed URL's page is not cached; a wrong secret in the address is
	// not served (the page would keep it, replacing the right one).
	if resp := get(t, client, f.base+"/?token="+f.srv.Secret()); resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the secret in its address may be cached: %v", resp.Header)
	}
	// Also in the spellings net/http's query parser drops but the page's
	// URLSearchParams reads.
	for _, q := range []string{"token=attacker-chosen", "token=attacker;x=1", "token=%zz", "a=1&token=" + f.srv.Secret() + "&token=x", "%74oken=x"} {
		if resp := get(t, client, f.base+"/?"+q); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("?%s: status %d, want 401", q, resp.StatusCode)
		}
	}
	if resp := get(t, client, f.base+"/?a=1;token=x"); resp.StatusCode != http.StatusOK {
		t.Errorf("?a=1;token=x (no token= pair to the page): status %d, want 200", resp.StatusCode)
	}
	if resp := get(t, client, f.base+"/assets/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a folder is listed: status %d, want 404", resp.StatusCode)
	}
	if status, _ := rpcCall(t, client, f.base, "Add", `[{"a":1,"b":2}]`, nil); status != http.StatusUnauthorized {
		t.Errorf("rpc after opening the printed URL but without the secret: status %d, want 401", status)
	}
	if status, _ := rpcCall(t, client, f.base, "Add", `[{"a":1,"b":2}]`, map[string]string{"Authorization": "Bearer nope"}); status != http.StatusUnauthorized {
		t.Errorf("rpc with a wrong secret: status %d, want 401", status)
	}
	req, _ := http.NewRequest(http.MethodPost, f.base+"/api/rpc/Add?token="+f.srv.Secret(), strings.NewReader(`[{"a":1,"b":2}]`))
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("rpc with the secret in its address (only the event stream takes it there): %v %v", resp.StatusCode, err)
	}
	status, body := rpcCall(t, client, f.base, "Add", `[{"a":2,"b":40}]`, map[string]string{"Authorization": "Bearer " + f.srv.Secret()})
	if status != http.StatusOK || strings.TrimSpace(body) != "42" {
		t.Fatalf("Add with the secret: %d %q", status, body)
	}
	for _, q := range []string{"", "?token=nope"} {
		if resp := get(t, client, f.base+"/api/events"+q); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("events%s: status %d, want 401", q, resp.StatusCode)
		}
	}
}

func TestForeignOriginAndHostRefused(t *testing.T) {
	f := start(t)
	auth := map[string]string{"Authorization": "Bearer " + f.srv.Secret()}
	if status, _ := rpcCall(t, http.DefaultClient, f.base, "Greet", `["x"]`, auth); status != http.StatusOK {
		t.Fatalf("same-origin call refused: %d", status)
	}
	withOrigin := map[string]string{"Authorization": auth["Authorization"], "Origin": "http://evil.example"}
	if status, _ := rpcCall(t, http.DefaultClient, f.base, "Greet", `["x"]`, withOrigin); status != http.StatusForbidden {
		t.Errorf("foreign Origin: status %d, want 403", status)
	}
	crossSite := map[string]string{"Authorization": auth["Authorization"], "Sec-Fetch-Site": "cross-site"}
	if status, _ := rpcCall(t, http.DefaultClient, f.base, "Greet", `["x"]`, crossSite); status != http.StatusForbidden {
		t.Errorf("cross-site fetch: status %d, want 403", status)
	}
	// A cross-site page may send the user to the app (serve --open's file://
	// page does), but not load its parts or call its API.
	for _, c := range []struct {
		path, mode string
		status     int
	}{{"/", "navigate", http.StatusOK}, {"/", "no-cors", http.StatusForbidden}, {"/index.html", "cors", http.StatusForbidden}} {
		req, _ := http.NewRequest(http.MethodGet, f.base+c.path, nil)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Sec-Fetch-Mode", c.mode)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("cross-site %s of %s: status %d, want %d", c.mode, c.path, resp.StatusCode, c.status)
		}
	}
	navigateAPI := map[string]string{"Authorization": auth["Authorization"], "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
	if status, _ := rpcCall(t, http.DefaultClient, f.base, "Greet", `["x"]`, navigateAPI); status != http.StatusForbidden {
		t.Errorf("cross-site navigation to the API: status %d, want 403", status)
	}
	// DNS rebinding: the right socket, a foreign Host header.
	req, _ := http.NewRequest(http.MethodPost, f.base+"/api/rpc/Greet", strings.NewReader(`["x"]`))
	req.Host = "attacker.example:" + port(f.base)
	req.Header.Set("Authorization", auth["Authorization"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign Host: status %d, want 403", resp.StatusCode)
	}
	// The page itself, public as it is, is not served to a rebound name either.
	req, _ = http.NewRequest(http.MethodGet, f.base+"/", nil)
	req.Host = "attacker.example:" + port(f.base)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("page for a foreign Host: %v %v, want 403", resp.StatusCode, err)
	}
}

func TestRPCDispatch(t *testing.T) {
	f := start(t)
	auth := map[string]string{"Authorization": "Bearer " + f.srv.Secret()}
	cases := []struct {
		method, body string
		status       int
		want         string
	}{
		{"Add", `[{"a":1,"b":2}]`, 200, `3`},
		{"Greet", `["desk"]`, 200, `"hello desk"`},
		{"Concat", `["a","b"]`, 200, `"ab"`},
		{"Fail", `[]`, 404, `{"code":"not_found","message":"no such thing"}`},
		{"Crash", `[]`, 500, `{"code":"internal","message":"disk on fire"}`},
		{"Add", `[]`, 400, ``},
		{"Add", `{"a":1}`, 400, ``},
		{"Add", `["not a pair"]`, 400, ``},
		{"Add", `[{"a":1,"b":2}] [{"a":5,"b":5}]`, 400, ``},
		{"Fail", `null`, 400, ``},
		{"Nope", `[]`, 404, ``},
		{"Concat", `["` + strings.Repeat("x", 17<<20) + `",""]`, 400, ``},
	}
	for _, c := range cases {
		status, body := rpcCall(t, http.DefaultClient, f.base, c.method, c.body, auth)
		if status != c.status {
			t.Errorf("%s %s: status %d, want %d (%s)", c.method, c.body, status, c.status, body)
			continue
		}
		if c.want != "" && strings.TrimSpace(body) != c.want {
			t.Errorf("%s %s: body %s, want %s", c.method, c.body, body, c.want)
		}
		if c.status >= 400 {
			var p backend.ErrorPayload
			if err := json.Unmarshal([]byte(body), &p); err != nil || p.Code == "" || p.Message == "" {
				t.Errorf("%s: error body %q is not {code,message}", c.method, body)
			}
			if len(c.body) > 16<<20 && !strings.Contains(p.Message, "over 16 MB") {
				t.Errorf("a body over the limit: %q", p.Message)
			}
		}
	}
	// Another address under /api/ is the API's answer, not the file server's.
	req, _ := http.NewRequest(http.MethodGet, f.base+"/api/rpc/Add", nil)
	req.Header.Set("Authorization", auth["Authorization"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p backend.ErrorPayload
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != 404 || !strings.Contains(p.Message, "POST /api/rpc/METHOD") {
		t.Errorf("GET /api/rpc/Add: %d %+v %v", resp.StatusCode, p, err)
	}
}

func TestEventsStream(t *testing.T) {
	f := start(t)
	req, _ := http.NewRequest(http.MethodGet, f.base+"/api/events", nil)
	req.Header.Set("Authorization", "Bearer "+f.srv.Secret())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	buf := make([]byte, 256)
	n, _ := resp.Body.Read(buf) // the ": connected" comment: the subscription exists now
	if !strings.Contains(string(buf[:n]), "connected") {
		t.Fatalf("first bytes %q", buf[:n])
	}
	f.broker.Emit("sync:progress", map[string]any{"phase": "download", "bytes": 10})
	var got strings.Builder
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(got.String(), "\n\n") {
		n, err := resp.Body.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			break
		}
	}
	want := "event: sync:progress\ndata: {\"bytes\":10,\"phase\":\"download\"}\n\n"
	if got.String() != want {
		t.Fatalf("event stream got %q, want %q", got.String(), want)
	}
}

func get(t *testing.T, c *http.Client, url string) *http.Response {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func rpcCall(t *testing.T, c *http.Client, base, method, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/rpc/"+method, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func port(base string) string {
	_, p, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	return p
}

// Bound to IPv6 loopback, http://localhost:PORT is this machine too.
func TestLocalhostOnIPv6Loopback(t *testing.T) {
	srv, err := web.NewServer(calculator{}, fstest.MapFS{"index.html": {Data: []byte("<title>x</title>")}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := srv.Listen("[::1]:0")
	if err != nil {
		t.Fatalf("this machine has IPv6 loopback, which serve supports: %v", err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { ln.Close() })
	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/", nil)
	req.Host = "localhost:" + port("http://"+ln.Addr().String())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("Host localhost on [::1]: status %d, want 200", resp.StatusCode)
	}
}

// renders is an API with a long call that takes a RequestID and stops
// when that id is cancelled, as app.App's Lineage does.
type renders struct{ cancelled chan string }

type renderRequest struct {
	RequestID string `json:"request_id"`
}

func (r renders) Render(req renderRequest) (string, error) {
	select {
	case <-time.After(10 * time.Second):
		return "drawn", nil
	case id := <-r.cancelled:
		r.cancelled <- id // for the test to read
		return "", backend.Errorf(backend.ECANCELED, "cancelled")
	}
}

func (r renders) CancelRequest(id string) error {
	r.cancelled <- id
	return nil
}

// A client that goes away (a closed tab, a reload) cancels its render, by
// its RequestID or one the server gives it; the render would otherwise
// hold the Graphviz worker for every picture after it.
func TestClientGoneCancelsItsRender(t *testing.T) {
	api := renders{cancelled: make(chan string, 1)}
	f := startWith(t, api)
	for _, c := range []struct{ body, want string }{{`[{"request_id":"pic-1"}]`, "pic-1"}, {`[{}]`, "http-"}} {
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, f.base+"/api/rpc/Render", strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+f.srv.Secret())
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("%s: answered before the client left", c.body)
		}
		cancel()
		select {
		case id := <-api.cancelled:
			if !strings.HasPrefix(id, c.want) {
				t.Errorf("%s: cancelled %q, want %s...", c.body, id, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the render went on after its client left", c.body)
		}
	}
}
