package provider

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The hostile cases of issue 27 items 5, 6 and 8 for formulas, formula
// instances and batch reads: floods measured by the provider's peak RSS in
// a process of their own (limitFloods, run by floodPeaks beside
// floodShapes), and cases through the CLI (hostileLimitCases).

// floodRun is a flood measured in a process of its own; run prints the
// "flood child: " line floodShapePeakRSS looks for.
type floodRun struct {
	name string
	run  func(t *testing.T)
}

func limitFloods() []floodRun {
	return []floodRun{
		{"formula of 600,000 steps", func(t *testing.T) {
			readFormulaFlood(t, func(w *bufio.Writer, id int) { writeFormula(w, id, 600000, tinyStep) })
		}},
		{"formula at the step cap", func(t *testing.T) {
			readFormulaFlood(t, func(w *bufio.Writer, id int) { writeFormula(w, id, cloudelements.MaxFormulaSteps, cappedStep) })
		}},
		{"formula properties nested 9,000 deep", func(t *testing.T) {
			readFormulaFlood(t, func(w *bufio.Writer, id int) { writeFormula(w, id, 400, deepStep(9000)) })
		}},
		{"formula instance of 820,000 configuration entries", func(t *testing.T) {
			readFormulaInstanceFlood(t, func(w *bufio.Writer, id int) { writeFormulaInstance(w, id, 820000, 0, "") })
		}},
		{"formula instance at the configuration cap", func(t *testing.T) {
			readFormulaInstanceFlood(t, func(w *bufio.Writer, id int) {
				writeFormulaInstance(w, id, cloudelements.MaxItemConfigEntries, cloudelements.MaxItemSettings, strings.Repeat("v", 15000))
			})
		}},
		{"formula instances at the listing caps", listFormulaInstancesFlood},
		{"batch-read formula listing at the caps", batchReadFormulaFlood},
	}
}

// writeFormula writes formula id with n steps written by step.
func writeFormula(w *bufio.Writer, id, n int, step func(w *bufio.Writer, i int)) {
	fmt.Fprintf(w, `{"id":%d,"name":"flood-%d","active":true,"createdDate":"2024-01-02T03:04:05Z","configuration":[],"triggers":[],"steps":[`, id, id)
	for i := range n {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		step(w, i)
	}
	_, _ = w.WriteString("]}")
}

func tinyStep(w *bufio.Writer, _ int) { _, _ = w.WriteString(`{"name":"s"}`) }

// cappedStep is a step of about 7.5 KiB: a formula of them at the step cap
// is just under the 8 MiB answer cap, and its properties just under the cap
// on JSON values.
func cappedStep(w *bufio.Writer, i int) {
	fmt.Fprintf(w, `{"name":"s%d","type":"script","onSuccess":["s%d"],"properties":{"body":"%s","a":[`, i, i+1, strings.Repeat("p", 7000))
	repeatParts(w, 185, `%d`)
	_, _ = w.WriteString(`]}}`)
}

func deepStep(depth int) func(w *bufio.Writer, i int) {
	return func(w *bufio.Writer, i int) {
		fmt.Fprintf(w, `{"name":"s%d","properties":{"p":%s%s}}`, i, strings.Repeat("[", depth), strings.Repeat("]", depth))
	}
}

// base62 is a short unique key for i.
func base62(i int) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := []byte{'k'}
	for ; i > 0; i /= 62 {
		b = append(b, digits[i%62])
	}
	return string(b)
}

// writeFormulaInstance writes formula instance id (of formula 1) with n
// configuration entries of value pad (1 when empty) and settings settings.
func writeFormulaInstance(w *bufio.Writer, id, n, settings int, pad string) {
	fmt.Fprintf(w, `{"id":%d,"name":"flood-%d","active":true,"formulaId":1,"createdDate":"2024-01-02T03:04:05Z","settings":{`, id, id)
	for i := range settings {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		fmt.Fprintf(w, `"%s":"x"`, base62(i))
	}
	_, _ = w.WriteString(`},"configuration":{`)
	value := "1"
	if pad != "" {
		value = strconv.Quote(pad)
	}
	for i := range n {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		fmt.Fprintf(w, `"%s":%s`, base62(i), value)
	}
	_, _ = w.WriteString("}}")
}

