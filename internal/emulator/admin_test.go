package emulator

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAdminSurface(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.create("one", "t")
	admin := strings.TrimSuffix(e.url, BasePath) + AdminPath
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, admin+path, strings.NewReader(body))
		resp, err := e.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if c, b := call("GET", "/stats", ""); c != 200 || !strings.Contains(b, `"creates":1`) {
		t.Fatalf("stats %d %s", c, b)
	}
	if c, b := call("GET", "/instances", ""); c != 200 || !strings.Contains(b, `"elementKey":"freshdeskv2"`) || !strings.Contains(b, `"token"`) {
		t.Fatalf("instances %d %s", c, b)
	}
	if c, b := call("POST", "/faults", `{"latency":"50ms","rateLimit":3,"serverErrorEndpoints":["GET /instances"]}`); c != 200 || !strings.Contains(b, `"50ms"`) {
		t.Fatalf("faults %d %s", c, b)
	}
	e.s.mu.Lock()
	f := e.s.faults
	e.s.mu.Unlock()
	if f.Latency != 50*time.Millisecond || f.RateLimit != 3 {
		t.Fatalf("faults not applied: %+v", f)
	}
	if c, _ := call("POST", "/faults", `{"latency":"soon"}`); c != 400 {
		t.Fatalf("bad faults accepted: %d", c)
	}
	if c, _ := call("POST", "/reset", ""); c != 200 || len(e.s.Instances()) != 0 || e.s.Stats().Requests != 0 {
		t.Fatal("reset")
	}
	if c, _ := call("GET", "/reset", ""); c != 405 {
		t.Fatalf("GET reset: %d", c)
	}
	if len(e.s.Requests()) != 0 {
		t.Fatal("admin calls recorded")
	}
}
