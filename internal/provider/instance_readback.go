package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// readAnswer copies an answer into m on a refresh: the common attributes
// here, the profile's own through profile.read. The platform is right, but
// values it normalises (HTML stripped from names, through nameValue's
// semantic equality; tag order, the form of no tags) keep m's spelling when
// they mean the same, so plans stay empty.
func (e *instanceEngine[M]) readAnswer(ctx context.Context, inst *cloudelements.Instance, m *M) diag.Diagnostics {
	diags := e.profile.read(ctx, inst, m)
	if diags.HasError() {
		return diags
	}
	c := e.profile.common(m)
	copyIdentifying(inst, c)
	c.Name = meant[storedName](inst.Name) // a name meaning the same keeps its spelling (nameValue)
	diags.Append(readTags(ctx, inst.Tags, &c.Tags)...)
	if id := elementIDOf(inst); isUnset(c.ElementID) || id != 0 {
		c.ElementID = types.Int64Value(id)
	}
	if isUnset(c.CreatedDate) || inst.CreatedDate != "" {
		c.CreatedDate = types.StringValue(normalizeCreatedDate(inst.CreatedDate))
	}
	c.Valid, c.EventsEnabled = types.BoolValue(inst.Valid), types.BoolValue(inst.EventsEnabled)
	c.Disabled, c.Enabled = types.BoolValue(inst.Disabled), types.BoolValue(!inst.Disabled)
	diags.Append(readEvents(ctx, inst, c, e.baseURL(), e.hook(ctx, m))...)
	return diags
}

// settleAnswer takes an answer to a create or an update into m, which holds
// the plan: computed values still unknown come from the answer; where the
// answer contradicts the plan, the plan is kept (Terraform insists) with a
// warning naming the attribute.
func (e *instanceEngine[M]) settleAnswer(ctx context.Context, inst *cloudelements.Instance, m *M) diag.Diagnostics {
	diags := e.profile.settle(ctx, inst, m)
	if diags.HasError() {
		return diags
	}
	c := e.profile.common(m)
	copyIdentifying(inst, c)
	switch answered := meant[storedName](inst.Name); {
	case c.Name.IsUnknown():
		c.Name = answered
	case !sameMeaning(ctx, c.Name, answered):
		diags.Append(contradicted(path.Root("name"), c.Name.ValueString(), inst.Name))
	}
	diags.Append(settleTags(ctx, inst.Tags, &c.Tags)...)
	if isUnset(c.ElementID) {
		c.ElementID = types.Int64Value(elementIDOf(inst))
	}
	if isUnset(c.CreatedDate) {
		c.CreatedDate = types.StringValue(normalizeCreatedDate(inst.CreatedDate))
	}
	if c.Valid.IsUnknown() {
		c.Valid = types.BoolValue(inst.Valid)
	}
	if c.EventsEnabled.IsUnknown() {
		c.EventsEnabled = types.BoolValue(inst.EventsEnabled)
	}
	answered := *c
	diags.Append(readEvents(ctx, inst, &answered, e.baseURL(), e.hook(ctx, m))...)
	events, d := settleEvents(ctx, c.Events, answered.Events)
	diags.Append(d...)
	c.Events = events
	// webhook_url follows the planned vendor_type, kept above, and the id.
	diags.Append(planEvents(ctx, c, e.baseURL(), e.hook(ctx, m))...)
	return diags
}

// copyIdentifying takes what only the platform knows and no plan holds: the
// id, and the token when the answer carries one (or nothing is known yet).
func copyIdentifying(inst *cloudelements.Instance, c *instanceCommonModel) {
	c.ID = types.StringValue(strconv.FormatInt(inst.ID, 10))
	if inst.Token != "" || c.Token.IsUnknown() {
		c.Token = types.StringValue(inst.Token)
	}
}

func isUnset(v attr.Value) bool { return v.IsNull() || v.IsUnknown() }

// readTags applies the decided tags rule on a refresh: compared as a set;
// null, absent and [] all mean none; a configured [] stays [] and a null
// stays null.
func readTags(ctx context.Context, answered []string, tags *types.Set) diag.Diagnostics {
	if tags.IsUnknown() {
		return setTags(ctx, answered, tags)
	}
	cur, diags := tagList(ctx, *tags)
	if slices.Equal(sortedUnique(cur), sortedUnique(answered)) {
		return diags
	}
	if len(answered) == 0 {
		*tags = types.SetValueMust(types.StringType, []attr.Value{}) // was set: keep [] rather than null
		return diags
	}
	return append(diags, setTags(ctx, answered, tags)...)
}

// settleTags keeps planned tags, warning when the answer contradicts them.
func settleTags(ctx context.Context, answered []string, tags *types.Set) diag.Diagnostics {
	if tags.IsUnknown() {
		return setTags(ctx, answered, tags)
	}
	cur, diags := tagList(ctx, *tags)
	if !slices.Equal(sortedUnique(cur), sortedUnique(answered)) {
		diags.Append(contradicted(path.Root("tags"), fmt.Sprint(sortedUnique(cur)), fmt.Sprint(sortedUnique(answered))))
	}
	return diags
}

func setTags(ctx context.Context, answered []string, tags *types.Set) diag.Diagnostics {
	set, diags := types.SetValueFrom(ctx, types.StringType, sortedUnique(answered))
	*tags = set
	return diags
}

func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// contradicted is the warning for a planned value the platform's answer
// contradicts. Never used for secrets.
func contradicted(at path.Path, planned, answered string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(at, "Platform answered a different "+at.String(),
		fmt.Sprintf("The plan said %s = %s, the platform answered %s. State keeps the planned value; the next "+
			"refresh shows the platform's.", at, planned, answered))
}

// normalizeCreatedDate stores a date as RFC 3339 UTC; unparseable text is
// kept as it came.
func normalizeCreatedDate(s string) string {
	if t, ok := cloudelements.ParseCreatedDate(s); ok {
		return t.Format(time.RFC3339Nano)
	}
	return s
}