// floodClient is a Client of srv, as the provider configures one.
func floodClient(t *testing.T, h http.Handler) *cloudelements.Client {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := cloudelements.New(cloudelements.Config{BaseURL: srv.URL + "/elements/api-v2", UserSecret: hUser, OrganizationSecret: hOrg})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// answerID answers every request with body for the id that ends its path,
// written as it goes so that the server holds none of it.
func answerID(body func(w *bufio.Writer, id int)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:])
		w.Header().Set("Content-Type", "application/json")
		bw := bufio.NewWriterSize(w, 64<<10)
		body(bw, id)
		_ = bw.Flush()
	})
}

// floodResult prints what the flood came to: refused at a cap, or read.
func floodResult(t *testing.T, err error, read string) {
	if err != nil {
		if !strings.Contains(err.Error(), "the provider's cap") {
			t.Fatalf("flood failed otherwise than at a cap: %v", err)
		}
		fmt.Println("flood child: capped:", err)
		return
	}
	fmt.Println("flood child:", read)
}

// readFormulaFlood reads a formula as the resource does on refresh:
// converted without prior state, then again with it.
func readFormulaFlood(t *testing.T, body func(w *bufio.Writer, id int)) {
	ctx := context.Background()
	f, err := floodClient(t, answerID(body)).GetFormula(ctx, 5)
	if err == nil {
		m, diags := formulaFrom(ctx, f, nil)
		if _, more := formulaFrom(ctx, f, &m); diags.HasError() || more.HasError() {
			t.Fatalf("converting the formula: %v %v", diags, more)
		}
	}
	floodResult(t, err, fmt.Sprintf("read and converted a formula of %d steps", stepsOf(f)))
}

func stepsOf(f *cloudelements.Formula) int {
	if f == nil {
		return 0
	}
	return len(f.Steps)
}

func readFormulaInstanceFlood(t *testing.T, body func(w *bufio.Writer, id int)) {
	fi, err := floodClient(t, answerID(body)).GetFormulaInstance(context.Background(), 1, 6)
	n := 0
	if err == nil {
		m := formulaInstanceFrom(fi, nil, nil)
		_ = formulaInstanceFrom(fi, &m, nil)
		n = len(fi.Configuration)
	}
	floodResult(t, err, fmt.Sprintf("read and converted a formula instance of %d configuration entries", n))
}

// listFormulaInstancesFlood lists formula instances at every listing cap,
// padded to the byte cap, and converts them as the data source does.
func listFormulaInstancesFlood(t *testing.T) {
	const n = 1000
	entries := cloudelements.MaxListFormulaInstanceConfigEntries / n
	pad := strings.Repeat("v", 62000/entries)
	h := floodPages(floodShape{name: "formula instances", items: n, item: func(w *bufio.Writer, id int) {
		writeFormulaInstance(w, id, entries, cloudelements.MaxListSettings/n, pad)
	}})
	list, err := floodClient(t, h).ListFormulaInstances(context.Background(), cloudelements.FormulaInstanceListOptions{})
	kept := make([]formulaInstanceModel, 0, len(list))
	for i := range list {
		kept = append(kept, formulaInstanceFrom(&list[i], nil, nil))
	}
	floodResult(t, err, fmt.Sprintf("listed and converted %d formula instances", len(kept)))
}

// cappedListedFormula is one of 1,000 formulas that together reach every
// listing cap of formulas at once, padded to the byte cap.
func cappedListedFormula(w *bufio.Writer, id int) {
	const n = 1000
	fmt.Fprintf(w, `{"id":%d,"name":"flood-%d","active":true,"createdDate":"2024-01-02T03:04:05Z","configuration":[`, id, id)
	repeatParts(w, cloudelements.MaxListFormulaConfigEntries/n, `{"key":"k%d"}`)
	_, _ = w.WriteString(`],"triggers":[`)
	repeatParts(w, cloudelements.MaxListTriggers/n, `{"type":"event","onSuccess":["s%d"]}`)
	fmt.Fprintf(w, `],"steps":[{"name":"pad","properties":{"body":"%s"}},`, strings.Repeat("p", 50000))
	repeatParts(w, cloudelements.MaxListFormulaSteps/n-1, `{"name":"s%d","onSuccess":["x"]}`)
	_, _ = w.WriteString(`]}`)
}

