package provider

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ resource.ResourceWithConfigure        = (*formulaInstanceResource)(nil)
	_ resource.ResourceWithImportState      = (*formulaInstanceResource)(nil)
	_ resource.ResourceWithIdentity         = (*formulaInstanceResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*formulaInstanceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*formulaInstanceResource)(nil)
)

// privateWOKeys records the keys (never the values) sent through
// secret_configuration_wo, so that a refresh leaves them out of
// configuration as it does secret_configuration's.
const privateWOKeys = "secret_configuration_wo_keys"

func (r *formulaInstanceResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{validate.WriteOnlyPair("secret_configuration", "secret_configuration_wo",
		"secret_configuration_wo_version", "Keep the secrets in one of them: secret_configuration_wo keeps them out of state.")}
}

// NewFormulaInstanceResource returns cloudelements_formula_instance.
func NewFormulaInstanceResource() resource.Resource { return &formulaInstanceResource{} }

type formulaInstanceResource struct{ resourceConfigured }

type formulaInstanceResourceModel struct {
	formulaInstanceModel
	SecretConfiguration          types.Map      `tfsdk:"secret_configuration"`
	SecretConfigurationWO        types.Map      `tfsdk:"secret_configuration_wo"`
	SecretConfigurationWOVersion types.Int64    `tfsdk:"secret_configuration_wo_version"`
	Timeouts                     timeouts.Value `tfsdk:"timeouts"`
}

func (r *formulaInstanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula_instance"
}

func (r *formulaInstanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A formula instance: a formula bound to element instances through the formula's " +
			"configuration variables. When its formula or an element instance it is bound to is deleted outside " +
			"Terraform, the next plan shows what the platform did (the formula instance gone: created again; or " +
			"still there, bound to the old id: updated in place).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The formula instance's numeric id. Never changes.",
				Computed: true, PlanModifiers: useState},
			"formula_id": schema.StringAttribute{
				MarkdownDescription: "The formula's id, e.g. `cloudelements_formula.sync.id`. A change replaces the formula instance.",
				Required:            true, Validators: []validator.String{validate.FormulaID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{MarkdownDescription: "The formula instance's name. Changes are applied in place " +
				"(`PUT`). Compared as the platform stores it (HTML tags stripped, surrounding spaces trimmed).",
				Required: true, CustomType: meaningType[storedName]{}, Validators: []validator.String{validate.NotBlank()}},
			"active": schema.BoolAttribute{
				MarkdownDescription: "Whether the formula instance runs. Defaults to `true`. Changed in place " +
					"through the `/active` endpoints.",
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
			},
			"configuration": schema.MapAttribute{
				MarkdownDescription: "A value for each of the formula's configuration keys, e.g. " +
					"`{ trigger_instance = cloudelements_freshdesk_instance.helpdesk.id }`. Changes are applied in place (`PUT`). " +
					"Values of the formula's `password` variables go in `secret_configuration` or `secret_configuration_wo`: " +
					"they are never read back here, and a masked value such as `********` is refused.",
				ElementType: types.StringType, Optional: true,
				Validators: []validator.Map{mapvalidator.KeysAre(validate.NotBlank()), mapvalidator.ValueStringsAre(notMasked())},
			},
			"secret_configuration": schema.MapAttribute{
				MarkdownDescription: "Configuration values that are secrets (for `password` variables). Sent with " +
					"`configuration`, never read back, so masked answers never show as drift. Kept in state.",
				ElementType: types.StringType, Optional: true, Sensitive: true,
				Validators: []validator.Map{mapvalidator.KeysAre(validate.NotBlank()), mapvalidator.SizeAtLeast(1)},
			},
			"secret_configuration_wo": schema.MapAttribute{
				MarkdownDescription: "`secret_configuration` as a write-only argument (Terraform 1.11 and later): sent " +
					"but never stored in plan or state. Change `secret_configuration_wo_version` to send new values.",
				ElementType: types.StringType, Optional: true, Sensitive: true, WriteOnly: true,
				Validators: []validator.Map{mapvalidator.KeysAre(validate.NotBlank()), mapvalidator.SizeAtLeast(1)},
			},
			"secret_configuration_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; changing it sends the current `secret_configuration_wo` (`PUT`). " +
					"Required with `secret_configuration_wo`.",
				Optional: true,
			},
			"notification_email": schema.StringAttribute{
				MarkdownDescription: "Where the platform mails execution failures (setting `notification.email`). " +
					"Like every setting, when not set a value the platform gives it is the platform's and shows no change.",
				Optional: true, Validators: []validator.String{validate.NotBlank()},
			},
			"notification_webhook_url": schema.StringAttribute{
				MarkdownDescription: "Where the platform posts execution failures (setting `notification.webhook.url`).",
				Optional:            true, Validators: []validator.String{validate.CallbackURL()},
			},
			"time_to_live": schema.Int64Attribute{
				MarkdownDescription: "How long, in seconds, an execution may run (setting `formula.instance.time.to.live`). " +
					"When not set, the platform's default (which it may add) shows no change.",
				Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
			},
			"created_date": schema.StringAttribute{MarkdownDescription: "When the platform created it (RFC 3339, UTC).",
				Computed: true, PlanModifiers: useState},
			"timeouts": instanceTimeouts(ctx),
		},
	}
}

