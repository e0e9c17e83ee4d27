package main

import (
	"strings"
	"testing"
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
