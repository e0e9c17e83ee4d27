package provider

import (
	"errors"
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

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

const genericAddr = "cloudelements_instance.test"

// genericInstance is the data of one cloudelements_instance block.
type genericInstance struct {
	elementKey, name string
	tags             []string
	configuration    map[string]string
	secrets          map[string]string
	extra            string // pasted inside the block
}

func (g genericInstance) config() string {
	quoted := make([]string, len(g.tags))
	for i, tag := range g.tags {
		quoted[i] = strconv.Quote(tag)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"cloudelements_instance\" \"test\" {\n  element_key = %q\n  name = %q\n  tags = [%s]\n",
		g.elementKey, g.name, strings.Join(quoted, ", "))
	if g.configuration != nil {
		fmt.Fprintf(&b, "  configuration = %s\n", hclMap(g.configuration))
	}
	if g.secrets != nil {
		fmt.Fprintf(&b, "  secret_configuration = %s\n", hclMap(g.secrets))
	}
	b.WriteString(g.extra + "}\n")
	return b.String()
}

// emulatorHasElement asks the emulator to create an instance of key with no
// name: an unknown element is refused as such (404, or "No element").
// Rows for elements the emulator does not know yet skip.
// writes are the requests that change something on the platform.
func (e *accEnv) expectNoWrites() resource.TestCheckFunc {
	return e.check(func(emu *emulator.Server) error {
		if w := writes(emu); len(w) != 0 {
			return fmt.Errorf("want no API writes, emulator recorded %s", describe(w))
		}
		return nil
	})
}

// requestBody decodes the one recorded request matching method and pattern.
var emptyPlan = resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

// catalogRows are the emulator's catalog elements, each with a managed
// configuration, its secrets, a second secret value, and a key to add.
var catalogRows = []struct {
	key           string
	configuration map[string]string
	secrets       map[string]string
	newSecret     [2]string // key, value
	extra         string
}{
	{key: "freshdeskv2", configuration: map[string]string{"subdomain": "acme"},
		secrets: map[string]string{"username": "fd-api-key-0001"}, newSecret: [2]string{"username", "fd-api-key-0002"}},
	{key: "zendesk", configuration: map[string]string{"subdomain": "acme"},
		secrets: map[string]string{"username": "zd-user-0001"}, newSecret: [2]string{"username", "zd-user-0002"}},
	{key: "jira", configuration: map[string]string{"jira.host": "https://acme.atlassian.net", "username": "bot"},
		secrets: map[string]string{"password": "jira-pass-0001"}, newSecret: [2]string{"password", "jira-pass-0002"}},
	{key: "sfdc", configuration: map[string]string{"oauth.callback.url": "https://example.com/callback"},
		secrets: map[string]string{"oauth.api.key": "sf-client-id", "oauth.api.secret": "sf-client-secret",
			"oauth.user.refresh_token": "sf-refresh-0001"},
		newSecret: [2]string{"oauth.user.refresh_token", "sf-refresh-0002"},
		extra:     "  external_authentication = \"initial\"\n"},
}

func TestAccInstance_lifecycle(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	for _, row := range catalogRows {
		t.Run(row.key, func(t *testing.T) {
			env := newAccEnv(t)
			if env.emu != nil && !emulatorHasElement(t, env.emu, row.key) {
				t.Skipf("the emulator has no element %q yet", row.key)
			}
			sameID := statecheck.CompareValue(compare.ValuesSame())
			var id, tokenBefore string
			base := genericInstance{elementKey: row.key, name: "Lifecycle " + row.key, tags: []string{"team-a", "prod"},
				configuration: row.configuration, secrets: row.secrets, extra: row.extra}
			patched := base
			patched.name, patched.tags = "Lifecycle "+row.key+" EU", []string{"team-b"}
			patched.configuration = with(row.configuration, "x.custom", "one")
			cleared := patched
			cleared.configuration = row.configuration
			reprovisioned := cleared
			reprovisioned.secrets = with(row.secrets, row.newSecret[0], row.newSecret[1])
			removed := env.provider() + `removed {
  from = cloudelements_instance.test
  lifecycle { destroy = false }
}
`
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: env.check(func(emu *emulator.Server) error {
					if n := len(emu.Instances()); n != 0 {
						return fmt.Errorf("%d instances left after destroy", n)
					}
					return nil
				}),
				Steps: []resource.TestStep{
					{
						// Create: one POST carrying configuration and secrets.
						Config:           env.provider() + base.config(),
						ConfigPlanChecks: emptyPlan,
						Check: resource.ComposeTestCheckFunc(
							env.expectRequests("POST", "/instances", 1),
							env.check(func(emu *emulator.Server) error {
								body, err := requestBody(emu, "POST", "/instances")
								if err != nil {
									return err
								}
								cfg, _ := body["configuration"].(map[string]any)
								for k, v := range with(row.configuration, row.newSecret[0], row.secrets[row.newSecret[0]]) {
									if cfg[k] != v {
										return fmt.Errorf("create body configuration[%s] = %v, want %q", k, cfg[k], v)
									}
								}
								el, _ := body["element"].(map[string]any)
								if el["key"] != row.key {
									return fmt.Errorf("create body element %v", el)
								}
								if row.extra != "" && body["externalAuthentication"] != "initial" {
									return fmt.Errorf("create body lacks externalAuthentication: %v", body)
								}
								return nil
							}),
							func(s *terraform.State) error {
								id = s.RootModule().Resources[genericAddr].Primary.ID
								return nil
							},
						),
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(genericAddr, tfjsonpath.New("id")),
							statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("configuration"), knownMap(row.configuration)),
							statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("created_date"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
							statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("disabled"), knownvalue.Bool(false)),
						},
					},
					{
						// Name, tags and an added key: one PATCH, no secrets.
						PreConfig:        env.resetRequests,
						Config:           env.provider() + patched.config(),
						ConfigPlanChecks: planUpdate(plancheck.ExpectUnknownValue(genericAddr, tfjsonpath.New("token"))),
						Check: resource.ComposeTestCheckFunc(
							env.expectRequests("PATCH", "/instances/*", 1),
							env.expectRequests("PUT", "/instances/*", 0),
							env.check(func(emu *emulator.Server) error {
								got := string(emu.RequestsTo("PATCH", "/instances/*")[0].Body)
								want := fmt.Sprintf(`{"name":%q,"tags":["team-b"],"configuration":{"x.custom":"one"}}`, patched.name)
								if got != want {
									return fmt.Errorf("PATCH body %s, want %s", got, want)
								}
								return nil
							}),
						),
						ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(genericAddr, tfjsonpath.New("id"))},
					},
					{
						// A key removed from the map is cleared on the platform.
						PreConfig:        env.resetRequests,
						Config:           env.provider() + cleared.config(),
						ConfigPlanChecks: planUpdate(),
						Check: env.check(func(emu *emulator.Server) error {
							reqs := emu.RequestsTo("PATCH", "/instances/*")
							if len(reqs) != 1 || string(reqs[0].Body) != `{"configuration":{"x.custom":""}}` {
								return fmt.Errorf("want one PATCH clearing x.custom, got %s", describe(reqs))
							}
							return nil
						}),
					},
					{
						// A secret change re-provisions with one PUT; the id stays.
						PreConfig:        env.resetRequests,
						Config:           env.provider() + reprovisioned.config(),
						ConfigPlanChecks: planUpdate(plancheck.ExpectUnknownValue(genericAddr, tfjsonpath.New("token"))),
						Check: resource.ComposeTestCheckFunc(
							env.expectRequests("PUT", "/instances/*", 1),
							env.expectRequests("PATCH", "/instances/*", 0),
							env.check(func(emu *emulator.Server) error {
								body, err := requestBody(emu, "PUT", "/instances/*")
								if err != nil {
									return err
								}
								if cfg, _ := body["configuration"].(map[string]any); cfg[row.newSecret[0]] != row.newSecret[1] {
									return fmt.Errorf("PUT did not send the new secret: %v", body["name"])
								}
								return nil
							}),
						),
						ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(genericAddr, tfjsonpath.New("id"))},
					},
					{
						// Forget the instance without destroying it ...
						PreConfig: env.resetRequests,
						Config:    removed,
						Check: resource.ComposeTestCheckFunc(env.expectNoWrites(), env.check(func(emu *emulator.Server) error {
							if n := len(emu.Instances()); n != 1 {
								return fmt.Errorf("want the instance kept, emulator has %d", n)
							}
							return nil
						})),
						ConfigPlanChecks: emptyPlan,
					},
					{
						// ... import it by id ...
						Config:             env.provider() + reprovisioned.config(),
						ResourceName:       genericAddr,
						ImportState:        true,
						ImportStatePersist: true,
						ImportStateIdFunc:  func(*terraform.State) (string, error) { return id, nil },
						ImportStateCheck: func(states []*terraform.InstanceState) error {
							if len(states) != 1 || states[0].ID != id || states[0].Attributes["element_key"] != row.key {
								return fmt.Errorf("unexpected import result: %v", states)
							}
							tokenBefore = states[0].Attributes["token"]
							return nil
						},
					},
					{
						// ... and apply the same configuration: the secrets and
						// configuration are adopted without any write.
						PreConfig: env.resetRequests,
						Config:    env.provider() + reprovisioned.config(),
						ConfigPlanChecks: planUpdate(
							plancheck.ExpectKnownValue(genericAddr, tfjsonpath.New("token"), knownvalue.NotNull()),
						),
						Check: resource.ComposeTestCheckFunc(env.expectNoWrites(), func(s *terraform.State) error {
							if got := s.RootModule().Resources[genericAddr].Primary.Attributes["token"]; got != tokenBefore || got == "" {
								return errors.New("the token changed on the adopting apply")
							}
							return nil
						}),
						ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(genericAddr, tfjsonpath.New("id"))},
					},
				},
			})
		})
	}
}

