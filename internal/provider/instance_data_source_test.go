package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

const instanceDSAddr = "data.cloudelements_instance.test"

func TestAccInstanceDataSource(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	zd := emu.PutInstance(emulator.Instance{Name: "Zendesk support", ElementKey: "zendesk", Tags: []string{"crm"},
		Configuration: map[string]string{"subdomain": "acme", "username": "agent@example.com", "password": "zd-secret-pw",
			"oauth.api.key": "zd-oauth-key", "custom.token": "zd-token", "sftp.privateKey": "zd-pk", "db.passwd": "zd-pw2",
			"x-api-key": "zd-xkey", "azure.connectionString": "zd-conn", "credentials": "zd-cred", "masked.password": "********"}})
	fd := dsSeed(emu, "Shared name", "")
	dsSeed(emu, "Shared name", "zendesk")
	at := func(attr string, c knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(instanceDSAddr, tfjsonpath.New(attr), c)
	}
	config := func(body string) string {
		return dsProviderConfig(baseURL) + "data \"cloudelements_instance\" \"test\" {\n" + body + "}\n"
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// By id, any element; secret-like keys named only in
				// withheld_keys, never their values (issue 18 item 7).
				Config: config(fmt.Sprintf("  id = %q\n", strconv.FormatInt(zd.ID, 10))),
				ConfigStateChecks: []statecheck.StateCheck{
					at("name", knownvalue.StringExact("Zendesk support")),
					at("element_key", knownvalue.StringExact("zendesk")),
					at("element_id", knownvalue.Int64Exact(41)),
					at("enabled", knownvalue.Bool(true)),
					at("tags", knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("crm")})),
					at("configuration", knownvalue.MapPartial(map[string]knownvalue.Check{"subdomain": knownvalue.StringExact("acme")})),
					at("withheld_keys", knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("username"), knownvalue.StringExact("password"), knownvalue.StringExact("oauth.api.key"),
						knownvalue.StringExact("custom.token"), knownvalue.StringExact("sftp.privateKey"), knownvalue.StringExact("db.passwd"),
						knownvalue.StringExact("x-api-key"), knownvalue.StringExact("azure.connectionString"),
						knownvalue.StringExact("credentials"), knownvalue.StringExact("masked.password"),
					})),
					secretsAbsent(instanceDSAddr, "********", "zd-secret-pw", "zd-oauth-key", "zd-token", "zd-pk", "zd-pw2",
						"zd-xkey", "zd-conn", "zd-cred", "agent@example.com"),
				},
			},
			{
				// By name, narrowed by element: Freshdesk's username (its API key) is absent.
				Config: config("  name = \"Shared name\"\n  element_key = \"freshdeskv2\"\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					at("id", knownvalue.StringExact(strconv.FormatInt(fd.ID, 10))),
					at("configuration", knownvalue.MapPartial(map[string]knownvalue.Check{"subdomain": knownvalue.StringExact("Shared-name")})),
					secretsAbsent(instanceDSAddr, "secret-api-key"),
				},
			},
			{
				Config:      config("  name = \"Shared name\"\n"),
				ExpectError: regexp.MustCompile(`(?s)2 instances .*named "Shared name"`),
			},
			{
				Config:      config(fmt.Sprintf("  id = %q\n  element_key = \"jira\"\n", strconv.FormatInt(zd.ID, 10))),
				ExpectError: regexp.MustCompile(`belongs to element "zendesk", not "jira"`),
			},
			{
				Config:      config("  name = \"Nobody\"\n"),
				ExpectError: regexp.MustCompile(`No instance is named "Nobody"`),
			},
		},
	})
}

// secretsAbsent fails when any of the values appears anywhere in the
// resource's state attributes.
func secretsAbsent(addr string, secrets ...string) statecheck.StateCheck {
	return secretsAbsentCheck{addr: addr, secrets: secrets}
}

type secretsAbsentCheck struct {
	addr    string
	secrets []string
}

func (c secretsAbsentCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	text := string(raw)
	if !strings.Contains(text, `"address":"`+c.addr+`"`) {
		resp.Error = fmt.Errorf("the state does not hold %s", c.addr)
		return
	}
	for _, s := range c.secrets {
		if strings.Contains(text, s) {
			resp.Error = fmt.Errorf("the state holds %q", s)
			return
		}
	}
}
