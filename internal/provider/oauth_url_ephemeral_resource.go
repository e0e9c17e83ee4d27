package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Ensure provider defined types fully satisfy framework interfaces.
var (
	_ ephemeral.EphemeralResource              = (*oauthURLEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*oauthURLEphemeralResource)(nil)
)

// NewOAuthURLEphemeralResource returns the cloudelements_oauth_url ephemeral resource.
func NewOAuthURLEphemeralResource() ephemeral.EphemeralResource {
	return &oauthURLEphemeralResource{}
}

// oauthURLEphemeralResource asks the platform for the authorization URL of
// an OAuth element's browser flow. Ephemeral rather than a data source: the
// request needs the OAuth client secret, and a data source keeps its
// arguments in state.
type oauthURLEphemeralResource struct {
	provider *providerData
}

type oauthURLModel struct {
	ElementKey  types.String `tfsdk:"element_key"`
	APIKey      types.String `tfsdk:"api_key"`
	APISecret   types.String `tfsdk:"api_secret"`
	CallbackURL types.String `tfsdk:"callback_url"`
	Scope       types.String `tfsdk:"scope"`
	State       types.String `tfsdk:"state"`
	SiteAddress types.String `tfsdk:"site_address"`
	ShowURL     types.Bool   `tfsdk:"show_url"`
	URL         types.String `tfsdk:"url"`
}

func (e *oauthURLEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oauth_url"
}

func (e *oauthURLEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	optional := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Optional: true,
			Validators: []validator.String{validate.NotBlank()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The authorization URL of an OAuth element's browser flow, from " +
			"`GET /elements/{key}/oauth/url` (Terraform 1.10 and later): open it in a browser, grant access at the " +
			"vendor, and the vendor calls `callback_url` with a one-time `code` for creating an instance or for the " +
			"`cloudelements_instance_reauthenticate` action. Ephemeral, so that the OAuth client secret it needs is " +
			"never stored in the plan or state (a data source would keep it in state).",
		Attributes: map[string]schema.Attribute{
			"element_key": schema.StringAttribute{
				MarkdownDescription: "The OAuth element's key, e.g. `sfdc`.",
				Required:            true,
				Validators:          []validator.String{validate.NotBlank()},
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "The OAuth client id registered with the vendor (the instance's `oauth.api.key`). " +
					"Not secret in OAuth: the URL shows it to the browser.",
				Required:   true,
				Validators: []validator.String{validate.NotBlank()},
			},
			"api_secret": schema.StringAttribute{
				MarkdownDescription: "The OAuth client secret (the instance's `oauth.api.secret`).",
				Required:            true,
				Sensitive:           true,
				Validators:          []validator.String{validate.NotBlank()},
			},
			"callback_url": schema.StringAttribute{
				MarkdownDescription: "The callback URL registered with the vendor (the instance's `oauth.callback.url`).",
				Required:            true,
				Validators:          []validator.String{validate.NotBlank()},
			},
			"scope":        optional("OAuth scopes, for elements that need them (e.g. HubSpot)."),
			"state":        optional("The `state` the vendor hands back to the callback; the platform defaults it to the element key."),
			"site_address": optional("The vendor site, for elements that need one."),
			"show_url": schema.BoolAttribute{
				MarkdownDescription: "Also show the URL in Terraform's output, as a warning, so that it can be opened " +
					"without more configuration: Terraform shows no ephemeral value itself (not in outputs, `terraform " +
					"console` or provisioner output). The URL holds the client id, never the client secret.",
				Optional: true,
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "The URL to open in a browser. It carries the client id, never the client secret.",
				Computed:            true,
			},
		},
	}
}

func (e *oauthURLEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	e.provider = pd
}

func (e *oauthURLEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m oauthURLModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(e.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	u, err := e.provider.client.OAuthURL(ctx, cloudelements.OAuthURLRequest{
		ElementKey: m.ElementKey.ValueString(), APIKey: m.APIKey.ValueString(), APISecret: m.APISecret.ValueString(),
		CallbackURL: m.CallbackURL.ValueString(), Scope: m.Scope.ValueString(), State: m.State.ValueString(),
		SiteAddress: m.SiteAddress.ValueString(),
	})
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot get the OAuth URL of element %q", m.ElementKey.ValueString()),
			e.provider.errorDetail(err))
		return
	}
	m.URL = types.StringValue(u)
	if m.ShowURL.ValueBool() {
		resp.Diagnostics.AddWarning("OAuth authorization URL for element "+m.ElementKey.ValueString(),
			"Open this URL in a browser and grant access; the vendor then calls the callback URL with a one-time code:\n\n"+u)
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