func TestAccInstance_disabledAndEvents(t *testing.T) {
	env := newAccEnv(t)
	g := genericInstance{elementKey: "freshdeskv2", name: "Events", configuration: map[string]string{"subdomain": "events"},
		secrets: map[string]string{"username": "fd-api-key-0001"}}
	disabled := g
	disabled.extra = "  enabled = false\n"
	events := g
	events.extra = `  events = {
    callback_url = "https://hooks.example.com/ce"
    vendor_type  = "webhook"
    signature_key = "sig-0001"
  }
`
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Created disabled: POST, disable, read back.
				Config:           env.provider() + disabled.config(),
				ConfigPlanChecks: emptyPlan,
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("POST", "/instances", 1),
					env.expectRequests("DELETE", "/instances/*/enabled", 1),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("disabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
				},
			},
			{
				// Enabling is no PUT or PATCH: token and valid stay known.
				PreConfig: env.resetRequests,
				Config:    env.provider() + g.config(),
				ConfigPlanChecks: planUpdate(
					plancheck.ExpectKnownValue(genericAddr, tfjsonpath.New("token"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(genericAddr, tfjsonpath.New("disabled"), knownvalue.Bool(false)),
				),
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("PUT", "/instances/*/enabled", 1),
					env.expectRequests("PATCH", "/instances/*", 0),
				),
			},
			{
				// Events on: one PATCH with the events keys; the webhook
				// address is the Freshdesk one.
				PreConfig:        env.resetRequests,
				Config:           env.provider() + events.config(),
				ConfigPlanChecks: planUpdate(plancheck.ExpectUnknownValue(genericAddr, tfjsonpath.New("events_enabled"))),
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("PATCH", "/instances/*", 1),
					env.expectRequests("PUT", "/instances/*", 0),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("events_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("events").AtMapKey("webhook_url"),
						knownvalue.StringRegexp(regexp.MustCompile(`/events/freshdesk/[A-Za-z0-9+/=]+$`))),
				},
			},
			{
				// Events block removed: one PATCH switches them off.
				PreConfig:         env.resetRequests,
				Config:            env.provider() + g.config(),
				ConfigPlanChecks:  planUpdate(),
				Check:             env.expectRequests("PATCH", "/instances/*", 1),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("events_enabled"), knownvalue.Bool(false))},
			},
		},
	})
}

