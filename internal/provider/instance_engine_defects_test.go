package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Regression tests of the engine defects of issue 18, one per item.

// expectNoInstanceWrites fails if a PUT or PATCH of an instance was recorded.
func expectNoInstanceWrites(env *accEnv) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		for _, m := range []string{http.MethodPut, http.MethodPatch} {
			if got := emu.RequestsTo(m, "/instances/*"); len(got) != 0 {
				return fmt.Errorf("want no %s of the instance, emulator recorded %s", m, describe(got))
			}
		}
		return nil
	})
}

// TestAccInstance_removingSecretsStopsManagingThem (item 3): removing
// secret_configuration, or the write-only pair, sends nothing: the platform
// keeps the credentials it has.
func TestAccInstance_removingSecretsStopsManagingThem(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	base := genericInstance{elementKey: "freshdeskv2", name: "Keeps secrets", configuration: map[string]string{"subdomain": "keeps"}}
	withSecrets := base
	withSecrets.secrets = map[string]string{"username": "fd-api-key-0001"}
	withWO := base
	withWO.extra = "  secret_configuration_wo = { username = \"fd-api-key-0001\" }\n  secret_configuration_wo_version = 1\n"
	for name, first := range map[string]genericInstance{"secret_configuration": withSecrets, "write-only": withWO} {
		t.Run(name, func(t *testing.T) {
			env := newAccEnv(t)
			env.needsEmulator(t)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: env.provider() + first.config(), ConfigPlanChecks: emptyPlan},
					{
						PreConfig:        env.resetRequests,
						Config:           env.provider() + base.config(),
						ConfigPlanChecks: emptyPlan,
						Check: resource.ComposeTestCheckFunc(expectNoInstanceWrites(env), env.check(func(emu *emulator.Server) error {
							for _, inst := range emu.Instances() {
								if inst.Configuration["username"] != "fd-api-key-0001" {
									return fmt.Errorf("the platform lost the credentials: username = %q", inst.Configuration["username"])
								}
							}
							return nil
						})),
					},
				},
			})
		})
	}
}

// stripVendorType removes event.vendor.type from the answers to PATCH
// requests: a platform that does not echo it.
func stripVendorType(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPatch {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var inst map[string]any
		if json.Unmarshal(body, &inst) == nil {
			if cfg, ok := inst["configuration"].(map[string]any); ok {
				delete(cfg, "event.vendor.type")
				body, _ = json.Marshal(inst)
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// TestAccFreshdeskInstance_webhookURLKeptWhenVendorNotEchoed (item 5): an
// answer without event.vendor.type keeps the planned webhook_url, with a
// warning, instead of an inconsistent result.
func TestAccFreshdeskInstance_webhookURLKeptWhenVendorNotEchoed(t *testing.T) {
	env := newAccEnvWith(t, nil, stripVendorType)
	env.needsEmulator(t)
	events := func(vendor string) string {
		return eventsBlock(fmt.Sprintf("    callback_url = \"https://hooks.example.com/ce\"\n    vendor_type = %q", vendor))
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.provider() + instanceConfig("Hooks", "hooks", nil, events("polling")), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config: env.provider() + instanceConfig("Hooks", "hooks", nil, events("webhook")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("events").AtMapKey("webhook_url"),
						knownvalue.StringRegexp(regexp.MustCompile(`/events/freshdesk/[A-Za-z0-9+/=]+$`))),
				},
			},
		},
	})
}

// TestAccInstance_maskedConfigurationKeepsValue (item 6): a value the
// platform answers masked in configuration means "unknown": the configured
// value is kept and the plan settles.
func TestAccInstance_maskedConfigurationKeepsValue(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) { o.MaskUsername = true }, nil)
	env.needsEmulator(t)
	g := genericInstance{elementKey: "freshdeskv2", name: "Masked", configuration: map[string]string{"subdomain": "masked", "username": "fd-api-key-0001"}}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           env.provider() + g.config(),
				ConfigPlanChecks: emptyPlan,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("configuration").AtMapKey("username"), knownvalue.StringExact("fd-api-key-0001")),
				},
			},
			{
				PreConfig:        env.resetRequests,
				Config:           env.provider() + g.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectNoWrites(),
			},
		},
	})
}

