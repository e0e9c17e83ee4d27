package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// vdrFieldLevels are the levels a common resource's field may have
// (assets-api.md §3); organization is the platform's default.
var vdrFieldLevels = []string{"organization", "account", "instance", "system"}

const vdrDefaultLevel = "organization"

// checkObjectName refuses what the platform cannot take as an objectName:
// it names the common resource in paths (GET /vdrs/{name}/export), so no
// spaces or URL delimiters.
func checkObjectName(s string) error {
	if err := validate.CheckNotBlank(s); err != nil {
		return err
	}
	if i := strings.IndexAny(s, " \t\r\n/?#%"); i >= 0 {
		return errors.New("must not contain spaces, '/', '?', '#' or '%': the platform names the common resource " +
			"by it in paths; write it as one word such as \"myContact\"")
	}
	return nil
}

// commonResourceAttributes is cloudelements_common_resource's schema.
func commonResourceAttributes(ctx context.Context) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The common resource's numeric id on the platform. Never changes.",
			Computed:            true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"object_name": schema.StringAttribute{
			MarkdownDescription: "The canonical object's name, e.g. `myContact`, unique in the account: formulas, " +
				"transformations and the platform's export tools name the common resource by it. No spaces, `/`, " +
				"`?`, `#` or `%`. Changing it replaces the common resource (and so its transformations).",
			Required: true,
			Validators: []validator.String{validate.StringCheck("an object name without spaces or URL delimiters",
				checkObjectName), stringvalidator.LengthAtMost(255)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"display_name": schema.StringAttribute{
			MarkdownDescription: "A name to show. Changes are applied in place (`PUT`). Compared as the platform " +
				"may store it (HTML tags stripped, surrounding spaces trimmed).",
			Optional: true, Computed: true, Default: stringdefault.StaticString(""), CustomType: meaningType[storedName]{},
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "A description. Changes are applied in place (`PUT`).",
			Optional:            true, Computed: true, Default: stringdefault.StaticString(""),
		},
		"fields": schema.SetNestedAttribute{
			MarkdownDescription: "The canonical object's fields, compared by `path` as a set: their order, the ids " +
				"the platform gives them and the system fields it adds (level `system`, such as `id` and " +
				"`createdDate`) never show as drift. Each `path` must be unique.",
			Required: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"path": schema.StringAttribute{
					MarkdownDescription: "The field's path, e.g. `email` or `address.city` for a nested field.",
					Required:            true, Validators: []validator.String{validate.NotBlank()},
				},
				"type": schema.StringAttribute{
					MarkdownDescription: "The field's type as the platform names it, e.g. `string`, `number`, " +
						"`boolean` or `date`.",
					Required: true, Validators: []validator.String{validate.NotBlank()},
				},
				"level": schema.StringAttribute{
					MarkdownDescription: "Where the field is defined: one of `organization` (the default), " +
						"`account`, `instance` or `system`.",
					Optional: true, Computed: true, Default: stringdefault.StaticString(vdrDefaultLevel),
					Validators: []validator.String{stringvalidator.OneOf(vdrFieldLevels...)},
				},
			}},
		},
		"timeouts": instanceTimeouts(ctx),
	}
}
