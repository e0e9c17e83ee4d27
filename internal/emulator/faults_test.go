package emulator

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPagingWithFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for i := 0; i < 7; i++ {
		tags := []string{"all"}
		if i%2 == 0 {
			tags = append(tags, "even")
		}
		e.create(fmt.Sprintf("Inst-%d", i), tags...)
	}
	var seen []string
	next := ""
	for pages := 0; ; pages++ {
		q := url.Values{"pageSize": {"2"}, "tags[]": {"all", "even"}}
		if next != "" {
			q.Set("nextPage", next)
		}
		resp, b := e.do("GET", "/instances?"+q.Encode(), nil)
		if total := resp.Header.Get("Elements-Total-Count"); resp.StatusCode != 200 || (pages == 0 && total != "4") || (pages > 0 && total != "5") {
			t.Fatalf("page: %d %v", resp.StatusCode, resp.Header)
		}
		var page []instanceJSON
		mustUnmarshal(t, b, &page)
		if resp.Header.Get("Elements-Returned-Count") != strconv.Itoa(len(page)) {
			t.Fatal("returned count header")
		}
		for _, inst := range page {
			seen = append(seen, inst.Name)
		}
		if pages == 0 {
			e.create("Inst-late", "all", "even") // must not shift later pages
		}
		next = resp.Header.Get("Elements-Next-Page-Token")
		if next == "" {
			break
		}
	}
	want := "[Inst-0 Inst-2 Inst-4 Inst-6 Inst-late]"
	if fmt.Sprint(seen) != want {
		t.Fatalf("seen %v, want %s", seen, want)
	}

	resp, b := e.do("GET", "/instances?searchText=inst-3", nil)
	var page []map[string]any
	mustUnmarshal(t, b, &page)
	if len(page) != 1 || resp.Header.Get("Elements-Next-Page-Token") != "" {
		t.Fatalf("search: %s", b)
	}
	_, b = e.do("GET", "/instances?searchText=FRESHDESK", nil)
	mustUnmarshal(t, b, &page)
	if len(page) != 8 {
		t.Fatalf("search by element key: %d", len(page))
	}
	resp, _ = e.do("GET", "/instances?pageSize=501", nil)
	if resp.Header.Get("Elements-Error") == "" {
		t.Fatal("no cap warning")
	}
	for _, q := range []string{"pageSize=0", "pageSize=-1", "pageSize=x", "nextPage=garbage"} {
		resp, b = e.do("GET", "/instances?"+q, nil)
		wantError(t, resp, b, 400)
	}
	e.s.SetDefaultPageSize(3)
	resp, _ = e.do("GET", "/instances", nil)
	if resp.Header.Get("Elements-Returned-Count") != "3" || resp.Header.Get("Elements-Next-Page-Token") == "" {
		t.Fatalf("default page size: %v", resp.Header)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: Faults{RateLimit: 2}})
	var limited int
	for i := 0; i < 5; i++ {
		resp, b := e.do("GET", "/instances", nil)
		if resp.StatusCode == 429 {
			limited++
			wantError(t, resp, b, 429)
			if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || n < 1 {
				t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
		}
	}
	if limited < 2 || e.s.Stats().FaultsInjected["429"] != limited {
		t.Fatalf("limited %d, stats %+v", limited, e.s.Stats())
	}
}

func TestServerErrorsOnlyOnEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: Faults{ServerErrorRate: 1, ServerErrorEndpoints: []string{"post /instances"}}})
	resp, b := e.do("POST", "/instances", createBody("x"))
	if resp.StatusCode < 500 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	wantError(t, resp, b, resp.StatusCode)
	if resp, _ := e.do("GET", "/instances", nil); resp.StatusCode != 200 {
		t.Fatalf("GET hit: %d", resp.StatusCode)
	}
	if len(e.s.Instances()) != 0 || e.s.Stats().FaultsInjected["5xx"] != 1 {
		t.Fatal("5xx did something")
	}
}

func TestResetIsTransportError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: Faults{ResetRate: 1}})
	if _, _, err := e.try("POST", "/instances", createBody("x")); err == nil {
		t.Fatal("no transport error")
	}
	if len(e.s.Instances()) != 0 {
		t.Fatal("reset committed")
	}
	rq := e.s.Requests()
	if len(rq) == 0 || rq[0].Status != 0 || rq[0].Fault != "reset" {
		t.Fatalf("recorded %+v", rq)
	}
}

func TestDropCreateCommits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: Faults{DropCreateRate: 1}})
	if _, _, err := e.try("POST", "/instances", createBody("x")); err == nil {
		t.Fatal("no transport error")
	}
	if len(e.s.Instances()) != 1 || e.s.Stats().FaultsInjected["drop-create"] != 1 {
		t.Fatalf("instances %v stats %+v", e.s.Instances(), e.s.Stats())
	}
}

func TestScriptedFaultsInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.s.Script("POST", "/instances",
		Fault{Kind: FaultStatus, Status: 503, RetryAfter: "2"},
		Fault{Kind: FaultReset},
		Fault{Kind: FaultCommitThenDrop},
		Fault{Kind: FaultCommitThenStatus, Status: 502},
		Fault{Kind: FaultDelay, Delay: 30 * time.Millisecond},
	)
	resp, _ := e.do("POST", "/instances", createBody("a"))
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" || len(e.s.Instances()) != 0 {
		t.Fatalf("status fault: %d", resp.StatusCode)
	}
	if _, _, err := e.try("POST", "/instances", createBody("b")); err == nil || len(e.s.Instances()) != 0 {
		t.Fatal("reset fault")
	}
	if _, _, err := e.try("POST", "/instances", createBody("c")); err == nil || len(e.s.Instances()) != 1 {
		t.Fatal("commit-then-drop fault")
	}
	if resp, _ := e.do("POST", "/instances", createBody("d")); resp.StatusCode != 502 || len(e.s.Instances()) != 2 {
		t.Fatal("commit-then-status fault")
	}
	start := time.Now()
	if resp, _ := e.do("POST", "/instances", createBody("e")); resp.StatusCode != 200 || time.Since(start) < 30*time.Millisecond {
		t.Fatal("delay fault")
	}
	if resp, _ := e.do("POST", "/instances", createBody("f")); resp.StatusCode != 200 {
		t.Fatal("script not exhausted")
	}
	var faults []string
	for _, r := range e.s.RequestsTo("POST", "/instances") {
		faults = append(faults, r.Fault)
	}
	want := "[scripted-status scripted-reset scripted-commit-then-drop scripted-commit-then-status scripted-delay ]"
	if fmt.Sprint(faults) != want || e.s.Stats().FaultsInjected["scripted"] != 5 {
		t.Fatalf("faults %v", faults)
	}
}

func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Faults: Faults{LatencyJitter: 2 * time.Millisecond}})
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			resp, _, err := e.try("POST", "/instances", createBody(fmt.Sprint("c", i)))
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("create %d: %v", i, err)
			}
			_, _, _ = e.try("GET", "/instances", nil)
		}(i)
	}
	wg.Wait()
	st := e.s.Stats()
	if st.Creates != 50 || st.Instances != 50 || st.ByEndpoint["POST /instances"] != 50 || st.Requests != 100 {
		t.Fatalf("stats %+v", st)
	}
	tokens := map[string]bool{}
	for _, inst := range e.s.Instances() {
		tokens[inst.Token] = true
	}
	if len(tokens) != 50 || len(e.s.RequestsTo("", "/instances/*")) != 0 {
		t.Fatal("tokens not unique or bad pattern match")
	}
}

func TestSeedModifyRemove(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	inst := e.s.PutInstance(Instance{Name: "hand", Configuration: map[string]string{"subdomain": "s", "username": "u"}})
	if inst.ID != 1000 || inst.Token == "" || inst.ElementKey != "freshdeskv2" || !inst.Valid ||
		inst.Configuration["base.url"] != "https://s.freshdesk.com" {
		t.Fatalf("seeded %+v", inst)
	}
	e.s.ModifyInstance(inst.ID, func(i *Instance) { i.Name = "drift"; i.Tags = []string{"x"} })
	_, b := e.do("GET", "/instances/1000", nil)
	if decode(t, b)["name"] != "drift" {
		t.Fatalf("modify not visible: %s", b)
	}
	if !e.s.RemoveInstance(inst.ID) || e.s.RemoveInstance(inst.ID) {
		t.Fatal("remove")
	}
	resp, b := e.do("GET", "/instances/1000", nil)
	wantError(t, resp, b, 404)
}

func TestCommitThenBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.s.Script("POST", "/instances", Fault{Kind: FaultCommitThenBody, Body: `{"id":{id},"name":`})
	resp, b := e.do("POST", "/instances", createBody("cut"))
	if resp.StatusCode != 200 || string(b) != `{"id":1000,"name":` {
		t.Fatalf("answer %d %q", resp.StatusCode, b)
	}
	if _, ok := e.s.Instance(1000); !ok {
		t.Fatal("the work was not done")
	}
}

func TestCommitThenMalformed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.s.Script("POST", "/instances", Fault{Kind: FaultCommitThenMalformed})
	_, _, err := e.try("POST", "/instances", createBody("garbled"))
	if err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("err %v", err)
	}
	if _, ok := e.s.Instance(1000); !ok {
		t.Fatal("the work was not done")
	}
	if r := e.s.RequestsTo("POST", "/instances"); len(r) != 1 || r[0].Fault != "scripted-commit-then-malformed" || r[0].Status != 0 {
		t.Fatalf("recorded %+v", r)
	}
}
