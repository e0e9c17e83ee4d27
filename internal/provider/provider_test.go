package provider

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Secrets the emulator accepts in tests.
const (
	testUserSecret         = "test-user-secret"
	testOrganizationSecret = "test-organization-secret"
)

// envRealPlatform switches the acceptance tests from the emulator to the
// platform named by CLOUDELEMENTS_BASE_URL and the secrets in the
// environment. Checks that need the emulator's record are skipped then.
const envRealPlatform = "CLOUDELEMENTS_ACC_REAL"

// Acceptance tests and steps that ran (not skipped), reported by TestMain as
// a figure for the closing notes.
var accTestsRun, accStepsRun, accTestsSkipped atomic.Int64

func TestMain(m *testing.M) {
	code := m.Run()
	if accTestsRun.Load() > 0 {
		line := fmt.Sprintf("acceptance: tests=%d steps=%d skipped=%d\n", accTestsRun.Load(), accStepsRun.Load(), accTestsSkipped.Load())
		line += varianceLine() // the variance figure, when its test ran
		fmt.Print(line)
		// go test hides a passing package's output, so make test asks for
		// the figure in a file as well.
		if report := os.Getenv("ACC_REPORT"); report != "" {
			if err := os.WriteFile(report, []byte(line), 0o600); err != nil {
				fmt.Fprintln(os.Stderr, "writing ACC_REPORT:", err)
			}
		}
	}
	os.Exit(code)
}

// testAccProtoV6ProviderFactories serves the provider in-process, through
// the same ProtocolServer as the released binary.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudelements": serverFactory(New("test")()),
}

// serverFactory serves p the way main does.
// accEnv is where one acceptance test runs: its own emulator, or the real
// platform.
// newAccEnv starts an emulator for one test (or points at the real platform).
// newAccEnvWith starts an emulator with options adjusted by setup (a
// variance profile, say) and served through wrap (a test's own faults in
// front of the emulator); either may be nil.
// needsEmulator skips a test whose point is the emulator's record or faults.
// provider is the provider block; against the real platform the secrets come
// from the environment.
// check runs f against the emulator; it passes against the real platform,
// where there is no record to look at.
// expectRequests fails unless the emulator recorded exactly want requests
// matching method and pattern since the last reset, then resets the record.
// resetRequests clears the record before a step.
// instanceID reads the numeric id of a resource from state.
func TestProviderSchemaIsValid(t *testing.T) {
	server, err := testAccProtoV6ProviderFactories["cloudelements"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if _, ok := resp.ResourceSchemas["cloudelements_freshdesk_instance"]; !ok {
		t.Error("cloudelements_freshdesk_instance missing from the schema")
	}
}
