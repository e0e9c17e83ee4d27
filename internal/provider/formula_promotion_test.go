package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccPromotion applies the promotion guide's module to a "dev" and a
// "prod" emulator through two provider configurations: every id differs
// between them, every reference is wired inside each, and a second apply
// changes nothing in either. It writes its figure to PROMOTION_REPORT.
func TestAccPromotion(t *testing.T) {
	// The platform's ids are global: prod's differ from dev's.
	dev, prod := newAccEnv(t), newAccEnvWith(t, func(o *emulator.Options) { o.IDOffset = 70000 }, nil)
	dev.needsEmulator(t)
	module, err := filepath.Abs("../../examples/guides/promotion")
	if err != nil {
		t.Fatal(err)
	}
	var cfg strings.Builder
	for _, e := range []struct {
		name string
		env  *accEnv
	}{{"dev", dev}, {"prod", prod}} {
		fmt.Fprintf(&cfg, `provider "cloudelements" {
  alias               = %[1]q
  base_url            = %[2]q
  user_secret         = %[3]q
  organization_secret = %[4]q
}

module %[1]q {
  source              = %[5]q
  providers           = { cloudelements = cloudelements.%[1]s }
  environment         = %[1]q
  freshdesk_subdomain = "acme-%[1]s"
  freshdesk_api_key   = "fd-key-%[1]s"
}

output %[1]q {
  value = module.%[1]s.ids
}
`, e.name, e.env.baseURL, testUserSecret, testOrganizationSecret, module)
	}
	var resources, shared int
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg.String(),
				Check: func(s *terraform.State) error {
					resources, shared = promotionIDs(s)
					if shared != 0 {
						return fmt.Errorf("%d ids shared between dev and prod", shared)
					}
					for _, e := range []*accEnv{dev, prod} {
						if err := checkWired(e.emu, "sync-tickets", "notify", "notify", "helpdesk"); err != nil {
							return err
						}
					}
					return nil
				},
			},
			{
				// The second apply: nothing to do in either environment.
				Config:           cfg.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	if t.Failed() || t.Skipped() {
		return
	}
	line := fmt.Sprintf("promotion: environments=2 resources=%d ids_shared=%d second_apply_changes=0\n", resources, shared)
	t.Log(strings.TrimSpace(line))
	if report := os.Getenv("PROMOTION_REPORT"); report != "" {
		if err := os.WriteFile(report, []byte(line), 0o600); err != nil {
			t.Errorf("writing PROMOTION_REPORT: %v", err)
		}
	}
}

// promotionIDs counts the managed resources and the ids both environments
// hold (an id is compared within its resource type).
func promotionIDs(s *terraform.State) (resources, shared int) {
	ids := map[string][]string{}
	for _, m := range s.Modules {
		for _, rs := range m.Resources {
			resources++
			ids[rs.Type] = append(ids[rs.Type], rs.Primary.ID)
		}
	}
	for _, list := range ids {
		slices.Sort(list)
		for i := 1; i < len(list); i++ {
			if list[i] == list[i-1] {
				shared++
			}
		}
	}
	return resources, shared
}
