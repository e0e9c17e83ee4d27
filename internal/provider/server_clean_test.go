package provider

import (
	"context"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Issue 27 item 2 and issue 26 defect 8: every RPC's answer, whatever its
// kind (diagnostics, a function error, a stop error, list results, action
// progress), is cleaned and masked by the protocol server, so that no path
// that builds text from the platform can forget it.

// dirtyText is what a careless path might answer: escape sequences, a bidi
// override and a secret.
const dirtyText = "status \x1b[2J\x1b]0;pwned\x07 \u202eforged " + serverCleanSecret + " end"

const serverCleanSecret = "FAKEsrv-Secret-7Qx/+="

// dirtyServer answers every RPC with dirtyText wherever its answer carries
// text. It implements every RPC by hand: a new one fails the build here too.
type dirtyServer struct{}

// dirty is an answer of type T with dirtyText in its diagnostics and errors.
func dirty[T any]() (*T, error) { //nolint:unparam // returned as the RPCs return
	v := new(T)
	e := reflect.ValueOf(v).Elem()
	if f := e.FieldByName("Diagnostics"); f.IsValid() {
		f.Set(reflect.ValueOf(dirtyDiags()))
	}
	if f := e.FieldByName("Error"); f.IsValid() {
		switch f.Kind() {
		case reflect.String:
			f.SetString(dirtyText)
		case reflect.Pointer:
			f.Set(reflect.ValueOf(&tfprotov6.FunctionError{Text: dirtyText}))
		}
	}
	return v, nil
}

func dirtyDiags() []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: dirtyText, Detail: dirtyText}}
}

func (dirtyServer) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return dirty[tfprotov6.GetMetadataResponse]()
}
func (dirtyServer) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return dirty[tfprotov6.GetProviderSchemaResponse]()
}
func (dirtyServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return dirty[tfprotov6.GetResourceIdentitySchemasResponse]()
}
func (dirtyServer) ValidateProviderConfig(context.Context, *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return dirty[tfprotov6.ValidateProviderConfigResponse]()
}
func (dirtyServer) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return dirty[tfprotov6.ConfigureProviderResponse]()
}
func (dirtyServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return dirty[tfprotov6.StopProviderResponse]()
}
func (dirtyServer) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return dirty[tfprotov6.ValidateResourceConfigResponse]()
}
func (dirtyServer) UpgradeResourceState(context.Context, *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return dirty[tfprotov6.UpgradeResourceStateResponse]()
}
func (dirtyServer) ReadResource(context.Context, *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return dirty[tfprotov6.ReadResourceResponse]()
}
func (dirtyServer) PlanResourceChange(context.Context, *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return dirty[tfprotov6.PlanResourceChangeResponse]()
}
func (dirtyServer) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return dirty[tfprotov6.ApplyResourceChangeResponse]()
}
func (dirtyServer) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return dirty[tfprotov6.ImportResourceStateResponse]()
}
func (dirtyServer) MoveResourceState(context.Context, *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return dirty[tfprotov6.MoveResourceStateResponse]()
}
func (dirtyServer) UpgradeResourceIdentity(context.Context, *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return dirty[tfprotov6.UpgradeResourceIdentityResponse]()
}
func (dirtyServer) GenerateResourceConfig(context.Context, *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return dirty[tfprotov6.GenerateResourceConfigResponse]()
}
func (dirtyServer) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return dirty[tfprotov6.ValidateDataResourceConfigResponse]()
}
func (dirtyServer) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return dirty[tfprotov6.ReadDataSourceResponse]()
}
func (dirtyServer) CallFunction(context.Context, *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return dirty[tfprotov6.CallFunctionResponse]()
}
func (dirtyServer) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return dirty[tfprotov6.GetFunctionsResponse]()
}
func (dirtyServer) ValidateEphemeralResourceConfig(context.Context, *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return dirty[tfprotov6.ValidateEphemeralResourceConfigResponse]()
}
func (dirtyServer) OpenEphemeralResource(context.Context, *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return dirty[tfprotov6.OpenEphemeralResourceResponse]()
}
func (dirtyServer) RenewEphemeralResource(context.Context, *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return dirty[tfprotov6.RenewEphemeralResourceResponse]()
}
func (dirtyServer) CloseEphemeralResource(context.Context, *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return dirty[tfprotov6.CloseEphemeralResourceResponse]()
}
func (dirtyServer) ValidateListResourceConfig(context.Context, *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return dirty[tfprotov6.ValidateListResourceConfigResponse]()
}
func (dirtyServer) ListResource(context.Context, *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		yield(tfprotov6.ListResourceResult{DisplayName: dirtyText, Diagnostics: dirtyDiags()})
	}}, nil
}
func (dirtyServer) ValidateActionConfig(context.Context, *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	return dirty[tfprotov6.ValidateActionConfigResponse]()
}
func (dirtyServer) PlanAction(context.Context, *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return dirty[tfprotov6.PlanActionResponse]()
}
func (dirtyServer) InvokeAction(context.Context, *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	return &tfprotov6.InvokeActionServerStream{Events: func(yield func(tfprotov6.InvokeActionEvent) bool) {
		if yield(tfprotov6.InvokeActionEvent{Type: tfprotov6.ProgressInvokeActionEventType{Message: dirtyText}}) {
			yield(tfprotov6.InvokeActionEvent{Type: tfprotov6.CompletedInvokeActionEventType{Diagnostics: dirtyDiags()}})
		}
	}}, nil
}

