package main

import (
	"strings"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

func TestUnknownProfileRefused(t *testing.T) {
	err := run([]string{"-profile", "no-such-profile"})
	if err == nil || !strings.Contains(err.Error(), "no-such-profile") || !strings.Contains(err.Error(), "token-churn") {
		t.Fatalf("err = %v, want the unknown name and the known ones", err)
	}
}

// TestHelpExitsZero: -help prints the usage, pointing at the admin API's
// documentation, and is no failure (issue 18 item 19: it exited 1).
func TestHelpExitsZero(t *testing.T) {
	for _, arg := range []string{"-help", "-h"} {
		err := run([]string{arg})
		if code := exitCode(err); code != 0 {
			t.Errorf("%s: exit code %d (err %v), want 0", arg, code, err)
		}
	}
	if !strings.Contains(usageHeader, "/_emulator/") || !strings.Contains(usageHeader, "internal/emulator/README.md") {
		t.Error("the usage does not point at the admin surface and its documentation")
	}
	if code := exitCode(run([]string{"-no-such-flag"})); code != 1 {
		t.Errorf("an unknown flag: exit code %d, want 1", code)
	}
}

func noEnv(string) string { return "" }

// TestParseFlags: each flag lands in the emulator's options (issue 28
// item 4: the id offset and the execution plan were settable only from Go).
func TestParseFlags(t *testing.T) {
	st, err := parseFlags([]string{
		"-id-offset", "70000", "-execution-step-delay", "250ms", "-execution-fail-at-step", "notify",
		"-latency", "5ms", "-error-endpoints", " post /instances , GET /formulas", "-profile", "token-churn",
		"-page-size", "7", "-seed", "3", "-listen", "localhost:0", "-quiet",
	}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	o := st.opts
	if o.IDOffset != 70000 || o.Executions != (emulator.ExecutionPlan{StepDelay: 250 * time.Millisecond, FailAtStep: "notify"}) {
		t.Errorf("id offset %d, executions %+v", o.IDOffset, o.Executions)
	}
	if o.Faults.Latency != 5*time.Millisecond || len(o.Faults.ServerErrorEndpoints) != 2 || o.Faults.ServerErrorEndpoints[0] != "post /instances" {
		t.Errorf("faults %+v", o.Faults)
	}
	if o.DefaultPageSize != 7 || o.Seed != 3 || st.listen != "localhost:0" || !st.quiet || st.profile != "token-churn" {
		t.Errorf("settings %+v", st)
	}
	if want, _ := (emulator.Options{}).WithProfile("token-churn"); o.Variance != want.Variance {
		t.Errorf("variance %+v, want the token-churn profile's", o.Variance)
	}

	// The defaults: no offset, executions succeed at once, the secrets from
	// the environment unless given.
	env := map[string]string{"CLOUDELEMENTS_USER_SECRET": "u-env", "CLOUDELEMENTS_ORGANIZATION_SECRET": "o-env"}
	st, err = parseFlags([]string{"-organization-secret", "o-flag"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if st.opts.IDOffset != 0 || st.opts.Executions != (emulator.ExecutionPlan{}) {
		t.Errorf("defaults: %+v", st.opts)
	}
	if st.opts.UserSecret != "u-env" || st.opts.OrganizationSecret != "o-flag" {
		t.Errorf("secrets %q %q, want u-env and o-flag", st.opts.UserSecret, st.opts.OrganizationSecret)
	}

	// The emulator hands out ids from the offset on.
	st, _ = parseFlags([]string{"-id-offset", "70000"}, noEnv)
	srv := emulator.New(st.opts)
	if got := srv.PutInstance(emulator.Instance{Name: "x"}).ID; got != 71000 {
		t.Errorf("first instance id %d, want 71000", got)
	}
	if got := srv.PutFormula(emulator.Formula{Name: "f"}).ID; got != 75001 {
		t.Errorf("first formula id %d, want 75001", got)
	}
}

func TestParseFlagsRefusesBadValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-id-offset", "-5"}, "-id-offset -5: must be 0 or more"},
		{[]string{"-id-offset", "many"}, "-id-offset"},
		{[]string{"-execution-step-delay", "-1s"}, "-execution-step-delay -1s"},
		{[]string{"-execution-step-delay", "soon"}, "-execution-step-delay"},
		{[]string{"-listen", "0.0.0.0:80"}, "non-loopback"},
		{[]string{"70000"}, `unexpected argument "70000"`},
	} {
		_, err := parseFlags(tc.args, noEnv)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want it to contain %q", tc.args, err, tc.want)
		}
	}
}
