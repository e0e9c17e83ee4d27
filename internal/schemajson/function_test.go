package schemajson

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestConvertFunction: a provider-defined function comes out as Terraform
// prints it (internal/command/jsonfunction), so that tfplugindocs gives it a
// page as soon as the provider has one.
func TestConvertFunction(t *testing.T) {
	resp := &tfprotov6.GetProviderSchemaResponse{Functions: map[string]*tfprotov6.Function{
		"from_export": {
			Summary:     "Turns an export into attributes",
			Description: "Long text",
			Parameters: []*tfprotov6.FunctionParameter{
				{Name: "export", Description: "The export", Type: tftypes.String},
				{Name: "ids", Type: tftypes.Map{ElementType: tftypes.String}, AllowNullValue: true},
			},
			VariadicParameter: &tfprotov6.FunctionParameter{Name: "more", Type: tftypes.Number},
			Return:            &tfprotov6.FunctionReturn{Type: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"name": tftypes.String}}},
		},
	}}
	p, err := convert(resp, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(p.Functions)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"from_export":{"description":"Long text","summary":"Turns an export into attributes",` +
		`"return_type":["object",{"name":"string"}],"parameters":[{"name":"export","description":"The export","type":"string"},` +
		`{"name":"ids","is_nullable":true,"type":["map","string"]}],"variadic_parameter":{"name":"more","type":"number"}}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
