package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// flaky answers with fail(n) for the first calls, then an instance.
func flaky(failures int, fail func(n int, w http.ResponseWriter)) (http.Handler, *atomic.Int32) {
	var calls atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		if n <= failures {
			fail(n, w)
			return
		}
		writeJSON(w, 200, instanceJSON(12, "x"))
	}), &calls
}

func status(code int, retryAfter string) func(int, http.ResponseWriter) {
	return func(_ int, w http.ResponseWriter) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		writeJSON(w, code, map[string]string{"message": http.StatusText(code)})
	}
}

func TestRetriesTransient(t *testing.T) {
	for _, code := range []int{429, 502, 503, 504} {
		h, calls := flaky(2, status(code, ""))
		c := newTestClient(t, h)
		if _, err := c.GetInstance(context.Background(), 12); err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		if calls.Load() != 3 || c.RetryCounts()[statusReason(code)] != 2 {
			t.Errorf("%d: calls %d counts %v", code, calls.Load(), c.RetryCounts())
		}
	}
}

func TestRetryConnectionReset(t *testing.T) {
	h, calls := flaky(2, func(_ int, w http.ResponseWriter) { hangUp(t, w, true) })
	c := newTestClient(t, h)
	if err := c.SetInstanceEnabled(context.Background(), 12, "", true); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Errorf("calls %d", calls.Load())
	}
	n := c.RetryCounts()["connection reset"] + c.RetryCounts()["connection closed"]
	if n != 2 {
		t.Errorf("counts %v", c.RetryCounts())
	}
}

func TestNoRetryOn500And400(t *testing.T) {
	for _, code := range []int{500, 400} {
		h, calls := flaky(5, status(code, ""))
		c := newTestClient(t, h)
		_, err := c.GetInstance(context.Background(), 12)
		if err == nil || calls.Load() != 1 {
			t.Errorf("%d: err %v calls %d", code, err, calls.Load())
		}
	}
}

func TestMaxRetriesBound(t *testing.T) {
	for _, tc := range []struct{ max, calls int32 }{{0, 6}, {2, 3}, {-1, 1}} {
		h, calls := flaky(100, status(503, ""))
		c := newTestClient(t, h, func(c *Config) { c.MaxRetries = int(tc.max) })
		_, err := c.GetInstance(context.Background(), 12)
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || calls.Load() != tc.calls {
			t.Errorf("max %d: calls %d err %v", tc.max, calls.Load(), err)
		}
	}
}

func TestRetryAfterSecondsAndDate(t *testing.T) {
	for _, date := range []bool{false, true} {
		ra := "1"
		if date { // computed here: the first case takes a second
			ra = time.Now().Add(1500 * time.Millisecond).UTC().Format(http.TimeFormat)
		}
		h, calls := flaky(1, status(429, ra))
		c := newTestClient(t, h)
		start := time.Now()
		if _, err := c.GetInstance(context.Background(), 12); err != nil {
			t.Fatal(err)
		}
		// RetryWaitMax is 5ms, so only Retry-After explains a wait this long.
		if d := time.Since(start); d < 400*time.Millisecond || calls.Load() != 2 {
			t.Errorf("Retry-After %q: waited %s, calls %d", ra, d, calls.Load())
		}
	}
}

func TestCancelEndsWaitAtOnce(t *testing.T) {
	h, _ := flaky(100, status(429, "30"))
	c := newTestClient(t, h)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetInstance(ctx, 12)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "429") {
		t.Errorf("err %v", err)
	}
}

