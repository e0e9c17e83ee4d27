package provider

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// dsIDs expects a list of instances with exactly these ids, in order.
func dsIDs(insts ...emulator.Instance) knownvalue.Check {
	checks := make([]knownvalue.Check, len(insts))
	for i, inst := range insts {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id": knownvalue.StringExact(strconv.FormatInt(inst.ID, 10)),
		})
	}
	return knownvalue.ListExact(checks)
}

// dsListQueried checks that some GET request to the listing at path had
// every one of these query fragments.
func dsListQueried(emu *emulator.Server, path string, fragments ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		for _, r := range emu.RequestsTo("GET", path) {
			all := true
			for _, f := range fragments {
				all = all && strings.Contains(r.Query, f)
			}
			if all {
				return nil
			}
		}
		return fmt.Errorf("no GET %s request with %q", path, fragments)
	}
}

func TestAccInstancesDataSource_filtersAndPaging(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	emu.SetDefaultPageSize(2) // five instances: three pages unfiltered
	a := dsSeed(emu, "alpha desk", "", "prod", "team-a")
	b := dsSeed(emu, "beta desk", "", "prod")
	c := dsSeed(emu, "gamma desk", "", "prod", "team-a")
	d := dsSeed(emu, "alpha desk", "zendesk", "prod", "team-a")
	e := dsSeed(emu, "alpha desk copy", "")

	config := dsProviderConfig(baseURL) + `
data "cloudelements_instances" "all" {}

data "cloudelements_instances" "freshdesk_team_a" {
  element_key = "freshdeskv2"
  tags        = ["prod", "team-a"]
}

data "cloudelements_instances" "named" {
  name = "alpha desk"
}

data "cloudelements_instances" "named_freshdesk" {
  name        = "alpha desk"
  element_key = "freshdeskv2"
}

data "cloudelements_instances" "none" {
  tags = ["no-such-tag"]
}
`
	instances := func(name string, want knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.cloudelements_instances."+name, tfjsonpath.New("instances"), want)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				instances("all", dsIDs(a, b, c, d, e)),
				instances("freshdesk_team_a", dsIDs(a, c)),
				instances("named", dsIDs(a, d)),
				instances("named_freshdesk", dsIDs(a)),
				instances("none", knownvalue.ListExact([]knownvalue.Check{})),
				// Every field of one element, and no token.
				statecheck.ExpectKnownValue("data.cloudelements_instances.named",
					tfjsonpath.New("instances").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":           knownvalue.StringExact(strconv.FormatInt(d.ID, 10)),
						"name":         knownvalue.StringExact("alpha desk"),
						"element_key":  knownvalue.StringExact("zendesk"),
						"tags":         knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("prod"), knownvalue.StringExact("team-a")}),
						"created_date": knownvalue.StringExact(d.CreatedDate.UTC().Format("2006-01-02T15:04:05Z")),
						"valid":        knownvalue.Bool(true),
						"disabled":     knownvalue.Bool(false),
						// What a resource block needs, for import with for_each.
						"subdomain":             knownvalue.StringExact("alpha-desk"),
						"enabled":               knownvalue.Bool(true),
						"filter_response_nulls": knownvalue.Bool(true),
						"events_enabled":        knownvalue.Bool(false),
						"events":                knownvalue.Null(),
					})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				// Tags are sent as tags[], and an element key picks the element's own listing.
				dsListQueried(emu, "/elements/freshdeskv2/instances", "tags%5B%5D=prod", "tags%5B%5D=team-a"),
				dsListQueried(emu, "/instances", "searchText=alpha+desk"),
				dsListQueried(emu, "/elements/freshdeskv2/instances", "searchText=alpha+desk"),
				func(*terraform.State) error {
					// The unfiltered list of five takes three pages of two,
					// the second and third asked for with nextPage.
					var unfiltered, next int
					for _, r := range emu.RequestsTo("GET", "/instances") {
						if strings.Contains(r.Query, "searchText") || strings.Contains(r.Query, "tags") {
							continue
						}
						unfiltered++
						if strings.Contains(r.Query, "nextPage=") {
							next++
						}
					}
					if unfiltered == 0 || unfiltered%3 != 0 || next != unfiltered/3*2 {
						return fmt.Errorf("%d unfiltered GET /instances, %d with nextPage; want 3 pages per read, 2 with nextPage",
							unfiltered, next)
					}
					t.Logf("unfiltered list: %d GET /instances (%d with nextPage); %d list requests in all",
						unfiltered, next, len(emu.RequestsTo("GET", "/instances")))
					return nil
				},
			),
		}},
	})
}

func TestAccInstancesDataSource_validation(t *testing.T) {
	_, baseURL := dsTestServer(t)
	config := func(body string) string {
		return dsProviderConfig(baseURL) + "data \"cloudelements_instances\" \"test\" {\n" + body + "\n}\n"
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{
			{Config: config(`name = " "`), PlanOnly: true, ExpectError: errorWith(`name: must not be empty`)},
			{Config: config(`element_key = ""`), PlanOnly: true, ExpectError: errorWith(`element_key: must not be empty`)},
			{Config: config(`tags = ["ok", " "]`), PlanOnly: true, ExpectError: errorWith(`must not be empty`)},
		},
	})
}

// TestAccInstancesDataSource_elementByIDOnly: a platform that names the
// element by id alone in its answers ("sparse" profile) still has its
// instances found by element key, through the element's own listing.
func TestAccInstancesDataSource_elementByIDOnly(t *testing.T) {
	env := newAccEnvWith(t, withProfile("sparse"), nil)
	env.needsEmulator(t)
	fd := dsSeed(env.emu, "sparse desk", "")
	dsSeed(env.emu, "sparse desk", "zendesk")
	config := env.provider() + `
data "cloudelements_instances" "freshdesk" {
  element_key = "freshdeskv2"
}

data "cloudelements_freshdesk_instance" "by_name" {
  name = "sparse desk"
}
`
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cloudelements_instances.freshdesk", tfjsonpath.New("instances"), dsIDs(fd)),
				statecheck.ExpectKnownValue("data.cloudelements_instances.freshdesk",
					tfjsonpath.New("instances").AtSliceIndex(0).AtMapKey("element_key"), knownvalue.StringExact("freshdeskv2")),
				statecheck.ExpectKnownValue("data.cloudelements_freshdesk_instance.by_name", tfjsonpath.New("id"),
					knownvalue.StringExact(strconv.FormatInt(fd.ID, 10))),
			},
		}},
	})
}
