package cloudelements

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A host name that does not exist is reported at once (no retry, no
// backoff), as ErrHostNotFound. ".invalid" never resolves (RFC 6761), so
// the lookup fails without the network; a machine with no resolver at all
// fails it another way, which is no test of this.
func TestHostNotFoundNotRetried(t *testing.T) {
	if _, err := net.DefaultResolver.LookupHost(context.Background(), "nonexistent.invalid"); err == nil {
		t.Skip("nonexistent.invalid resolves here")
	} else if de := (*net.DNSError)(nil); !errors.As(err, &de) || !de.IsNotFound {
		t.Skipf("this machine's resolver does not answer NXDOMAIN: %v", err)
	}
	cfg := testConfig("https://nonexistent.invalid")
	cfg.RetryWaitMin, cfg.RetryWaitMax = 10*time.Second, 20*time.Second // a retry would show in the time taken
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.GetInstance(context.Background(), 1)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s: the lookup failure was retried", took)
	}
	if !IsHostNotFound(err) || !strings.Contains(err.Error(), `"nonexistent.invalid" does not resolve`) {
		t.Fatalf("error %v", err)
	}
	if n := c.RetryCounts(); len(n) != 0 {
		t.Errorf("retries %v", n)
	}
}

// The same through a dialer that fails as net.Dialer does for a name that
// does not exist: hermetic, whatever the machine's resolver.
func TestHostNotFoundFromTheDialer(t *testing.T) {
	dials := 0
	cfg := testConfig("https://api.example.invalid")
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{
		DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
			dials++
			return nil, &net.OpError{Op: "dial", Net: network,
				Err: &net.DNSError{Err: "no such host", Name: "api.example.invalid", IsNotFound: true}}
		},
	}}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetInstance(context.Background(), 1)
	if !IsHostNotFound(err) || dials != 1 {
		t.Fatalf("dials %d, error %v", dials, err)
	}
	// A lookup that may pass later (a resolver timeout) is still retried.
	dials = 0
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{
		DialContext: func(_ context.Context, network, addr string) (net.Conn, error) {
			dials++
			return nil, &net.OpError{Op: "dial", Net: network,
				Err: &net.DNSError{Err: "server misbehaving", Name: "api.example.invalid", IsTemporary: true}}
		},
	}}
	cfg.MaxRetries = 2
	c, _ = New(cfg)
	if _, err := c.GetInstance(context.Background(), 1); IsHostNotFound(err) || dials != 3 {
		t.Fatalf("temporary failure: dials %d, error %v", dials, err)
	}
}
