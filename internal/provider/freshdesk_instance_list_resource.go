package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ list.ListResource              = (*freshdeskInstanceListResource)(nil)
	_ list.ListResourceWithConfigure = (*freshdeskInstanceListResource)(nil)
)

// NewFreshdeskInstanceListResource returns the cloudelements_freshdesk_instance
// list resource, for `terraform query` (Terraform 1.14 and later).
func NewFreshdeskInstanceListResource() list.ListResource {
	return &freshdeskInstanceListResource{instanceLister[freshdeskInstanceModel]{
		profile:     freshdeskProfile{},
		elementKey:  freshdeskElement.key,
		displayName: func(inst *cloudelements.Instance) string { return inst.Name },
	}}
}

// freshdeskInstanceListResource finds existing Freshdesk V2 instances, each
// with the identity that imports it.
type freshdeskInstanceListResource struct {
	instanceLister[freshdeskInstanceModel]
}

func (l *freshdeskInstanceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (l *freshdeskInstanceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the Freshdesk V2 instances the account sees, following every page of " +
			"`GET /elements/freshdeskv2/instances`, for `terraform query` (Terraform 1.14 and later); each result " +
			"is named by the instance's name. " + listResultText + " The API key is never in a result: the " +
			"platform does not return it, and an import does not need it.",
		Attributes: listFilterAttributes(),
	}
}
