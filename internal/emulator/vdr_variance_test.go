package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// pathsOf lists an answer's field paths in the order answered.
func pathsOf(o map[string]any) []string {
	var out []string
	for _, f := range as[[]any](o["fields"]) {
		out = append(out, as[string](as[map[string]any](f)["path"]))
	}
	return out
}

// keysOf lists a JSON object's keys in the order answered.
func keysOf(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(b)))
	var keys []string
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", b)
	}
	for dec.More() {
		k, _ := dec.Token()
		key, ok := k.(string)
		if !ok {
			t.Fatalf("key %v in %s", k, b)
		}
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestVDRExtrasReorderedAndTrimmed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	v := e.createVDR("myContact", "email", "name")
	tr := e.createTransformation(fidOf(v), testTransformation(nil))
	vPath, tPath := "/vdrs/"+fidOf(v), "/vdrs/"+fidOf(v)+"/transformations/"+fidOf(tr)
	_, plainVDR := e.do(http.MethodGet, vPath, nil)
	if got := keysOf(t, plainVDR); !slices.Equal(got, []string{"id", "objectName", "displayName", "description", "fields"}) {
		t.Fatalf("default VDR keys %v", got)
	}

	e.s.SetProfile(Profile{Variance: Variance{VDRExtras: true}})
	_, b := e.do(http.MethodGet, vPath, nil)
	x := decode(t, b)
	f := fieldsOf(x)
	if !slices.Equal(pathsOf(x), []string{"email", "name", "id", "createdDate"}) || f["id"]["level"] != "system" ||
		f["id"]["id"] == nil || jsonNum(f["email"]["vdrId"]) != fidOf(v) || len(as[[]any](x["mappedElementIds"])) != 1 {
		t.Fatalf("extras: %s", b)
	}
	_, b = e.do(http.MethodGet, tPath, nil)
	xt := decode(t, b)
	if jsonNum(fieldsOf(xt)["email"]["vdrFieldId"]) != jsonNum(f["email"]["id"]) || xt["objectName"] != "myContact" ||
		as[map[string]any](xt["script"])["level"] != "organization" {
		t.Fatalf("transformation extras: %s", b)
	}

	e.s.SetProfile(Profile{Variance: Variance{VDRReordered: true, ScriptTrimmed: true}})
	_, b = e.do(http.MethodGet, vPath, nil)
	if got := pathsOf(decode(t, b)); !slices.Equal(got, []string{"name", "email"}) || keysOf(t, b)[0] != "fields" {
		t.Fatalf("reordered VDR: %s", b)
	}
	_, b = e.do(http.MethodGet, tPath, nil)
	rt := decode(t, b)
	if got := pathsOf(rt); !slices.Equal(got, []string{"name", "email"}) || as[map[string]any](rt["script"])["body"] != "done(transformedObject);" {
		t.Fatalf("reordered, trimmed transformation: %s", b)
	}
	if got := trimScript("\r\n  a();  \r\n\tb();\t\r\n\n"); got != "a();\n\tb();" {
		t.Fatalf("trimScript %q", got)
	}
	if e.s.Transformations()[0].Script.Body != "  done(transformedObject);  \n" {
		t.Fatal("the variance changed what is stored")
	}
}

func TestVDRStringsAndSparse(t *testing.T) {
	t.Parallel()
	opts, _ := Options{}.WithProfile("strings")
	e := newEnv(t, opts)
	v := e.createVDR("myContact")
	if _, ok := v["id"].(string); !ok {
		t.Fatalf("strings: id %v", v["id"])
	}
	if _, ok := fieldsOf(v)["email"]["id"].(string); !ok {
		t.Fatalf("strings: field id %v", fieldsOf(v)["email"]["id"])
	}
	opts, _ = Options{}.WithProfile("sparse")
	e = newEnv(t, opts)
	resp, b := e.do(http.MethodPost, "/vdrs", map[string]any{"objectName": "empty", "fields": []any{}})
	if resp.StatusCode != 200 || strings.Contains(string(b), `"fields"`) {
		t.Fatalf("sparse: empty fields answered: %s", b)
	}
	tr := e.createTransformation(fidOf(decode(t, b)), map[string]any{"elementKey": "freshdeskv2", "vendorName": "x"})
	if _, ok := tr["configuration"]; ok {
		t.Fatalf("sparse: empty configuration answered: %v", tr)
	}
}

