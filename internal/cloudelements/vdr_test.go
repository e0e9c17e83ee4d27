package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// emulatorWith serves an emulator with opts and returns a client for it.
func emulatorWith(t *testing.T, opts emulator.Options) (*Client, *emulator.Server) {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	em := emulator.New(opts)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	cfg.UserSecret, cfg.OrganizationSecret = "test-user-secret", "test-organization-secret"
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, em
}

func emulatorProfile(t *testing.T, profile string) (*Client, *emulator.Server) {
	t.Helper()
	opts, err := emulator.Options{}.WithProfile(profile)
	if err != nil {
		t.Fatal(err)
	}
	return emulatorWith(t, opts)
}

func testVDRRequest(name string) VDRRequest {
	return VDRRequest{ObjectName: name, DisplayName: "My " + name, Description: "contacts",
		Fields: []VDRField{{Path: "email", Type: "string"}, {Path: "name", Type: "string", Level: "organization"}}}
}

func testTransformationRequest() VDRTransformationRequest {
	return VDRTransformationRequest{ElementKey: "freshdeskv2", VendorName: "contacts",
		Fields: []TransformationField{{Path: "email", VendorPath: "email", VendorType: "string"},
			{Path: "name", VendorPath: "name", Configuration: []byte(`[{"type":"remove","properties":{"toVendor":true}}]`)}},
		Script: &TransformationScript{Body: "done(transformedObject);", MimeType: "application/javascript"}}
}

