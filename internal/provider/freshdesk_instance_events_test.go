package provider

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// pollerConfig is the platform's documented polling example for incidents
// and contacts, as jsonencode() input.
const pollerConfig = `jsonencode({
      incidents = {
        url   = "/hubs/helpdesk/incidents?where=updated_since='$${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'"
        idField = "id"
        datesConfiguration = { updatedDateField = "updated_at", updatedDateFormat = "yyyy-MM-dd'T'HH:mm:ssXXX", createdDateField = "created_at", createdDateFormat = "yyyy-MM-dd'T'HH:mm:ssXXX" }
      }
      contacts = {
        url   = "/hubs/helpdesk/contacts?where=updated_since='$${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'"
        idField = "id"
        createdCheckTolerance = 5
        datesConfiguration = { updatedDateField = "updated_at", updatedDateFormat = "yyyy-MM-dd'T'HH:mm:ssXXX", createdDateField = "created_at", createdDateFormat = "yyyy-MM-dd'T'HH:mm:ssXXX" }
      }
    })`

// samePollerConfigReformatted is pollerConfig written as a heredoc with other
// key order and whitespace: the same meaning.
const samePollerConfigReformatted = `<<-EOT
      {"contacts": {"createdCheckTolerance": 5, "idField": "id",
         "url": "/hubs/helpdesk/contacts?where=updated_since='$${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
         "datesConfiguration": {"createdDateFormat": "yyyy-MM-dd'T'HH:mm:ssXXX", "createdDateField": "created_at",
                                "updatedDateFormat": "yyyy-MM-dd'T'HH:mm:ssXXX", "updatedDateField": "updated_at"}},
       "incidents": {"idField": "id",
         "url": "/hubs/helpdesk/incidents?where=updated_since='$${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}'",
         "datesConfiguration": {"updatedDateField": "updated_at", "updatedDateFormat": "yyyy-MM-dd'T'HH:mm:ssXXX",
                                "createdDateField": "created_at", "createdDateFormat": "yyyy-MM-dd'T'HH:mm:ssXXX"}}}
    EOT`

// anyValue in expectEventKeys accepts any non-empty value.
const anyValue = "<any>"

func eventsBlock(body string) string { return "  events = {\n" + body + "\n  }\n" }

// expectEventKeys checks the configuration keys the one write of a step sent.
func expectEventKeys(env *accEnv, method string, want map[string]string) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		pattern := "/instances/*"
		if method == "POST" {
			pattern = "/instances"
		}
		reqs := emu.RequestsTo(method, pattern)
		if len(reqs) != 1 {
			return fmt.Errorf("want one %s, got %s", method, describe(emu.Requests()))
		}
		// Refresh reads (GET) aside, the change is one call.
		if writes := len(emu.Requests()) - len(emu.RequestsTo("GET", "")); writes != 1 {
			return fmt.Errorf("want one API call for the events change, got %s", describe(emu.Requests()))
		}
		var body struct {
			Configuration map[string]string `json:"configuration"`
		}
		if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
			return err
		}
		for k, v := range want {
			if got := body.Configuration[k]; got != v && (v != anyValue || got == "") {
				return fmt.Errorf("%s sent %s=%q, want %q (body %s)", method, k, body.Configuration[k], v, reqs[0].Body)
			}
		}
		for k := range body.Configuration {
			if _, ok := want[k]; !ok && method == "PATCH" {
				return fmt.Errorf("PATCH sent unexpected key %s (body %s)", k, reqs[0].Body)
			}
		}
		return nil
	})
}

