package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

const instanceAddr = "cloudelements_freshdesk_instance.test"

// instanceConfig is a resource block; extra is pasted inside it.
func instanceConfig(name, subdomain string, tags []string, extra string) string {
	quoted := make([]string, len(tags))
	for i, tag := range tags {
		quoted[i] = strconv.Quote(tag)
	}
	return fmt.Sprintf(`resource "cloudelements_freshdesk_instance" "test" {
  name      = %q
  subdomain = %q
  api_key   = "fd-api-key-0001"
  tags      = [%s]
%s}
`, name, subdomain, strings.Join(quoted, ", "), extra)
}

// emptyPlanAfterApply asserts that a refresh and plan after the step's apply
// finds nothing to do.
var emptyPlanAfterApply = resource.ConfigPlanChecks{
	PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
}

// expectCreateBody checks the one POST /instances against the platform's
// documented body and header.
func expectCreateBody(env *accEnv, name, subdomain string, tags []string) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		posts := emu.RequestsTo("POST", "/instances")
		if len(posts) != 1 {
			return fmt.Errorf("want exactly one POST /instances, got %s", describe(posts))
		}
		post := posts[0]
		if got, want := post.Header.Get("Authorization"), "User "+testUserSecret+", Organization "+testOrganizationSecret; got != want {
			return fmt.Errorf("Authorization header: got %q", got)
		}
		if ct := post.Header.Get("Content-Type"); ct != "application/json" {
			return fmt.Errorf("Content-Type: got %q", ct)
		}
		if ua := post.Header.Get("User-Agent"); !regexp.MustCompile(`^terraform-provider-cloudelements/test terraform/\d+\.\d+\.\d+`).MatchString(ua) {
			return fmt.Errorf("User-Agent: got %q", ua)
		}
		var body map[string]any
		if err := json.Unmarshal(post.Body, &body); err != nil {
			return err
		}
		tagsAny := make([]any, len(tags))
		for i, tag := range tags {
			tagsAny[i] = tag
		}
		want := map[string]any{
			"element": map[string]any{"key": "freshdeskv2"},
			"name":    name,
			"configuration": map[string]any{
				"subdomain":             subdomain,
				"username":              "fd-api-key-0001",
				"filter.response.nulls": "true",
			},
			"tags": tagsAny,
		}
		gotJSON, _ := json.Marshal(body)
		wantJSON, _ := json.Marshal(want)
		if string(gotJSON) != string(wantJSON) {
			return fmt.Errorf("create body:\n got %s\nwant %s", gotJSON, wantJSON)
		}
		return nil
	})
}

func TestAccFreshdeskInstance_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var tokenBeforePut string

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			env.expectRequests("DELETE", "/instances/*", 1),
			env.check(func(emu *emulator.Server) error {
				if n := len(emu.Instances()); n != 0 {
					return fmt.Errorf("%d instances left after destroy", n)
				}
				return nil
			}),
		),
		Steps: []resource.TestStep{
			{
				// Create: one POST with the documented body; state from its answer.
				Config:            env.provider() + instanceConfig("Support desk", "acme", []string{"team-a", "prod"}, ""),
				ConfigPlanChecks:  emptyPlanAfterApply,
				Check:             resource.ComposeTestCheckFunc(expectCreateBody(env, "Support desk", "acme", []string{"prod", "team-a"}), env.expectRequests("GET", "/instances/*", 0)), // no read after create: state comes from the POST answer
				ConfigStateChecks: append(lifecycleStateChecks("Support desk", "acme", "prod", "team-a"), sameID.AddStateValue(instanceAddr, tfjsonpath.New("id"))),
			},
			{
				// Name and tags change in place with one PATCH.
				PreConfig:        env.resetRequests,
				Config:           env.provider() + instanceConfig("Support desk EU", "acme", []string{"team-b"}, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate), plancheck.ExpectUnknownValue(instanceAddr, tfjsonpath.New("token")), plancheck.ExpectUnknownValue(instanceAddr, tfjsonpath.New("valid"))}, PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh},
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("PATCH", "/instances/*", 1),
					env.expectRequests("PUT", "/instances/*", 0),
					env.check(func(emu *emulator.Server) error {
						patch := emu.RequestsTo("PATCH", "/instances/*")[0]
						if got := string(patch.Body); got != `{"name":"Support desk EU","tags":["team-b"]}` {
							return fmt.Errorf("PATCH body: %s", got)
						}
						return nil
					}),
					func(s *terraform.State) error {
						tokenBeforePut = s.RootModule().Resources[instanceAddr].Primary.Attributes["token"]
						return nil
					},
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("name"), knownvalue.StringExact("Support desk EU")),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("tags"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("team-b")})),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
			{
				// A new subdomain re-provisions in place with one PUT: the id
				// stays, the token is unknown in the plan and may change.
				PreConfig: env.resetRequests,
				Config:    env.provider() + instanceConfig("Support desk EU", "acme-eu", []string{"team-b"}, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(instanceAddr, tfjsonpath.New("token")),
						plancheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					},
					PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh,
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("PUT", "/instances/*", 1),
					env.expectRequests("PATCH", "/instances/*", 0),
					env.check(func(emu *emulator.Server) error {
						var body map[string]any
						if err := json.Unmarshal(emu.RequestsTo("PUT", "/instances/*")[0].Body, &body); err != nil {
							return err
						}
						cfg, _ := body["configuration"].(map[string]any)
						if cfg["subdomain"] != "acme-eu" || cfg["username"] != "fd-api-key-0001" || body["name"] != "Support desk EU" {
							return fmt.Errorf("PUT body is not the full definition: %v", body)
						}
						return nil
					}),
					func(s *terraform.State) error {
						if tokenBeforePut == s.RootModule().Resources[instanceAddr].Primary.Attributes["token"] && env.emu != nil {
							return fmt.Errorf("the emulator rotates tokens on PUT, but state kept the old token")
						}
						return nil
					},
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("subdomain"), knownvalue.StringExact("acme-eu")),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
			{
				// Import by id: one GET, and everything but the API key, which
				// the platform never returns, matches what apply stored.
				PreConfig:               env.resetRequests,
				ResourceName:            instanceAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"api_key"},
				Check:                   env.expectRequests("GET", "/instances/*", 1),
			},
		},
	})
}

