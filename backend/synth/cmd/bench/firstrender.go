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
		first, warm, err := renderAfterLaunch(bin, db)
		if err != nil {
			return err
		}
		m.FirstRender = append(m.FirstRender, first)
		m.WarmRender = append(m.WarmRender, warm...)
	}
	logf("  first SVG of %s after launch %v, warm %v", svgSelect, m.FirstRender, m.WarmRender)
	return nil
}

func renderAfterLaunch(bin, db string) (time.Duration, []time.Duration, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return 0, nil, fmt.Errorf("start %s serve: %w", bin, err)
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
		return 0, nil, fmt.Errorf("%s serve printed no URL: %s", bin, lastLines(stderr.String(), 5))
	}
	u, err := url.Parse(served)
	if err != nil {
		return 0, nil, fmt.Errorf("serve printed %q: %w", served, err)
	}
	render := func() (time.Duration, error) {
		body, _ := json.Marshal([]map[string]string{{"select": svgSelect, "format": "svg"}})
		req, err := http.NewRequest(http.MethodPost, "http://"+u.Host+"/api/rpc/Lineage", bytes.NewReader(body))
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
		if err == nil && (resp.StatusCode != http.StatusOK || !strings.Contains(answer.Content, "<svg")) {
			err = errors.New(resp.Status + ": " + answer.Error)
		}
		if err != nil {
			return 0, fmt.Errorf("Lineage %s as SVG: %w", svgSelect, err)
		}
		return took, nil
	}
	first, err := render()
	if err != nil {
		return 0, nil, err
	}
	var warm []time.Duration
	for range warmRenders {
		took, err := render()
		if err != nil {
			return 0, nil, err
		}
		warm = append(warm, took)
	}
	return first, warm, nil
}
