package provider

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// formulaInstanceModel is a formula instance as the resource, the data
// source and the list resource show it.
type formulaInstanceModel struct {
	ID                     types.String `tfsdk:"id"`
	FormulaID              types.String `tfsdk:"formula_id"`
	Name                   nameValue    `tfsdk:"name"`
	Active                 types.Bool   `tfsdk:"active"`
	Configuration          types.Map    `tfsdk:"configuration"`
	NotificationEmail      types.String `tfsdk:"notification_email"`
	NotificationWebhookURL types.String `tfsdk:"notification_webhook_url"`
	TimeToLive             types.Int64  `tfsdk:"time_to_live"`
	CreatedDate            types.String `tfsdk:"created_date"`
}

// formulaInstanceRequest builds the POST/PUT body: configuration and the
// secret values together, the settings that are set.
func formulaInstanceRequest(ctx context.Context, m *formulaInstanceModel, secrets types.Map) (cloudelements.FormulaInstanceRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	req := cloudelements.FormulaInstanceRequest{Name: m.Name.ValueString(), Active: m.Active.ValueBool(),
		Configuration: map[string]string{}, Settings: map[string]any{}}
	if !m.Configuration.IsNull() {
		diags.Append(m.Configuration.ElementsAs(ctx, &req.Configuration, false)...)
	}
	if !secrets.IsNull() && !secrets.IsUnknown() {
		secret := map[string]string{}
		diags.Append(secrets.ElementsAs(ctx, &secret, false)...)
		for k, v := range secret {
			req.Configuration[k] = v
			req.Secrets = append(req.Secrets, v)
		}
	}
	if v := m.NotificationEmail; !v.IsNull() {
		req.Settings[cloudelements.SettingNotificationEmail] = v.ValueString()
	}
	if v := m.NotificationWebhookURL; !v.IsNull() {
		req.Settings[cloudelements.SettingNotificationWebhook] = v.ValueString()
	}
	if v := m.TimeToLive; !v.IsNull() {
		req.Settings[cloudelements.SettingTimeToLive] = v.ValueInt64()
	}
	return req, diags
}

// formulaInstanceFrom fills m from an answer. The value of a key in
// secretKeys, or answered masked, is never read: configuration keeps
// prior's value for it, or leaves it out (see secretValuesKept); empty parts
// are null where prior (nil on import) holds none. A setting prior leaves
// unset stays null: the platform may add its defaults (a time to live),
// which are its to decide, not drift.
func formulaInstanceFrom(fi *cloudelements.FormulaInstance, prior *formulaInstanceModel, secretKeys map[string]bool) formulaInstanceModel {
	imported := prior == nil
	if prior == nil {
		prior = &formulaInstanceModel{}
	}
	unset := func(v attr.Value) bool { return !imported && v.IsNull() }
	m := formulaInstanceModel{
		ID: types.StringValue(strconv.FormatInt(fi.ID, 10)), FormulaID: types.StringValue(strconv.FormatInt(fi.FormulaID, 10)),
		Name: meant[storedName](fi.Name), Active: types.BoolValue(fi.Active),
		CreatedDate:            types.StringValue(normalizeCreatedDate(fi.CreatedDate)),
		NotificationEmail:      settingLike(fi.Settings[cloudelements.SettingNotificationEmail], unset(prior.NotificationEmail)),
		NotificationWebhookURL: settingLike(fi.Settings[cloudelements.SettingNotificationWebhook], unset(prior.NotificationWebhookURL)),
		TimeToLive:             types.Int64Null(),
	}
	if v, ok := fi.Settings[cloudelements.SettingTimeToLive]; ok && v != "" && !unset(prior.TimeToLive) {
		if n, err := strconv.ParseFloat(v, 64); err == nil && n == float64(int64(n)) {
			m.TimeToLive = types.Int64Value(int64(n))
		}
	}
	cfg := secretValuesKept(fi.Configuration, prior.Configuration, secretKeys)
	m.Configuration = types.MapValueMust(types.StringType, stringValues(cfg))
	if len(cfg) == 0 && (prior.Configuration.IsNull() || prior.Configuration.IsUnknown()) {
		m.Configuration = types.MapNull(types.StringType)
	}
	return m
}

func settingLike(v string, unset bool) types.String {
	if v == "" || unset {
		return types.StringNull()
	}
	return types.StringValue(v)
}

func stringValues(m map[string]string) map[string]attr.Value {
	out := make(map[string]attr.Value, len(m))
	for k, v := range m {
		out[k] = types.StringValue(v)
	}
	return out
}

// mapKeys is the set of keys of a known map.
func mapKeys(m types.Map) map[string]bool {
	keys := map[string]bool{}
	if m.IsNull() || m.IsUnknown() {
		return keys
	}
	for k := range m.Elements() {
		keys[k] = true
	}
	return keys
}