func TestAccInstance_writeOnlySecrets(t *testing.T) {
	env := newAccEnv(t)
	g := func(key string, version int) string {
		return env.provider() + genericInstance{elementKey: "freshdeskv2", name: "WO", configuration: map[string]string{"subdomain": "wo"},
			extra: fmt.Sprintf("  secret_configuration_wo = { username = %q }\n  secret_configuration_wo_version = %d\n", key, version)}.config()
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           g("fd-wo-key-0001", 1),
				ConfigPlanChecks: emptyPlan,
				Check: env.check(func(emu *emulator.Server) error {
					body, err := requestBody(emu, "POST", "/instances")
					if cfg, _ := body["configuration"].(map[string]any); err == nil && cfg["username"] != "fd-wo-key-0001" {
						err = errors.New("the write-only secret was not sent")
					}
					return err
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("secret_configuration_wo"), knownvalue.Null()),
				},
			},
			{
				// A new value alone changes nothing; a new version sends it.
				PreConfig:        env.resetRequests,
				Config:           g("fd-wo-key-0002", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.expectNoWrites(),
			},
			{
				PreConfig:        env.resetRequests,
				Config:           g("fd-wo-key-0002", 2),
				ConfigPlanChecks: planUpdate(),
				Check:            env.expectRequests("PUT", "/instances/*", 1),
			},
		},
	})
}

