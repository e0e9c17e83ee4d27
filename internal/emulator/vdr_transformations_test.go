package emulator

import (
	"net/http"
	"strconv"
	"testing"
)

// testTransformation maps testVDR's fields onto freshdeskv2 at the
// organization level; extra keys replace or add top-level keys.
func testTransformation(extra map[string]any) map[string]any {
	t := map[string]any{
		"elementKey": "freshdeskv2", "vendorName": "contacts",
		"fields": []any{
			map[string]any{"path": "email", "vendorPath": "email", "vendorType": "string"},
			map[string]any{"path": "name", "vendorPath": "name", "vendorType": "string",
				"configuration": []any{map[string]any{"type": "passThrough", "properties": map[string]any{"fromVendor": true}}}},
		},
		"script": map[string]any{"body": "  done(transformedObject);  \n", "mimeType": "application/javascript", "filterEmptyResponse": true},
	}
	for k, v := range extra {
		t[k] = v
	}
	return t
}

func (e *env) createTransformation(vdrID string, body map[string]any) map[string]any {
	e.t.Helper()
	resp, b := e.do(http.MethodPost, "/vdrs/"+vdrID+"/transformations", body)
	if resp.StatusCode != 200 {
		e.t.Fatalf("create transformation: %d %s", resp.StatusCode, b)
	}
	return decode(e.t, b)
}

func TestTransformationLifecycleAndValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	v := e.createVDR("myContact")
	vid := fidOf(v)
	org := e.createTransformation(vid, testTransformation(nil))
	f := fieldsOf(org)
	sc := as[map[string]any](org["script"])
	if org["level"] != "organization" || org["elementKey"] != "freshdeskv2" || org["instanceId"] != nil ||
		f["email"]["type"] != "string" || f["email"]["level"] != "organization" || len(as[[]any](f["name"]["configuration"])) != 1 ||
		sc["body"] != "  done(transformedObject);  \n" || sc["filterEmptyResponse"] != true {
		t.Fatalf("organization level: %v", org)
	}
	inst := e.create("helpdesk")
	byFieldID := testTransformation(map[string]any{"instanceId": strconv.FormatInt(inst.ID, 10), "elementKey": nil,
		"fields": []any{map[string]any{"vdrFieldId": fieldsOf(v)["email"]["id"], "vendorPath": "mail"}}})
	in := e.createTransformation(vid, byFieldID)
	if in["level"] != "instance" || in["elementKey"] != "freshdeskv2" || jsonNum(in["instanceId"]) != idOf(inst) ||
		fieldsOf(in)["email"]["vendorPath"] != "mail" || fieldsOf(in)["email"]["level"] != "instance" {
		t.Fatalf("instance level: %v", in)
	}
	other := e.createVDR("other")
	base := "/vdrs/" + vid + "/transformations"
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{http.MethodPost, base, testTransformation(nil), http.StatusConflict},
		{http.MethodPost, base, testTransformation(map[string]any{"instanceId": inst.ID}), http.StatusConflict},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": "zendesk", "vendorName": ""}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": "nosuch"}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": nil}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"instanceId": 424242}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"instanceId": inst.ID, "elementKey": "zendesk"}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": "zendesk", "level": "instance"}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": "zendesk",
			"fields": []any{map[string]any{"path": "nosuch", "vendorPath": "x"}}}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": "zendesk",
			"fields": []any{map[string]any{"path": "email"}}}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": "zendesk",
			"fields": []any{map[string]any{"path": "email", "vendorPath": "x", "configuration": []any{map[string]any{}}}}}), http.StatusBadRequest},
		{http.MethodPost, base, testTransformation(map[string]any{"elementKey": "zendesk", "script": map[string]any{}}), http.StatusBadRequest},
		{http.MethodPost, "/vdrs/999/transformations", testTransformation(nil), http.StatusNotFound},
		{http.MethodGet, "/vdrs/" + fidOf(other) + "/transformations/" + fidOf(org), nil, http.StatusNotFound},
		{http.MethodGet, base + "/999", nil, http.StatusNotFound},
	} {
		resp, b := e.do(c.method, c.path, c.body)
		wantError(t, resp, b, c.status)
	}
	put := testTransformation(map[string]any{"vendorName": "people", "script": nil,
		"fields": []any{map[string]any{"path": "name", "vendorPath": "full_name"}}})
	resp, b := e.do(http.MethodPut, base+"/"+fidOf(org), put)
	if got := decode(t, b); resp.StatusCode != 200 || fidOf(got) != fidOf(org) || got["vendorName"] != "people" ||
		got["script"] != nil || len(fieldsOf(got)) != 1 {
		t.Fatalf("PUT: %d %s", resp.StatusCode, b)
	}
	_, b = e.do(http.MethodGet, base, nil)
	if l := as[[]any](decodeAny(t, b)); len(l) != 2 {
		t.Fatalf("list: %s", b)
	}
	if resp, _ := e.do(http.MethodDelete, base+"/"+fidOf(in), nil); resp.StatusCode != 200 || len(e.s.Transformations()) != 1 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	resp, b = e.do(http.MethodGet, base+"/"+fidOf(in), nil)
	wantError(t, resp, b, http.StatusNotFound)
}