// lifecycleStateChecks asserts every attribute after create.
func lifecycleStateChecks(name, subdomain string, tags ...string) []statecheck.StateCheck {
	tagChecks := make([]knownvalue.Check, len(tags))
	for i, tag := range tags {
		tagChecks[i] = knownvalue.StringExact(tag)
	}
	at := func(attr string, check knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New(attr), check)
	}
	return []statecheck.StateCheck{
		at("id", knownvalue.StringRegexp(regexp.MustCompile(`^[1-9][0-9]*$`))),
		at("name", knownvalue.StringExact(name)),
		at("subdomain", knownvalue.StringExact(subdomain)),
		at("api_key", knownvalue.StringExact("fd-api-key-0001")),
		at("api_key_wo", knownvalue.Null()),
		at("api_key_wo_version", knownvalue.Null()),
		at("tags", knownvalue.SetExact(tagChecks)),
		at("filter_response_nulls", knownvalue.Bool(true)),
		at("enabled", knownvalue.Bool(true)),
		at("events", knownvalue.Null()),
		at("token", knownvalue.StringRegexp(regexp.MustCompile(`^\S{20,}$`))),
		at("element_id", knownvalue.Int64Exact(491)),
		at("created_date", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
		at("valid", knownvalue.Bool(true)),
		at("disabled", knownvalue.Bool(false)),
		at("events_enabled", knownvalue.Bool(false)),
		at("timeouts", knownvalue.Null()),
	}
}

func TestAccFreshdeskInstance_importBlock(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t) // the instance is "made by hand" in the emulator
	made := env.emu.PutInstance(emulator.Instance{
		Name: "Made by hand", Tags: []string{"manual"},
		Configuration: map[string]string{"subdomain": "handmade", "username": "fd-api-key-0001", "filter.response.nulls": "true"},
	})
	id := strconv.FormatInt(made.ID, 10)

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// An import {} block plans a no-op import: config matches.
				Config:             env.provider() + instanceConfig("Made by hand", "handmade", []string{"manual"}, ""),
				ResourceName:       instanceAddr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ImportStateId:      id,
				ExpectNonEmptyPlan: true, // api_key is not readable, so it is set on first apply
			},
			{
				// terraform import by id, then apply: the instance is adopted, not duplicated.
				Config:        env.provider() + instanceConfig("Made by hand", "handmade", []string{"manual"}, ""),
				ResourceName:  instanceAddr,
				ImportState:   true,
				ImportStateId: id,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].ID != id || states[0].Attributes["subdomain"] != "handmade" || states[0].Attributes["name"] != "Made by hand" {
						return fmt.Errorf("unexpected import result: %+v", states)
					}
					if _, ok := states[0].Attributes["api_key"]; ok && states[0].Attributes["api_key"] != "" {
						return fmt.Errorf("api_key was imported: it cannot be read back")
					}
					return nil
				},
				ImportStatePersist: true,
			},
			{
				Config: env.provider() + instanceConfig("Made by hand", "handmade", []string{"manual"}, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
				},
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: env.check(func(emu *emulator.Server) error {
					if n := len(emu.Instances()); n != 1 {
						return fmt.Errorf("want the one hand-made instance, emulator has %d", n)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccFreshdeskInstance_drift(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	config := env.provider() + instanceConfig("Drift", "drift", nil, "")
	var id int64
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(s *terraform.State) (err error) {
					id, err = instanceID(s, instanceAddr)
					return err
				},
			},
			{
				// Renamed behind Terraform's back: the plan puts the name back.
				PreConfig: func() {
					env.emu.ModifyInstance(id, func(inst *emulator.Instance) { inst.Name = "Renamed by hand" })
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("name"), knownvalue.StringExact("Drift")),
				}, PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh},
			},
			{
				// Deleted behind Terraform's back: the plan creates it again.
				PreConfig: func() { env.emu.RemoveInstance(id) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionCreate),
				}, PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh},
			},
		},
	})
}

