package provider

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestReauthenticateWithoutCredentials (issue 28 item 5): credentials that
// turn out null at invoke time (the configuration validators pass unknown
// values) are refused before any request, naming the attributes that would
// fix it; so are a code and a token together. The action is invoked
// directly: actions need Terraform 1.14, which CI does not run.
func TestReauthenticateWithoutCredentials(t *testing.T) {
	parallel(t)
	ctx := context.Background()
	emu := emulator.New(emulator.Options{UserSecret: testUserSecret, OrganizationSecret: testOrganizationSecret})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	client, err := cloudelements.New(cloudelements.Config{BaseURL: srv.URL + emulator.BasePath,
		UserSecret: testUserSecret, OrganizationSecret: testOrganizationSecret})
	if err != nil {
		t.Fatal(err)
	}
	a := &instanceReauthenticateAction{}
	a.provider = &providerData{client: client}
	var sr action.SchemaResponse
	a.Schema(ctx, action.SchemaRequest{}, &sr)
	typ, ok := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the action's schema is not an object")
	}
	config := func(code, token tftypes.Value) tfsdk.Config {
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		vals["instance_id"] = tftypes.NewValue(tftypes.String, "5")
		vals["oauth_code"], vals["refresh_token"] = code, token
		return tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}
	}
	null := tftypes.NewValue(tftypes.String, nil)
	for name, tc := range map[string]struct {
		cfg       tfsdk.Config
		at, words string
	}{
		"none": {config(null, null), "oauth_code", "Set one: oauth_code to the code of the browser step"},
		"code and token": {config(tftypes.NewValue(tftypes.String, "c"), tftypes.NewValue(tftypes.String, "r")),
			"refresh_token", "oauth_code and refresh_token are both set; keep one of them"},
	} {
		resp := action.InvokeResponse{SendProgress: func(action.InvokeProgressEvent) {}}
		a.Invoke(ctx, action.InvokeRequest{Config: tc.cfg}, &resp)
		if len(resp.Diagnostics) != 1 {
			t.Fatalf("%s: diagnostics %v", name, resp.Diagnostics)
		}
		d := resp.Diagnostics[0]
		if !strings.Contains(d.Detail(), tc.words) || !strings.Contains(d.Detail(), "Nothing was sent") {
			t.Errorf("%s: detail %q", name, d.Detail())
		}
		if wp, ok := d.(diag.DiagnosticWithPath); !ok || wp.Path().String() != tc.at {
			t.Errorf("%s: %#v not at %q", name, d, tc.at)
		}
	}
	if got := emu.Requests(); len(got) != 0 {
		t.Errorf("requests sent: %s", describe(got))
	}
}