func TestDeadlineShorterThanRetryAfter(t *testing.T) {
	h, calls := flaky(100, status(503, "60"))
	c := newTestClient(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.GetInstance(ctx, 12)
	if d := time.Since(start); d > time.Second || calls.Load() != 1 {
		t.Errorf("took %s, calls %d", d, calls.Load())
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || !strings.Contains(err.Error(), "would pass the deadline") {
		t.Errorf("err %v", err)
	}
}

func TestBackoffBounds(t *testing.T) {
	c, _ := New(testConfig("https://x"))
	c.cfg.RetryWaitMin, c.cfg.RetryWaitMax = 10*time.Millisecond, 80*time.Millisecond
	for n := 0; n < 40; n++ {
		if d := c.backoff(n, nil); d < 0 || d > 80*time.Millisecond {
			t.Fatalf("n=%d: %s", n, d)
		}
	}
	if d, ok := retryAfter(strconv.Itoa(3), time.Now()); !ok || d != 3*time.Second {
		t.Errorf("retryAfter: %s %v", d, ok)
	}
	if _, ok := retryAfter("soon", time.Now()); ok {
		t.Error("bad Retry-After accepted")
	}
}

// After a 429 with Retry-After, other requests of the same Client wait too
// instead of spending attempts on 429s of their own.
func TestRateLimitPauseIsShared(t *testing.T) {
	limited := make(chan time.Time, 1)
	var once atomic.Bool
	var secondAt atomic.Int64
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/instances/1") && once.CompareAndSwap(false, true) {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, map[string]string{"message": "slow down"})
			limited <- time.Now()
			return
		}
		id := int64(1)
		if strings.HasSuffix(r.URL.Path, "/instances/2") {
			secondAt.Store(time.Now().UnixNano())
			id = 2 // an answer about another instance would be refused
		}
		writeJSON(w, 200, instanceJSON(id, "x"))
	}))
	first := make(chan error, 1)
	go func() {
		_, err := c.GetInstance(context.Background(), 1)
		first <- err
	}()
	at := <-limited
	for deadline := time.Now().Add(time.Second); ; time.Sleep(time.Millisecond) {
		c.pauseMu.Lock()
		paused := !c.pausedUntil.IsZero()
		c.pauseMu.Unlock()
		if paused || time.Now().After(deadline) {
			break // the first call has read the 429
		}
	}
	if _, err := c.GetInstance(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if waited := time.Unix(0, secondAt.Load()).Sub(at); waited < 900*time.Millisecond {
		t.Fatalf("another request went out %v after the 429 with Retry-After: 1", waited)
	}
}

// Retries that end on connection failures say how many attempts were made
// over how long, for POST too; other errors do not.
func TestGaveUpSaysAttemptsAndTime(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens there now: connection refused
	c, err := New(testConfig(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, getErr := c.GetInstance(context.Background(), 12)
	_, postErr := c.CreateInstance(context.Background(), testRequest())
	for op, err := range map[string]error{"get": getErr, "post": postErr} {
		if err == nil || !regexp.MustCompile(`connection refused.*\(gave up after 6 attempts over [0-9.]+m?s\)$`).MatchString(err.Error()) {
			t.Errorf("%s: %v", op, err)
		}
	}

	h, _ := flaky(100, func(_ int, w http.ResponseWriter) { hangUp(t, w, true) })
	c = newTestClient(t, h, func(c *Config) { c.MaxRetries = 2 })
	if _, err := c.GetInstance(context.Background(), 12); err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts over") {
		t.Errorf("reset: %v", err)
	}

	h, _ = flaky(100, status(503, ""))
	c = newTestClient(t, h, func(c *Config) { c.MaxRetries = 2 })
	if _, err := c.GetInstance(context.Background(), 12); err == nil || strings.Contains(err.Error(), "gave up") {
		t.Errorf("503: %v", err)
	}
}

func TestGaveUpFormat(t *testing.T) {
	te := &transportError{method: "GET", path: "/instances", kind: failTimeout, reason: "timeout", err: errors.New("no answer")}
	if got := gaveUp(te, 1, time.Now()).Error(); !strings.HasSuffix(got, "(gave up after 1 attempt over 0s)") {
		t.Errorf("%s", got)
	}
	if got := gaveUp(te, 4, time.Now().Add(-7240*time.Millisecond)).Error(); !strings.HasSuffix(got, "(gave up after 4 attempts over 7.2s)") {
		t.Errorf("%s", got)
	}
	fatal := &transportError{kind: failFatal, err: errors.New("x509")}
	if gaveUp(fatal, 1, time.Now()) != error(fatal) {
		t.Error("fatal errors are not retried and need no count")
	}
}
