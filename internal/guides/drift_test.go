package guides

import (
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// runningInCI proves the CI guide's drift job (drift-check.sh) on the CLI
// under test: no alarm after an apply (where `plan -refresh-only
// -detailed-exitcode` exits 2 below Terraform 1.15), an alarm naming the
// resource after a change made on the platform, and none again once
// `apply -refresh-only` has recorded it.
func runningInCI(t *testing.T, c *cli) {
	emu, url := newEmulator(t, nil)
	c.platform(url).with("TF_VAR_freshdesk_api_key=fd-key")
	c.must("apply", "-auto-approve", "-no-color")

	// What the guide warns of: logged, not asserted (the defect is Terraform's
	// and depends on its version).
	out, code := c.exec("", "plan", "-refresh-only", "-detailed-exitcode", "-no-color")
	t.Logf("terraform %s: plan -refresh-only -detailed-exitcode exits %d, says No changes: %v",
		c.version, code, strings.Contains(out, "No changes"))

	check := func(want int, says string) {
		t.Helper()
		out, code := c.exec("./drift-check.sh")
		if code != want || !strings.Contains(out, says) {
			t.Fatalf("drift-check.sh: want exit %d saying %q, got exit %d:\n%s", want, says, code, out)
		}
	}
	check(0, "drift-check: no drift")

	var id int64
	for _, inst := range emu.Instances() {
		id = inst.ID
	}
	emu.ModifyInstance(id, func(i *emulator.Instance) { i.Name = "renamed-in-the-console" })
	check(2, "cloudelements_freshdesk_instance.helpdesk: Drift detected (update)")

	c.must("apply", "-refresh-only", "-auto-approve", "-no-color")
	check(0, "drift-check: no drift")

	// A plan that fails is not drift.
	c.with("CLOUDELEMENTS_BASE_URL=http://127.0.0.1:1/elements/api-v2", "CLOUDELEMENTS_MAX_RETRIES=0")
	check(1, "drift-check: the plan failed")
}
