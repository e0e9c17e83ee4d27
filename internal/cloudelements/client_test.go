package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewValidates(t *testing.T) {
	ok := testConfig("https://api.example.com")
	cases := map[string]func(*Config){
		"BaseURL is empty":      func(c *Config) { c.BaseURL = "" },
		"must start with http":  func(c *Config) { c.BaseURL = "ftp://x/y" },
		"has no host":           func(c *Config) { c.BaseURL = "https:///x" },
		"UserSecret is empty":   func(c *Config) { c.UserSecret = " " },
		"OrganizationSecret is": func(c *Config) { c.OrganizationSecret = "" },
		"control character":     func(c *Config) { c.UserSecret = testUserSecret + "\n" },
		"not a valid URL":       func(c *Config) { c.BaseURL = "http://[::1" + testUserSecret },
	}
	for want, mutate := range cases {
		cfg := ok
		mutate(&cfg)
		_, err := New(cfg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
			continue
		}
		if strings.Contains(err.Error(), testUserSecret) || strings.Contains(err.Error(), testOrgSecret) {
			t.Errorf("secret in %q", err)
		}
	}
	c, err := New(ok)
	if err != nil {
		t.Fatal(err)
	}
	tr, isTransport := c.http.Transport.(*http.Transport)
	if !isTransport {
		t.Fatalf("transport is %T, want *http.Transport", c.http.Transport)
	}
	if tr.MaxIdleConnsPerHost != 64 || tr.MaxIdleConns != 128 || tr.Proxy == nil {
		t.Errorf("transport: %d %d proxy=%v", tr.MaxIdleConnsPerHost, tr.MaxIdleConns, tr.Proxy != nil)
	}
	if tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify {
		t.Error("TLS verification off")
	}
}

func TestHeadersAndPath(t *testing.T) {
	var got []*http.Request
	var bodies []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 4096)
		n, _ := r.Body.Read(b)
		got = append(got, r.Clone(context.Background()))
		bodies = append(bodies, string(b[:n]))
		writeJSON(w, 200, instanceJSON(12, "x"))
	}))
	ctx := context.Background()
	if _, err := c.GetInstance(ctx, 12); err != nil {
		t.Fatal(err)
	}
	name := "new"
	if _, err := c.PatchInstance(ctx, 12, InstancePatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	get, patch := got[0], got[1]
	if get.URL.Path != "/elements/api-v2/instances/12" || get.Method != "GET" {
		t.Errorf("GET %s %s", get.Method, get.URL.Path)
	}
	want := "User " + testUserSecret + ", Organization " + testOrgSecret
	for _, r := range got {
		if r.Header.Get("Authorization") != want || r.Header.Get("Accept") != "application/json" ||
			r.Header.Get("User-Agent") != "terraform-provider-cloudelements/test" {
			t.Errorf("headers %v", r.Header)
		}
	}
	if get.Header.Get("Content-Type") != "" {
		t.Error("Content-Type on a GET without body")
	}
	if patch.Header.Get("Content-Type") != "application/json" || bodies[1] != `{"name":"new"}` {
		t.Errorf("PATCH %q %q", patch.Header.Get("Content-Type"), bodies[1])
	}
}

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		status  int
		body    string
		header  string
		want    string
		reqID   string
		notFind bool
	}{
		{400, `{"requestId":"r400","message":"Bad request"}`, "", "DELETE /instances/12: HTTP 400 Bad Request: Bad request (request id r400)", "r400", false},
		{401, `{"requestId":"5b32","message":"Invalid Organization or User secret, or invalid Element token provided."}`, "", "DELETE /instances/12: HTTP 401 Unauthorized: Invalid Organization or User secret, or invalid Element token provided. (request id 5b32)", "5b32", false},
		{403, `{"message":"Forbidden","providerMessage":"vendor says no"}`, "h403", "HTTP 403 Forbidden: Forbidden (request id h403); provider message: vendor says no", "h403", false},
		{404, `{"requestId":"r404","message":"Not found"}`, "", "HTTP 404 Not Found: Not found (request id r404)", "r404", true},
		{404, ``, "h404", "HTTP 404 Not Found (request id h404)", "h404", false}, // not the platform's JSON error
		{405, `<html><body><h1>405   Method
		Not Allowed</h1></body></html>`, "", "HTTP 405 Method Not Allowed: 405 Method Not Allowed", "", false},
		{409, `{"requestId":"r409","message":"exists"}`, "hdr", "HTTP 409 Conflict: exists (request id r409)", "r409", false},
		{500, `<html>` + strings.Repeat("oops ", 100) + `</html>`, "", "HTTP 500 Internal Server Error: oops oops", "", false},
	}
	for _, tc := range cases {
		calls := 0
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/instances") {
				_, _ = w.Write([]byte(`[]`)) // confirmNotFound's probe
				return
			}
			calls++
			if tc.header != "" {
				w.Header().Set("Elements-Request-Id", tc.header)
			}
			w.WriteHeader(tc.status)
			_, _ = w.Write([]byte(tc.body))
		}))
		err := c.DeleteInstance(context.Background(), 12)
		var apiErr *Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("%d: %v", tc.status, err)
		}
		if !strings.Contains(err.Error(), tc.want) || apiErr.RequestID != tc.reqID || IsNotFound(err) != tc.notFind {
			t.Errorf("%d: %q (id %q)", tc.status, err, apiErr.RequestID)
		}
		if len(apiErr.Message) > 210 {
			t.Errorf("%d: message too long: %d", tc.status, len(apiErr.Message))
		}
		if calls != 1 {
			t.Errorf("%d: %d calls, want no retry", tc.status, calls)
		}
		if tc.status == 401 && !IsUnauthorized(err) {
			t.Error("IsUnauthorized false for 401")
		}
	}
}

