// Command floorprovider is the plugin floor of the benchmark: a minimal
// terraform-plugin-framework provider with the core schema of
// cloudelements_freshdesk_instance that does no I/O at all. Its timings are
// the best any plugin provider can reach; the real provider's cost is its time
// above them.
package main

import (
	"context"
	"crypto/rand"
	"log"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return floorProvider{} }, providerserver.ServeOpts{
		Address:         "registry.terraform.io/cloudelements/floor",
		ProtocolVersion: 6,
	})
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
type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return floorInstance{} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// floorInstance is floor_freshdesk_instance.
type floorInstance struct{}

// instanceModel mirrors the core attributes of the real resource.
type instanceModel struct {
	ID                  types.String `tfsdk:"id"`
	Name                types.String `tfsdk:"name"`
	Subdomain           types.String `tfsdk:"subdomain"`
	APIKey              types.String `tfsdk:"api_key"`
	Tags                types.Set    `tfsdk:"tags"`
	FilterResponseNulls types.Bool   `tfsdk:"filter_response_nulls"`
	Token               types.String `tfsdk:"token"`
	ElementID           types.Int64  `tfsdk:"element_id"`
	CreatedDate         types.String `tfsdk:"created_date"`
	Valid               types.Bool   `tfsdk:"valid"`
	Disabled            types.Bool   `tfsdk:"disabled"`
}

func (floorInstance) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (floorInstance) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	keepBool := []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Description: "A Freshdesk instance that exists only in state (benchmark floor).",
		Attributes: map[string]schema.Attribute{
			"id":                    schema.StringAttribute{Computed: true, PlanModifiers: keepString},
			"name":                  schema.StringAttribute{Required: true},
			"subdomain":             schema.StringAttribute{Required: true},
			"api_key":               schema.StringAttribute{Required: true, Sensitive: true},
			"tags":                  schema.SetAttribute{Optional: true, ElementType: types.StringType},
			"filter_response_nulls": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
			"token":                 schema.StringAttribute{Computed: true, Sensitive: true, PlanModifiers: keepString},
			"element_id": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{
				int64planmodifier.UseStateForUnknown(),
			}},
			"created_date": schema.StringAttribute{Computed: true, PlanModifiers: keepString},
			"valid":        schema.BoolAttribute{Computed: true, PlanModifiers: keepBool},
			"disabled":     schema.BoolAttribute{Computed: true, PlanModifiers: keepBool},
		},
	}
}

// nextID only has to be unique within one state: each Terraform command runs
// a new plugin process, so the counter starts from the clock.
var nextID atomic.Int64

func init() { nextID.Store(time.Now().UnixNano()) }

func (floorInstance) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.ID = types.StringValue(strconv.FormatInt(nextID.Add(1), 10))
	m.Token = types.StringValue(rand.Text())
	m.ElementID = types.Int64Value(4751)
	m.CreatedDate = types.StringValue(time.Now().UTC().Format(time.RFC3339))
	m.Valid = types.BoolValue(true)
	m.Disabled = types.BoolValue(false)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Read hands back the state it was given: the state is left as it came.
func (floorInstance) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (floorInstance) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (floorInstance) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// ImportState cannot recover anything but the id: there is no platform.
func (floorInstance) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
