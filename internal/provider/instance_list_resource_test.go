package provider

import (
	"strconv"
	"testing"

	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// jiraSeed puts a hand-made Jira instance into the emulator, with events
// (polling) on when events is true and a signature key the platform masks.
func jiraSeed(emu *emulator.Server, name string, events bool, tags ...string) emulator.Instance {
	cfg := map[string]string{"jira.host": "https://" + name + ".atlassian.net", "username": "ops", "password": "jira-pass-by-hand"}
	if events {
		cfg["event.notification.enabled"] = "true"
		cfg["event.notification.callback.url"] = "https://hooks.example.com/" + name
		cfg["event.vendor.type"] = "polling"
		cfg["event.poller.refresh_interval"] = "7"
		cfg["event.poller.configuration"] = `{"incidents":{"url":"/hubs/helpdesk/incidents","idField":"id"}}`
		cfg["event.notification.signature.key"] = "sig-key-by-hand"
	}
	return emu.PutInstance(emulator.Instance{Name: name, ElementKey: "jira", Tags: tags, Configuration: cfg})
}

// queryByID picks the query result whose identity is inst's.
func queryByID(inst emulator.Instance) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(strconv.FormatInt(inst.ID, 10))})
}

// TestAccInstanceList_query runs `terraform query` (Terraform 1.14 and
// later) for cloudelements_instance over a paged listing of several
// elements: the filters, limit, display names, identities, the resource
// with include_resource and no secret in it, and only listing requests.
func TestAccInstanceList_query(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.SetDefaultPageSize(2)
	ops := jiraSeed(env.emu, "ops", true, "prod", "eu")
	jiraSeed(env.emu, "dev", false, "dev")
	desk := importSeed(env.emu, "ops", "prod", "eu") // Freshdesk, same name and tags
	env.emu.PutInstance(emulator.Instance{Name: "support", ElementKey: "zendesk", Tags: []string{"prod"},
		Configuration: map[string]string{"subdomain": "acme", "username": "zd"}})

	query := `
list "cloudelements_instance" "jira_prod" {
  provider         = cloudelements
  include_resource = true
  config {
    element_key = "jira"
    tags        = ["prod"]
  }
}

list "cloudelements_instance" "named" {
  provider = cloudelements
  config {
    name = "ops"
  }
}

list "cloudelements_instance" "all" {
  provider = cloudelements
}

list "cloudelements_instance" "first_three" {
  provider = cloudelements
  limit    = 3
}
`
	events := func(attr string) tfjsonpath.Path { return tfjsonpath.New("events").AtMapKey(attr) }
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{Config: env.provider()},
			{
				PreConfig: env.resetRequests,
				Query:     true,
				Config:    query,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_instance.jira_prod", 1),
					querycheck.ExpectLength("cloudelements_instance.named", 2), // Jira and Freshdesk
					querycheck.ExpectLength("cloudelements_instance.all", 4),
					querycheck.ExpectLength("cloudelements_instance.first_three", 3),
					querycheck.ExpectResourceDisplayName("cloudelements_instance.named", queryByID(ops), knownvalue.StringExact("ops (jira)")),
					querycheck.ExpectResourceDisplayName("cloudelements_instance.named", queryByID(desk), knownvalue.StringExact("ops (freshdeskv2)")),
					querycheck.ExpectIdentity("cloudelements_instance.jira_prod", map[string]knownvalue.Check{
						"id": knownvalue.StringExact(strconv.FormatInt(ops.ID, 10)),
					}),
					querycheck.ExpectResourceKnownValues("cloudelements_instance.jira_prod", queryByID(ops), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("ops")},
						{Path: tfjsonpath.New("element_key"), KnownValue: knownvalue.StringExact("jira")},
						{Path: tfjsonpath.New("enabled"), KnownValue: knownvalue.Bool(true)},
						{Path: tfjsonpath.New("configuration"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("secret_configuration"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()},
						{Path: events("callback_url"), KnownValue: knownvalue.StringExact("https://hooks.example.com/ops")},
						{Path: events("poller_refresh_interval"), KnownValue: knownvalue.Int64Exact(7)},
						{Path: events("signature_key"), KnownValue: knownvalue.Null()},
					}),
				},
			},
		},
	})
	if t.Skipped() || env.emu == nil {
		return
	}
	for _, r := range env.emu.Requests() {
		if r.Method != "GET" || (r.Path != "/instances" && r.Path != "/elements/jira/instances") {
			t.Errorf("query made %s %s; want list requests only", r.Method, r.Path)
		}
	}
}

// TestAccInstanceList_freshdeskResultHasNoToken: the Freshdesk list
// resource's results carry no token either.
func TestAccInstanceList_freshdeskResultHasNoToken(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	desk := importSeed(env.emu, "desk", "prod")
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{Config: env.provider()},
			{
				Query: true,
				Config: `
list "cloudelements_freshdesk_instance" "all" {
  provider         = cloudelements
  include_resource = true
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectResourceKnownValues("cloudelements_freshdesk_instance.all", queryByID(desk), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("api_key"), KnownValue: knownvalue.Null()},
					}),
				},
			},
		},
	})
}

// TestAccInstanceImport_generateConfig: an import block with
// -generate-config-out for a cloudelements_instance with events on writes
// configuration whose plan is the import alone, unedited, and applying it
// writes nothing.
func TestAccInstanceImport_generateConfig(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	made := jiraSeed(env.emu, "generated", true, "manual")
	addr := "cloudelements_instance.test"
	env.emu.ResetRequests()
	generateConfigImport(t, env, addr, made.ID,
		plancheck.ExpectKnownValue(addr, tfjsonpath.New("events").AtMapKey("poller_refresh_interval"), knownvalue.Int64Exact(7)))
	if t.Skipped() || env.emu == nil {
		return
	}
	for _, r := range env.emu.Requests() {
		if r.Method != "GET" {
			t.Errorf("generating and planning the import made %s %s", r.Method, r.Path)
		}
	}
}
