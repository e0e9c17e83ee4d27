package provider

import (
	"context"
	"errors"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// The steps that the resources of every asset kind named by one numeric id
// (a formula, a common resource) take alike, written once: each kind's
// resource keeps only what is its own. what names the kind in messages
// ("formula", "common resource").

// recordCreated reports whether err says the asset exists though its
// answer is unusable; then it is recorded with that id (Terraform taints
// it) rather than lost, and the create fails.
func recordCreated[M any](ctx context.Context, pd *providerData, what string, err error, plan *M, id *types.String,
	state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) bool {
	var created *cloudelements.CreatedError
	if !errors.As(err, &created) {
		return false
	}
	*id = types.StringValue(strconv.FormatInt(created.ID, 10))
	diags.Append(setStateKnown(ctx, state, plan)...)
	diags.Append(setInstanceIdentity(ctx, identity, *id)...)
	diags.AddError(upperFirst(what)+" created, but its answer is unusable", pd.errorDetail(err))
	return true
}

// plannedAnswer is one attribute as planned and as a write's answer
// shows it.
type plannedAnswer struct {
	name       string
	want, have attr.Value
}

// warnContradicted warns about each planned value the answer contradicts
// (by meaning); state keeps the planned one.
func warnContradicted(ctx context.Context, diags *diag.Diagnostics, pairs ...plannedAnswer) {
	for _, c := range pairs {
		if !c.want.IsUnknown() && !sameMeaning(ctx, c.want, c.have) {
			diags.Append(contradicted(path.Root(c.name), c.want.String(), c.have.String()))
		}
	}
}

// deleteFailed reports a failed delete, unless the platform says the asset
// is already gone; a 409 (dependents left once the client's wait was
// over) is explained: the asset still has dependents, resources of type
// referrer.
func deleteFailed(pd *providerData, what string, err error, dependents, referrer string, diags *diag.Diagnostics) {
	if err == nil || cloudelements.IsNotFound(err) {
		return
	}
	detail := pd.errorDetail(err)
	if cloudelements.IsConflict(err) {
		detail += "\n\nThe platform refuses to delete a " + what + " that still has " + dependents + " (the delete " +
			"was tried again for a while, in case they were being deleted). Delete them first (a " + referrer +
			" that refers to this " + what + " is deleted before it)."
	}
	diags.AddError("Cannot delete the "+what, detail)
}

// importByID starts an import of the asset of the id being imported (the
// import id, or the identity's), checked before any request.
func importByID(ctx context.Context, what string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importIDOf(ctx, what, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, types.StringValue(id))...)
}
