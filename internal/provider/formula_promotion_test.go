package provider

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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
	module, err := os.ReadFile("../../examples/guides/promotion/modules/ticket-sync/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	var cfg strings.Builder
	for _, e := range []struct {
		name, provider string
		env            *accEnv
	}{{"dev", "cloudelements", dev}, {"prod", "cloudelementsprod", prod}} {
		fmt.Fprintf(&cfg, `provider %[5]q {
  alias               = %[1]q
  base_url            = %[2]q
  user_secret         = %[3]q
  organization_secret = %[4]q
}
`, e.name, e.env.baseURL, testUserSecret, testOrganizationSecret, e.provider)
		cfg.WriteString(instantiate(string(module), e.provider+"."+e.name, map[string]string{
			"environment": e.name, "freshdesk_subdomain": "acme-" + e.name, "freshdesk_api_key": "fd-key-" + e.name,
			"notification_email": "ops@example.com",
		}))
	}
	var resources, shared int
	accTest(t, resource.TestCase{
		// Factories on each step: the framework then runs terraform init
		// with the step's configuration, which installs the module.
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: promotionFactories,
				Config:                   cfg.String(),
				Check: func(s *terraform.State) error {
					resources, shared = promotionIDs(s)
					if shared != 0 {
						return fmt.Errorf("%d ids shared between dev and prod", shared)
					}
					for _, e := range []*accEnv{dev, prod} {
						if err := checkWired(e.emu, "sync-tickets", "notify", "notify", "helpdesk"); err != nil {
							return err
						}
						if err := checkContactWired(e.emu); err != nil {
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

// checkContactWired checks, in one environment, that the transformation
// maps that environment's common resource onto its Freshdesk instance and
// that the formula's request step reads the common resource.
func checkContactWired(emu *emulator.Server) error {
	vdrs, ts, insts := emu.VDRs(), emu.Transformations(), emu.Instances()
	f, _ := formulaNamed(emu, "sync-tickets")
	if len(vdrs) != 1 || len(ts) != 1 || len(insts) != 1 {
		return fmt.Errorf("want 1 common resource, 1 transformation, 1 instance; have %d, %d, %d", len(vdrs), len(ts), len(insts))
	}
	if ts[0].VDRID != vdrs[0].ID || ts[0].InstanceID != insts[0].ID {
		return fmt.Errorf("transformation %+v not on common resource %d and instance %d", ts[0], vdrs[0].ID, insts[0].ID)
	}
	for _, st := range f.Steps {
		if st.Name == "contacts" && strings.Contains(string(st.Properties), `"/hubs/helpdesk/`+vdrs[0].ObjectName+`"`) {
			return nil
		}
	}
	return fmt.Errorf("no step of %q reads %q", f.Name, vdrs[0].ObjectName)
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

// promotionFactories serve the provider twice: under reattach, as in
// tests, every configuration of one provider shares one server, while
// Terraform gives each its own process in real use. The "prod" environment
// uses the second one (its resources name it with provider =).
var promotionFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudelements":     serverFactory(New("test")()),
	"cloudelementsprod": serverFactory(New("test")()),
}

var (
	blockRE    = regexp.MustCompile(`(?ms)^(variable|output) "[^"]+" \{.*?^\}\n`)
	resourceRE = regexp.MustCompile(`(?m)^resource "(cloudelements_\w+)" "(\w+)" \{\n`)
	varRE      = regexp.MustCompile(`var\.(\w+)`)
)

// instantiate writes the module's resources as an environment's own, as a
// module block would (terraform-plugin-testing installs no modules from a
// Config): each resource renamed with the environment's suffix and given
// its provider, every reference and variable resolved.
func instantiate(module, provider string, vars map[string]string) string {
	env := provider[strings.Index(provider, ".")+1:]
	out := blockRE.ReplaceAllString(module, "")
	for _, m := range resourceRE.FindAllStringSubmatch(out, -1) {
		// Attribute references and depends_on entries alike.
		ref := regexp.MustCompile(`\b` + m[1] + `\.` + m[2] + `\b`)
		out = ref.ReplaceAllString(out, m[1]+"."+m[2]+"_"+env)
	}
	out = resourceRE.ReplaceAllString(out, `resource "$1" "${2}_`+env+`" {
  provider = `+provider+"\n")
	return varRE.ReplaceAllStringFunc(out, func(v string) string { return strconv.Quote(vars[v[len("var."):]]) })
}