func TestAccInstance_validation(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	env := newAccEnv(t)
	cases := map[string]struct {
		g    genericInstance
		want string
	}{
		"events key in configuration": {genericInstance{elementKey: "freshdeskv2", name: "x",
			configuration: map[string]string{"subdomain": "x", "event.notification.enabled": "true"}}, `Events key in configuration`},
		"key in both": {genericInstance{elementKey: "freshdeskv2", name: "x",
			configuration: map[string]string{"subdomain": "x", "username": "k"}, secrets: map[string]string{"username": "k"}}, `Key in both configuration and secrets`},
		"secrets and write-only": {genericInstance{elementKey: "freshdeskv2", name: "x", secrets: map[string]string{"username": "k"},
			extra: "  secret_configuration_wo = { username = \"k\" }\n  secret_configuration_wo_version = 1\n"}, `Both secret_configuration and secret_configuration_wo are set`},
		"version without write-only": {genericInstance{elementKey: "freshdeskv2", name: "x", extra: "  secret_configuration_wo_version = 1\n"}, `secret_configuration_wo_version without secret_configuration_wo`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: env.provider() + c.g.config(), ExpectError: regexp.MustCompile(c.want), PlanOnly: true}},
			})
		})
	}
}

func TestAccInstance_oauthWithoutCode(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	if !emulatorHasElement(t, env.emu, "sfdc") {
		t.Skip(`the emulator has no element "sfdc" yet`)
	}
	// Every key the element requires is set (else the plan refuses), so
	// that apply meets the missing OAuth code.
	g := genericInstance{elementKey: "sfdc", name: "No code", secrets: map[string]string{"oauth.api.key": "k", "oauth.api.secret": "s"},
		configuration: map[string]string{"oauth.callback.url": "https://example.com/cb"}}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.provider() + g.config(),
			ExpectError: regexp.MustCompile(`(?s)needs OAuth authorization.*external_authentication = "initial"`),
		}},
	})
}

func TestInstanceCreateErrorText(t *testing.T) {
	oauth := &cloudelements.Error{Method: "POST", Path: "/instances", StatusCode: 400,
		Message: "You must provide an OAuth code in order to create an instance of this element"}
	summary, detail := createErrorText("instance", instanceSpec{ElementKey: "sfdc"}, oauth)
	if !strings.Contains(summary, `"sfdc" needs OAuth`) || !strings.Contains(detail, "external_authentication") ||
		!strings.Contains(detail, oauth.Message) {
		t.Errorf("OAuth error not explained: %s / %s", summary, detail)
	}
	other := &cloudelements.Error{Method: "POST", Path: "/instances", StatusCode: 400, Message: "Missing required configuration: subdomain"}
	if summary, _ := createErrorText("instance", instanceSpec{}, other); summary != "Cannot create the instance" {
		t.Errorf("plain error reworded: %s", summary)
	}
}

func TestNormalizeCreatedDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-01-02T03:04:05Z":          "2024-01-02T03:04:05Z",
		"2024-01-02T03:04:05.120+00:00": "2024-01-02T03:04:05.12Z",
		"2024-01-02T04:04:05+0100":      "2024-01-02T03:04:05Z",
		"1704164645000":                 "2024-01-02T03:04:05Z",
		"not a date":                    "not a date",
	} {
		if got := normalizeCreatedDate(in); got != want {
			t.Errorf("normalizeCreatedDate(%q) = %q, want %q", in, got, want)
		}
	}
}