func TestListPaging(t *testing.T) {
	var queries []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		queries = append(queries, r.URL.RawQuery)
		if got := q["tags[]"]; len(got) != 2 || got[0] != "a" || got[1] != "b b" || q.Get("searchText") != "fd" || q.Get("pageSize") != "2" {
			t.Errorf("query %v", q)
		}
		switch q.Get("nextPage") {
		case "":
			w.Header().Set("Elements-Next-Page-Token", "p2")
			writeJSON(w, 200, []any{instanceJSON(1, "a"), instanceJSON(2, "b")})
		case "p2":
			w.Header().Set("Elements-Next-Page-Token", "p3")
			writeJSON(w, 200, []any{instanceJSON(3, "c"), instanceJSON(4, "d")})
		case "p3":
			writeJSON(w, 200, []any{instanceJSON(5, "e")})
		}
	}))
	list, err := c.ListInstances(context.Background(), ListOptions{Tags: []string{"a", "b b"}, SearchText: "fd", PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 || list[4].ID != 5 || len(queries) != 3 {
		t.Fatalf("%d instances, %d pages", len(list), len(queries))
	}
	if !strings.Contains(queries[0], "tags%5B%5D=a") {
		t.Errorf("tags[] not encoded as the platform expects: %s", queries[0])
	}
}

func TestListRepeatedToken(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Elements-Next-Page-Token", "same")
		writeJSON(w, 200, []any{})
	}))
	_, err := c.ListInstances(context.Background(), ListOptions{})
	if err == nil || !strings.Contains(err.Error(), "repeated") {
		t.Fatalf("got %v", err)
	}
}

func TestSetInstanceEnabled(t *testing.T) {
	var seen []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.Path)
		_, _ = w.Write([]byte("not json at all")) // undocumented body: ignored
	}))
	ctx := context.Background()
	if err := c.SetInstanceEnabled(ctx, 7, "", false); err != nil {
		t.Fatal(err)
	}
	if err := c.SetInstanceEnabled(ctx, 7, "", true); err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, ",") != "DELETE /elements/api-v2/instances/7/enabled,PUT /elements/api-v2/instances/7/enabled" {
		t.Errorf("%v", seen)
	}
}

func TestBodyCap(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":1,"name":"`))
		_, _ = w.Write([]byte(strings.Repeat("x", maxBody)))
		_, _ = w.Write([]byte(`"}`))
	}), func(cfg *Config) { cfg.AttemptTimeout = time.Minute }) // 8 MiB on a loaded machine, under the race detector
	_, err := c.GetInstance(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "response body exceeds 8 MiB") {
		t.Fatalf("got %v", err)
	}
}

func TestHostileAnswers(t *testing.T) {
	cases := map[string]string{
		"<html><body>Bad gateway page</body></html>": "HTML",
		`{"id":12,"name":"x"`:                        "invalid instance JSON",
		`{"id":"12x"}`:                               "invalid instance JSON",
		`{"name":"no id"}`:                           "no positive id",
		`[]`:                                         "not an object",
		``:                                           "empty body",
	}
	for body, want := range cases {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(body))
		}))
		_, err := c.GetInstance(context.Background(), 12)
		if err == nil || !strings.Contains(err.Error(), "GET /instances/12: unexpected answer") || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v", body, err)
		}
	}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	if _, err := c.ListInstances(context.Background(), ListOptions{}); err == nil || !strings.Contains(err.Error(), "GET /instances: unexpected answer: JSON is not an array") {
		t.Errorf("list: %v", err)
	}
}

// A certificate the system does not trust is refused, and not retried.
func TestTLSIsVerified(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		writeJSON(w, 200, instanceJSON(1, "x"))
	}))
	t.Cleanup(srv.Close)
	c, err := New(testConfig(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetInstance(context.Background(), 1)
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("want a certificate error, got %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the handler answered %d requests over an unverified connection", n)
	}
}
