package cloudelements

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder serves h and records "METHOD path?query" of every request.
type recorder struct {
	mu   sync.Mutex
	seen []string
	auth []string
	h    func(w http.ResponseWriter, r *http.Request)
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	line := r.Method + " " + strings.TrimPrefix(r.URL.Path, "/elements/api-v2")
	if r.URL.RawQuery != "" {
		line += "?" + r.URL.RawQuery
	}
	rec.seen = append(rec.seen, line)
	rec.auth = append(rec.auth, r.Header.Get("Authorization"))
	h := rec.h
	rec.mu.Unlock()
	h(w, r)
}

func (rec *recorder) requests() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.seen...)
}

func platformNotFound(w http.ResponseWriter) {
	writeJSON(w, 404, map[string]string{"requestId": "r1", "message": "No instance found"})
}

// A 404 whose body is not the platform's JSON error (a wrong path: an HTML
// or empty page) is an ordinary error, for reads and deletes alike.
func TestNotFoundOnlyFromPlatform(t *testing.T) {
	for name, answer := range map[string]func(w http.ResponseWriter){
		"html": func(w http.ResponseWriter) {
			w.WriteHeader(404)
			_, _ = w.Write([]byte("<html><h1>Not Found</h1></html>"))
		},
		"empty": func(w http.ResponseWriter) { w.WriteHeader(404) },
		"text":  func(w http.ResponseWriter) { w.WriteHeader(404); _, _ = w.Write([]byte("404 page not found")) },
		"json without message": func(w http.ResponseWriter) {
			writeJSON(w, 404, map[string]string{"error": "Not Found", "path": "/x"})
		},
	} {
		rec := &recorder{h: func(w http.ResponseWriter, _ *http.Request) { answer(w) }}
		c := newTestClient(t, rec)
		_, getErr := c.GetInstance(context.Background(), 5)
		delErr := c.DeleteInstance(context.Background(), 5)
		for op, err := range map[string]error{"get": getErr, "delete": delErr} {
			if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "HTTP 404") {
				t.Errorf("%s %s: %v", name, op, err)
			}
		}
		if got := rec.requests(); len(got) != 2 {
			t.Errorf("%s: requests %v (no probe expected)", name, got)
		}
	}
}

// The first platform 404 per Client is believed only once GET /instances
// answers a JSON array; success is remembered.
func TestNotFoundConfirmedOnce(t *testing.T) {
	rec := &recorder{h: func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/instances") {
			writeJSON(w, 200, []any{instanceJSON(3, "x")})
			return
		}
		platformNotFound(w)
	}}
	c := newTestClient(t, rec)
	if _, err := c.GetInstance(context.Background(), 5); !IsNotFound(err) {
		t.Fatalf("get: %v", err)
	}
	if err := c.DeleteInstance(context.Background(), 6); !IsNotFound(err) {
		t.Fatalf("delete: %v", err)
	}
	want := []string{"GET /instances/5", "GET /instances?pageSize=1", "DELETE /instances/6"}
	if got := rec.requests(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("requests %v, want %v", got, want)
	}
}

// A gateway that answers every unknown path with a JSON 404 (a base URL
// without /elements/api-v2, say) does not make instances "gone".
func TestNotFoundFromWrongBaseURL(t *testing.T) {
	for name, list := range map[string]func(w http.ResponseWriter){
		"json 404":      platformNotFound,
		"html 200":      func(w http.ResponseWriter) { _, _ = w.Write([]byte("<html>portal</html>")) },
		"object 200":    func(w http.ResponseWriter) { writeJSON(w, 200, map[string]any{"id": 1}) },
		"bad json 200":  func(w http.ResponseWriter) { _, _ = w.Write([]byte("[{")) },
		"401 from list": func(w http.ResponseWriter) { writeJSON(w, 401, map[string]any{"message": "who?"}) },
	} {
		rec := &recorder{h: func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/instances") {
				list(w)
				return
			}
			platformNotFound(w)
		}}
		var base string
		c := newTestClient(t, rec, func(cfg *Config) {
			cfg.BaseURL = strings.Replace(cfg.BaseURL, "http://", "http://user:hunter2@", 1)
			base = cfg.BaseURL
		})
		for i := 0; i < 2; i++ { // not remembered: each 404 is checked again
			err := c.DeleteInstance(context.Background(), 5)
			if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "does not look like the platform's instance API") ||
				!strings.Contains(err.Error(), "/elements/api-v2") || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("%s: %v", name, err)
			}
		}
		if n := len(rec.requests()); n != 4 {
			t.Errorf("%s: %d requests (base %s)", name, n, base)
		}
	}
}
