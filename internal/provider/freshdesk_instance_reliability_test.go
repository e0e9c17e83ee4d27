package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// expectOneInstanceInState checks that the emulator holds exactly one
// instance and that it is the one in state: no duplicate, no orphan.
func expectOneInstanceInState(env *accEnv) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := instanceID(s, instanceAddr)
		if err != nil {
			return err
		}
		instances := env.emu.Instances()
		if len(instances) != 1 || instances[0].ID != id {
			ids := make([]string, len(instances))
			for i, inst := range instances {
				ids[i] = strconv.FormatInt(inst.ID, 10)
			}
			return fmt.Errorf("state holds %d, emulator holds [%s]", id, strings.Join(ids, ", "))
		}
		return nil
	}
}

// TestAccFreshdeskInstance_createFaults drives each path of a create that
// fails on the wire, and asserts on what the emulator recorded.
func TestAccFreshdeskInstance_createFaults(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	cases := []struct {
		name  string
		fault emulator.Fault
		// posts and lists are the POST /instances and GET /instances calls
		// expected; lists < 0 is at least one (a lookup that finds nothing
		// looks again for a while, as listings may lag).
		posts, lists int
	}{
		{"commit then drop: reconcile adopts", emulator.Fault{Kind: emulator.FaultCommitThenDrop}, 1, 1},
		{"commit then 502: reconcile adopts", emulator.Fault{Kind: emulator.FaultCommitThenStatus, Status: http.StatusBadGateway}, 1, 1},
		{"503 before commit: reconcile finds none, creates again", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusServiceUnavailable}, 2, -1},
		{"429: nothing created, retried without reconciling", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: "1"}, 2, 0},
		{"connection reset before commit: reconcile, create again", emulator.Fault{Kind: emulator.FaultReset}, 2, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t)
			env.needsEmulator(t)
			env.emu.Script("POST", "/instances", tc.fault)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:           env.provider() + instanceConfig("Flaky "+tc.name, "flaky", []string{"ci"}, ""),
					ConfigPlanChecks: emptyPlanAfterApply,
					Check: resource.ComposeTestCheckFunc(
						expectOneInstanceInState(env),
						env.expectRequests("POST", "/instances", tc.posts),
						env.check(func(emu *emulator.Server) error {
							got := len(emu.RequestsTo("GET", "/instances"))
							if got != tc.lists && (tc.lists >= 0 || got == 0) {
								return fmt.Errorf("%d GET /instances, want %d", got, tc.lists)
							}
							return nil
						}),
					),
				}},
			})
		})
	}
}

func TestAccFreshdeskInstance_createAmbiguousSeveralMatches(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	// An instance with the same name and subdomain made moments ago by hand:
	// after a dropped answer, the provider cannot tell which is its own.
	twin := env.emu.PutInstance(emulator.Instance{
		Name: "Twin", Tags: []string{"ci"},
		Configuration: map[string]string{"subdomain": "twin", "username": "x"},
	})
	env.emu.Script("POST", "/instances", emulator.Fault{Kind: emulator.FaultCommitThenDrop})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.provider() + instanceConfig("Twin", "twin", []string{"ci"}, ""),
			ExpectError: regexp.MustCompile(`(?s)` + strconv.FormatInt(twin.ID, 10) + `.*` + strconv.FormatInt(twin.ID+1, 10)),
		}},
	})
	if n := len(env.emu.RequestsTo("POST", "/instances")); n != 1 {
		t.Fatalf("want no second POST after an ambiguous failure with several matches, got %d", n)
	}
}

func TestAccFreshdeskInstance_readAndDeleteRetries(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	config := env.provider() + instanceConfig("Retried", "retried", nil, "")
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.Instances()); n != 0 {
				return fmt.Errorf("%d instances left", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config},
			{
				// Refresh meets a 429 and a 503 and still plans nothing.
				PreConfig: func() {
					env.emu.ResetRequests()
					env.emu.Script("GET", "/instances/*",
						emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusTooManyRequests, RetryAfter: "1"},
						emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusServiceUnavailable})
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				// Delete meets a 504, then succeeds; a later 404 would count as gone.
				PreConfig: func() {
					env.emu.Script("DELETE", "/instances/*", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusGatewayTimeout})
				},
				Config:  config,
				Destroy: true,
			},
		},
	})
}

func TestAccFreshdeskInstance_createTimeout(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	// The POST hangs for far longer than a loaded machine takes for the
	// whole test, so a create that waits it out cannot pass for a slow one.
	const hang = 120 * time.Second
	env.emu.Script("POST", "/instances", emulator.Fault{Kind: emulator.FaultDelay, Delay: hang})
	start := time.Now()
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.provider() + instanceConfig("Slow", "slow", nil, "  timeouts = { create = \"2s\" }\n"),
			ExpectError: regexp.MustCompile(`(?i)deadline|timeout|timed out`),
		}},
	})
	if elapsed := time.Since(start); elapsed > hang/2 {
		t.Fatalf("a 2s create timeout took %s", elapsed)
	}
	if n := len(env.emu.Instances()); n != 0 {
		t.Fatalf("the abandoned create left %d instances", n)
	}
}
