package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func testVDR(name string, paths ...string) map[string]any {
	if len(paths) == 0 {
		paths = []string{"email", "name"}
	}
	fields := []any{}
	for _, p := range paths {
		fields = append(fields, map[string]any{"path": p, "type": "string", "level": "organization"})
	}
	return map[string]any{"objectName": name, "displayName": "My " + name, "description": "d", "fields": fields}
}

func (e *env) createVDR(name string, paths ...string) map[string]any {
	e.t.Helper()
	resp, b := e.do(http.MethodPost, "/vdrs", testVDR(name, paths...))
	if resp.StatusCode != 200 {
		e.t.Fatalf("create VDR: %d %s", resp.StatusCode, b)
	}
	return decode(e.t, b)
}

// fieldsOf reads an answer's fields as path -> field.
func fieldsOf(o map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, f := range as[[]any](o["fields"]) {
		m := as[map[string]any](f)
		out[as[string](m["path"])] = m
	}
	return out
}

func TestVDRLifecycleAndValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	v := e.createVDR("myContact")
	id := fidOf(v)
	if id != "8001" || v["objectName"] != "myContact" || v["displayName"] != "My myContact" || v["description"] != "d" {
		t.Fatalf("created %v", v)
	}
	f := fieldsOf(v)
	if len(f) != 2 || jsonNum(f["email"]["id"]) != "1" || f["email"]["level"] != "organization" || f["name"]["type"] != "string" {
		t.Fatalf("fields %v", v["fields"])
	}
	if resp, b := e.do(http.MethodGet, "/vdrs/"+id, nil); resp.StatusCode != 200 || decode(t, b)["objectName"] != "myContact" {
		t.Fatalf("GET: %d %s", resp.StatusCode, b)
	}
	// PUT: email keeps its id, phone is new, name is gone; the name may change.
	put := testVDR("myContact2", "phone", "email")
	as[map[string]any](as[[]any](put["fields"])[0])["level"] = nil
	resp, b := e.do(http.MethodPut, "/vdrs/"+id, put)
	got := fieldsOf(decode(t, b))
	if resp.StatusCode != 200 || len(got) != 2 || jsonNum(got["email"]["id"]) != "1" || jsonNum(got["phone"]["id"]) != "5" ||
		got["phone"]["level"] != "organization" {
		t.Fatalf("PUT: %d %s", resp.StatusCode, b)
	}
	e.createVDR("other")
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{http.MethodPost, "/vdrs", testVDR("other"), http.StatusConflict},
		{http.MethodPut, "/vdrs/" + id, testVDR("other"), http.StatusConflict},
		{http.MethodPost, "/vdrs", map[string]any{"fields": []any{}}, http.StatusBadRequest},
		{http.MethodPost, "/vdrs", testVDR("has space"), http.StatusBadRequest},
		{http.MethodPost, "/vdrs", testVDR("dup", "a", "a"), http.StatusBadRequest},
		{http.MethodPost, "/vdrs", map[string]any{"objectName": "x", "fields": []any{map[string]any{"path": "a"}}}, http.StatusBadRequest},
		{http.MethodPost, "/vdrs", map[string]any{"objectName": "x", "fields": []any{map[string]any{"path": "a", "type": "string", "level": "galaxy"}}}, http.StatusBadRequest},
		{http.MethodPost, "/vdrs", "{", http.StatusBadRequest},
		{http.MethodGet, "/vdrs/999", nil, http.StatusNotFound},
		{http.MethodGet, "/vdrs/abc", nil, http.StatusNotFound},
		{http.MethodPatch, "/vdrs/" + id, map[string]any{}, http.StatusMethodNotAllowed},
	} {
		resp, b := e.do(c.method, c.path, c.body)
		wantError(t, resp, b, c.status)
	}
	resp, b, _ = e.try(http.MethodGet, "/vdrs", nil, "Authorization", "User nope, Organization nope")
	wantError(t, resp, b, http.StatusUnauthorized)

	_, b = e.do(http.MethodGet, "/vdrs", nil)
	if list := as[[]any](decodeAny(t, b)); len(list) != 2 || fieldsOf(as[map[string]any](list[0]))["phone"] == nil {
		t.Fatalf("list: %s", b)
	}
	if resp, _ := e.do(http.MethodDelete, "/vdrs/"+id, nil); resp.StatusCode != 200 || len(e.s.VDRs()) != 1 {
		t.Fatalf("delete: %d, %d left", resp.StatusCode, len(e.s.VDRs()))
	}
	resp, b = e.do(http.MethodGet, "/vdrs/"+id, nil)
	wantError(t, resp, b, http.StatusNotFound)
	if n := len(e.s.RequestsTo(http.MethodPost, "/vdrs")); n != 9 {
		t.Fatalf("recorded %d POST /vdrs, want 9", n)
	}
	if st := e.s.Stats(); st.ByEndpoint["GET /vdrs/{id}"] != 4 || st.ByEndpoint["DELETE /vdrs/{id}"] != 1 {
		t.Fatalf("stats by endpoint %v", st.ByEndpoint)
	}
}

func TestVDRListPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, n := range []string{"a", "b", "c"} {
		e.createVDR(n)
	}
	resp, b := e.do(http.MethodGet, "/vdrs?pageSize=2", nil)
	next := resp.Header.Get("Elements-Next-Page-Token")
	if len(as[[]any](decodeAny(t, b))) != 2 || next == "" {
		t.Fatalf("page 1: %s next %q", b, next)
	}
	resp, b = e.do(http.MethodGet, "/vdrs?pageSize=2&nextPage="+next, nil)
	if l := as[[]any](decodeAny(t, b)); len(l) != 1 || as[map[string]any](l[0])["objectName"] != "c" ||
		resp.Header.Get("Elements-Next-Page-Token") != "" {
		t.Fatalf("page 2: %s", b)
	}
	resp, b = e.do(http.MethodGet, "/vdrs?nextPage=garbage", nil)
	wantError(t, resp, b, http.StatusBadRequest)
}

func TestVDRExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	v := e.createVDR("myContact")
	inst := e.create("helpdesk")
	e.do(http.MethodPost, "/vdrs/"+fidOf(v)+"/transformations", testTransformation(map[string]any{"instanceId": inst.ID}))
	resp, b := e.do(http.MethodGet, "/vdrs/myContact/export", nil)
	x := decode(t, b)
	ts := as[[]any](x["transformations"])
	if resp.StatusCode != 200 || fidOf(x) != fidOf(v) || len(ts) != 1 || as[map[string]any](ts[0])["vendorName"] != "contacts" {
		t.Fatalf("export: %d %s", resp.StatusCode, b)
	}
	resp, b = e.do(http.MethodGet, "/vdrs/nothing/export", nil)
	wantError(t, resp, b, http.StatusNotFound)
}

// TestVDRDeleteVariance: deleting a VDR with transformations cascades by
// default and under assets-cascade, and is refused under assets-refuse.
func TestVDRDeleteVariance(t *testing.T) {
	t.Parallel()
	for _, profile := range []string{"default", "assets-cascade", "assets-refuse"} {
		t.Run(profile, func(t *testing.T) {
			t.Parallel()
			opts, _ := Options{}.WithProfile(profile)
			e := newEnv(t, opts)
			v := e.createVDR("myContact")
			e.createTransformation(fidOf(v), testTransformation(nil))
			resp, b := e.do(http.MethodDelete, "/vdrs/"+fidOf(v), nil)
			if profile == "assets-refuse" {
				wantError(t, resp, b, http.StatusConflict)
				if len(e.s.VDRs()) != 1 || len(e.s.Transformations()) != 1 {
					t.Fatal("refused delete changed the store")
				}
				return
			}
			if resp.StatusCode != 200 || len(e.s.VDRs()) != 0 || len(e.s.Transformations()) != 0 {
				t.Fatalf("delete: %d %s; %d transformations left", resp.StatusCode, b, len(e.s.Transformations()))
			}
		})
	}
}