// batchReadFormulaFlood reads formulas none of which the flooded listing
// holds, so that batch reads fetch every page they may; the listing holds
// formulas at every listing cap.
func batchReadFormulaFlood(t *testing.T) {
	pages := floodPages(floodShape{name: "formulas", items: 1000, item: cappedListedFormula})
	one := answerID(func(w *bufio.Writer, id int) { writeFormula(w, id, 1, tinyStep) })
	c := floodClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/formulas") {
			pages.ServeHTTP(w, r)
			return
		}
		one.ServeHTTP(w, r)
	}))
	ctx := context.Background()
	for id := range 40 {
		f, err := c.ReadFormula(ctx, int64(900000+id), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, diags := formulaFrom(ctx, f, nil); diags.HasError() {
			t.Fatal(diags)
		}
	}
	st, _ := c.FormulaBatchStats()
	if st.Pages < 2 {
		t.Fatalf("batch reads fetched %d pages of the flood: nothing measured", st.Pages)
	}
	fmt.Printf("flood child: read 40 formulas beside a listing of %d pages, %d formulas, complete=%d\n", st.Pages, st.Listed, st.Complete)
}

// hookedEmulator is the emulator, save for what its hook answers.
type hookedEmulator struct {
	emu  *emulator.Server
	mu   sync.Mutex
	hook func(w http.ResponseWriter, r *http.Request) bool
}

func (h *hookedEmulator) set(hook func(w http.ResponseWriter, r *http.Request) bool) func() {
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.hook = hook
	}
}

func (h *hookedEmulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	hook := h.hook
	h.mu.Unlock()
	if hook == nil || !hook(w, r) {
		h.emu.ServeHTTP(w, r)
	}
}

// hookedCase is a case against the emulator whose answers the case's
// steps may replace.
func hookedCase(name string, bound time.Duration, steps func(h *hookedEmulator, p string) []resource.TestStep) hostileCase {
	h := &hookedEmulator{}
	return hostileCase{
		name: name, bound: bound,
		handler: func(*testing.T) http.Handler {
			h.emu = emulator.New(emulator.Options{UserSecret: hUser, OrganizationSecret: hOrg, Seed: 1})
			return h
		},
		steps: func(_ *hostileServer, p string) []resource.TestStep { return steps(h, p) },
	}
}

// floodFormulas is n formulas of one step and, with instances, n formula
// instances of the first.
func floodFormulas(n int, instances bool) string {
	config := fmt.Sprintf(`resource "cloudelements_formula" "f" {
  count = %d
  name  = "flood-${count.index}"
  steps = { run = { type = "script", properties = jsonencode({ body = "done(true);" }) } }
}
`, n)
	if instances {
		config += fmt.Sprintf(`resource "cloudelements_formula_instance" "fi" {
  count      = %d
  formula_id = cloudelements_formula.f[0].id
  name       = "flood-${count.index}"
}
`, n)
	}
	return config
}

var (
	formulaPathRE         = regexp.MustCompile(`^/elements/api-v2/formulas/\d+$`)
	formulaInstancePathRE = regexp.MustCompile(`^/elements/api-v2/formulas/\d+/instances/\d+$`)
)

// answerGet answers GETs of paths matching re with body, for the id that
// ends the path.
func answerGet(re *regexp.Regexp, body func(w *bufio.Writer, id int)) hookFor {
	return func(*hookedEmulator) func(http.ResponseWriter, *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodGet || !re.MatchString(r.URL.Path) {
				return false
			}
			answerID(body).ServeHTTP(w, r)
			return true
		}
	}
}