// TestAccFreshdeskInstance_createdButNotDisabled (item 9): an instance whose
// disable call failed after a successful create is kept, not tainted, with a
// warning; the refresh shows it enabled and the next apply retries the
// disable alone, in place.
func TestAccFreshdeskInstance_createdButNotDisabled(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.Script("DELETE", "/instances/*/enabled", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusBadRequest})
	config := env.provider() + instanceConfig("Half made", "halfmade", nil, "  enabled = false\n")
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             config,
				ExpectNonEmptyPlan: true, // the refresh finds it enabled: disabling is still to do
				Check:              expectOneInstanceInState(env),
			},
			{
				PreConfig: env.resetRequests,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh,
				},
				Check: resource.ComposeTestCheckFunc(expectOneInstanceInState(env),
					env.expectRequests("DELETE", "/instances/*", 0), env.expectRequests("POST", "/instances", 0),
					env.expectRequests("DELETE", "/instances/*/enabled", 1)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("disabled"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// TestAccInstance_nameWithSurroundingSpaces (item 1): refused at plan time,
// naming the attribute and the fix, with no API call.
func TestAccInstance_nameWithSurroundingSpaces(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	env := newAccEnv(t)
	env.needsEmulator(t)
	generic := genericInstance{elementKey: "freshdeskv2", name: " Spaced ", configuration: map[string]string{"subdomain": "spaced"},
		secrets: map[string]string{"username": "fd-api-key-0001"}}
	for name, config := range map[string]string{
		"generic":   generic.config(),
		"freshdesk": instanceConfig("Spaced\t", "spaced", nil, ""),
	} {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      env.provider() + config,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)Invalid name.*spaces at its start or end`),
				}},
			})
			if reqs := env.emu.Requests(); len(reqs) != 0 {
				t.Errorf("want no API call, emulator recorded %s", describe(reqs))
			}
		})
	}
}

// TestAccFreshdeskInstance_updateAppliedButUnreadable (item 10): a PATCH or
// PUT the platform applied (2xx) but answered unreadably is no failure: state
// records what was planned and the next refresh settles it.
func TestAccFreshdeskInstance_updateAppliedButUnreadable(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	for name, c := range map[string]struct{ method, extra string }{
		"PATCH": {http.MethodPatch, ""},
		"PUT":   {http.MethodPut, "  filter_response_nulls = false\n"},
	} {
		t.Run(name, func(t *testing.T) {
			env := newAccEnv(t)
			env.needsEmulator(t)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: env.provider() + instanceConfig("Before", "applied", nil, ""), ConfigPlanChecks: emptyPlanAfterApply},
					{
						PreConfig: func() {
							env.resetRequests()
							env.emu.Script(c.method, "/instances/*", emulator.Fault{Kind: emulator.FaultCommitThenBody, Body: `{"id":{id},"name":`})
						},
						Config:           env.provider() + instanceConfig("After", "applied", nil, c.extra),
						ConfigPlanChecks: emptyPlanAfterApply,
						Check: resource.ComposeTestCheckFunc(env.expectRequests(c.method, "/instances/*", 1),
							resource.TestCheckResourceAttr(instanceAddr, "name", "After")),
					},
				},
			})
		})
	}
}

// TestAccFreshdeskInstance_importOtherElementByID (item 8): an answer that
// names its element by id alone is resolved to the element's key, so a
// Zendesk instance imported into cloudelements_freshdesk_instance is refused
// and nothing is written to it.
func TestAccFreshdeskInstance_importOtherElementByID(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) { o.Variance.ElementIDOnly = true }, nil)
	env.needsEmulator(t)
	zendesk := env.emu.PutInstance(emulator.Instance{ElementKey: "zendesk", Name: "Other desk",
		Configuration: map[string]string{"zendesk.subdomain": "other", "username": "agent@example.com", "password": "zd-pass-0001"}})
	config := env.provider() + fmt.Sprintf(`import {
  to = cloudelements_freshdesk_instance.test
  id = "%d"
}
`, zendesk.ID) + instanceConfig("Other desk", "other", nil, "")
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)Not a Freshdesk V2 instance.*belongs to element "zendesk"`),
		}},
	})
	if w := writes(env.emu); len(w) != 0 {
		t.Errorf("want no writes to the Zendesk instance, emulator recorded %s", describe(w))
	}
}

// TestAccInstance_unknownElementKeyAtPlan (item 18): an element key the
// platform does not know fails the plan, naming element_key; a configuration
// that is invalid anyway makes no API call.
func TestAccInstance_unknownElementKeyAtPlan(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	g := genericInstance{elementKey: "nosuchelement", name: "Typo", configuration: map[string]string{"subdomain": "typo"}}
	invalid := g
	invalid.name = " Typo"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.provider() + g.config(),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unknown element_key.*no element with key "nosuchelement"`),
			},
			{
				PreConfig:   env.resetRequests,
				Config:      env.provider() + invalid.config(),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Invalid name`),
			},
		},
	})
	if got := env.emu.RequestsTo("GET", "/elements/*"); len(got) != 0 {
		t.Errorf("an invalid configuration asked the platform about its element: %s", describe(got))
	}
	if got := env.emu.RequestsTo("POST", "/instances"); len(got) != 0 {
		t.Errorf("want no create, got %s", describe(got))
	}
}