func TestAccFreshdeskInstance_events(t *testing.T) {
	env := newAccEnv(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	polling := func(interval string) string {
		body := `    callback_url = "https://hooks.example.com/cloudelements"
    poller_configuration = ` + pollerConfig
		if interval != "" {
			body += "\n    poller_refresh_interval = " + interval
		}
		return eventsBlock(body)
	}
	config := func(events string) string {
		return env.provider() + instanceConfig("Events", "events", nil, events)
	}
	events := func(attr string) tfjsonpath.Path { return tfjsonpath.New("events").AtMapKey(attr) }
	var webhookWant string

	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Polling with the documented default interval, sent on create.
				Config:           config(polling("")),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: expectEventKeys(env, "POST", map[string]string{
					"event.notification.enabled":      "true",
					"event.vendor.type":               "polling",
					"event.notification.callback.url": "https://hooks.example.com/cloudelements",
					"event.poller.refresh_interval":   "15",
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, events("poller_refresh_interval"), knownvalue.Int64Exact(15)),
					statecheck.ExpectKnownValue(instanceAddr, events("vendor_type"), knownvalue.StringExact("polling")),
					statecheck.ExpectKnownValue(instanceAddr, events("webhook_url"), knownvalue.Null()),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("events_enabled"), knownvalue.Bool(true)),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
			{
				// The same poller configuration, reformatted: no diff.
				PreConfig: env.resetRequests,
				Config: config(eventsBlock(`    callback_url = "https://hooks.example.com/cloudelements"
    poller_configuration = ` + samePollerConfigReformatted)),
				PlanOnly: true,
			},
			{
				// A new interval: one PATCH of the event keys, same id.
				PreConfig:        env.resetRequests,
				Config:           config(polling("5")),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: expectEventKeys(env, "PATCH", map[string]string{
					"event.notification.enabled":      "true",
					"event.vendor.type":               "polling",
					"event.notification.callback.url": "https://hooks.example.com/cloudelements",
					"event.poller.refresh_interval":   "5",
					"event.poller.configuration":      anyValue,
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, events("poller_refresh_interval"), knownvalue.Int64Exact(5)),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
			{
				// Webhooks: one PATCH; webhook_url is the address Freshdesk calls.
				PreConfig: env.resetRequests,
				Config: config(eventsBlock(`    callback_url = "https://hooks.example.com/cloudelements"
    vendor_type  = "webhook"`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(
					expectEventKeys(env, "PATCH", map[string]string{
						"event.notification.enabled":      "true",
						"event.vendor.type":               "webhook",
						"event.notification.callback.url": "https://hooks.example.com/cloudelements",
						"event.poller.refresh_interval":   "", // polling settings cleared
						"event.poller.configuration":      "",
					}),
					func(s *terraform.State) error {
						id := s.RootModule().Resources[instanceAddr].Primary.ID
						webhookWant = env.baseURL + "/events/freshdesk/" + base64.StdEncoding.EncodeToString([]byte(id))
						if got := s.RootModule().Resources[instanceAddr].Primary.Attributes["events.webhook_url"]; got != webhookWant {
							return fmt.Errorf("webhook_url %q, want %q", got, webhookWant)
						}
						return nil
					},
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, events("webhook_url"), knownvalue.StringRegexp(regexp.MustCompile(`/elements/api-v2/events/freshdesk/[A-Za-z0-9+/=]+$`))),
					statecheck.ExpectKnownValue(instanceAddr, events("poller_refresh_interval"), knownvalue.Null()),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
			{
				// Disabled but kept: one PATCH saying so.
				PreConfig: env.resetRequests,
				Config: config(eventsBlock(`    enabled      = false
    callback_url = "https://hooks.example.com/cloudelements"
    vendor_type  = "webhook"`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: expectEventKeys(env, "PATCH", map[string]string{
					"event.notification.enabled":      "false",
					"event.vendor.type":               "webhook",
					"event.notification.callback.url": "https://hooks.example.com/cloudelements",
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("events_enabled"), knownvalue.Bool(false)),
				},
			},
			{
				// Block removed: events off, said explicitly in one PATCH.
				PreConfig: env.resetRequests,
				Config:    config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh,
				},
				Check: expectEventKeys(env, "PATCH", map[string]string{
					"event.notification.enabled":      "false",
					"event.vendor.type":               "",
					"event.notification.callback.url": "",
				}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("events"), knownvalue.Null()),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("events_enabled"), knownvalue.Bool(false)),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
		},
	})
}
