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
