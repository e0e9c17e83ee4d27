package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccFreshdeskInstance_createUnreadableAnswer: the platform created the
// instance but its 2xx answer cannot be read in full. The instance must
// still reach state, with one POST and no duplicate.
func TestAccFreshdeskInstance_createUnreadableAnswer(t *testing.T) {
	cases := []struct {
		name string
		body string
		// gets and lists are the GET /instances/{id} and GET /instances
		// requests the create makes to find the instance.
		gets, lists int
	}{
		{"cut short: id salvaged and read back", `{"id":{id},"name":"Unreadable","tags":[`, 1, 0},
		{"a field of the wrong type: id salvaged", `{"id":"{id}","name":"Unreadable","valid":{"x":1}}`, 1, 0},
		{"no id: found by the create-time lookup", `{"name":"Unreadable","token":`, 0, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.needsEmulator(t)
			env.emu.Script("POST", "/instances", emulator.Fault{Kind: emulator.FaultCommitThenBody, Body: tc.body})
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:           env.provider() + instanceConfig("Unreadable", "unreadable", []string{"ci"}, ""),
					ConfigPlanChecks: emptyPlanAfterApply,
					Check: resource.ComposeTestCheckFunc(
						expectOneInstanceInState(env),
						env.expectRequests("POST", "/instances", 1),
						env.expectRequests("GET", "/instances", tc.lists),
						func(s *terraform.State) error {
							// The create's own look-ups, before the refreshes of the plan checks.
							id, err := instanceID(s, instanceAddr)
							if err != nil {
								return err
							}
							if got := len(env.emu.RequestsTo("GET", fmt.Sprintf("/instances/%d", id))); got < tc.gets {
								return fmt.Errorf("want at least %d read-backs of instance %d, got %d", tc.gets, id, got)
							}
							return nil
						},
					),
				}},
			})
		})
	}
}

// TestAccFreshdeskInstance_createdButNotReadable: the answer is unreadable
// and so is the read-back. The apply fails naming the instance, but state
// holds it (tainted), so the next apply replaces it instead of leaving it
// behind: the emulator ends with exactly one instance.
func TestAccFreshdeskInstance_createdButNotReadable(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.Script("POST", "/instances", emulator.Fault{Kind: emulator.FaultCommitThenBody, Body: `{"id":{id},"name":`})
	env.emu.Script("GET", "/instances/{id}", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusInternalServerError})
	config := env.provider() + instanceConfig("Half", "half", nil, "")
	var first int64
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)instance \d+ was created, but.*HTTP 500`),
			},
			{
				PreConfig: func() {
					list := env.emu.Instances()
					if len(list) != 1 {
						t.Fatalf("after the failed create the emulator holds %d instances, want 1", len(list))
					}
					first = list[0].ID
				},
				Config:           config,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(
					expectOneInstanceInState(env),
					env.check(func(emu *emulator.Server) error {
						if _, ok := emu.Instance(first); ok {
							return fmt.Errorf("instance %d, created by the failed apply, was not replaced", first)
						}
						if n := len(emu.RequestsTo("DELETE", fmt.Sprintf("/instances/%d", first))); n != 1 {
							return fmt.Errorf("want the tainted instance %d deleted once, got %d deletes", first, n)
						}
						return nil
					}),
				),
			},
		},
	})
}
