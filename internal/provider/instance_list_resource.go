package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ list.ListResource              = (*instanceListResource)(nil)
	_ list.ListResourceWithConfigure = (*instanceListResource)(nil)
)

// NewInstanceListResource returns the cloudelements_instance list resource,
// for `terraform query` (Terraform 1.14 and later).
func NewInstanceListResource() list.ListResource {
	return &instanceListResource{instanceLister[instanceModel]{
		profile:     genericProfile{},
		displayName: instanceDisplayName,
	}}
}

// instanceListResource finds existing instances of any element, each with
// the identity that imports it into cloudelements_instance.
type instanceListResource struct {
	instanceLister[instanceModel]
}

// instanceDisplayName is "name (element key)": a query over every element
// shows which element each instance is of.
func instanceDisplayName(inst *cloudelements.Instance) string {
	if inst.Element.Key == "" {
		return inst.Name
	}
	return inst.Name + " (" + inst.Element.Key + ")"
}

func (l *instanceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (l *instanceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := listFilterAttributes()
	attrs["element_key"] = schema.StringAttribute{
		MarkdownDescription: "Only instances of this element (e.g. `jira`, `zendesk`, `freshdeskv2`), listed " +
			"through `GET /elements/{key}/instances`; every element's instances (`GET /instances`) when unset.",
		Optional:   true,
		Validators: []validator.String{validate.NotBlank()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the instances of any element the account sees, following every page of the " +
			"listing, for `terraform query` (Terraform 1.14 and later); each result is named " +
			"`<name> (<element key>)`. " + listResultText + " `configuration` is null in a result, as after an " +
			"import: only the keys later written in configuration are managed.",
		Attributes: attrs,
	}
}
