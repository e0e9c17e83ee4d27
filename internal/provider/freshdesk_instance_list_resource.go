package provider

import (
	"context"
	"errors"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ list.ListResource              = (*freshdeskInstanceListResource)(nil)
	_ list.ListResourceWithConfigure = (*freshdeskInstanceListResource)(nil)
)

// NewFreshdeskInstanceListResource returns the cloudelements_freshdesk_instance
// list resource, for `terraform query` (Terraform 1.14 and later).
func NewFreshdeskInstanceListResource() list.ListResource {
	return &freshdeskInstanceListResource{}
}

// freshdeskInstanceListResource finds existing Freshdesk V2 instances, each
// with the identity that imports it.
type freshdeskInstanceListResource struct {
	provider *providerData
}

// freshdeskInstanceListModel is the list block's config.
type freshdeskInstanceListModel struct {
	Tags types.List   `tfsdk:"tags"`
	Name types.String `tfsdk:"name"`
}

func (l *freshdeskInstanceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (l *freshdeskInstanceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the Freshdesk V2 instances the account sees, following every page of " +
			"`GET /elements/freshdeskv2/instances`, for `terraform query` (Terraform 1.14 and later). " + listCapsText +
			" Each result is named by the " +
			"instance's name and carries its identity; with `include_resource = true` it also carries every " +
			"attribute the platform returns (never the API key, which the platform does not return).",
		Attributes: map[string]schema.Attribute{
			"tags": schema.ListAttribute{
				MarkdownDescription: "Only instances carrying every one of these tags (a list: list blocks take no sets; order and repeats do not matter).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.List{listvalidator.ValueStringsAre(validate.NotBlank())},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Only instances with exactly this name (case included).",
				Optional:            true,
				Validators:          []validator.String{validate.NotBlank()},
			},
		},
	}
}

func (l *freshdeskInstanceListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	l.provider = pd
}

func (l *freshdeskInstanceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config freshdeskInstanceListModel
	diags := req.Config.Get(ctx, &config)
	if !diags.HasError() {
		dataSourceConfigured(l.provider, &diags)
	}
	f := instanceFilter{elementKey: freshdeskElement.key, name: config.Name.ValueString()}
	if !diags.HasError() {
		diags.Append(config.Tags.ElementsAs(ctx, &f.tags, false)...)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	matches, err := listMatching(ctx, l.provider.client, f)
	cancel()
	if err != nil {
		diags.AddError("Cannot list instances", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
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

// result is one found instance: its identity, its name as display name and,
// when asked for, the state an import of it reads.
func (l *freshdeskInstanceListResource) result(ctx context.Context, req list.ListRequest, inst *cloudelements.Instance) list.ListResult {
	r := req.NewListResult(ctx)
	r.DisplayName = inst.Name
	id := types.StringValue(strconv.FormatInt(inst.ID, 10))
	r.Diagnostics.Append(r.Identity.Set(ctx, instanceIdentityModel{ID: id})...)
	if !req.IncludeResource || r.Diagnostics.HasError() {
		return r
	}
	// Start as an import does, from an id alone (every other attribute null,
	// with its schema type), then map the answer as Read does.
	r.Diagnostics.Append(r.Resource.SetAttribute(ctx, path.Root("id"), id)...)
	var m freshdeskInstanceModel
	r.Diagnostics.Append(r.Resource.Get(ctx, &m)...)
	if r.Diagnostics.HasError() {
		return r
	}
	engine := instanceEngine[freshdeskInstanceModel]{profile: freshdeskProfile{}, provider: l.provider}
	r.Diagnostics.Append(engine.readAnswer(ctx, inst, &m)...)
	r.Diagnostics.Append(r.Resource.Set(ctx, &m)...)
	return r
}

// The protocol server's wrapper (server.go) embeds tfprotov6.ProviderServer,
// which lacks the list RPCs: pass them straight to the framework. They run a
// few times a query, and results are streamed after ListResource returns, so
// its context must not be released early.
var _ tfprotov6.ListResourceServer = releasingServer{}

func (s releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	ls, err := s.listServer()
	if err != nil {
		return nil, err
	}
	return ls.ValidateListResourceConfig(ctx, req)
}

func (s releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	ls, err := s.listServer()
	if err != nil {
		return nil, err
	}
	return ls.ListResource(ctx, req)
}

func (s releasingServer) listServer() (tfprotov6.ListResourceServer, error) {
	ls, ok := s.ProviderServer.(tfprotov6.ListResourceServer)
	if !ok {
		return nil, errors.New("the wrapped provider server serves no list resources")
	}
	return ls, nil
}
