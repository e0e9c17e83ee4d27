package provider

// Lookups and timeouts every instance resource, data source, list resource
// and ephemeral resource shares; nothing here knows any element.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Default operation timeouts; creating makes the platform provision the
// instance, which can take a while, and retries wait within these bounds.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

// instanceSummaryModel holds what both data sources report about any instance.
type instanceSummaryModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Tags        types.Set    `tfsdk:"tags"`
	CreatedDate types.String `tfsdk:"created_date"`
	Valid       types.Bool   `tfsdk:"valid"`
	Disabled    types.Bool   `tfsdk:"disabled"`
}

// summaryAttributes are the computed attributes shared by both data sources;
// id and name differ (inputs here, outputs in the list) and are added by each.
func summaryAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"tags": schema.SetAttribute{
			MarkdownDescription: "The instance's tags.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"created_date": schema.StringAttribute{
			MarkdownDescription: "When the platform created the instance (RFC 3339, UTC).",
			Computed:            true,
		},
		"valid": schema.BoolAttribute{
			MarkdownDescription: "Whether the platform considers the instance's credentials valid.",
			Computed:            true,
		},
		"disabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the instance is disabled; hub calls with its token are then refused.",
			Computed:            true,
		},
	}
}

// summaryOf maps the fields every instance has.
func summaryOf(ctx context.Context, inst *cloudelements.Instance) (instanceSummaryModel, diag.Diagnostics) {
	tags := inst.Tags
	if tags == nil {
		tags = []string{} // an empty set, not null, so that length() works
	}
	set, diags := types.SetValueFrom(ctx, types.StringType, tags)
	return instanceSummaryModel{
		ID:          types.StringValue(strconv.FormatInt(inst.ID, 10)),
		Name:        types.StringValue(inst.Name),
		Tags:        set,
		CreatedDate: types.StringValue(normalizeCreatedDate(inst.CreatedDate)),
		Valid:       types.BoolValue(inst.Valid),
		Disabled:    types.BoolValue(inst.Disabled),
	}, diags
}

// getInstanceByID reads the instance whose id is in the id attribute, with
// one GET; a 404 becomes an error on id, as a lookup must find something.
func getInstanceByID(ctx context.Context, pd *providerData, raw string, diags *diag.Diagnostics) *cloudelements.Instance {
	id, err := validate.ParseInstanceID(raw)
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid id", "id: "+err.Error())
		return nil
	}
	inst, err := pd.client.GetInstance(ctx, id)
	if cloudelements.IsNotFound(err) {
		diags.AddAttributeError(path.Root("id"), "Instance not found",
			fmt.Sprintf("There is no instance with id %d that these credentials can see.", id))
		return nil
	}
	if err != nil {
		diags.AddError("Cannot read the instance", pd.errorDetail(err))
		return nil
	}
	return inst
}

// findInstanceByName lists with searchText (a substring match on name or
// element key), through the element's own listing when elementKey is set,
// and keeps the instances named exactly name; exactly one must remain. what names one such instance in
// messages ("instance", "Freshdesk V2 instance").
func findInstanceByName(ctx context.Context, pd *providerData, name, elementKey, what string, diags *diag.Diagnostics) *cloudelements.Instance {
	list, err := pd.client.ListInstances(ctx, cloudelements.ListOptions{SearchText: name, ElementKey: elementKey})
	if err != nil {
		diags.AddError("Cannot list instances", pd.errorDetail(err))
		return nil
	}
	matches := filterInstances(list, instanceFilter{elementKey: elementKey, name: name})
	switch len(matches) {
	case 1:
		return &matches[0]
	case 0:
		listed := make([]string, 0, len(list))
		for _, inst := range filterInstances(list, instanceFilter{elementKey: elementKey}) {
			listed = append(listed, inst.Name)
		}
		diags.AddAttributeError(path.Root("name"), "No matching instance",
			fmt.Sprintf("No %s is named %q (names match exactly, case included).%s", what, name,
				validate.DidYouMean(name, listed)))
	default:
		ids := make([]string, len(matches))
		for i := range matches {
			ids[i] = strconv.FormatInt(matches[i].ID, 10)
		}
		hint := "look one up by id instead"
		if elementKey == "" {
			hint = "look one up by id, or narrow by element_key"
		}
		diags.AddAttributeError(path.Root("name"), "Several matching instances",
			fmt.Sprintf("%d %ss are named %q, with ids %s; %s.", len(matches), what, name, strings.Join(ids, ", "), hint))
	}
	return nil
}

// wrongElement reports an instance of another element than want, an error
// on id; use says which resource or data source to use instead.
func wrongElement(inst *cloudelements.Instance, want, label, use string, diags *diag.Diagnostics) bool {
	key := inst.Element.Key
	if key == "" || strings.EqualFold(key, want) {
		return false
	}
	diags.AddAttributeError(path.Root("id"), "Not a "+label,
		fmt.Sprintf("Instance %d belongs to element %q, not %q; %s.", inst.ID, key, want, use))
	return true
}

// elementIDOf prefers elementId and falls back to element.id, which some
// answers carry instead.
func elementIDOf(inst *cloudelements.Instance) int64 {
	if inst.ElementID != 0 {
		return inst.ElementID
	}
	return inst.Element.ID
}

// dataSourceConfigured reports an error when Read runs before Configure.
func dataSourceConfigured(pd *providerData, diags *diag.Diagnostics) bool {
	if pd == nil {
		diags.AddError("Provider not configured", "The cloudelements provider was not configured before use; "+
			"please report this issue to the provider developers.")
		return false
	}
	return true
}

// instanceLookup is what the data sources that find one instance by id or
// by name share: the provider's client, exactly one of id and name, and
// the lookup itself. They embed it and add their schema and mapping.
type instanceLookup struct {
	provider *providerData
}

// lookupAttributes adds the id and name inputs to a data source's
// attributes; nameRule says which instances must have the name.
func lookupAttributes(attrs map[string]schema.Attribute, nameRule string) {
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The instance's numeric id. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{validate.InstanceID()},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The instance's name, matched exactly (case and all); " + nameRule +
			" Exactly one of `id` and `name` must be set.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{validate.NotBlank()},
	}
}

func (l *instanceLookup) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (l *instanceLookup) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	l.provider = pd
}

// find reads the instance by id (one GET; it must be of elementKey, when
// set) or finds it by name (every page of the listing, of elementKey when
// set). what names such an instance in messages; use says where to look
// for an instance of another element. nil means diags say why.
func (l *instanceLookup) find(ctx context.Context, id, name types.String, elementKey, what, use string, diags *diag.Diagnostics) *cloudelements.Instance {
	if !dataSourceConfigured(l.provider, diags) {
		return nil
	}
	if id.IsNull() {
		return findInstanceByName(ctx, l.provider, name.ValueString(), elementKey, what, diags)
	}
	inst := getInstanceByID(ctx, l.provider, id.ValueString(), diags)
	if inst != nil && elementKey != "" && wrongElement(inst, elementKey, what, use, diags) {
		return nil
	}
	return inst
}
