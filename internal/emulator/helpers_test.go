package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
)

const platformAuth = "User test-user-secret, Organization test-organization-secret"

// env is one Server behind its own httptest listener.
type env struct {
	t   *testing.T
	s   *Server
	url string
	c   *http.Client
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &env{t: t, s: s, url: ts.URL + BasePath, c: ts.Client()}
}

// do sends one request; body is marshalled unless it is a string.
func (e *env) do(method, path string, body any, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	resp, b, err := e.try(method, path, body, header...)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp, b
}

func (e *env) try(method, path string, body any, header ...string) (*http.Response, []byte, error) {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.url+path, r)
	req.Header.Set("Authorization", platformAuth)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.send(req)
}

// send sends req and reads the whole answer.
func (e *env) send(req *http.Request) (*http.Response, []byte, error) {
	resp, err := e.c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func createBody(name string, tags ...string) map[string]any {
	if tags == nil {
		tags = []string{}
	}
	return map[string]any{
		"element":       map[string]any{"key": "freshdeskv2"},
		"name":          name,
		"configuration": baseConfig(),
		"tags":          tags,
	}
}

// baseConfig is the configuration createBody sends; tests that need more
// add to a copy and set it as the body's "configuration".
func baseConfig() map[string]any {
	return map[string]any{"subdomain": "acme", "username": "api-key"}
}

// createBodyWith is createBody("x") with extra configuration keys.
func createBodyWith(extra map[string]any) map[string]any {
	body, cfg := createBody("x"), baseConfig()
	for k, v := range extra {
		cfg[k] = v
	}
	body["configuration"] = cfg
	return body
}

// create makes an instance and returns its decoded answer.
func (e *env) create(name string, tags ...string) instanceJSON {
	e.t.Helper()
	resp, b := e.do("POST", "/instances", createBody(name, tags...))
	if resp.StatusCode != 200 {
		e.t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	return decodeInstance(e.t, b)
}

// as returns v as a T, or T's zero value, on which the test then fails.
func as[T any](v any) T {
	x, _ := v.(T)
	return x
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}

// decodeInstance decodes an instance answer into its wire type, so a field
// of the wrong JSON type fails the test instead of reading as zero.
func decodeInstance(t *testing.T, b []byte) instanceJSON {
	t.Helper()
	var inst instanceJSON
	mustUnmarshal(t, b, &inst)
	return inst
}

var requestIDRe = regexp.MustCompile(`^[0-9a-f]{24}$`)

// wantError checks status, the error body shape and the request id header.
func wantError(t *testing.T, resp *http.Response, b []byte, status int) errorJSON {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, b)
	}
	var e errorJSON
	mustUnmarshal(t, b, &e)
	id := resp.Header.Get("Elements-Request-Id")
	if !requestIDRe.MatchString(id) || e.RequestID != id {
		t.Fatalf("request id header %q body %q", id, e.RequestID)
	}
	if e.Message == "" {
		t.Fatalf("no message in %s", b)
	}
	return e
}

func idOf(inst instanceJSON) string {
	return strconv.FormatInt(inst.ID, 10)
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
