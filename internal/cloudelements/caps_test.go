package cloudelements

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// joined is n parts made by part(i), joined by commas.
func joined(n int, part func(i int) string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(part(i))
	}
	return b.String()
}

func steps(n int) string {
	return `"steps":[` + joined(n, func(i int) string { return fmt.Sprintf(`{"name":"s%d"}`, i) }) + `]`
}

func triggers(n int) string {
	return `"triggers":[` + joined(n, func(int) string { return `{"type":"event"}` }) + `]`
}

func formulaConfig(n int) string {
	return `"configuration":[` + joined(n, func(i int) string { return fmt.Sprintf(`{"key":"k%d"}`, i) }) + `]`
}

// links is one step with n onSuccess names.
func links(n int) string {
	return `"steps":[{"name":"s","onSuccess":[` + joined(n, func(int) string { return `"s"` }) + `]}]`
}

func entries(key string, n int) string {
	return `"` + key + `":{` + joined(n, func(i int) string { return fmt.Sprintf(`"k%d":"v"`, i) }) + `}`
}

func tagList(n int) string {
	return `"tags":[` + joined(n, func(i int) string { return fmt.Sprintf(`"t%d"`, i) }) + `]`
}

// nested is a JSON value of depth levels: [[[...]]].
func nested(depth int) string { return strings.Repeat("[", depth) + strings.Repeat("]", depth) }

// properties is one step whose properties hold value.
func properties(value string) string {
	return `"steps":[{"name":"s","properties":{"p":` + value + `}}]`
}

type decodeKind struct {
	kind   string
	decode func([]byte) error
}

var (
	instanceKind = decodeKind{"instance", func(b []byte) error { _, err := DecodeInstance(b); return err }}
	formulaKind  = decodeKind{"formula", func(b []byte) error { _, err := DecodeFormula(b); return err }}
	fiKind       = decodeKind{"formula instance", func(b []byte) error { _, err := DecodeFormulaInstance(b); return err }}
)

// itemCapCases are, for every kind, a field at its cap and the message
// for one past it; the deepest properties an item may hold are 60 levels
// (item, steps, step, properties, then the value).
var itemCapCases = []struct {
	k     decodeKind
	field func(n int) string
	limit int
	want  string
}{
	{instanceKind, tagList, MaxItemTags, "more than 100 tags (the provider's cap on one instance)"},
	{instanceKind, func(n int) string { return entries("configuration", n) }, MaxItemConfigEntries, "more than 500 configuration entries"},
	{formulaKind, steps, MaxFormulaSteps, "more than 1000 steps (the provider's cap on one formula)"},
	{formulaKind, triggers, MaxFormulaTriggers, "more than 100 triggers"},
	{formulaKind, formulaConfig, MaxItemConfigEntries, "more than 500 configuration entries (the provider's cap on one formula)"},
	{formulaKind, links, MaxFormulaLinks, "more than 10000 onSuccess and onFailure names"},
	{formulaKind, func(n int) string { return properties("[" + joined(n, func(int) string { return "0" }) + "]") },
		MaxItemValues - 6, "more than 200000 JSON values (the provider's cap on one formula)"},
	{formulaKind, func(n int) string { return properties(nested(n)) }, MaxJSONDepth - 4,
		`has "steps" nested more than 64 levels deep (the provider's cap on JSON nesting)`},
	{fiKind, func(n int) string { return entries("configuration", n) }, MaxItemConfigEntries, "more than 500 configuration entries (the provider's cap on one formula instance)"},
	{fiKind, func(n int) string { return entries("settings", n) }, MaxItemSettings, "more than 100 settings"},
	{instanceKind, func(n int) string { return `"configuration":{"k":` + nested(n) + `}` }, MaxJSONDepth - 2,
		`instance 12 has "configuration" nested`},
}

