package provider

// What every instance list resource (terraform query, Terraform 1.14 and
// later) shares: the filter attributes, the listing, and each result's
// identity, display name and, when asked for, the state an import of the
// instance reads, with every secret left out. A list resource embeds
// instanceLister[M] for its resource's model and adds Metadata and its
// config schema.

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// instanceLister lists the instances of one resource type.
type instanceLister[M any] struct {
	provider *providerData
	profile  instanceProfile[M]
	// elementKey is the element a typed resource is for; "" means the list
	// block's element_key attribute says (any element when unset).
	elementKey string
	// displayName names a result in terraform query's output.
	displayName func(*cloudelements.Instance) string
	// readBack maps an answer onto an import's starting state; nil is the
	// engine's refresh (readAnswer). A field so that a test can watch its
	// context.
	readBack func(ctx context.Context, inst *cloudelements.Instance, m *M) diag.Diagnostics
}

// listFilterAttributes are the list block's tags and name.
func listFilterAttributes() map[string]listschema.Attribute {
	return map[string]listschema.Attribute{
		"tags": listschema.ListAttribute{
			MarkdownDescription: "Only instances carrying every one of these tags (a list: list blocks take no " +
				"sets; order and repeats do not matter). Scope a query to the instances this configuration should " +
				"own with a tag only they carry: the listing shows every instance the credentials see, including " +
				"those that another Terraform state manages.",
			ElementType: types.StringType,
			Optional:    true,
			Validators:  []validator.List{listvalidator.ValueStringsAre(validate.NotBlank())},
		},
		"name": listschema.StringAttribute{
			MarkdownDescription: "Only instances with exactly this name (case included).",
			Optional:            true,
			Validators:          []validator.String{validate.NotBlank()},
		},
	}
}

// listResultText ends every list resource's description.
var listResultText = "Terraform stops at the list block's `limit` (100 unless set). " + listCapsText +
	" Each result carries the instance's identity; with `include_resource = true` it also carries the " +
	"state an import reads, without the token or any other secret (null), so that " +
	"`terraform query -generate-config-out` writes configuration that plans the import alone."

func (l *instanceLister[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	l.provider = pd
}

func (l *instanceLister[M]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	f, diags := l.filter(ctx, req.Config)
	if !diags.HasError() {
		dataSourceConfigured(l.provider, &diags)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// Terraform consumes the results after List returns: the listing and
	// every result run inside the iterator, under one read timeout that
	// ends when the stream does.
	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
		defer cancel()
		matches, err := listMatching(ctx, l.provider.client, f)
		if err != nil {
			var d diag.Diagnostics
			d.AddError("Cannot list instances", l.provider.errorDetail(err))
			push(list.ListResult{Diagnostics: d})
			return
		}
		for i := range matches {
			if req.Limit > 0 && int64(i) >= req.Limit {
				return
			}
			if !push(l.result(ctx, req, &matches[i])) {
				return
			}
		}
	}
}

// filter reads the list block: tags, name and, unless the resource type is
// for one element, element_key.
func (l *instanceLister[M]) filter(ctx context.Context, config tfsdk.Config) (instanceFilter, diag.Diagnostics) {
	var tags types.List
	var name types.String
	diags := config.GetAttribute(ctx, path.Root("tags"), &tags)
	diags.Append(config.GetAttribute(ctx, path.Root("name"), &name)...)
	f := instanceFilter{elementKey: l.elementKey, name: name.ValueString()}
	if l.elementKey == "" {
		var key types.String
		diags.Append(config.GetAttribute(ctx, path.Root("element_key"), &key)...)
		f.elementKey = key.ValueString()
	}
	if !diags.HasError() {
		diags.Append(tags.ElementsAs(ctx, &f.tags, false)...)
	}
	return f, diags
}

// result is one found instance: its identity, its display name and, when
// asked for, the state an import of it reads, secrets null.
func (l *instanceLister[M]) result(ctx context.Context, req list.ListRequest, inst *cloudelements.Instance) list.ListResult {
	r := req.NewListResult(ctx)
	r.DisplayName = l.displayName(inst)
	id := types.StringValue(strconv.FormatInt(inst.ID, 10))
	r.Diagnostics.Append(r.Identity.Set(ctx, instanceIdentityModel{ID: id})...)
	if !req.IncludeResource || r.Diagnostics.HasError() {
		return r
	}
	// Start as ImportState does (the id, enabled and the profile's import
	// defaults; every other attribute null), then map the answer as Read
	// does.
	st := tfsdk.State(*r.Resource)
	r.Diagnostics.Append(st.SetAttribute(ctx, path.Root("id"), id)...)
	r.Diagnostics.Append(st.SetAttribute(ctx, path.Root("enabled"), true)...)
	r.Diagnostics.Append(l.profile.importDefaults(ctx, &st)...)
	var m M
	r.Diagnostics.Append(st.Get(ctx, &m)...)
	if r.Diagnostics.HasError() {
		return r
	}
	read := l.readBack
	if read == nil {
		engine := instanceEngine[M]{profile: l.profile, provider: l.provider}
		read = engine.readAnswer
	}
	r.Diagnostics.Append(read(ctx, inst, &m)...)
	r.Diagnostics.Append(r.Resource.Set(ctx, &m)...)
	l.provider.guard().scrubListResult(ctx, &r)
	return r
}