func TestAccFreshdeskInstance_wrongSecrets(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.providerWith("wrong-user", "wrong-org") + instanceConfig("Nope", "nope", nil, ""),
			ExpectError: regexp.MustCompile(`(?s)HTTP 401.*Invalid Organization or User secret.*request id [0-9a-f]{24}.*` +
				errorWith("The platform at 127.0.0.1:", "refused the user secret (from user_secret) or the organization secret (from organization_secret)",
					"Secrets belong to one platform host").String()[4:]),
			Check: env.expectRequests("POST", "/instances", 1),
		}},
	})
	if n := len(env.emu.Instances()); n != 0 {
		t.Fatalf("wrong secrets created %d instances", n)
	}
}

// expectToken fails unless the instance's token in state is want.
func expectToken(want string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttr(instanceAddr, "token", want)
}

// TestAccFreshdeskInstance_importAdoptsKey: after an import, the first apply
// with the key in configuration (api_key, or api_key_wo with its version)
// adopts the key without any API write and keeps the token; a later change
// of the key is a deliberate send (PUT). With no key in configuration, the
// imported instance plans no change, and a re-provision asks for the key.
func TestAccFreshdeskInstance_importAdoptsKey(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	keyed := func(key string) string {
		return fmt.Sprintf(`resource "cloudelements_freshdesk_instance" "test" {
  name      = "Made by hand"
  subdomain = "handmade"
  tags      = ["manual"]
%s}
`, key)
	}
	cases := []struct{ name, first, second string }{
		{"api_key", `  api_key = "fd-api-key-0001"` + "\n", `  api_key = "fd-api-key-0002"` + "\n"},
		{"api_key_wo", "  api_key_wo = \"fd-api-key-0001\"\n  api_key_wo_version = 1\n", "  api_key_wo = \"fd-api-key-0002\"\n  api_key_wo_version = 2\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t)
			env.needsEmulator(t)
			made := env.emu.PutInstance(emulator.Instance{
				Name: "Made by hand", Tags: []string{"manual"},
				Configuration: map[string]string{"subdomain": "handmade", "username": "fd-api-key-0001", "filter.response.nulls": "true"},
			})
			id := strconv.FormatInt(made.ID, 10)
			steps := []resource.TestStep{
				{
					Config: env.provider() + keyed(""), ResourceName: instanceAddr,
					ImportState: true, ImportStateId: id, ImportStatePersist: true,
				},
				{
					// No key in configuration: nothing to do.
					PreConfig:         env.resetRequests,
					Config:            env.provider() + keyed(""),
					ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					ConfigStateChecks: []statecheck.StateCheck{expectNoWrites(env)},
				},
				{
					// A re-provision needs the key, which the platform never returns.
					Config:      env.provider() + strings.Replace(keyed(""), `"handmade"`, `"handmade-eu"`, 1),
					PlanOnly:    true,
					ExpectError: errorWith("Re-provisioning needs the API key", "sends the Freshdesk API key"),
				},
				{
					// The key written after the import is adopted: no write, same token.
					PreConfig: env.resetRequests,
					Config:    env.provider() + keyed(tc.first),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("token"), knownvalue.StringExact(made.Token)),
						},
						PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh,
					},
					Check:             expectToken(made.Token),
					ConfigStateChecks: []statecheck.StateCheck{expectNoWrites(env)},
				},
				{
					// A later change of the key is a deliberate send.
					PreConfig: env.resetRequests,
					Config:    env.provider() + keyed(tc.second),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectUnknownValue(instanceAddr, tfjsonpath.New("token"))},
						PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh,
					},
					Check: sentKey(env, "PUT", "/instances/*", "fd-api-key-0002"),
				},
			}
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				Steps:                    steps,
			})
		})
	}
}

// TestAccFreshdeskInstance_createNeedsKey: without a key, a create fails at
// plan time and nothing reaches the API.
func TestAccFreshdeskInstance_createNeedsKey(t *testing.T) {
	expectPlanError(t, woConfig(""), errorWith("Missing api_key or api_key_wo", "Creating the instance sends the Freshdesk API key"))
}

// TestAccFreshdeskInstance_subdomainCase: a change of case alone makes no API
// call; the subdomain is sent in lower case.
func TestAccFreshdeskInstance_subdomainCase(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           env.provider() + instanceConfig("Case", "Acme-EU", nil, ""),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: env.check(func(emu *emulator.Server) error {
					var body struct {
						Configuration map[string]string `json:"configuration"`
					}
					if err := json.Unmarshal(emu.RequestsTo("POST", "/instances")[0].Body, &body); err != nil {
						return err
					}
					if got := body.Configuration["subdomain"]; got != "acme-eu" {
						return fmt.Errorf("subdomain sent as %q, want lower case", got)
					}
					return nil
				}),
			},
			{
				PreConfig:        env.resetRequests,
				Config:           env.provider() + instanceConfig("Case", "acme-eu", nil, ""),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					expectNoWrites(env),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("subdomain"), knownvalue.StringExact("acme-eu")),
				},
			},
		},
	})
}