func TestDecodeVDRTolerance(t *testing.T) {
	t.Parallel()
	v, err := DecodeVDR([]byte(`{"id":"8001","objectName":"myContact","displayName":null,"extra":[1,{}],"mappedElementIds":[491],
		"fields":[{"id":"1","path":"email","type":"string","level":"organization","vdrId":8001},{"id":2,"path":"id","type":"string","level":"system"}]}`))
	if err != nil || v.ID != 8001 || v.DisplayName != "" || len(v.Fields) != 2 || v.Fields[0].ID != 1 || v.Fields[1].Level != "system" || !v.whole {
		t.Fatalf("decoded %+v %v", v, err)
	}
	if v, err := DecodeVDR([]byte(`{"id":1,"objectName":"x"}`)); err != nil || v.whole || v.Fields != nil {
		t.Fatalf("abridged: %+v %v", v, err)
	}
	for _, bad := range []string{`{"id":0,"objectName":"x"}`, `{"id":1,"id":2}`, `{"id":1,"fields":[{"path":"a","path":"b"}]}`,
		`{"id":1,"fields":{}}`, `{"id":1,"fields":[{"path":1}]}`, `[]`, `<html>`, `{"id":1.5}`} {
		if _, err := DecodeVDR([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	tr, err := DecodeVDRTransformation([]byte(`{"id":"8002","element":{"id":491,"key":"freshdeskv2"},"instanceId":"1000",
		"vendorName":"c","configuration":[],"script":{"body":"x","filterEmptyResponse":"true"},
		"fields":[{"vdrFieldId":"1","vendorPath":"mail","configuration":[ {"type":"remove"} ]}]}`))
	if err != nil || tr.ID != 8002 || tr.ElementKey != "freshdeskv2" || tr.InstanceID != 1000 || tr.Configuration != nil ||
		!tr.Script.FilterEmptyResponse || tr.Fields[0].VDRFieldID != 1 || string(tr.Fields[0].Configuration) != `[{"type":"remove"}]` {
		t.Fatalf("decoded %+v %v", tr, err)
	}
	if !tr.ResolvePaths(v) || tr.Fields[0].Path != "email" {
		t.Fatalf("ResolvePaths: %+v", tr.Fields)
	}
	for _, bad := range []string{`{"id":1,"script":"x"}`, `{"id":1,"configuration":{}}`, `{"id":1,"fields":[{"configuration":"x"}]}`,
		`{"id":1,"script":{"body":1}}`, `{"id":-1}`} {
		if _, err := DecodeVDRTransformation([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestEncodeTransformationRefusesWhatThePlatformWould(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected %s %s", r.Method, r.URL)
	}))
	for _, req := range []VDRTransformationRequest{
		{VendorName: "no target"},
		{ElementKey: "freshdeskv2", Configuration: []byte(`{"type":"x"}`)},
		{ElementKey: "freshdeskv2", Fields: []TransformationField{{Path: "a", Configuration: []byte(`"x"`)}}},
	} {
		if _, err := c.CreateVDRTransformation(context.Background(), 1, req); err == nil {
			t.Errorf("sent %+v", req)
		}
	}
	if _, err := c.GetVDR(context.Background(), 0); err == nil {
		t.Error("GET /vdrs/0 sent")
	}
	if _, err := c.ExportVDR(context.Background(), " "); err == nil {
		t.Error("export of no name sent")
	}
}

// The whole surface against the emulator: VDRs and transformations made,
// read, replaced, listed across pages, exported and deleted.
func TestVDRClientLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, em := emulatorWith(t, emulator.Options{})
	v, err := c.CreateVDR(ctx, testVDRRequest("myContact"))
	if err != nil || v.ID != 8001 || len(v.Fields) != 2 || v.Fields[0].Level != "organization" {
		t.Fatalf("create: %+v %v", v, err)
	}
	other, _ := c.CreateVDR(ctx, testVDRRequest("myAccount"))
	req := testVDRRequest("myContact")
	req.Fields = append(req.Fields, VDRField{Path: "phone", Type: "string"})
	if v, err = c.ReplaceVDR(ctx, v.ID, req); err != nil || len(v.Fields) != 3 || v.Fields[0].ID != 1 {
		t.Fatalf("replace: %+v %v", v, err)
	}
	list, err := c.ListVDRs(ctx, VDRListOptions{PageSize: 1})
	if err != nil || len(list) != 2 || len(em.RequestsTo(http.MethodGet, "/vdrs")) != 2 {
		t.Fatalf("list: %d %v", len(list), err)
	}
	if list, _ = c.ListVDRs(ctx, VDRListOptions{ObjectName: "myAccount"}); len(list) != 1 || list[0].ID != other.ID {
		t.Fatalf("list by name: %+v", list)
	}
	org, err := c.CreateVDRTransformation(ctx, v.ID, testTransformationRequest())
	if err != nil || org.Level != "organization" || org.VDRID != v.ID || org.Script.Body != "done(transformedObject);" ||
		string(org.Fields[1].Configuration) != `[{"properties":{"toVendor":true},"type":"remove"}]` {
		t.Fatalf("create transformation: %+v %v", org, err)
	}
	inst := em.PutInstance(emulator.Instance{Name: "helpdesk", Configuration: map[string]string{"subdomain": "acme", "username": "k"}})
	in := testTransformationRequest()
	in.ElementKey, in.InstanceID = "", inst.ID
	tin, err := c.CreateVDRTransformation(ctx, v.ID, in)
	if err != nil || tin.Level != "instance" || tin.InstanceID != inst.ID || tin.ElementKey != "freshdeskv2" {
		t.Fatalf("instance level: %+v %v", tin, err)
	}
	in.VendorName, in.Script = "people", nil
	if tin, err = c.ReplaceVDRTransformation(ctx, v.ID, tin.ID, in); err != nil || tin.VendorName != "people" || tin.Script != nil {
		t.Fatalf("replace transformation: %+v %v", tin, err)
	}
	ts, err := c.ListVDRTransformations(ctx, v.ID, TransformationListOptions{ElementKey: "freshdeskv2", PageSize: 1})
	if err != nil || len(ts) != 1 || ts[0].ID != org.ID {
		t.Fatalf("list transformations of the element: %+v %v", ts, err)
	}
	if ts, _ = c.ListVDRTransformations(ctx, v.ID, TransformationListOptions{InstanceID: inst.ID}); len(ts) != 1 || ts[0].ID != tin.ID {
		t.Fatalf("list transformations of the instance: %+v", ts)
	}
	x, err := c.ExportVDR(ctx, "myContact")
	if err != nil || x.VDR.ID != v.ID || len(x.Transformations) != 2 {
		t.Fatalf("export: %+v %v", x, err)
	}
	if got, err := c.GetVDRTransformation(ctx, v.ID, org.ID); err != nil || got.VendorName != "contacts" {
		t.Fatalf("get transformation: %+v %v", got, err)
	}
	if err := c.DeleteVDRTransformation(ctx, v.ID, tin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetVDRTransformation(ctx, v.ID, tin.ID); !IsNotFound(err) {
		t.Fatalf("deleted transformation: %v", err)
	}
	if err := c.DeleteVDR(ctx, v.ID); err != nil || len(em.Transformations()) != 0 {
		t.Fatalf("delete VDR: %v", err)
	}
	if _, err := c.GetVDR(ctx, v.ID); !IsNotFound(err) {
		t.Fatalf("deleted VDR: %v", err)
	}
}

// API errors carry status, message and request id; a 409 is IsConflict.
func TestVDRErrorsNameStatusMessageAndRequestID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _ := emulatorProfile(t, "assets-refuse")
	v, _ := c.CreateVDR(ctx, testVDRRequest("myContact"))
	_, err := c.CreateVDR(ctx, testVDRRequest("myContact"))
	var apiErr *Error
	if !errors.As(err, &apiErr) || !IsConflict(err) || apiErr.RequestID == "" || !strings.Contains(err.Error(), "already exists") ||
		!strings.Contains(err.Error(), "request id") {
		t.Fatalf("duplicate objectName: %v", err)
	}
	if _, err := c.CreateVDRTransformation(ctx, v.ID, testTransformationRequest()); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteVDR(ctx, v.ID); !IsConflict(err) || !strings.Contains(err.Error(), "transformations") {
		t.Fatalf("refused delete: %v", err)
	}
	bad := testTransformationRequest()
	bad.ElementKey = "zendesk"
	bad.Fields[0].Path = "nosuch"
	if _, err := c.CreateVDRTransformation(ctx, v.ID, bad); !hasStatus(err, 400) || !strings.Contains(err.Error(), "nosuch") {
		t.Fatalf("unknown field: %v", err)
	}
}

// On a host without VDR v2 every /vdrs path is a 404; that must not read
// as "the VDR is gone".
func TestVDRNotFoundOnAHostWithoutV2IsNotGone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _ := emulatorProfile(t, "vdr-legacy")
	for name, err := range map[string]error{
		"get":    func() error { _, err := c.GetVDR(ctx, 8001); return err }(),
		"delete": c.DeleteVDR(ctx, 8001),
		"tget":   func() error { _, err := c.GetVDRTransformation(ctx, 8001, 8002); return err }(),
		"export": func() error { _, err := c.ExportVDR(ctx, "myContact"); return err }(),
	} {
		if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "does not seem to serve common resources v2") {
			t.Errorf("%s: %v", name, err)
		}
	}
	c, _ = emulatorWith(t, emulator.Options{})
	if _, err := c.GetVDR(ctx, 8001); !IsNotFound(err) {
		t.Fatalf("a missing VDR on a v2 host: %v", err)
	}
}

// Every profile's answers decode, and what is sent reads back.
func TestVDRClientEveryProfile(t *testing.T) {
	t.Parallel()
	for _, name := range emulator.ProfileNames() {
		if name == "vdr-legacy" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			c, _ := emulatorProfile(t, name)
			v, err := c.CreateVDR(ctx, testVDRRequest("myContact"))
			if err != nil {
				t.Fatal(err)
			}
			tr, err := c.CreateVDRTransformation(ctx, v.ID, testTransformationRequest())
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.GetVDR(ctx, v.ID)
			if err != nil || !holdsFields(got.Fields, testVDRRequest("x").Fields) {
				t.Fatalf("get: %+v %v", got, err)
			}
			list, err := c.ListVDRs(ctx, VDRListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(name, "stale") && (len(list) != 1 || list[0].ObjectName != "myContact") {
				t.Fatalf("list: %+v", list)
			}
			gt, err := c.GetVDRTransformation(ctx, v.ID, tr.ID)
			if err != nil || gt.VendorName != "contacts" || len(gt.Fields) != 2 || gt.Script == nil ||
				strings.TrimSpace(gt.Script.Body) != "done(transformedObject);" {
				t.Fatalf("get transformation: %+v %v", gt, err)
			}
		})
	}
}

