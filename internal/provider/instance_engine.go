package provider

// The instance engine holds the lifecycle every instance resource shares
// (plan rules, create with reconcile, read, PATCH or PUT, enable/disable,
// events, import with adoption, identity, delete). A resource is a profile of
// it: its schema, its validation, and the mapping of its model onto an
// instanceSpec. Nothing here knows any element. Its parts, one file each:
//
//	instance_engine.go    the model, the spec, the profile seam
//	instance_schema.go    the attributes every instance resource shares
//	instance_plan.go      ModifyPlan and the one write an update makes
//	instance_request.go   the create or PUT body
//	instance_crud.go      create, update, delete, import
//	instance_read.go      refresh
//	instance_readback.go  an answer into the model (refresh or settle)
//	instance_enabled.go   enable/disable with read-back
//	instance_adopt.go     adoption of an imported instance
//	instance_events.go    the events block
//	element_facts.go      what is known of each element by name
//
// Adding a typed resource for another element is its facts in
// element_facts.go and one small file, as freshdesk_instance_resource.go
// shows: a model embedding instanceCommonModel next to the element's named
// attributes; a schema (instanceCommonAttributes with the element's wording,
// plus those attributes); its validators; and an instanceProfile whose spec
// maps the named attributes onto configuration keys (with the secrets, the
// MatchKeys the create reconcile compares, the ReprovisionKeys only a PUT
// changes and the webhook segment), whose read and settle map the answer's
// keys back (on a refresh, after a write), and whose checkCreate and
// checkUpdate refuse what the element cannot do (such as a create without
// its secrets). The resource type embeds instanceEngine[M] and adds
// Metadata, Schema and ConfigValidators; register it in provider.go.
// Everything else comes from here.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// instanceCommonModel holds the attributes every instance resource has; each
// resource's model embeds it.
type instanceCommonModel struct {
	ID            types.String   `tfsdk:"id"`
	Name          nameValue      `tfsdk:"name"`
	Tags          types.Set      `tfsdk:"tags"`
	Enabled       types.Bool     `tfsdk:"enabled"`
	Events        types.Object   `tfsdk:"events"`
	Token         types.String   `tfsdk:"token"`
	ElementID     types.Int64    `tfsdk:"element_id"`
	CreatedDate   types.String   `tfsdk:"created_date"`
	Valid         types.Bool     `tfsdk:"valid"`
	Disabled      types.Bool     `tfsdk:"disabled"`
	EventsEnabled types.Bool     `tfsdk:"events_enabled"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// instanceSpec is what a profile asks of the platform, element-agnostic.
type instanceSpec struct {
	ElementKey string
	Name       string
	// Configuration holds the managed, non-secret keys (events excluded):
	// compared with the platform and changed by PATCH.
	Configuration map[string]string
	// ReprovisionKeys are keys of Configuration that only a PUT changes.
	ReprovisionKeys []string
	// Secrets are sent on create and PUT only, never compared or read back.
	Secrets map[string]string
	// MatchKeys identify the instance in the create reconcile.
	MatchKeys []string
	// ExternalAuthentication is sent on create and PUT when set.
	ExternalAuthentication string
	// WebhookHook is the element's segment in the platform's webhook address
	// (/events/<hook>/<base64 id>); "" when the element has none documented.
	WebhookHook string
}

// instanceProfile maps one resource type's model M onto the engine.
type instanceProfile[M any] interface {
	// label names the resource in messages ("Freshdesk instance").
	label() string
	// common returns the embedded common attributes of m.
	common(m *M) *instanceCommonModel
	// spec describes m; config carries write-only values and may be nil.
	// known is false when a value is not known yet (plan time).
	spec(ctx context.Context, m, config *M) (spec instanceSpec, known bool, diags diag.Diagnostics)
	// secretsChanged reports a change only a PUT applies besides
	// ReprovisionKeys: secrets, their write-only version, and the like.
	secretsChanged(plan, state *M) bool
	// checkCreate refuses, at plan time, a create the configuration cannot
	// make (one without the secrets it must send).
	checkCreate(plan, config *M) diag.Diagnostics
	// checkUpdate refuses, at plan time, an update write the configuration
	// cannot make (a PUT without the secrets it must send). kind is
	// writePatch when the plan's values are not all known yet.
	checkUpdate(plan, config *M, kind writeKind) diag.Diagnostics
	// read copies the profile's attributes from an answer on a refresh:
	// the platform is right, but values meaning the same keep m's spelling.
	read(ctx context.Context, inst *cloudelements.Instance, m *M) diag.Diagnostics
	// settle checks the profile's attributes against the answer to a
	// write; m holds the plan, and a contradicted value is kept with a
	// warning.
	settle(ctx context.Context, inst *cloudelements.Instance, m *M) diag.Diagnostics
	// importDefaults sets what an imported instance starts from before Read.
	importDefaults(ctx context.Context, state *tfsdk.State) diag.Diagnostics
}

// instanceEngine implements the resource lifecycle for a profile; a resource
// type embeds it and adds Metadata, Schema and validation.
type instanceEngine[M any] struct {
	profile  instanceProfile[M]
	provider *providerData
}

// writeKind is the API write an update makes.
type writeKind int

const (
	writeNone  writeKind = iota // nothing, or only enable/disable
	writePatch                  // PATCH: name, tags, configuration, events
	writePut                    // PUT: re-provision with the full definition
)

func (e *instanceEngine[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	e.provider = pd
}

func (e *instanceEngine[M]) configured(diags *diag.Diagnostics) bool {
	if e.provider == nil {
		diags.AddError("Provider not configured", "The cloudelements provider was not configured before use; "+
			"please report this issue to the provider developers.")
		return false
	}
	return true
}

func (e *instanceEngine[M]) baseURL() string {
	if e.provider == nil {
		return ""
	}
	return e.provider.baseURL
}

// hook is m's webhook address segment.
func (e *instanceEngine[M]) hook(ctx context.Context, m *M) string {
	s, _, _ := e.profile.spec(ctx, m, nil)
	return s.WebhookHook
}
