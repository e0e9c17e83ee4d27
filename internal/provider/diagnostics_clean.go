package provider

import (
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// diagCleaner is the last step of every answer to Terraform: each
// diagnostic's summary and detail, each list result's display name and each
// action progress message are cleaned of terminal escapes and control characters and masked with
// every secret the provider's client knows. Diagnostics quote platform text
// (a name, a message, an answered value), and no path that builds one may
// let an escape sequence or a secret through.
type diagCleaner struct {
	client *atomic.Pointer[cloudelements.Client] // nil before (or without) Configure
}

func (d diagCleaner) text(s string) string { return d.loaded().CleanDiagnostic(s) }

// name cleans a list result's display name.
func (d diagCleaner) name(s string) string { return cleanName(d.loaded(), s) }

// line cleans an action's progress message, which Terraform prints as one
// line: as a diagnostic, its line breaks made spaces, cut to 1 KiB (it
// quotes platform statuses, which a flood could make any length).
func (d diagCleaner) line(s string) string {
	s = strings.ReplaceAll(d.text(s), "\n", " ")
	if len(s) > 1024 {
		s = strings.ToValidUTF8(s[:1024], "") + "…"
	}
	return s
}

func (d diagCleaner) loaded() *cloudelements.Client {
	if d.client == nil {
		return nil
	}
	return d.client.Load()
}

func (d diagCleaner) diagnostics(diags []*tfprotov6.Diagnostic) {
	for _, dg := range diags {
		if dg != nil {
			dg.Summary, dg.Detail = d.text(dg.Summary), d.text(dg.Detail)
		}
	}
}

var diagnosticsType = reflect.TypeFor[[]*tfprotov6.Diagnostic]()

// response cleans the Diagnostics field of a protocol response.
func (d diagCleaner) response(resp any) {
	v := reflect.ValueOf(resp)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return
	}
	if f := v.Elem().FieldByName("Diagnostics"); f.IsValid() && f.Type() == diagnosticsType {
		if diags, ok := f.Interface().([]*tfprotov6.Diagnostic); ok {
			d.diagnostics(diags)
		}
	}
}

// cleanName is a name from the platform fit to show: cleaned, masked and
// cut to 256 bytes.
func cleanName(c *cloudelements.Client, s string) string {
	s = c.CleanDiagnostic(s)
	if len(s) > 256 {
		s = s[:256] + "…"
	}
	return strings.ReplaceAll(s, "\n", " ")
}
