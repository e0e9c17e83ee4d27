package main

import (
	"net/http/httptest"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

func TestStats(t *testing.T) {
	emu := emulator.New(emulator.Options{UserSecret: "u", OrganizationSecret: "o"})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	emu.PutInstance(emulator.Instance{Name: "a", Configuration: map[string]string{"subdomain": "a"}})
	for what, want := range map[string]string{"writes": "0", "instances": "1"} {
		got, err := run(srv.URL+emulator.BasePath, what)
		if err != nil || got != want {
			t.Errorf("%s = %q, %v; want %q", what, got, err, want)
		}
	}
	if _, err := run(srv.URL+emulator.BasePath, "nope"); err == nil {
		t.Error("an unknown -print value was accepted")
	}
	got, err := format(emulator.Stats{ByEndpoint: map[string]int{"POST /instances": 2, "PATCH /instances/{id}": 1, "GET /instances": 9, "DELETE /instances/{id}": 1}}, "writes")
	if err != nil || got != "3" {
		t.Errorf("writes = %q, %v; want 3 (POST, PUT and PATCH only)", got, err)
	}
}
