package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Bounds of the read-back after enabling or disabling, within the
// operation's timeout: the platform may report the new state late.
const (
	enabledReadBackLimit = 60 * time.Second
	enabledReadBackFirst = 250 * time.Millisecond
	enabledReadBackMax   = 5 * time.Second
)

// enableCreated makes a new instance's enabled flag want. A failure is a
// warning, not an error: an error would taint a working instance, which the
// next apply would then replace. State keeps the planned flag (a create
// without error must match its plan); the next refresh reads the platform's,
// and the next apply retries the toggle alone, in place.
func (e *instanceEngine[M]) enableCreated(ctx context.Context, id int64, c *instanceCommonModel, want bool) diag.Diagnostics {
	diags := e.setEnabled(ctx, id, c, want, "created")
	if !diags.HasError() {
		return diags
	}
	c.Enabled, c.Disabled = types.BoolValue(want), types.BoolValue(!want)
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		if d.Severity() == diag.SeverityError {
			d = diag.NewWarningDiagnostic(d.Summary(), d.Detail()+fmt.Sprintf("\n\nState keeps enabled = %t as "+
				"planned: the next refresh shows the platform's value, and the next apply changes it in place.", want))
		}
		out = append(out, d)
	}
	return out
}

// setEnabled makes the platform's enabled flag want, then reads the instance
// back until the platform agrees. If the call fails, c keeps the flag as it
// is (c.Enabled on entry) and the error says the instance was done (created,
// updated) but not enabled or disabled; if the platform never agrees, c
// keeps the planned value and a warning says so.
func (e *instanceEngine[M]) setEnabled(ctx context.Context, id int64, c *instanceCommonModel, want bool, done string) diag.Diagnostics {
	var diags diag.Diagnostics
	if err := e.provider.client.SetInstanceEnabled(ctx, id, c.Token.ValueString(), want); err != nil {
		verb := map[bool]string{true: "enabled", false: "disabled"}[want]
		diags.AddError("Cannot change whether the "+e.profile.label()+" is enabled",
			e.provider.errorDetail(fmt.Errorf("instance %d was %s but not %s: %w", id, done, verb, err)))
		return diags
	}
	c.Enabled, c.Disabled = types.BoolValue(want), types.BoolValue(!want)
	answered, err := e.awaitDisabled(ctx, id, !want)
	switch {
	case err != nil:
		diags.AddAttributeWarning(path.Root("disabled"), "Cannot confirm the enabled state",
			fmt.Sprintf("The platform accepted the change, but reading instance %d back failed: %s. "+
				"State keeps disabled = %t; the next refresh shows the platform's value.", id, err, !want))
	case answered != !want:
		diags.AddAttributeWarning(path.Root("disabled"), "The platform has not confirmed the enabled state",
			fmt.Sprintf("disabled: planned %t, but the platform still answered %t after waiting. "+
				"State keeps the planned value; the next refresh shows the platform's value.", !want, answered))
	}
	return diags
}

// awaitDisabled reads the instance back, with backoff, until its disabled
// flag is want or the time runs out, and returns the last answer.
func (e *instanceEngine[M]) awaitDisabled(ctx context.Context, id int64, want bool) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, enabledReadBackLimit)
	defer cancel()
	wait := enabledReadBackFirst
	for {
		inst, err := e.provider.client.GetInstance(ctx, id)
		if err != nil {
			return false, err
		}
		if inst.Disabled == want {
			return want, nil
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return inst.Disabled, nil
		}
		select {
		case <-ctx.Done():
			return inst.Disabled, nil
		case <-time.After(wait):
		}
		wait = min(2*wait, enabledReadBackMax)
	}
}