// hookFor makes a hook that may use the case's emulator.
type hookFor func(h *hookedEmulator) func(http.ResponseWriter, *http.Request) bool

// refreshWith creates config, then refreshes it with hook answering: the
// plan fails with expect ("": the plan is empty), within the case's bound;
// then the emulator answers alone again, so that destroy runs.
func refreshWith(config, expect string, hook hookFor) func(*hookedEmulator, string) []resource.TestStep {
	return func(h *hookedEmulator, p string) []resource.TestStep {
		refresh := resource.TestStep{PreConfig: h.set(hook(h)), Config: p + config, PlanOnly: true}
		if expect != "" {
			refresh.ExpectError = wrapped(expect)
		}
		return []resource.TestStep{{Config: p + config}, refresh, {PreConfig: h.set(nil), Config: p + config}}
	}
}

// wrapped matches text as Terraform shows it: wrapped at any space.
func wrapped(text string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(text, " ", `\s+`))
}

// listedLogged counts the listings a hook answered: a case whose hook was
// never asked proves nothing.
func listedLogged(n *atomic.Int32) func(string) error {
	return func(string) error {
		if n.Load() == 0 {
			return fmt.Errorf("the flooded listing was never asked for")
		}
		return nil
	}
}

func hostileLimitCases() []hostileCase {
	var listings, fiListings atomic.Int32
	floodedListing := func(*hookedEmulator) func(http.ResponseWriter, *http.Request) bool {
		pages := floodPages(floodShape{name: "formulas", items: 1000, item: cappedListedFormula})
		return func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodGet || r.URL.Path != "/elements/api-v2/formulas" {
				return false
			}
			listings.Add(1)
			pages.ServeHTTP(w, r)
			return true
		}
	}
	// The emulator's listing of formula instances, and one more of another
	// formula whose configuration holds a token this run never learns.
	unlearntListed := func(h *hookedEmulator) func(http.ResponseWriter, *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodGet || r.URL.Path != "/elements/api-v2/formulas/instances" {
				return false
			}
			fiListings.Add(1)
			rec := httptest.NewRecorder()
			h.emu.ServeHTTP(rec, r)
			var items []json.RawMessage
			_ = json.Unmarshal(rec.Body.Bytes(), &items)
			items = append(items, json.RawMessage(`{"id":990001,"name":"someone else's","active":true,"formulaId":1,`+
				`"configuration":{"desk":`+jsonString(hTok2)+`},"settings":{}}`))
			hostileJSON(w, 200, items)
			return true
		}
	}
	flooded := hookedCase("batch reads: formula listing flooded at every cap", 3*time.Minute,
		refreshWith(floodFormulas(11, false), "", floodedListing))
	flooded.clean = listedLogged(&listings)
	unlearnt := hookedCase("batch reads: a formula-instance listing page carries a secret not yet learnt", 0,
		refreshWith(floodFormulas(11, true), "", unlearntListed))
	unlearnt.clean = listedLogged(&fiListings)
	return []hostileCase{
		hookedCase("formula answered with 270,000 steps", 0, refreshWith(floodFormulas(1, false),
			`formula \d+ has more than 1000 steps \(the provider's cap on one formula\)`,
			answerGet(formulaPathRE, func(w *bufio.Writer, id int) { writeFormula(w, id, 270000, tinyStep) }))),
		hookedCase("formula instance answered with 820,000 configuration entries", 0, refreshWith(floodFormulas(1, true),
			`formula instance \d+ has more than 500 configuration entries`,
			answerGet(formulaInstancePathRE, func(w *bufio.Writer, id int) { writeFormulaInstance(w, id, 820000, 0, "") }))),
		hookedCase("formula step properties nested 9,000 deep", time.Minute, refreshWith(floodFormulas(1, false),
			`formula \d+ has "steps" nested more than 64 levels deep`,
			answerGet(formulaPathRE, func(w *bufio.Writer, id int) { writeFormula(w, id, 1, deepStep(9000)) }))),
		flooded, unlearnt,
	}
}