// ValidateConfig refuses a key set in both maps, at plan time.
func (r *formulaInstanceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m formulaInstanceResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	secret := mapKeys(m.SecretConfiguration)
	for k := range mapKeys(m.SecretConfigurationWO) {
		secret[k] = true
	}
	for k := range mapKeys(m.Configuration) {
		if secret[k] {
			resp.Diagnostics.AddAttributeError(path.Root("secret_configuration").AtMapKey(k), "Key set twice",
				strconv.Quote(k)+" is in both configuration and the secret configuration; keep it in one of them.")
		}
	}
}

// ids parses formula_id and id from state.
func formulaInstanceIDs(m *formulaInstanceModel, diags diagAdder) (formulaID, id int64, ok bool) {
	fid, err1 := validate.ParseFormulaID(m.FormulaID.ValueString())
	iid, err2 := validate.ParseID("formula instance", m.ID.ValueString())
	if err := errors.Join(err1, err2); err != nil {
		diags.AddError("Invalid formula instance ids in state", err.Error())
		return 0, 0, false
	}
	return fid, iid, true
}

func (r *formulaInstanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan, config formulaInstanceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	g := r.provider.guard()
	g.remember(ctx, tfsdk.State(req.Plan), tfsdk.State(req.Config))
	resp.Diagnostics.Append(g.keepPrints(ctx, req.Config, resp.Private)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	fid, err := validate.ParseFormulaID(plan.FormulaID.ValueString())
	body, diags := formulaInstanceRequest(ctx, &plan.formulaInstanceModel, secretsOf(&plan, &config))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(rememberWOKeys(ctx, resp.Private, &config)...)
	if err != nil || resp.Diagnostics.HasError() {
		resp.Diagnostics.AddAttributeError(path.Root("formula_id"), "Invalid formula id", errText(err))
		return
	}
	declared, _ := g.declaredKeys(ctx, fid) // a missing formula fails the create itself
	if checkSendable(&body, declared, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	fi, err := r.provider.client.CreateFormulaInstance(ctx, fid, body)
	var created *cloudelements.CreatedError
	if errors.As(err, &created) {
		plan.ID = types.StringValue(strconv.FormatInt(created.ID, 10))
		resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
		resp.Diagnostics.Append(setFormulaInstanceIdentity(ctx, resp.Identity, &plan.formulaInstanceModel)...)
		resp.Diagnostics.AddError("Formula instance created, but its answer is unusable", r.provider.errorDetail(err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the formula instance", r.provider.errorDetail(err))
		return
	}
	plan.ID, plan.CreatedDate = types.StringValue(strconv.FormatInt(fi.ID, 10)), types.StringValue(normalizeCreatedDate(fi.CreatedDate))
	r.settle(ctx, fi, &plan, "created", &resp.Diagnostics)
	resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setFormulaInstanceIdentity(ctx, resp.Identity, &plan.formulaInstanceModel)...)
}

// settle makes the platform's active flag the planned one when a write's
// answer says otherwise; on failure state records the flag as it is.
func (r *formulaInstanceResource) settle(ctx context.Context, fi *cloudelements.FormulaInstance, plan *formulaInstanceResourceModel, done string, diags diagAdder) {
	want := plan.Active.ValueBool()
	if fi.Active == want {
		return
	}
	if err := r.provider.client.SetFormulaInstanceActive(ctx, fi.FormulaID, fi.ID, want); err != nil {
		plan.Active = types.BoolValue(fi.Active)
		diags.AddError("Cannot change whether the formula instance is active",
			r.provider.errorDetail(errors.New("formula instance "+strconv.FormatInt(fi.ID, 10)+" was "+done+": "+err.Error())))
	}
}

func (r *formulaInstanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.State.Raw, &resp.Diagnostics)
	var state formulaInstanceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	g := r.provider.guard()
	g.recall(ctx, req.Private, req.State)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	fid, id, ok := formulaInstanceIDs(&state.formulaInstanceModel, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(setFormulaInstanceIdentity(ctx, resp.Identity, &state.formulaInstanceModel)...)
	// What the formula declares secret is known before the instance is
	// read, so that its answer is masked before anything logs it.
	secretKeys, err := formulaInstanceSecretKeys(ctx, g, fid, &state, req.Private)
	prior := &state.formulaInstanceModel
	if state.CreatedDate.IsNull() {
		prior = nil // an import: everything comes from the answer
	}
	var fi *cloudelements.FormulaInstance
	if err == nil {
		// A listed formula instance answers only when reading it changes
		// nothing (batch reads); else, and for an import, a GET.
		fi, err = r.provider.client.ReadFormulaInstance(ctx, fid, id, func(fi *cloudelements.FormulaInstance) bool {
			return sameValues(formulaInstanceFrom(fi, prior, secretKeys), state.formulaInstanceModel)
		})
	}
	if cloudelements.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // it, or its formula, is gone: plan a create
		return
	}
	if err == nil {
		_, err = g.learnDeclared(ctx, fi) // listed before its formula was known
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the formula instance", r.provider.errorDetail(err))
		return
	}
	state.formulaInstanceModel = formulaInstanceFrom(fi, prior, secretKeys)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *formulaInstanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan, state, config formulaInstanceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	g := r.provider.guard()
	g.recall(ctx, req.Private, req.State, tfsdk.State(req.Plan), tfsdk.State(req.Config))
	resp.Diagnostics.Append(g.keepPrints(ctx, req.Config, resp.Private)...)
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	fid, id, ok := formulaInstanceIDs(&state.formulaInstanceModel, &resp.Diagnostics)
	if !ok {
		return
	}
	activeOnly := plan.Name.Equal(state.Name) && plan.Configuration.Equal(state.Configuration) &&
		plan.SecretConfiguration.Equal(state.SecretConfiguration) && plan.NotificationEmail.Equal(state.NotificationEmail) &&
		plan.NotificationWebhookURL.Equal(state.NotificationWebhookURL) && plan.TimeToLive.Equal(state.TimeToLive) &&
		plan.SecretConfigurationWOVersion.Equal(state.SecretConfigurationWOVersion)
	fi := &cloudelements.FormulaInstance{ID: id, FormulaID: fid, Active: state.Active.ValueBool()}
	if !activeOnly {
		body, diags := formulaInstanceRequest(ctx, &plan.formulaInstanceModel, secretsOf(&plan, &config))
		resp.Diagnostics.Append(diags...)
		declared, _ := g.declaredKeys(ctx, fid) // a missing formula fails the update itself
		if checkSendable(&body, declared, &resp.Diagnostics); resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(rememberWOKeys(ctx, resp.Private, &config)...)
		var err error
		if fi, err = r.provider.client.ReplaceFormulaInstance(ctx, fid, id, body); err != nil {
			resp.Diagnostics.AddError("Cannot update the formula instance", r.provider.errorDetail(err))
			return // nothing was applied: state keeps the prior values
		}
	}
	r.settle(ctx, fi, &plan, "updated", &resp.Diagnostics)
	resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setFormulaInstanceIdentity(ctx, resp.Identity, &plan.formulaInstanceModel)...)
}

func (r *formulaInstanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state formulaInstanceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	fid, id, ok := formulaInstanceIDs(&state.formulaInstanceModel, &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.provider.client.DeleteFormulaInstance(ctx, fid, id)
	if err != nil && !cloudelements.IsNotFound(err) { // the platform says it is already gone
		resp.Diagnostics.AddError("Cannot delete the formula instance", r.provider.errorDetail(err))
	}
}

// secretsOf is the secret configuration to send: the plain map, or the
// write-only one, which only the configuration holds.
func secretsOf(plan, config *formulaInstanceResourceModel) types.Map {
	if !plan.SecretConfiguration.IsNull() {
		return plan.SecretConfiguration
	}
	return config.SecretConfigurationWO
}

// privateSetter is resp.Private of Create and Update.
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// rememberWOKeys records the write-only map's keys in private state.
func rememberWOKeys(ctx context.Context, private privateSetter, config *formulaInstanceResourceModel) diag.Diagnostics {
	keys := make([]string, 0)
	for k := range mapKeys(config.SecretConfigurationWO) {
		keys = append(keys, k)
	}
	raw, _ := json.Marshal(keys)
	return private.SetKey(ctx, privateWOKeys, raw)
}

func errText(err error) string {
	if err == nil {
		return "see the errors above"
	}
	return err.Error()
}
