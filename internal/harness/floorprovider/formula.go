package main

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	cloudelements "github.com/cloudelements/terraform-provider-cloudelements/internal/provider"
)

var _ resource.ResourceWithImportState = floorFormula{}

// floorFormula is floor_formula: exactly cloudelements_formula's schema, no
// I/O. Steps and triggers must set properties (the floor has no platform to
// answer them), as the bench's configuration does.
type floorFormula struct{}

func (floorFormula) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula"
}

func (floorFormula) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = cloudelements.FormulaSchema(ctx)
	resp.Schema.MarkdownDescription = "A formula that exists only in state (benchmark floor)."
}

// Create stores the plan with the computed values a platform would return.
func (floorFormula) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	values := map[string]any{"id": newID(), "created_date": time.Now().UTC().Format(time.RFC3339)}
	var single types.Bool
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("single_threaded"), &single)...)
	if single.IsUnknown() {
		values["single_threaded"] = false
	}
	resp.Diagnostics.Append(setAll(ctx, &resp.State, values)...)
}

// Read hands back the state it was given.
func (floorFormula) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan.
func (floorFormula) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

func (floorFormula) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (floorFormula) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