func TestVDRListAbridgedAndStale(t *testing.T) {
	t.Parallel()
	opts, _ := Options{}.WithProfile("list-abridged")
	e := newEnv(t, opts)
	v := e.createVDR("myContact")
	e.createTransformation(fidOf(v), testTransformation(nil))
	_, b := e.do(http.MethodGet, "/vdrs", nil)
	if strings.Contains(string(b), `"fields"`) || !strings.Contains(string(b), `"myContact"`) {
		t.Fatalf("abridged VDR listing: %s", b)
	}
	_, b = e.do(http.MethodGet, "/vdrs/"+fidOf(v)+"/transformations", nil)
	if strings.Contains(string(b), `"fields"`) || strings.Contains(string(b), `"script"`) || !strings.Contains(string(b), `"contacts"`) {
		t.Fatalf("abridged transformation listing: %s", b)
	}
	if _, b = e.do(http.MethodGet, "/vdrs/"+fidOf(v), nil); !strings.Contains(string(b), `"fields"`) {
		t.Fatalf("GET is whole: %s", b)
	}

	e = newEnv(t, Options{Variance: Variance{ListStale: 300 * time.Millisecond}})
	v = e.createVDR("before")
	if _, b = e.do(http.MethodGet, "/vdrs", nil); strings.Contains(string(b), `"before"`) {
		t.Fatalf("a listing shows a VDR created less than the lag ago: %s", b)
	}
	time.Sleep(350 * time.Millisecond) // "before" is older than the lag now
	e.do(http.MethodPut, "/vdrs/"+fidOf(v), testVDR("after"))
	e.createVDR("newer")
	e.createTransformation(fidOf(v), testTransformation(nil))
	_, b = e.do(http.MethodGet, "/vdrs", nil)
	_, tb := e.do(http.MethodGet, "/vdrs/"+fidOf(v)+"/transformations", nil)
	if !strings.Contains(string(b), `"before"`) || strings.Contains(string(b), `"newer"`) || strings.TrimSpace(string(tb)) != "[]" {
		t.Fatalf("stale listings show the writes: %s %s", b, tb)
	}
	if _, b = e.do(http.MethodGet, "/vdrs/"+fidOf(v), nil); !strings.Contains(string(b), `"after"`) {
		t.Fatalf("GET is current: %s", b)
	}
	time.Sleep(350 * time.Millisecond)
	_, b = e.do(http.MethodGet, "/vdrs", nil)
	_, tb = e.do(http.MethodGet, "/vdrs/"+fidOf(v)+"/transformations", nil)
	if !strings.Contains(string(b), `"after"`) || !strings.Contains(string(b), `"newer"`) || !strings.Contains(string(tb), `"contacts"`) {
		t.Fatalf("listings after the lag: %s %s", b, tb)
	}
}

