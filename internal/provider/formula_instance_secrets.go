package provider

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// The secrets of a formula instance, on the shared guard (secretGuard): the
// values of its formula's password variables (what the platform declares
// secret) and of secret_configuration and secret_configuration_wo (what
// the configuration declares). A refresh, an import, a list result and the
// data source never read them into a plain attribute, and no write sends
// one back in its masked form.

// formulaInstanceSecretKeys are the keys whose values are never read into
// configuration: the formula's password variables (read once a run: the
// client masks their values from then on), the secret map's keys and
// those recorded for the write-only map.
func formulaInstanceSecretKeys(ctx context.Context, g secretGuard, formulaID int64, m *formulaInstanceResourceModel,
	private privateGetter) (map[string]bool, error) {
	keys := mapKeys(m.SecretConfiguration)
	if private != nil {
		if raw, d := private.GetKey(ctx, privateWOKeys); !d.HasError() && len(raw) > 0 {
			var wo []string
			_ = json.Unmarshal(raw, &wo)
			for _, k := range wo {
				keys[k] = true
			}
		}
	}
	declared, err := g.declaredKeys(ctx, formulaID)
	for k := range declared {
		keys[k] = true
	}
	return keys, err
}

// checkSendable refuses a write that would send a secret's masked form as
// its value (a configuration read back or generated from a masked answer:
// the platform would store the mask in place of the password), and lets
// the client mask the values the formula declares secret that the
// configuration map carries.
func checkSendable(body *cloudelements.FormulaInstanceRequest, declared map[string]bool, diags *diag.Diagnostics) {
	keys := make([]string, 0, len(body.Configuration))
	for k := range body.Configuration {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := body.Configuration[k]
		if cloudelements.MaskedValue(v) {
			diags.AddAttributeError(path.Root("configuration").AtMapKey(k), "Masked secret in configuration",
				maskedValueHelp(k))
			continue
		}
		if declared[k] {
			body.Secrets = append(body.Secrets, v)
		}
	}
}

func maskedValueHelp(k string) string {
	return strconv.Quote(k) + " holds a secret's masked form as the platform shows it (such as \"********\"), " +
		"not the secret: sending it would replace the real value. Set the real value in secret_configuration or " +
		"secret_configuration_wo, and leave the key out of configuration."
}

// notMasked refuses, at plan time, a configuration value that is a
// secret's masked form.
func notMasked() validator.String {
	return validate.StringCheck("not a secret's masked form such as \"********\"", func(s string) error {
		if cloudelements.MaskedValue(s) {
			return errors.New("this is a secret's masked form as the platform shows it, not the secret: sending " +
				"it would replace the real value; set the real value in secret_configuration or " +
				"secret_configuration_wo instead")
		}
		return nil
	})
}

// secretValuesKept is an answered configuration as it may be kept: the value
// of a key in secretKeys, or one answered masked, is never read; prior's
// value stands in for it where prior has the key (a value the configuration
// itself gives), else the key is left out.
func secretValuesKept(answered map[string]string, prior types.Map, secretKeys map[string]bool) map[string]string {
	var was map[string]attr.Value
	if !prior.IsNull() && !prior.IsUnknown() {
		was = prior.Elements()
	}
	out := map[string]string{}
	for k, v := range answered {
		if !secretKeys[k] && !cloudelements.MaskedValue(v) {
			out[k] = v
			continue
		}
		if p, ok := was[k].(types.String); ok && !p.IsNull() && !p.IsUnknown() && !cloudelements.MaskedValue(p.ValueString()) {
			out[k] = p.ValueString()
		}
	}
	return out
}

// listedFormulaInstances learns what each listed formula instance's formula
// declares secret, and masks those values, before any of them is shown (a
// name may echo another instance's password); it returns the keys by
// formula. A formula that cannot be read leaves its instances' whole
// configuration out (nil keys: every key is secret).
func listedFormulaInstances(ctx context.Context, g secretGuard, items []cloudelements.FormulaInstance) map[int64]map[string]bool {
	keys := map[int64]map[string]bool{}
	for i := range items {
		k, err := g.learnDeclared(ctx, &items[i])
		if err != nil {
			k = nil
		}
		keys[items[i].FormulaID] = k
	}
	return keys
}

// listedFormulaInstance is fi as a list result or the data source shows it:
// no value its formula declares secret, none answered masked.
func listedFormulaInstance(fi *cloudelements.FormulaInstance, keys map[int64]map[string]bool) formulaInstanceModel {
	secret, known := keys[fi.FormulaID]
	if !known || secret == nil {
		secret = map[string]bool{}
		for k := range fi.Configuration {
			secret[k] = true
		}
	}
	return formulaInstanceFrom(fi, nil, secret)
}
