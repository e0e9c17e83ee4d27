package emulator

import (
	"strings"
	"testing"
	"time"
)

func TestListAbridgedLeavesOutConfigurationAndToken(t *testing.T) {
	t.Parallel()
	opts, _ := Options{}.WithProfile("list-abridged")
	e := newEnv(t, opts)
	inst := e.create("abridged")
	_, b := e.do("GET", "/instances", nil)
	if strings.Contains(string(b), `"configuration"`) || strings.Contains(string(b), `"token"`) ||
		!strings.Contains(string(b), `"abridged"`) {
		t.Fatalf("listing: %s", b)
	}
	_, b = e.do("GET", "/instances/"+idOf(inst), nil)
	if !strings.Contains(string(b), `"configuration"`) || !strings.Contains(string(b), `"token"`) {
		t.Fatalf("GET is whole: %s", b)
	}
}

func TestListStaleAnswersAnOlderCopy(t *testing.T) {
	t.Parallel()
	opts := Options{Variance: Variance{ListStale: 300 * time.Millisecond}}
	e := newEnv(t, opts)
	inst := e.create("before")
	_, b := e.do("GET", "/instances", nil) // takes the copy
	if !strings.Contains(string(b), `"before"`) {
		t.Fatalf("listing: %s", b)
	}
	e.do("PATCH", "/instances/"+idOf(inst), map[string]any{"name": "after"})
	e.create("newer")
	_, b = e.do("GET", "/instances", nil)
	if !strings.Contains(string(b), `"before"`) || strings.Contains(string(b), `"newer"`) {
		t.Fatalf("stale listing shows the writes: %s", b)
	}
	_, b = e.do("GET", "/instances/"+idOf(inst), nil)
	if !strings.Contains(string(b), `"after"`) {
		t.Fatalf("GET is current: %s", b)
	}
	time.Sleep(350 * time.Millisecond)
	_, b = e.do("GET", "/instances", nil)
	if !strings.Contains(string(b), `"after"`) || !strings.Contains(string(b), `"newer"`) {
		t.Fatalf("listing after the lag: %s", b)
	}
}
