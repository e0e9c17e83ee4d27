// Command floorprovider is the plugin floor of the benchmark: a minimal
// terraform-plugin-framework provider serving exactly the schemas of
// cloudelements_freshdesk_instance (floor_freshdesk_instance) and
// cloudelements_formula (floor_formula, formula.go) that does no I/O at all. Its timings are what any framework provider with that schema
// costs when served the stock way (providerserver.Serve).
//
// With -served it is floorserved_freshdesk_instance, served exactly as the
// provider's main serves it (provider.ProtocolServer, provider.SilenceUnreadLogs),
// which saves memory and time over the stock way; the real provider's own cost
// is its time above this one.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"log"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	cloudelements "github.com/cloudelements/terraform-provider-cloudelements/internal/provider"
)

func main() {
	served := flag.Bool("served", false, "serve as the provider does (type name floorserved)")
	flag.Parse()

	var err error
	if *served {
		cloudelements.SilenceUnreadLogs("floorserved")
		err = tf6server.Serve("registry.terraform.io/cloudelements/floorserved", func() tfprotov6.ProviderServer {
			return cloudelements.ProtocolServer(floorProvider{typeName: "floorserved"})
		})
	} else {
		err = providerserver.Serve(context.Background(), func() provider.Provider { return floorProvider{typeName: "floor"} }, providerserver.ServeOpts{
			Address:         "registry.terraform.io/cloudelements/floor",
			ProtocolVersion: 6,
		})
	}
	if err != nil {
		log.Fatal(err)
	}
}

// Ensure the floor types fully satisfy the framework interfaces.
var (
	_ provider.Provider                = floorProvider{}
	_ resource.Resource                = floorInstance{}
	_ resource.ResourceWithImportState = floorInstance{}
)

// floorProvider has no configuration: there is nothing to connect to.
type floorProvider struct{ typeName string }

func (p floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = p.typeName
}

func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return floorInstance{} },
		func() resource.Resource { return floorFormula{} },
	}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// floorInstance is floor_freshdesk_instance.
type floorInstance struct{}

func (floorInstance) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (floorInstance) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = cloudelements.FreshdeskInstanceSchema(ctx)
	resp.Schema.MarkdownDescription = "A Freshdesk instance that exists only in state (benchmark floor)."
}

// nextID only has to be unique within one state: each Terraform command runs
// a new plugin process, so the counter starts from the clock.
var nextID atomic.Int64

func init() { nextID.Store(time.Now().UnixNano()) }

func newID() string { return strconv.FormatInt(nextID.Add(1), 10) }

// Create stores the plan with the computed values a platform would return.
func (floorInstance) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(setAll(ctx, &resp.State, map[string]any{
		"id":           newID(),
		"token":        rand.Text(),
		"element_id":   int64(491),
		"created_date": time.Now().UTC().Format(time.RFC3339),
		"valid":        true,
	})...)
	resp.Diagnostics.Append(setDerived(ctx, &resp.State)...)
}

// Read hands back the state it was given: the state is left as it came.
func (floorInstance) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan.
func (floorInstance) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(setDerived(ctx, &resp.State)...)
}

func (floorInstance) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// ImportState cannot recover anything but the id: there is no platform.
func (floorInstance) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// setDerived fills the computed flags the real resource plans from enabled
// and events (the floor has no plan modification of its own).
func setDerived(ctx context.Context, state *tfsdk.State) diag.Diagnostics {
	var enabled types.Bool
	var events types.Object
	diags := state.GetAttribute(ctx, path.Root("enabled"), &enabled)
	diags.Append(state.GetAttribute(ctx, path.Root("events"), &events)...)
	diags.Append(setAll(ctx, state, map[string]any{
		"disabled":       !enabled.ValueBool(),
		"events_enabled": !events.IsNull(),
	})...)
	return diags
}

func setAll(ctx context.Context, state *tfsdk.State, values map[string]any) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, v := range values {
		diags.Append(state.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}
