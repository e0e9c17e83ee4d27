package provider

// The shared validators live in internal/validate and the shared plan
// modifiers in internal/planmodify, with their unit tests. What follows are
// forwarding names kept while the resource files are rewritten.
//
// TODO(lead): switch call sites and delete:
//   - notBlankString()      -> validate.NotBlank()
//   - validBaseURL()        -> validate.BaseURL()
//   - validSubdomain()      -> validate.Subdomain()
//   - checkBaseURL(s)       -> validate.CheckBaseURL(s)
//   - parseInstanceID(s)    -> validate.ParseInstanceID(s)
//   - isLoopback(host)      -> validate.IsLoopback(host) (only checkCallbackURL uses it)
//   - knownHosts            -> validate.KnownBaseURLs()
//   - stringCheckValidator{description: d, check: f} -> validate.StringCheck(d, f)
//   - tagsValidator{}       -> validate.Tags()
// and replace the copies that live in the resource files:
//   - validInstanceID() (freshdesk_instance_data_source.go) -> validate.InstanceID()
//   - checkCallbackURL (freshdesk_instance_events.go)       -> validate.CallbackURL()
//   - checkJSONObject (freshdesk_instance_events.go)        -> validate.JSONObject(`jsonencode({ ... })`)
//   - sameJSONKeepsState{}, sameJSON (freshdesk_instance_events.go) -> planmodify.JSONKeepsStateIfSame(), planmodify.SameJSON
//   - apiKeyValidator{} (freshdesk_instance_resource.go)    -> validate.WriteOnlyPair("api_key", "api_key_wo", "api_key_wo_version", apiKeyHelp)
//   - element_key's RequiresReplaceIf (instance_resource.go) -> planmodify.RequiresReplaceIfStateSet("A change replaces the instance.")

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var knownHosts = validate.KnownBaseURLs()

func notBlankString() validator.String        { return validate.NotBlank() }
func validBaseURL() validator.String          { return validate.BaseURL() }
func validSubdomain() validator.String        { return validate.Subdomain() }
func checkBaseURL(raw string) error           { return validate.CheckBaseURL(raw) }
func parseInstanceID(s string) (int64, error) { return validate.ParseInstanceID(s) }
func isLoopback(host string) bool             { return validate.IsLoopback(host) }

// stringCheckValidator forwards to validate.StringCheck.
type stringCheckValidator struct {
	description string
	check       func(string) error
}

func (v stringCheckValidator) Description(ctx context.Context) string {
	return validate.StringCheck(v.description, v.check).Description(ctx)
}

func (v stringCheckValidator) MarkdownDescription(ctx context.Context) string {
	return validate.StringCheck(v.description, v.check).MarkdownDescription(ctx)
}

func (v stringCheckValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	validate.StringCheck(v.description, v.check).ValidateString(ctx, req, resp)
}

// tagsValidator forwards to validate.Tags.
type tagsValidator struct{}

func (tagsValidator) Description(ctx context.Context) string { return validate.Tags().Description(ctx) }

func (tagsValidator) MarkdownDescription(ctx context.Context) string {
	return validate.Tags().MarkdownDescription(ctx)
}

func (tagsValidator) ValidateSet(ctx context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	validate.Tags().ValidateSet(ctx, req, resp)
}