// textsOf collects every string v holds, streams read to their end.
func textsOf(v reflect.Value, out *[]string) {
	if !v.IsValid() {
		return
	}
	switch x := v.Interface().(type) {
	case *tfprotov6.ListResourceServerStream:
		if x != nil && x.Results != nil {
			for r := range x.Results {
				textsOf(reflect.ValueOf(r), out)
			}
		}
		return
	case *tfprotov6.InvokeActionServerStream:
		if x != nil && x.Events != nil {
			for ev := range x.Events {
				textsOf(reflect.ValueOf(ev.Type), out)
			}
		}
		return
	}
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			textsOf(v.Elem(), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				textsOf(v.Field(i), out)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			textsOf(v.Index(i), out)
		}
	}
}

func TestProtocolServerCleansEveryRPC(t *testing.T) {
	client, err := cloudelements.New(cloudelements.Config{BaseURL: "http://127.0.0.1:1/elements/api-v2",
		UserSecret: serverCleanSecret, OrganizationSecret: "FAKEorg-srv-clean-1"})
	if err != nil {
		t.Fatal(err)
	}
	var loaded atomic.Pointer[cloudelements.Client]
	loaded.Store(client)
	d := dirtyServer{}
	s := releasingServer{ProviderServer: d, ListResourceServer: d, ActionServer: d, clean: diagCleaner{client: &loaded}}
	rpcs := 0
	for _, iface := range []reflect.Type{reflect.TypeFor[tfprotov6.ProviderServer](),
		reflect.TypeFor[tfprotov6.ListResourceServer](), reflect.TypeFor[tfprotov6.ActionServer]()} {
		for i := range iface.NumMethod() {
			m := iface.Method(i)
			rpcs++
			req := reflect.New(m.Type.In(1).Elem())
			out := reflect.ValueOf(s).MethodByName(m.Name).Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
			var texts []string
			textsOf(out[0], &texts)
			if len(texts) == 0 {
				t.Errorf("%s: no text in the answer to check", m.Name)
			}
			for _, text := range texts {
				if strings.Contains(text, serverCleanSecret) || escapesIn(text) > 0 {
					t.Errorf("%s answers uncleaned text: %q", m.Name, text)
				}
			}
		}
	}
	t.Logf("%d RPCs checked", rpcs)
}
