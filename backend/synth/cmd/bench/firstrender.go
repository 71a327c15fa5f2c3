package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// The first picture after a launch against warm ones: `lineagedesk serve`
// is started, and as soon as it prints its URL the app is asked for the SVG
// of svgSelect through its HTTP API, as the UI asks; then for the same
// picture again, once the process is warm. The target: the first
// render after start within 1.3x of a warm one.
const (
	firstRenderLaunches = 3
	warmRenders         = 3
)

// firstRender measures firstRenderLaunches launches.
func (m *interactiveMeasure) firstRender(bin, db string) error {
	for range firstRenderLaunches {
		l, err := renderAfterLaunch(bin, db)
		if err != nil {
			return err
		}
		m.FirstRender = append(m.FirstRender, l.first)
		m.WarmRender = append(m.WarmRender, l.warm...)
		m.SearchDuringRender = append(m.SearchDuringRender, l.searches...)
	}
	logf("  first SVG of %s after launch %v, warm %v; searches during a render %v", svgSelect, m.FirstRender, m.WarmRender, m.SearchDuringRender)
	return nil
}

// launch is what one launch measured: the first picture, the warm ones,
// and each search answered while the picture rendered once more.
type launch struct {
	first    time.Duration
	warm     []time.Duration
	searches []time.Duration
}

// searchEvery is the pace of the searches sent during a render: a fast
// typist's 5 keys a second is 200 ms; every 50 ms samples a stall finely.
const searchEvery = 50 * time.Millisecond

func renderAfterLaunch(bin, db string) (launch, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return launch{}, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return launch{}, fmt.Errorf("start %s serve: %w", bin, err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	servedURL := regexp.MustCompile(`http://[^\s"']+`)
	printed := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			if u := servedURL.FindString(lines.Text()); u != "" {
				printed <- u
				break
			}
		}
		close(printed)
		io.Copy(io.Discard, stdout)
	}()
	var served string
	select {
	case served = <-printed:
	case <-time.After(60 * time.Second):
	}
	if served == "" {
		return launch{}, fmt.Errorf("%s serve printed no URL: %s", bin, lastLines(stderr.String(), 5))
	}
	u, err := url.Parse(served)
	if err != nil {
		return launch{}, fmt.Errorf("serve printed %q: %w", served, err)
	}
	rpc := func(method string, args any) (time.Duration, error) {
		body, _ := json.Marshal(args)
		req, err := http.NewRequest(http.MethodPost, "http://"+u.Host+"/api/rpc/"+method, bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+u.Query().Get("token"))
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		var answer struct {
			Content string `json:"content"`
			Error   string `json:"message"`
		}
		err = json.NewDecoder(resp.Body).Decode(&answer)
		resp.Body.Close()
		took := time.Since(start)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = errors.New(resp.Status + ": " + answer.Error)
		}
		if err == nil && method == "Lineage" && !strings.Contains(answer.Content, "<svg") {
			err = errors.New("the answer holds no SVG")
		}
		if err != nil {
			return 0, fmt.Errorf("%s %v: %w", method, args, err)
		}
		return took, nil
	}
	render := func() (time.Duration, error) {
		return rpc("Lineage", []map[string]string{{"select": svgSelect, "format": "svg"}})
	}
	first, err := render()
	if err != nil {
		return launch{}, err
	}
	l := launch{first: first}
	for range warmRenders {
		took, err := render()
		if err != nil {
			return launch{}, err
		}
		l.warm = append(l.warm, took)
	}
	// Searches while the picture renders once more, as a user typing
	// while it draws: one query every searchEvery, cycling through prefixes.
	done := make(chan error, 1)
	go func() {
		_, err := render()
		done <- err
	}()
	queries := []string{"cu", "cust", "rev", "fct_o", "orders", "stg"}
	for i := 0; ; i++ {
		select {
		case err := <-done:
			if err != nil {
				return launch{}, err
			}
			return l, nil
		case <-time.After(searchEvery):
		}
		took, err := rpc("Search", []any{0, map[string]any{"text": queries[i%len(queries)], "limit": 50}})
		if err != nil {
			return launch{}, err
		}
		l.searches = append(l.searches, took)
	}
}
