package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

const dsFreshdeskAddr = "data.cloudelements_freshdesk_instance.test"

// dsFreshdeskConfig looks an instance up by the given attribute.
func dsFreshdeskConfig(baseURL, attr, value string) string {
	return dsProviderConfig(baseURL) + fmt.Sprintf(`
data "cloudelements_freshdesk_instance" "test" {
  %s = %q
}
`, attr, value)
}

// dsFreshdeskChecks are the values a seeded instance must show.
func dsFreshdeskChecks(inst emulator.Instance) []statecheck.StateCheck {
	v := func(name string, want knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(dsFreshdeskAddr, tfjsonpath.New(name), want)
	}
	tags := make([]knownvalue.Check, len(inst.Tags))
	for i, t := range inst.Tags {
		tags[i] = knownvalue.StringExact(t)
	}
	return []statecheck.StateCheck{
		v("id", knownvalue.StringExact(strconv.FormatInt(inst.ID, 10))),
		v("name", knownvalue.StringExact(inst.Name)),
		v("subdomain", knownvalue.StringExact(inst.Configuration["subdomain"])),
		v("tags", knownvalue.SetExact(tags)),
		v("filter_response_nulls", knownvalue.Bool(true)),
		v("enabled", knownvalue.Bool(true)),
		v("disabled", knownvalue.Bool(false)),
		v("valid", knownvalue.Bool(true)),
		v("events_enabled", knownvalue.Bool(false)),
		v("element_id", knownvalue.Int64Exact(491)),
		v("created_date", knownvalue.StringExact(inst.CreatedDate.UTC().Format("2006-01-02T15:04:05Z"))),
		v("token", knownvalue.StringExact(inst.Token)),
	}
}

func TestAccFreshdeskInstanceDataSource_byID(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	inst := dsSeed(emu, "support desk", "", "production", "team-a")
	dsSeed(emu, "other desk", "")
	var reads atomic.Int64

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsCountingFactories(&reads),
		Steps: []resource.TestStep{{
			Config:            dsFreshdeskConfig(baseURL, "id", strconv.FormatInt(inst.ID, 10)),
			ConfigStateChecks: dsFreshdeskChecks(inst),
			Check: resource.ComposeAggregateTestCheckFunc(
				// One GET /instances/{id} per read, and no listing.
				dsExpectReads(emu, &reads, "/instances/{id}", 1),
				dsExpectReads(emu, &reads, "/instances", 0),
				// The API key is never exposed.
				resource.TestCheckNoResourceAttr(dsFreshdeskAddr, "api_key"),
			),
		}},
	})
	t.Logf("lookup by id: %d reads, %d requests in all", reads.Load(), len(emu.Requests()))
}

func TestAccFreshdeskInstanceDataSource_byName(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	// The Freshdesk V2 listing leaves the Zendesk one out; searchText matches
	// the other three; only the exact name counts.
	dsSeed(emu, "acme desk", "zendesk")
	inst := dsSeed(emu, "acme desk", "", "production")
	dsSeed(emu, "acme desk 2", "")
	dsSeed(emu, "acme desk 3", "")
	dsSeed(emu, "unrelated", "")
	emu.SetDefaultPageSize(2) // three candidates: two pages per read
	var reads atomic.Int64

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsCountingFactories(&reads),
		Steps: []resource.TestStep{{
			Config:            dsFreshdeskConfig(baseURL, "name", "acme desk"),
			ConfigStateChecks: dsFreshdeskChecks(inst),
			Check: resource.ComposeAggregateTestCheckFunc(
				dsExpectReads(emu, &reads, "/elements/freshdeskv2/instances", 2),
				dsExpectReads(emu, &reads, "/instances/{id}", 0),
				func(_ *terraform.State) error {
					for _, r := range emu.RequestsTo("GET", "/elements/freshdeskv2/instances") {
						if !regexp.MustCompile(`(^|&)searchText=acme\+desk(&|$)`).MatchString(r.Query) {
							return fmt.Errorf("list request without searchText: %q", r.Query)
						}
					}
					return nil
				},
			),
		}},
	})
	t.Logf("lookup by name: %d reads, %d requests in all", reads.Load(), len(emu.Requests()))
}

func TestAccFreshdeskInstanceDataSource_noMatch(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	dsSeed(emu, "acme desk 2", "")
	zd := dsSeed(emu, "acme desk", "zendesk")

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:      dsFreshdeskConfig(baseURL, "name", "acme desk"),
				ExpectError: errorWith(`No Freshdesk V2 instance is named "acme desk"`),
			},
			{
				Config:      dsFreshdeskConfig(baseURL, "id", "424242"),
				ExpectError: errorWith(`no instance with id 424242`),
			},
			{
				Config:      dsFreshdeskConfig(baseURL, "id", strconv.FormatInt(zd.ID, 10)),
				ExpectError: errorWith(`belongs to element "zendesk", not "freshdeskv2"`),
			},
		},
	})
}

func TestAccFreshdeskInstanceDataSource_severalMatches(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	a := dsSeed(emu, "shared name", "")
	b := dsSeed(emu, "shared name", "")

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{{
			Config:      dsFreshdeskConfig(baseURL, "name", "shared name"),
			ExpectError: errorWith(fmt.Sprintf(`2 Freshdesk V2 instances are named "shared name", with ids %d, %d`, a.ID, b.ID)),
		}},
	})
}

func TestAccFreshdeskInstanceDataSource_validation(t *testing.T) {
	_, baseURL := dsTestServer(t)
	both := dsProviderConfig(baseURL) + `
data "cloudelements_freshdesk_instance" "test" {
  id   = "1"
  name = "x"
}
`
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{
			{Config: dsFreshdeskConfig(baseURL, "id", "abc"), PlanOnly: true, ExpectError: errorWith(`id: "abc" is not an instance id`)},
			{Config: dsFreshdeskConfig(baseURL, "id", "0"), PlanOnly: true, ExpectError: errorWith(`id: "0" is not an instance id`)},
			{Config: dsFreshdeskConfig(baseURL, "name", "  "), PlanOnly: true, ExpectError: errorWith(`name: must not be empty`)},
			{Config: both, PlanOnly: true, ExpectError: errorWith(`Exactly one of these attributes must be configured: [id,name]`)},
		},
	})
}
