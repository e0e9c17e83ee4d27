package provider

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ datasource.DataSource                     = (*instanceDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*instanceDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*instanceDataSource)(nil)
)

// NewInstanceDataSource returns the cloudelements_instance data source.
func NewInstanceDataSource() datasource.DataSource {
	return &instanceDataSource{}
}

// instanceDataSource looks up one instance of any element by id or name.
type instanceDataSource struct {
	instanceLookup
}

type instanceDataSourceModel struct {
	instanceSummaryModel

	ElementKey    types.String `tfsdk:"element_key"`
	ElementID     types.Int64  `tfsdk:"element_id"`
	Enabled       types.Bool   `tfsdk:"enabled"`
	EventsEnabled types.Bool   `tfsdk:"events_enabled"`
	Configuration types.Map    `tfsdk:"configuration"`
	// WithheldKeys names the secret-like keys left out of Configuration.
	WithheldKeys types.Set `tfsdk:"withheld_keys"`
}

// splitConfiguration splits an answered configuration into the keys that
// may be shown and the names of the secret-like ones (cloudelements.SecretKey,
// or known to hold a secret for the element), whose values are dropped:
// reading an instance must not copy its credentials into the reader's
// state. Empty values and values answered masked (all asterisks) carry
// nothing and are left out.
func splitConfiguration(inst *cloudelements.Instance) (public map[string]string, withheld []string) {
	public = map[string]string{}
	for k, v := range inst.Configuration {
		switch {
		case cloudelements.SecretKey(k) || slices.Contains(factsOf(inst.Element.Key).secretKeys, k):
			withheld = append(withheld, k)
		case v == "" || strings.Trim(v, "*") == "":
		default:
			public[k] = v
		}
	}
	return public, withheld
}

func (d *instanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (d *instanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := summaryAttributes()
	lookupAttributes(attrs, "exactly one instance (of `element_key`, when set) must have it.")
	attrs["element_key"] = schema.StringAttribute{
		MarkdownDescription: "The element's key, e.g. `jira`. Optional: narrows a lookup by `name`, and with `id` " +
			"must match the instance's element.",
		Optional: true, Computed: true,
		Validators: []validator.String{validate.NotBlank()},
	}
	attrs["element_id"] = schema.Int64Attribute{MarkdownDescription: "The element's numeric id.", Computed: true}
	attrs["enabled"] = schema.BoolAttribute{MarkdownDescription: "Whether the instance is enabled (the opposite of `disabled`).", Computed: true}
	attrs["events_enabled"] = schema.BoolAttribute{MarkdownDescription: "Whether the platform has events switched on.", Computed: true}
	attrs["configuration"] = schema.MapAttribute{
		MarkdownDescription: "The instance's configuration without secrets: keys named like secrets (`username`, " +
			"`*password*`, `*passwd*`, `*secret*`, `*token*`, `*key` such as `x-api-key` or `sftp.privateKey`, " +
			"`*credentials*`, `*connectionString*`) and keys known to hold one (`username` of `freshdeskv2`, its API " +
			"key) are left out and named in `withheld_keys`; values answered masked (`********`) and empty values " +
			"are left out too.",
		ElementType: types.StringType,
		Computed:    true,
	}
	attrs["withheld_keys"] = schema.SetAttribute{
		MarkdownDescription: "The configuration keys named like secrets (see `configuration`), whose values are " +
			"never read into state: a data source must not copy an instance's credentials to whoever reads it.",
		ElementType: types.StringType,
		Computed:    true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one existing instance of any element by `id` (one `GET /instances/{id}`) or " +
			"by `name` (`GET /instances?searchText=`, every page). Secrets are never exposed (secret-like " +
			"configuration keys are named in `withheld_keys`, without their values), and neither is the instance " +
			"token: use the `cloudelements_instance_token` ephemeral resource for it.",
		Attributes: attrs,
	}
}

func (d *instanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var config instanceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	elementKey := config.ElementKey.ValueString()
	what := "instance"
	if elementKey != "" {
		what = strconv.Quote(elementKey) + " instance"
	}
	inst := d.find(ctx, config.ID, config.Name, elementKey, what, "leave element_key out to read it", &resp.Diagnostics)
	if inst == nil {
		return
	}
	summary, diags := summaryOf(ctx, inst)
	resp.Diagnostics.Append(diags...)
	public, withheld := splitConfiguration(inst)
	cfg, diags := types.MapValueFrom(ctx, types.StringType, public)
	resp.Diagnostics.Append(diags...)
	withheldSet, diags := types.SetValueFrom(ctx, types.StringType, withheld)
	resp.Diagnostics.Append(diags...)
	key := types.StringValue(inst.Element.Key)
	if inst.Element.Key == "" { // answered as {"id": n} alone
		key = config.ElementKey
	}
	state := instanceDataSourceModel{
		instanceSummaryModel: summary,
		ElementKey:           key,
		ElementID:            types.Int64Value(elementIDOf(inst)),
		Enabled:              types.BoolValue(!inst.Disabled),
		EventsEnabled:        types.BoolValue(inst.EventsEnabled),
		Configuration:        cfg,
		WithheldKeys:         withheldSet,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