// The by-name paths read and write the same transformations as
// /vdrs/{id}/transformations.
func TestNamedTransformationPaths(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	v := e.createVDR("myContact")
	org := e.createTransformation(fidOf(v), testTransformation(nil))
	resp, b := e.do(http.MethodGet, "/organizations/elements/freshdeskv2/transformations/myContact", nil)
	if resp.StatusCode != 200 || fidOf(decode(t, b)) != fidOf(org) {
		t.Fatalf("GET by name: %d %s", resp.StatusCode, b)
	}
	inst := e.create("helpdesk")
	path := "/instances/" + idOf(inst) + "/transformations/myContact"
	resp, b = e.do(http.MethodGet, path, nil)
	wantError(t, resp, b, http.StatusNotFound)
	resp, b = e.do(http.MethodPut, path, testTransformation(nil))
	wantError(t, resp, b, http.StatusNotFound)
	resp, b = e.do(http.MethodPost, path, testTransformation(map[string]any{"elementKey": "zendesk"}))
	in := decode(t, b)
	if resp.StatusCode != 200 || in["level"] != "instance" || jsonNum(in["instanceId"]) != idOf(inst) || in["elementKey"] != "freshdeskv2" {
		t.Fatalf("POST by name: %d %s", resp.StatusCode, b)
	}
	resp, b = e.do(http.MethodPost, path, testTransformation(nil))
	wantError(t, resp, b, http.StatusConflict)
	resp, b = e.do(http.MethodPut, path, testTransformation(map[string]any{"vendorName": "renamed"}))
	if resp.StatusCode != 200 || fidOf(decode(t, b)) != fidOf(in) {
		t.Fatalf("PUT by name: %d %s", resp.StatusCode, b)
	}
	_, b = e.do(http.MethodGet, "/vdrs/"+fidOf(v)+"/transformations/"+fidOf(in), nil)
	if decode(t, b)["vendorName"] != "renamed" {
		t.Fatalf("v2 view of the by-name write: %s", b)
	}
	for _, p := range []string{"/organizations/elements/nosuch/transformations/myContact",
		"/organizations/elements/freshdeskv2/transformations/nosuch", "/instances/424242/transformations/myContact"} {
		resp, b := e.do(http.MethodGet, p, nil)
		wantError(t, resp, b, http.StatusNotFound)
	}
	if resp, _ := e.do(http.MethodDelete, path, nil); resp.StatusCode != 200 || len(e.s.Transformations()) != 1 {
		t.Fatalf("DELETE by name: %d", resp.StatusCode)
	}
}

// TestVDRCreatesTakeScriptedFaults: a lost answer (commit then drop) and
// a 502 after the commit apply to both new POSTs as to POST /instances.
func TestVDRCreatesTakeScriptedFaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.s.Script(http.MethodPost, "/vdrs", Fault{Kind: FaultCommitThenDrop}, Fault{Kind: FaultCommitThenStatus, Status: 502})
	if _, _, err := e.try(http.MethodPost, "/vdrs", testVDR("a")); err == nil || len(e.s.VDRs()) != 1 {
		t.Fatalf("commit-then-drop: err %v, %d VDRs", err, len(e.s.VDRs()))
	}
	resp, b := e.do(http.MethodPost, "/vdrs", testVDR("b"))
	wantError(t, resp, b, http.StatusBadGateway)
	if len(e.s.VDRs()) != 2 {
		t.Fatal("502 after commit did not commit")
	}
	vid := strconv.FormatInt(e.s.VDRs()[0].ID, 10)
	e.s.Script(http.MethodPost, "/vdrs/{id}/transformations", Fault{Kind: FaultCommitThenDrop},
		Fault{Kind: FaultCommitThenBody, Body: `{"id": {id}, "vendorName": `})
	if _, _, err := e.try(http.MethodPost, "/vdrs/"+vid+"/transformations", testTransformation(nil)); err == nil || len(e.s.Transformations()) != 1 {
		t.Fatal("transformation commit-then-drop")
	}
	_, b = e.do(http.MethodPost, "/vdrs/"+vid+"/transformations", testTransformation(map[string]any{"elementKey": "zendesk"}))
	if want := `{"id": ` + strconv.FormatInt(e.s.Transformations()[1].ID, 10) + `, "vendorName": `; string(b) != want {
		t.Fatalf("commit-then-body: %s, want %s", b, want)
	}
	e.s.SetFaults(Faults{ServerErrorRate: 1, ServerErrorEndpoints: []string{"POST /vdrs"}})
	if resp, _ := e.do(http.MethodPost, "/vdrs", testVDR("c")); resp.StatusCode < 502 || len(e.s.VDRs()) != 2 {
		t.Fatalf("random 5xx on POST /vdrs: %d", resp.StatusCode)
	}
	if resp, _ := e.do(http.MethodGet, "/vdrs", nil); resp.StatusCode != 200 {
		t.Fatal("random 5xx leaked to GET /vdrs")
	}
}
