package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// configListExample is what a refused configuration array should look like.
const configListExample = `jsonencode([{ type = "remove" }])`

// checkConfigList accepts a JSON array of objects, each with a type (the
// platform's field configuration: remove, pass through, ...).
func checkConfigList(raw string) error {
	var l []map[string]any
	if err := json.Unmarshal([]byte(raw), &l); err != nil {
		return fmt.Errorf("must be a JSON array of objects with a type, e.g. %s (%v)", configListExample, err)
	}
	for i, e := range l {
		if t, ok := e["type"].(string); !ok || strings.TrimSpace(t) == "" {
			return fmt.Errorf("entry %d has no type; each entry is an object with a type, e.g. %s", i, configListExample)
		}
	}
	return nil
}

func configListValidator() validator.String {
	return validate.StringCheck("a JSON array of objects with a type", checkConfigList)
}

func (r *transformationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A transformation: a common resource (VDR v2) mapped onto one element (organization " +
			"level, `element_key`) or one element instance (instance level, `instance_id`), field by field, with an " +
			"optional script. The platform keeps one transformation per common resource and target. Import with " +
			"`<common_resource_id>/<id>`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The transformation's numeric id. Never changes.",
				Computed: true, PlanModifiers: useState},
			"common_resource_id": schema.StringAttribute{
				MarkdownDescription: "The common resource's (VDR's) id, e.g. `cloudelements_common_resource.contact.id`. " +
					"A change replaces the transformation.",
				Required: true, Validators: []validator.String{validate.ID("common resource")}, PlanModifiers: replace},
			"element_key": schema.StringAttribute{
				MarkdownDescription: "The element mapped onto, at the organization level, e.g. `freshdeskv2`. Exactly one " +
					"of `element_key` and `instance_id`. Compared without regard to case. A change replaces the transformation.",
				Optional: true, CustomType: meaningType[elementKey]{}, Validators: []validator.String{validate.NotBlank()},
				PlanModifiers: replace},
			"instance_id": schema.StringAttribute{
				MarkdownDescription: "The element instance mapped onto, at the instance level, e.g. " +
					"`cloudelements_freshdesk_instance.helpdesk.id`. Exactly one of `element_key` and `instance_id`. " +
					"A change replaces the transformation.",
				Optional: true, Validators: []validator.String{validate.InstanceID()}, PlanModifiers: replace},
			"level": schema.StringAttribute{MarkdownDescription: "`organization` or `instance`, as the platform answers.",
				Computed: true, PlanModifiers: useState},
			"vendor_name": schema.StringAttribute{
				MarkdownDescription: "The vendor's object the common resource is mapped onto, e.g. `contacts`. Changed in place.",
				Required:            true, Validators: []validator.String{validate.NotBlank()}},
			"fields": schema.SetNestedAttribute{
				MarkdownDescription: "The fields mapped, one per common resource field (by `path`). Compared as a set: " +
					"the order the platform answers them in, and the ids it adds, never show as a change.",
				Optional: true, Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"path": schema.StringAttribute{MarkdownDescription: "The common resource field's path, e.g. `firstName`.",
						Required: true, Validators: []validator.String{validate.NotBlank()}},
					"type": schema.StringAttribute{MarkdownDescription: "The field's type, e.g. `string`.",
						Required: true, Validators: []validator.String{validate.NotBlank()}},
					"vendor_path": schema.StringAttribute{MarkdownDescription: "The vendor's field, e.g. `name.first`.",
						Required: true, Validators: []validator.String{validate.NotBlank()}},
					"vendor_type": schema.StringAttribute{MarkdownDescription: "The vendor field's type, when it differs.",
						Optional: true, Validators: []validator.String{validate.NotBlank()}},
					"configuration": schema.StringAttribute{
						MarkdownDescription: "The field's configuration: a JSON array of `{ type, properties }`, e.g. " +
							"`" + configListExample + "` (remove the field) or `jsonencode([{ type = \"passThrough\" }])`. " +
							"Compared by meaning (key order, layout, numbers as strings).",
						Optional: true, CustomType: meaningType[looseJSON]{}, Validators: []validator.String{configListValidator()}},
				}},
			},
			"configuration": schema.StringAttribute{
				MarkdownDescription: "The transformation's own configuration array, as JSON (e.g. `" + configListExample +
					"`). Compared by meaning.",
				Optional: true, CustomType: meaningType[looseJSON]{}, Validators: []validator.String{configListValidator()}},
			"script": schema.SingleNestedAttribute{
				MarkdownDescription: "A script run on every object the transformation maps.",
				Optional:            true,
				Attributes: map[string]schema.Attribute{
					"body": schema.StringAttribute{MarkdownDescription: "The script. Bodies that differ in whitespace only " +
						"(a trimmed last newline, trailing spaces, CRLF line ends, indentation) are the same script.",
						Required: true, CustomType: meaningType[scriptText]{}, Validators: []validator.String{validate.NotBlank()}},
					"mime_type": schema.StringAttribute{MarkdownDescription: "The script's MIME type. When not set, the " +
						"platform's (`application/javascript`) shows no change.",
						Optional: true, Computed: true, PlanModifiers: useState, Validators: []validator.String{validate.NotBlank()}},
					"filter_empty_response": schema.BoolAttribute{MarkdownDescription: "Whether empty script results are " +
						"left out. Defaults to `false`.", Optional: true, Computed: true, Default: booldefault.StaticBool(false)},
				},
			},
			"timeouts": instanceTimeouts(ctx),
		},
	}
}

func (r *transformationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("element_key"), path.MatchRoot("instance_id")),
	}
}

// ValidateConfig refuses two fields of one path, at plan time: the
// platform maps each common resource field once.
func (r *transformationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m transformationResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Fields.IsNull() || m.Fields.IsUnknown() {
		return
	}
	var fields []transformationFieldModel
	resp.Diagnostics.Append(m.Fields.ElementsAs(ctx, &fields, false)...)
	seen := map[string]bool{}
	for _, f := range fields {
		if f.Path.IsUnknown() || f.Path.IsNull() {
			continue
		}
		p := f.Path.ValueString()
		if seen[p] {
			resp.Diagnostics.AddAttributeError(path.Root("fields"), "Field mapped twice",
				fmt.Sprintf("fields: the path %q is mapped more than once; the platform maps each common resource "+
					"field once. Keep one entry for it.", p))
		}
		seen[p] = true
	}
}

// errNoTransformationIDs is the error of a state without usable ids.
var errNoTransformationIDs = errors.New("the state holds no valid common_resource_id and id")
