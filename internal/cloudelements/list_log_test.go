package cloudelements

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// unlearnt is a secret the run has not learnt: the platform answers it in
// a listed item's configuration before any resource reads that item.
const unlearnt = "FAKE-unlearnt-Zq81"

// A listing page is never logged whole, at any level, for every kind and
// batch reads included: the log names how many items a page held and their
// ids, never their values (issue 27 item 6).
func TestListingBodiesNeverLogged(t *testing.T) {
	t.Setenv("TF_LOG", "TRACE") // the client logs only when Terraform would show it
	items := map[string]string{
		"/instances": `[{"id":41,"name":"a","token":"` + unlearnt + `","element":{"key":"jira"},"configuration":{"jira.host":"` + unlearnt + `"}}]`,
		"/formulas": `[{"id":42,"name":"f","configuration":[],"triggers":[],` +
			`"steps":[{"name":"s","type":"script","properties":{"body":"` + unlearnt + `"}}]}]`,
		"/formulas/instances": `[{"id":43,"name":"fi","formulaId":42,"configuration":{"desk":"` + unlearnt + `"},"settings":{}}]`,
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/elements/api-v2")
		if body, ok := items[p]; ok {
			_, _ = w.Write([]byte(body))
			return
		}
		var id int
		_, _ = fmt.Sscanf(p[strings.LastIndexByte(p, '/')+1:], "%d", &id)
		_, _ = fmt.Fprintf(w, `{"id":%d,"name":"f","configuration":[],"triggers":[],"steps":[]}`, id)
	})
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	c := newTestClient(t, h, func(cfg *Config) { cfg.BatchReads.MinReads = 1 })
	if _, err := c.ListInstances(ctx, ListOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListFormulas(ctx, FormulaListOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListFormulaInstances(ctx, FormulaInstanceListOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{7, 8} { // the second read fetches the batch-read listing
		if _, err := c.ReadFormula(ctx, id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if st, _ := c.FormulaBatchStats(); st.Pages != 1 {
		t.Fatalf("batch reads fetched %d pages, want 1", st.Pages)
	}
	log := buf.String()
	if strings.Contains(log, unlearnt) || strings.Contains(log, `\"name\":\"a\"`) {
		t.Errorf("a listing body was logged:\n%s", log)
	}
	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, e := range entries {
		if e["@message"] == "listing page" {
			pages[fmt.Sprint(e["path"])] += fmt.Sprintf("%v %v;", e["items"], e["ids"])
		}
	}
	want := map[string]string{"/instances": "1 [41];", "/formulas": "1 [42];1 [42];", "/formulas/instances": "1 [43];"}
	if fmt.Sprint(pages) != fmt.Sprint(want) {
		t.Errorf("listing pages logged %v, want %v", pages, want)
	}
	if !strings.Contains(log, `"response_body_length"`) {
		t.Error("a listing's response detail does not say how long its body was")
	}
}
