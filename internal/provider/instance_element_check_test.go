package provider

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// jiraWithout is a Jira instance configured without the key missing.
func jiraWithout(missing string) genericInstance {
	cfg := map[string]string{"jira.host": "https://acme.atlassian.net", "username": "ops@example.com"}
	secrets := map[string]string{"password": "jira-token-0001"}
	delete(cfg, missing)
	delete(secrets, missing)
	if len(secrets) == 0 {
		secrets = nil // an empty map is refused on its own
	}
	return genericInstance{elementKey: "jira", name: "Jira", configuration: cfg, secrets: secrets}
}

// TestAccInstance_requiredConfigurationAtPlan (issue 28 item 5): a Jira
// instance without jira.host (or its password) fails the plan, at the
// attribute where the key belongs, naming the key and the fix, with the
// element read once and nothing written. A near miss is named.
func TestAccInstance_requiredConfigurationAtPlan(t *testing.T) {
	parallel(t)
	typo := jiraWithout("jira.host")
	typo.configuration["jira.hots"] = "https://acme.atlassian.net"
	for _, tc := range []struct {
		name   string
		config genericInstance
		want   []string
	}{
		{"jira.host", jiraWithout("jira.host"), []string{"Missing required configuration",
			`configuration: element "jira" requires the configuration key "jira.host", which is not set, so creating the instance would fail.`,
			`Set it in configuration, e.g. configuration = { "jira.host" = "..." }.`}},
		{"password", jiraWithout("password"), []string{"Missing required configuration",
			`secret_configuration_wo: element "jira" requires the configuration key "password"`,
			"Set it in secret_configuration_wo (or secret_configuration)"}},
		{"a near miss", typo, []string{`requires the configuration key "jira.host"`,
			`The configuration sets "jira.hots": did you mean "jira.host"?`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parallel(t)
			env := newAccEnv(t)
			env.needsEmulator(t)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.provider() + tc.config.config(), PlanOnly: true, ExpectError: errorWith(tc.want...),
				}},
			})
			if w := writes(env.emu); len(w) != 0 {
				t.Errorf("a refused plan wrote: %s", describe(w))
			}
			// One lookup per Terraform run: a PlanOnly step plans once when
			// the plan fails.
			if got := env.emu.RequestsTo(http.MethodGet, "/elements/jira"); len(got) != 1 {
				t.Errorf("want one element lookup, got %s", describe(got))
			}
		})
	}
}

// TestAccInstance_requiredConfigurationUnknownToTheDefinition: when the
// element's answer lists no configuration (the other plausible answer), the
// plan does not refuse; the platform's own refusal comes at apply, as
// before.
func TestAccInstance_requiredConfigurationUnknownToTheDefinition(t *testing.T) {
	parallel(t)
	env := newAccEnvWith(t, func(o *emulator.Options) {
		o.Variance = emulator.Variance{ElementSummaryOnly: true}
	}, nil)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.provider() + jiraWithout("jira.host").config(), PlanOnly: true, ExpectNonEmptyPlan: true,
		}},
	})
}

// TestAccInstance_unknownElementKeySuggests: an element key close to one
// of the platform's catalog is named in the error, from one listing of the
// catalog (asked only once the key is unknown).
func TestAccInstance_unknownElementKeySuggests(t *testing.T) {
	parallel(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	for _, c := range []struct{ key, want string }{{"freshdesk", "freshdeskv2"}, {"zendek", "zendesk"}} {
		g := genericInstance{elementKey: c.key, name: "Typo", configuration: map[string]string{"subdomain": "typo"}}
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: env.provider() + g.config(), PlanOnly: true,
				ExpectError: errorWith(`element_key: the platform has no element with key "`+c.key+`"`,
					`Did you mean "`+c.want+`"?`),
			}},
		})
	}
	if got := env.emu.RequestsTo(http.MethodGet, "/elements"); len(got) != 2 {
		t.Errorf("want one catalog listing per failed plan, got %s", describe(got))
	}
	if w := writes(env.emu); len(w) != 0 {
		t.Errorf("a refused plan wrote: %s", describe(w))
	}
}
