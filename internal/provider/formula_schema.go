package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// propertiesExamples show a step's and a trigger's properties: each kind its
// own, in descriptions and in the validator's error.
var propertiesExamples = map[string]string{
	"step":    `jsonencode({ scriptEngine = "v2", body = "done(true);" })`,
	"trigger": `jsonencode({ elementInstanceId = "$${helpdesk}" })`,
}

// propertiesUse says what a kind's properties hold beyond the example.
var propertiesUse = map[string]string{
	"step": "for a `script` step. A sub-formula step (`type = \"formula\"`) names the called formula as " +
		"`formulaId = cloudelements_formula.sub.id`.",
	"trigger": "for an `event` trigger: the element instance whose events start the formula, here the formula's " +
		"`helpdesk` configuration variable (`$${...}` writes a literal `${...}` in HCL); a `scheduled` trigger " +
		"takes a `cron` expression, e.g. `jsonencode({ cron = \"0 0 2 ? * *\" })`.",
}

// formulaLinkAttributes are the attributes a step and a trigger share.
func formulaLinkAttributes(what string) map[string]schema.Attribute {
	names := func(when string) schema.ListAttribute {
		return schema.ListAttribute{
			MarkdownDescription: "Names of the steps to run when this " + what + " " + when + ". " +
				"Each must be a key of `steps`.",
			ElementType: types.StringType, Optional: true,
			Validators: []validator.List{listvalidator.ValueStringsAre(validate.NotBlank())},
		}
	}
	return map[string]schema.Attribute{
		"type": schema.StringAttribute{
			MarkdownDescription: "The " + what + "'s type as the platform names it, e.g. `" +
				map[string]string{"step": "script", "trigger": "event"}[what] + "`.",
			Required: true, Validators: []validator.String{validate.NotBlank()},
		},
		"on_success": names("succeeds"),
		"on_failure": names("fails"),
		"properties": schema.StringAttribute{
			MarkdownDescription: "The " + what + "'s properties as a JSON object, e.g. `" + propertiesExamples[what] +
				"` " + propertiesUse[what] + " Compared by meaning: key order, layout, numbers or booleans answered " +
				"as strings (at any magnitude) and a trailing line break the platform trims are no change.",
			Optional: true, Computed: true, CustomType: meaningType[looseJSON]{},
			Validators:    []validator.String{validate.JSONObject(propertiesExamples[what])},
			PlanModifiers: []planmodifier.String{keepStateIfSame[looseJSON]()},
		},
	}
}

// formulaResourceAttributes is cloudelements_formula's schema.
func formulaResourceAttributes(ctx context.Context) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The formula's numeric id on the platform. Never changes.",
			Computed:            true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The formula's name, unique in the account. Changes are applied in place (`PATCH`). " +
				"Compared as the platform stores it (HTML tags stripped, surrounding spaces trimmed).",
			Required: true, CustomType: meaningType[storedName]{},
			Validators: []validator.String{validate.NotBlank(), stringvalidator.LengthAtMost(255)},
		},
		"description": schema.StringAttribute{
			MarkdownDescription: "A description. Changes are applied in place (`PATCH`).",
			Optional:            true, Computed: true, Default: stringdefault.StaticString(""),
		},
		"active": schema.BoolAttribute{
			MarkdownDescription: "Whether the formula is active: an inactive formula's instances do not run. " +
				"Defaults to `true`. Changes are applied in place (`PATCH`).",
			Optional: true, Computed: true, Default: booldefault.StaticBool(true),
		},
		"single_threaded": schema.BoolAttribute{
			MarkdownDescription: "Whether executions run one at a time. When not set, the platform decides " +
				"(its default is `false`).",
			Optional: true, Computed: true,
			PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
		},
		"created_date": schema.StringAttribute{
			MarkdownDescription: "When the platform created the formula (RFC 3339, UTC). Never changes.",
			Computed:            true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"configuration": schema.ListNestedAttribute{
			MarkdownDescription: "The formula's configuration variables; each formula instance gives every `key` " +
				"a value (for `type = \"elementInstance\"`, an element instance id). Steps and triggers refer to " +
				"one as `${key}`.",
			Optional: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"key":  schema.StringAttribute{MarkdownDescription: "The variable's key.", Required: true, Validators: []validator.String{validate.NotBlank()}},
				"name": schema.StringAttribute{MarkdownDescription: "Its display name.", Required: true, Validators: []validator.String{validate.NotBlank()}},
				"type": schema.StringAttribute{MarkdownDescription: "Its type, e.g. `elementInstance`, `value` or `password`.", Required: true, Validators: []validator.String{validate.NotBlank()}},
			}},
		},
		"triggers": schema.ListNestedAttribute{
			MarkdownDescription: "What starts the formula (an element event, a schedule, a manual call). " +
				"Ids the platform gives triggers are not shown and never drift.",
			Optional:     true,
			NestedObject: schema.NestedAttributeObject{Attributes: formulaLinkAttributes("trigger")},
		},
		"steps": schema.MapNestedAttribute{
			MarkdownDescription: "The formula's steps, keyed by step name: a change to one step shows in the plan " +
				"as a change to that step. Ids the platform gives steps are not shown and never drift.",
			Optional:     true,
			Validators:   []validator.Map{mapvalidator.KeysAre(validate.NotBlank())},
			NestedObject: schema.NestedAttributeObject{Attributes: formulaLinkAttributes("step")},
		},
		"timeouts": instanceTimeouts(ctx),
	}
}