// TestVDRLegacyOnly: without VDR v2 every /vdrs path is an unknown path
// (shaped by notFoundBody), still counted under its endpoint; the legacy
// definitions and by-name transformations serve the same store.
func TestVDRLegacyOnly(t *testing.T) {
	t.Parallel()
	opts, _ := Options{}.WithProfile("vdr-legacy")
	e := newEnv(t, opts)
	for _, c := range []struct{ method, path string }{{"GET", "/vdrs"}, {"POST", "/vdrs"}, {"GET", "/vdrs/8001"},
		{"PATCH", "/vdrs/8001"}, {"GET", "/vdrs/x/export"}, {"GET", "/vdrs/8001/transformations"}, {"DELETE", "/vdrs/8001/transformations/8002"}} {
		resp, b := e.do(c.method, c.path, testVDR("x"))
		if e := wantError(t, resp, b, http.StatusNotFound); !strings.Contains(e.Message, "no resource at") {
			t.Fatalf("%s %s: %s", c.method, c.path, b)
		}
	}
	if n := e.s.Stats().ByEndpoint["GET /vdrs/{id}"]; n != 1 {
		t.Fatalf("GET /vdrs/{id} counted %d times", n)
	}
	bulk := map[string]any{"myContact": map[string]any{"fields": []any{map[string]any{"path": "email", "type": "string"}}},
		"myAccount": map[string]any{"fields": []any{}}}
	if resp, b := e.do(http.MethodPost, "/organizations/objects/definitions", bulk); resp.StatusCode != 200 || len(e.s.VDRs()) != 2 {
		t.Fatalf("bulk definitions: %d %s", resp.StatusCode, b)
	}
	resp, b := e.do(http.MethodPost, "/organizations/objects/definitions", map[string]any{"new": map[string]any{}, "myContact": map[string]any{}})
	wantError(t, resp, b, http.StatusConflict)
	if len(e.s.VDRs()) != 2 {
		t.Fatal("a refused bulk POST stored some definitions")
	}
	_, b = e.do(http.MethodGet, "/organizations/objects/definitions", nil)
	if got := keysOf(t, b); !slices.Equal(got, []string{"myAccount", "myContact"}) {
		t.Fatalf("definitions %s", b)
	}
	path := "/organizations/objects/myContact/definitions"
	emailID := e.s.VDRs()[1].Fields[0].ID
	resp, b = e.do(http.MethodPut, path, map[string]any{"fields": []any{map[string]any{"path": "email", "type": "string"},
		map[string]any{"path": "phone", "type": "string"}}})
	if resp.StatusCode != 200 || !slices.Equal(pathsOf(decode(t, b)), []string{"email", "phone"}) || e.s.VDRs()[1].Fields[0].ID != emailID {
		t.Fatalf("PUT definition: %d %s", resp.StatusCode, b)
	}
	resp, b = e.do(http.MethodPost, path, map[string]any{"fields": []any{}})
	wantError(t, resp, b, http.StatusConflict)
	resp, b = e.do(http.MethodPost, "/organizations/elements/freshdeskv2/transformations/myContact",
		testTransformation(map[string]any{"fields": []any{map[string]any{"path": "phone", "vendorPath": "phone"}}}))
	if resp.StatusCode != 200 || decode(t, b)["level"] != "organization" {
		t.Fatalf("transformation by name: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(http.MethodGet, path, nil); resp.StatusCode != 200 || len(pathsOf(decode(t, b))) != 2 {
		t.Fatalf("GET definition: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(http.MethodDelete, path, nil); resp.StatusCode != 200 || len(e.s.Transformations()) != 0 {
		t.Fatal("DELETE definition did not cascade by default")
	}
	resp, b = e.do(http.MethodGet, path, nil)
	wantError(t, resp, b, http.StatusNotFound)
	if resp, _ := e.do(http.MethodDelete, "/organizations/objects/definitions", nil); resp.StatusCode != 200 || len(e.s.VDRs()) != 0 {
		t.Fatal("DELETE every definition")
	}
}

// TestEveryProfileVDRLifecycle: in every profile a VDR and a
// transformation keep their ids, object name and field paths (as a set)
// through create, PUT and GET, and are gone after DELETE.
func TestEveryProfileVDRLifecycle(t *testing.T) {
	t.Parallel()
	for _, name := range ProfileNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts, _ := Options{}.WithProfile(name)
			e := newEnv(t, opts)
			if opts.Variance.VDRLegacyOnly {
				if resp, _ := e.do(http.MethodPost, "/vdrs", testVDR("x")); resp.StatusCode != 404 {
					t.Fatalf("legacy host answered POST /vdrs with %d", resp.StatusCode)
				}
				return
			}
			v := e.createVDR("life")
			tr := e.createTransformation(fidOf(v), testTransformation(nil))
			steps := []struct {
				method, path string
				body         any
			}{
				{http.MethodPut, "/vdrs/" + fidOf(v), testVDR("life2", "name", "email", "phone")},
				{http.MethodGet, "/vdrs/" + fidOf(v), nil},
				{http.MethodPut, "/vdrs/" + fidOf(v) + "/transformations/" + fidOf(tr), testTransformation(nil)},
				{http.MethodGet, "/vdrs/" + fidOf(v) + "/transformations/" + fidOf(tr), nil},
			}
			for i, st := range steps {
				resp, b := e.do(st.method, st.path, st.body)
				m := decode(t, b)
				want := fidOf(v)
				if i >= 2 {
					want = fidOf(tr)
				}
				if resp.StatusCode != 200 || fidOf(m) != want {
					t.Fatalf("%s %s: %d %s", st.method, st.path, resp.StatusCode, b)
				}
				paths := pathsOf(m)
				slices.Sort(paths)
				paths = slices.DeleteFunc(paths, func(p string) bool { return p == "id" || p == "createdDate" })
				if i < 2 && (m["objectName"] != "life2" || !slices.Equal(paths, []string{"email", "name", "phone"})) {
					t.Fatalf("%s %s: %s", st.method, st.path, b)
				}
			}
			e.do(http.MethodDelete, "/vdrs/"+fidOf(v)+"/transformations/"+fidOf(tr), nil)
			if resp, b := e.do(http.MethodDelete, "/vdrs/"+fidOf(v), nil); resp.StatusCode != 200 {
				t.Fatalf("delete: %d %s", resp.StatusCode, b)
			}
			resp, b := e.do(http.MethodGet, "/vdrs/"+fidOf(v), nil)
			wantError(t, resp, b, http.StatusNotFound) // a missing VDR is the platform's JSON in every profile
		})
	}
}
