package provider

import (
	"context"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// instanceTimeouts is the timeouts attribute of every instance resource.
func instanceTimeouts(ctx context.Context) schema.Attribute {
	return timeouts.Attributes(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: "How long creating may take, retries included (default 10m).",
		ReadDescription:   "How long reading may take, retries included (default 5m).",
		UpdateDescription: "How long updating may take, retries included (default 10m).",
		DeleteDescription: "How long deleting may take, retries included (default 5m).",
	})
}

// instanceWording is what an element's resource says differently in the
// common attributes' descriptions.
type instanceWording struct {
	eventsVendorType string // the events block's vendor_type
	webhookURL       string // the events block's webhook_url
	elementID        string // element_id
}

// genericWording describes the common attributes for any element.
var genericWording = instanceWording{
	eventsVendorType: "How the platform learns of changes in the element's system (`event.vendor.type`): " +
		"`polling` (default) or `webhook`.",
	webhookURL: "For `webhook`: the address the element's system must post its webhooks to, " +
		"`<base_url>/events/<element>/<base64 of the instance id>`, for the elements the platform documents " +
		"one for (`freshdeskv2`: `freshdesk`); null otherwise.",
	elementID: "The element's numeric id. Never changes.",
}

// instanceCommonAttributes is the schema every instance resource shares; a
// profile adds its own attributes.
func instanceCommonAttributes(ctx context.Context, w instanceWording) map[string]schema.Attribute {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	useBoolState := []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The instance's numeric id on the platform. Never changes.",
			Computed:            true, PlanModifiers: useState,
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The instance's name. Changes are applied in place (`PATCH`). Compared as the " +
				"platform stores it (HTML tags stripped).",
			Required: true, CustomType: meaningType[storedName]{},
			Validators: []validator.String{validate.Name(), stringvalidator.LengthAtMost(255)},
		},
		"tags": schema.SetAttribute{
			MarkdownDescription: "Element instance tags. Changes are applied in place (`PATCH`); order does not matter. " +
				"`tags = []` and no `tags` both mean none.",
			ElementType: types.StringType,
			Optional:    true,
			Validators:  []validator.Set{validate.Tags()},
		},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the instance is enabled. A disabled instance keeps its configuration, " +
				"but hub calls with its token are refused (403). Defaults to `true`.",
			Optional: true, Computed: true, Default: booldefault.StaticBool(true),
		},
		"events": eventsSchema(w.eventsVendorType, w.webhookURL),
		"token": schema.StringAttribute{
			MarkdownDescription: "The element-instance token, for hub calls with `Authorization: User <user secret>, " +
				"Element <token>`. The platform may issue a new one on any write, so it shows as known after apply " +
				"whenever an update sends a `PUT` or `PATCH`.",
			Computed: true, Sensitive: true, PlanModifiers: useState,
		},
		"element_id": schema.Int64Attribute{
			MarkdownDescription: w.elementID,
			Computed:            true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
		"created_date": schema.StringAttribute{
			MarkdownDescription: "When the platform created the instance, as RFC 3339 in UTC (kept as the platform " +
				"wrote it if it cannot be parsed). Never changes.",
			Computed: true, PlanModifiers: useState,
		},
		"valid": schema.BoolAttribute{
			MarkdownDescription: "Whether the platform considers the instance's credentials valid. May change on any " +
				"write: known after apply whenever an update sends a `PUT` or `PATCH`.",
			Computed: true, PlanModifiers: useBoolState,
		},
		"disabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the instance is disabled: planned as the opposite of `enabled`; a refresh " +
				"shows what the platform reports.",
			Computed: true,
		},
		"events_enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the platform has events switched on for the instance, as it reports it " +
				"(it may lag behind `events`). Known after apply whenever an update sends a `PUT` or `PATCH`.",
			Computed: true, PlanModifiers: useBoolState,
		},
		"timeouts": instanceTimeouts(ctx),
	}
}