// Every item cap of every kind: an item at the cap decodes, one past it is
// refused naming the kind, the id (wherever it is in the item) and the cap.
func TestItemCaps(t *testing.T) {
	for _, tc := range itemCapCases {
		at := fmt.Sprintf(`{"id":12,%s}`, tc.field(tc.limit))
		if err := tc.k.decode([]byte(at)); err != nil {
			t.Errorf("%s: %s at the cap (%d): %v", tc.k.kind, tc.want, tc.limit, err)
		}
		for _, past := range []string{fmt.Sprintf(`{"id":12,%s}`, tc.field(tc.limit+1)), fmt.Sprintf(`{%s,"id":"12"}`, tc.field(tc.limit+1))} {
			err := tc.k.decode([]byte(past))
			var ce *capError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.k.kind+" 12 has ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s past the cap: %v, want %q naming %s 12", tc.k.kind, err, tc.want, tc.k.kind)
			}
		}
	}
	// A duplicate id after a capped field is still refused as ambiguous.
	if err := formulaKind.decode([]byte(`{"id":1,` + steps(MaxFormulaSteps+1) + `,"id":2}`)); err == nil || !strings.Contains(err.Error(), `duplicate key "id"`) {
		t.Errorf("duplicate id after a capped field: %v", err)
	}
	// Caps count where the kind keeps them: onSuccess names nested deeper
	// (in properties) are properties, not links.
	deep := properties(`{"onSuccess":[` + joined(MaxFormulaLinks+1, func(int) string { return `"s"` }) + `]}`)
	if err := formulaKind.decode([]byte(`{"id":3,` + deep + `}`)); err != nil {
		t.Errorf("onSuccess inside properties counted as links: %v", err)
	}
}

// The floods of issue 27 are refused while the item is scanned: nothing of
// them is decoded, so refusing costs little memory and time.
func TestItemCapsRefuseFloodsCheaply(t *testing.T) {
	for _, tc := range []struct {
		name string
		k    decodeKind
		body string
	}{
		{"270,000 steps", formulaKind, `{"id":7,` + steps(270000) + `}`},
		{"820,000 configuration entries", fiKind, `{"id":7,` + entries("configuration", 820000) + `}`},
		{"properties nested 9,000 deep", formulaKind, `{"id":7,` + properties(nested(9000)) + `}`},
		{"2,000,000 link names", formulaKind, `{"id":7,` + links(2000000) + `}`},
	} {
		body := []byte(tc.body)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		err := tc.k.decode(body)
		took := time.Since(start)
		runtime.ReadMemStats(&after)
		var ce *capError
		if !errors.As(err, &ce) || ce.id != "7" {
			t.Errorf("%s: %v, want a cap naming %s 7", tc.name, err, tc.k.kind)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<10 {
			t.Errorf("%s: refusing allocated %d KiB", tc.name, alloc>>10)
		}
		// The memory bound above is the test; this one only catches a
		// scan gone pathological, with room for the race detector on a
		// loaded machine.
		if took > 30*time.Second {
			t.Errorf("%s: refusing took %s", tc.name, took)
		}
	}
}

// pagedItems serves items at path in pages of perPage, and the item of
// each id on GET path/{id}; gets counts those GETs.
type pagedItems struct {
	path    string
	items   []string
	perPage int
	one     func(id int) string
	mu      sync.Mutex
	gets    map[int]int
}

func (s *pagedItems) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/elements/api-v2")
	if p != s.path {
		id, _ := strconv.Atoi(p[strings.LastIndexByte(p, '/')+1:])
		s.mu.Lock()
		s.gets[id]++
		s.mu.Unlock()
		_, _ = w.Write([]byte(s.one(id)))
		return
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("nextPage"))
	last := min((n+1)*s.perPage, len(s.items))
	if last < len(s.items) {
		w.Header().Set("Elements-Next-Page-Token", strconv.Itoa(n+1))
	}
	_, _ = w.Write([]byte("[" + strings.Join(s.items[n*s.perPage:last], ",") + "]"))
}

// items is n items of one field each, ids 1 to n.
func itemsOf(n int, field string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`{"id":%d,"name":"n",%s}`, i+1, field)
	}
	return out
}