// TestVDRIDOffset: VDR, field and transformation ids follow the offset,
// SetIDOffset is refused while a VDR is stored, and a reset drops them.
func TestVDRIDOffset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{IDOffset: 70000})
	v := e.createVDR("myContact")
	tr := e.createTransformation(fidOf(v), testTransformation(nil))
	if fidOf(v) != "78001" || jsonNum(fieldsOf(v)["email"]["id"]) != "70001" || fidOf(tr) != "78002" {
		t.Fatalf("ids: VDR %s field %s transformation %s", fidOf(v), jsonNum(fieldsOf(v)["email"]["id"]), fidOf(tr))
	}
	if ids := e.s.IDs(); ids.NextVDRID != 78003 {
		t.Fatalf("IDs %+v", ids)
	}
	if err := e.s.SetIDOffset(0); err == nil || !strings.Contains(err.Error(), "VDRs") {
		t.Fatalf("SetIDOffset with a VDR stored: %v", err)
	}
	if c, _ := adminCall(t, e, "POST", "/reset", ""); c != 200 || len(e.s.VDRs()) != 0 || len(e.s.Transformations()) != 0 {
		t.Fatal("reset kept VDRs")
	}
	if again := e.createVDR("again"); fidOf(again) != "78001" {
		t.Fatalf("after reset: %s", fidOf(again))
	}
}

func TestVDRSeeding(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	v := e.s.PutVDR(VDR{ObjectName: "byHand", Fields: []VDRField{{Path: "a", Type: "string"}}})
	if v.ID != 8001 || v.Fields[0].ID != 1 || v.Fields[0].Level != "organization" {
		t.Fatalf("PutVDR %+v", v)
	}
	v.Fields = append(v.Fields, VDRField{Path: "b", Type: "number"})
	again := e.s.PutVDR(v)
	if again.Fields[0].ID != 1 || again.Fields[1].ID == 0 || len(e.s.VDRs()) != 1 {
		t.Fatalf("replaced %+v", again)
	}
	if _, ok := e.s.PutTransformation(Transformation{VDRID: 424242}); ok {
		t.Fatal("transformation of a missing VDR seeded")
	}
	tr, ok := e.s.PutTransformation(Transformation{VDRID: v.ID, ElementKey: "freshdeskv2", VendorName: "contacts",
		Fields: []TransformationField{{Path: "a", VendorPath: "email"}}})
	if !ok || tr.ID != 8002 || tr.Fields[0].Level != "organization" {
		t.Fatalf("PutTransformation %+v", tr)
	}
	_, b := e.do(http.MethodGet, "/vdrs/8001/transformations/8002", nil)
	if decode(t, b)["vendorName"] != "contacts" {
		t.Fatalf("seeded transformation: %s", b)
	}
	got := e.s.Transformations()
	got[0].Fields[0].Path = "changed"
	if e.s.Transformations()[0].Fields[0].Path != "a" {
		t.Fatal("Transformations shares its slices with the store")
	}
	if !e.s.RemoveTransformation(tr.ID) || e.s.RemoveTransformation(tr.ID) {
		t.Fatal("RemoveTransformation")
	}
	e.s.PutTransformation(Transformation{VDRID: v.ID, ElementKey: "zendesk", VendorName: "x"})
	if !e.s.RemoveVDR(v.ID) || len(e.s.Transformations()) != 0 || e.s.RemoveVDR(v.ID) {
		t.Fatal("RemoveVDR")
	}
	if len(e.s.VDRs()) != 0 {
		t.Fatal("VDRs after removal")
	}
}
