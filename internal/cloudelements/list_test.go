package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// floodPage is one page of n tiny instances, as a hostile platform may send.
func floodPage(n int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d}`, i)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

func TestListStopsAtItemCap(t *testing.T) {
	page := floodPage(MaxListItems + 5)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(page)
	}))
	_, err := c.ListInstances(context.Background(), ListOptions{})
	if !errors.Is(err, errListCap) || !strings.Contains(err.Error(), "narrow it with tags or a name") {
		t.Fatalf("err = %v", err)
	}
}

func TestListStopsAtByteCap(t *testing.T) {
	// Few items, but each large: pages keep coming until the byte cap.
	item := `{"id":%d,"notes":"` + strings.Repeat("n", 400<<10) + `"}`
	var page atomic.Int64
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := page.Add(1)
		w.Header().Set("Elements-Next-Page-Token", fmt.Sprint("p", n))
		items := make([]string, 10)
		for i := range items {
			items[i] = fmt.Sprintf(item, n*100+int64(i))
		}
		_, _ = w.Write([]byte("[" + strings.Join(items, ",") + "]"))
	}), func(cfg *Config) {
		// 4 MiB pages under the race detector on a loaded machine take
		// more than the usual 2 s; the point here is the cap.
		cfg.AttemptTimeout = time.Minute
	})
	_, err := c.ListInstances(context.Background(), ListOptions{})
	if !errors.Is(err, errListCap) || !strings.Contains(err.Error(), "MiB") {
		t.Fatalf("err = %v", err)
	}
	if got := page.Load(); got > MaxListBytes/(4<<20)+1 {
		t.Errorf("read %d pages past the byte cap", got)
	}
}

func TestListHonoursDeadlineBetweenPages(t *testing.T) {
	var pages atomic.Int64
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := pages.Add(1)
		time.Sleep(20 * time.Millisecond)
		w.Header().Set("Elements-Next-Page-Token", fmt.Sprint("p", n))
		_, _ = fmt.Fprintf(w, `[{"id":%d}]`, n)
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListInstances(ctx, ListOptions{})
	if err == nil || time.Since(start) > 10*time.Second { // the pages never end
		t.Fatalf("err = %v after %s", err, time.Since(start))
	}
}

func TestListRejectsTrailingData(t *testing.T) {
	for _, body := range []string{`[{"id":1}] x`, `[{"id":1}`, `[{"id":1},"x"]`, `[{"id":"x"}]`} {
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(body))
		}))
		if _, err := c.ListInstances(context.Background(), ListOptions{}); err == nil {
			t.Errorf("%s accepted", body)
		}
	}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(" [ {\"id\":1} , {\"id\":2} ] \n"))
	}))
	if list, err := c.ListInstances(context.Background(), ListOptions{}); err != nil || len(list) != 2 {
		t.Errorf("list %v, err %v", list, err)
	}
}

func TestAnswerAboutAnotherInstanceIsRefused(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, instanceJSON(1001, "other"))
	}))
	ctx := context.Background()
	checks := map[string]func() (*Instance, error){
		"GET":   func() (*Instance, error) { return c.GetInstance(ctx, 1017) },
		"PATCH": func() (*Instance, error) { name := "n"; return c.PatchInstance(ctx, 1017, InstancePatch{Name: &name}) },
		"PUT":   func() (*Instance, error) { return c.ReplaceInstance(ctx, 1017, testRequest()) },
	}
	for method, f := range checks {
		inst, err := f()
		if inst != nil || err == nil || !strings.Contains(err.Error(), "asked about instance 1017, the answer is about instance 1001") {
			t.Errorf("%s: inst %v, err %v", method, inst, err)
		}
	}
}

func FuzzAnswerID(f *testing.F) {
	f.Add(int64(1017), `{"id":1017}`)
	f.Add(int64(1017), `{"id":1001}`)
	f.Add(int64(1017), `{"id":1017,"id":1001}`)
	f.Add(int64(1017), `{"id":1001,"id":1017}`)
	f.Add(int64(1017), `{"id":"1017"}`)
	f.Add(int64(5), `{"ID":5,"id":6}`)
	f.Fuzz(func(t *testing.T, asked int64, body string) {
		if asked <= 0 {
			return
		}
		var c Client
		cl := &call{method: http.MethodGet, path: instancePath(asked), wantID: asked}
		inst, err := c.decodeInstance(cl, []byte(body))
		if err == nil && (inst == nil || inst.ID != asked) {
			t.Fatalf("asked %d, trusted an answer about %v from %s", asked, inst, body)
		}
		if err != nil && inst != nil {
			t.Fatalf("an error and an instance from %s", body)
		}
	})
}

// An element-scoped listing goes to /elements/{key}/instances, and every
// result is known by that key when the answer names the element by its id
// or not at all. An item naming another element by id alone is known by
// that element's key (issue 19, "also seen"), or by none, never by the
// scoped key; each element is looked up once.
func TestListByElementKey(t *testing.T) {
	var gotPath string
	lookups := map[string]int{}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := strings.TrimPrefix(r.URL.Path, "/elements/api-v2"); p {
		case "/elements/freshdeskv2", "/elements/491":
			lookups[p]++
			_, _ = w.Write([]byte(`{"id":491,"key":"freshdeskv2"}`))
		case "/elements/41":
			lookups[p]++
			_, _ = w.Write([]byte(`{"id":41,"key":"zendesk","name":"Zendesk"}`))
		case "/elements/42":
			lookups[p]++
			writeJSON(w, 404, map[string]string{"message": "No element found"})
		default:
			gotPath = r.URL.Path
			_, _ = w.Write([]byte(`[{"id":1,"element":{"id":491}},{"id":2,"element":{"id":7,"key":"other"}},` +
				`{"id":3},{"id":4,"elementId":41},{"id":5,"elementId":41},{"id":6,"elementId":42}]`))
		}
	}))
	c.apiConfirmed.Store(true)
	list, err := c.ListInstances(context.Background(), ListOptions{ElementKey: "freshdeskv2"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(gotPath, "/elements/freshdeskv2/instances") {
		t.Errorf("path = %q", gotPath)
	}
	var keys []string
	for _, inst := range list {
		keys = append(keys, inst.Element.Key)
	}
	if strings.Join(keys, ",") != "freshdeskv2,other,freshdeskv2,zendesk,zendesk," {
		t.Errorf("keys = %q", keys)
	}
	if lookups["/elements/freshdeskv2"] != 1 || lookups["/elements/41"] != 1 || lookups["/elements/42"] != 1 || lookups["/elements/491"] != 0 {
		t.Errorf("lookups %v", lookups)
	}
}

// A host that does not serve /elements/{key}/instances (a proxy's 404 page)
// is listed through /instances instead.
func TestListByElementKeyFallsBack(t *testing.T) {
	var paths []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		if strings.Contains(r.URL.Path, "/elements/freshdeskv2/") {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<html><body>Not Found</body></html>"))
			return
		}
		_, _ = w.Write([]byte(`[{"id":1,"element":{"id":491,"key":"freshdeskv2"}}]`))
	}))
	list, err := c.ListInstances(context.Background(), ListOptions{ElementKey: "freshdeskv2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 || !strings.HasSuffix(paths[1], "/instances") || strings.Contains(paths[1], "/elements/freshdeskv2/") {
		t.Errorf("paths = %q", paths)
	}
	if len(list) != 1 || list[0].ID != 1 {
		t.Errorf("list = %+v", list)
	}
}

// What one listed item, and all together, may carry is capped: the error
// names the cap (issue 19 item 7).
func TestListItemCaps(t *testing.T) {
	tags := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`"t%d"`, i)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	config := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`"k%d":"v"`, i)
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	// many is pages of 500 items, joined by "\n"
	many := func(items int, item string) string {
		var pages, parts []string
		for i := range items {
			parts = append(parts, fmt.Sprintf(`{"id":%d,%s}`, i+1, item))
			if len(parts) == 500 || i == items-1 {
				pages = append(pages, "["+strings.Join(parts, ",")+"]")
				parts = nil
			}
		}
		return strings.Join(pages, "\n")
	}
	for _, tc := range []struct{ name, page, want string }{
		{"tags on one item", many(1, `"tags":`+tags(MaxItemTags+1)), "instance 1 has more than 100 tags"},
		{"configuration of one item", many(1, `"configuration":`+config(MaxItemConfigEntries+1)), "more than 500 configuration entries (the provider's cap on one instance)"},
		{"a long tag", many(1, `"tags":["`+strings.Repeat("x", MaxItemStringBytes+1)+`"]`), "tag longer than 64 KiB"},
		{"a long value", many(1, `"configuration":{"k":"`+strings.Repeat("x", MaxItemStringBytes+1)+`"}`), "configuration entry longer"},
		{"tags over all items", many(MaxListTags/MaxItemTags+1, `"tags":`+tags(MaxItemTags)), "more than 200000 tags over all"},
		{"configuration over all items", many(MaxListConfigEntries/MaxItemConfigEntries+1, `"configuration":`+config(MaxItemConfigEntries)), "more than 500000 configuration entries"},
	} {
		pages := strings.Split(tc.page, "\n")
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("nextPage"))
			if n+1 < len(pages) {
				w.Header().Set("Elements-Next-Page-Token", strconv.Itoa(n+1))
			}
			_, _ = w.Write([]byte(pages[n]))
		}))
		_, err := c.ListInstances(context.Background(), ListOptions{})
		if !errors.Is(err, errListCap) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "narrow it") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
