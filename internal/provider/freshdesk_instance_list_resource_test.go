package provider

import (
	"strconv"
	"testing"

	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccFreshdeskInstanceList_query runs `terraform query` (Terraform 1.14
// and later) over a paged listing: filters, limit, display names,
// identities, the full resource with include_resource, and no write.
func TestAccFreshdeskInstanceList_query(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.SetDefaultPageSize(2) // six instances: three pages
	alpha := importSeed(env.emu, "alpha desk", "prod", "eu")
	beta := importSeed(env.emu, "beta desk", "prod")
	gamma := importSeed(env.emu, "gamma desk", "prod", "eu")
	importSeed(env.emu, "alpha desk copy")
	env.emu.PutInstance(emulator.Instance{Name: "alpha desk", ElementKey: "zendesk", Tags: []string{"prod", "eu"}})
	env.emu.ModifyInstance(beta.ID, func(i *emulator.Instance) { i.Disabled = true })

	query := `
list "cloudelements_freshdesk_instance" "prod_eu" {
  provider         = cloudelements
  include_resource = true
  config {
    tags = ["eu", "prod"]
  }
}

list "cloudelements_freshdesk_instance" "named" {
  provider = cloudelements
  config {
    name = "alpha desk"
  }
}

list "cloudelements_freshdesk_instance" "all" {
  provider = cloudelements
}

list "cloudelements_freshdesk_instance" "first_two" {
  provider = cloudelements
  limit    = 2
}
`
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{Config: env.provider()}, // query needs an initialised configuration
			{
				PreConfig: env.resetRequests,
				Query:     true,
				Config:    query,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_freshdesk_instance.prod_eu", 2),
					querycheck.ExpectLength("cloudelements_freshdesk_instance.named", 1), // exact name, Freshdesk only
					querycheck.ExpectLength("cloudelements_freshdesk_instance.all", 4),
					querycheck.ExpectLength("cloudelements_freshdesk_instance.first_two", 2),
					querycheck.ExpectIdentity("cloudelements_freshdesk_instance.named", map[string]knownvalue.Check{
						"id": knownvalue.StringExact(strconv.FormatInt(alpha.ID, 10)),
					}),
					querycheck.ExpectResourceDisplayName("cloudelements_freshdesk_instance.prod_eu", queryByID(gamma), knownvalue.StringExact("gamma desk")),
					querycheck.ExpectResourceKnownValues("cloudelements_freshdesk_instance.prod_eu", queryByID(alpha), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("alpha desk")},
						{Path: tfjsonpath.New("subdomain"), KnownValue: knownvalue.StringExact("alpha-desk")},
						{Path: tfjsonpath.New("tags"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("eu"), knownvalue.StringExact("prod")})},
						{Path: tfjsonpath.New("enabled"), KnownValue: knownvalue.Bool(true)},
						{Path: tfjsonpath.New("filter_response_nulls"), KnownValue: knownvalue.Bool(true)},
						{Path: tfjsonpath.New("created_date"), KnownValue: knownvalue.StringExact(alpha.CreatedDate.UTC().Format("2006-01-02T15:04:05Z"))},
						{Path: tfjsonpath.New("api_key"), KnownValue: knownvalue.Null()},
					}),
				},
			},
		},
	})
	if t.Skipped() || env.emu == nil {
		return
	}
	// Only listings: one request per page, and never a write.
	for _, r := range env.emu.Requests() {
		if r.Method != "GET" || r.Path != "/elements/freshdeskv2/instances" {
			t.Errorf("query made %s %s; want list requests only", r.Method, r.Path)
		}
	}
	if n := len(env.emu.RequestsTo("GET", "/elements/freshdeskv2/instances")); n == 0 {
		t.Error("query made no list request")
	} else {
		t.Logf("query: %d list requests", n)
	}
}