func TestVDRListingCaps(t *testing.T) {
	t.Parallel()
	many := strings.Repeat(`{"path":"p","type":"string"},`, MaxItemVDRFields)
	longScript := strings.Repeat("x", MaxScriptBytes+1)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/transformations") {
			fmt.Fprintf(w, `[{"id":2,"script":{"body":%q}}]`, longScript)
			return
		}
		fmt.Fprintf(w, `[{"id":1,"objectName":"x","fields":[%s{"path":"last","type":"string"}]}]`, many)
	}))
	if _, err := c.ListVDRs(context.Background(), VDRListOptions{}); !errors.Is(err, errListCap) || !strings.Contains(err.Error(), "fields") {
		t.Fatalf("too many fields: %v", err)
	}
	if _, err := c.ListVDRTransformations(context.Background(), 1, TransformationListOptions{}); !errors.Is(err, errListCap) ||
		!strings.Contains(err.Error(), "script") {
		t.Fatalf("script too long: %v", err)
	}
}

func TestTransformationAnswerAboutAnotherAssetIsRefused(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": 8, "vdrId": 3, "objectName": "other"})
	}))
	if _, err := c.GetVDR(context.Background(), 7); err == nil || !strings.Contains(err.Error(), "asked about VDR 7") {
		t.Fatalf("got %v", err)
	}
	if _, err := c.GetVDRTransformation(context.Background(), 3, 7); err == nil || !strings.Contains(err.Error(), "asked about transformation 7") {
		t.Fatalf("got %v", err)
	}
	if _, err := c.GetVDRTransformation(context.Background(), 4, 8); err == nil || !strings.Contains(err.Error(), "asked about VDR 4") {
		t.Fatalf("transformation of another VDR accepted: %v", err)
	}
}

// Reads are retried like every idempotent call.
func TestVDRReadsAreRetried(t *testing.T) {
	t.Parallel()
	c, em := emulatorWith(t, emulator.Options{})
	v, _ := c.CreateVDR(context.Background(), testVDRRequest("myContact"))
	em.Script(http.MethodGet, "/vdrs/{id}", emulator.Fault{Kind: emulator.FaultStatus, Status: 503},
		emulator.Fault{Kind: emulator.FaultReset})
	start := time.Now()
	if got, err := c.GetVDR(context.Background(), v.ID); err != nil || got.ID != v.ID || len(em.RequestsTo(http.MethodGet, "/vdrs/*")) != 3 {
		t.Fatalf("got %+v %v after %s", got, err, time.Since(start))
	}
}