// Every listing cap of the new kinds: the listing, all pages together,
// stops past it with an error naming the cap (and an item past an item
// cap stops it too, naming the item).
func TestListCapsEveryKind(t *testing.T) {
	listFormulas := func(c *Client) error { _, err := c.ListFormulas(t.Context(), FormulaListOptions{}); return err }
	listFIs := func(c *Client) error {
		_, err := c.ListFormulaInstances(t.Context(), FormulaInstanceListOptions{})
		return err
	}
	for _, tc := range []struct {
		name  string
		path  string
		list  func(*Client) error
		items []string
		want  string
	}{
		{"steps", "/formulas", listFormulas, itemsOf(MaxListFormulaSteps/MaxFormulaSteps+1, steps(MaxFormulaSteps)), "more than 100000 steps over all formulas"},
		{"triggers", "/formulas", listFormulas, itemsOf(MaxListTriggers/MaxFormulaTriggers+1, triggers(MaxFormulaTriggers)), "more than 40000 triggers over all formulas"},
		{"links", "/formulas", listFormulas, itemsOf(MaxListFormulaLinks/MaxFormulaLinks+1, links(MaxFormulaLinks)), "more than 200000 onSuccess and onFailure names over all"},
		{"formula configuration", "/formulas", listFormulas, itemsOf(MaxListFormulaConfigEntries/MaxItemConfigEntries+1, formulaConfig(MaxItemConfigEntries)), "more than 100000 configuration entries over all formulas"},
		{"a formula past an item cap", "/formulas", listFormulas, append(itemsOf(3, steps(1)), `{"id":9,`+steps(MaxFormulaSteps+1)+`}`), "formulas list item 3: formula 9 has more than 1000 steps"},
		{"formula instance configuration", "/formulas/instances", listFIs, itemsOf(MaxListFormulaInstanceConfigEntries/MaxItemConfigEntries+1, entries("configuration", MaxItemConfigEntries)), "more than 200000 configuration entries over all formula instances"},
		{"settings", "/formulas/instances", listFIs, itemsOf(MaxListSettings/MaxItemSettings+1, entries("settings", MaxItemSettings)), "more than 60000 settings over all formula instances"},
		{"a formula instance past an item cap", "/formulas/instances", listFIs, itemsOf(1, entries("settings", MaxItemSettings+1)), "formula instance 1 has more than 100 settings"},
	} {
		c := newTestClient(t, &pagedItems{path: tc.path, items: tc.items, perPage: 200})
		err := tc.list(c)
		if !errors.Is(err, errListCap) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	// Nesting is refused, but as an unexpected answer, not a size.
	c := newTestClient(t, &pagedItems{path: "/formulas", items: []string{`{"id":4,` + properties(nested(100)) + `}`}, perPage: 1})
	if err := listFormulas(c); err == nil || errors.Is(err, errListCap) || !strings.Contains(err.Error(), "formula 4 has \"steps\" nested") {
		t.Errorf("nested listing: %v", err)
	}
}

// Batch reads keep the listing caps over all the pages of a listing: past
// one, the listing stops, nothing of the page that passed it answers, and
// the formulas on it are read whole by GET.
func TestBatchReadListingCaps(t *testing.T) {
	const perPage = 10
	n := MaxListFormulaSteps/MaxFormulaSteps + 1 // the last formula passes the cap, on page 11
	s := &pagedItems{path: "/formulas", items: itemsOf(n, steps(MaxFormulaSteps)), perPage: perPage, gets: map[int]int{},
		one: func(id int) string {
			return fmt.Sprintf(`{"id":%d,"name":"n","configuration":[],"triggers":[],%s}`, id, steps(1))
		}}
	c := newTestClient(t, s, func(cfg *Config) { cfg.BatchReads.MinReads = 1 })
	for id := 1000; id < 1040; id++ { // not listed: each read fetches what the rule allows
		if _, err := c.ReadFormula(t.Context(), int64(id), nil); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := c.FormulaBatchStats()
	if st.Complete != 0 || st.Pages != n/perPage || st.Listed != n-1 {
		t.Errorf("stats %+v, want the listing stopped after %d pages, %d formulas", st, n/perPage, n-1)
	}
	f, err := c.ReadFormula(t.Context(), int64(n), nil)
	if err != nil || len(f.Steps) != 1 || s.gets[n] != 1 {
		t.Errorf("formula %d past the cap: %+v, %v, %d GETs; want it read whole by GET", n, f, err, s.gets[n])
	}
	// An item past an item cap stops the listing too; a GET of it is
	// refused naming the formula and the cap, never kept in part.
	s = &pagedItems{path: "/formulas", items: append(itemsOf(3, steps(1)), `{"id":9,`+steps(MaxFormulaSteps+1)+`}`), perPage: 10,
		gets: map[int]int{}, one: func(id int) string { return fmt.Sprintf(`{"id":%d,%s}`, id, steps(MaxFormulaSteps+1)) }}
	c = newTestClient(t, s, func(cfg *Config) { cfg.BatchReads.MinReads = 1 })
	_, _ = c.ReadFormula(t.Context(), 1000, nil)
	_, err = c.ReadFormula(t.Context(), 9, nil)
	if err == nil || !strings.Contains(err.Error(), "GET /formulas/9") || !strings.Contains(err.Error(), "formula 9 has more than 1000 steps") {
		t.Errorf("formula past an item cap: %v", err)
	}
}
