package emulator

import (
	"strconv"
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

// A lagging listing answers the stores as they were the lag ago: a create,
// a rename and a delete show only once they are that old; a GET is current.
func TestListStaleAnswersAnOlderCopy(t *testing.T) {
	t.Parallel()
	const lag = 300 * time.Millisecond
	e := newEnv(t, Options{Variance: Variance{ListStale: lag}})
	inst := e.create("before")
	gone := e.create("gone")
	if _, b := e.do("GET", "/instances", nil); strings.Contains(string(b), `"before"`) {
		t.Fatalf("listing shows a create at once: %s", b)
	}
	time.Sleep(lag)
	if _, b := e.do("GET", "/instances", nil); !strings.Contains(string(b), `"before"`) {
		t.Fatalf("listing after the lag: %s", b)
	}
	e.do("PATCH", "/instances/"+idOf(inst), map[string]any{"name": "after"})
	e.do("DELETE", "/instances/"+idOf(gone), nil)
	e.create("newer")
	_, b := e.do("GET", "/instances", nil)
	if !strings.Contains(string(b), `"before"`) || !strings.Contains(string(b), `"gone"`) || strings.Contains(string(b), `"newer"`) {
		t.Fatalf("lagging listing shows the writes: %s", b)
	}
	if _, b = e.do("GET", "/instances/"+idOf(inst), nil); !strings.Contains(string(b), `"after"`) {
		t.Fatalf("GET is current: %s", b)
	}
	time.Sleep(lag)
	_, b = e.do("GET", "/instances", nil)
	if !strings.Contains(string(b), `"after"`) || !strings.Contains(string(b), `"newer"`) || strings.Contains(string(b), `"gone"`) {
		t.Fatalf("listing after the lag: %s", b)
	}
}

// FreezeListings holds every listing, formulas' too, at one moment.
func TestFreezeListings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	f := e.s.PutFormula(Formula{Name: "kept"})
	e.s.FreezeListings()
	e.s.RemoveFormula(f.ID)
	if _, b := e.do("GET", "/formulas", nil); !strings.Contains(string(b), `"kept"`) {
		t.Fatalf("frozen listing: %s", b)
	}
	if resp, _ := e.do("GET", "/formulas/"+strconv.FormatInt(f.ID, 10), nil); resp.StatusCode != 404 {
		t.Fatalf("GET of a removed formula: %d", resp.StatusCode)
	}
	e.s.ThawListings()
	if _, b := e.do("GET", "/formulas", nil); strings.Contains(string(b), `"kept"`) {
		t.Fatalf("thawed listing: %s", b)
	}
}
