package cloudelements

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// How a create of a VDR or transformation whose answer is lost is
// reconciled, against the emulator, asserting on what it recorded: one
// POST, and the asset made is the one returned.

func TestCreateVDRReconciles(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		fault emulator.Fault
		stale bool
	}{
		"lost answer":             {fault: emulator.Fault{Kind: emulator.FaultCommitThenDrop}},
		"502 after commit":        {fault: emulator.Fault{Kind: emulator.FaultCommitThenStatus, Status: 502}},
		"unreadable answer":       {fault: emulator.Fault{Kind: emulator.FaultCommitThenBody, Body: `{"id": {id}, "fields": [`}},
		"malformed answer":        {fault: emulator.Fault{Kind: emulator.FaultCommitThenMalformed}},
		"lost answer, stale list": {fault: emulator.Fault{Kind: emulator.FaultCommitThenDrop}, stale: true},
		"502, stale list":         {fault: emulator.Fault{Kind: emulator.FaultCommitThenStatus, Status: 502}, stale: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := emulator.Options{}
			if c.stale {
				opts.Variance.ListStale = time.Minute
			}
			cl, em := emulatorWith(t, opts)
			if c.stale {
				if _, err := cl.ListVDRs(context.Background(), VDRListOptions{}); err != nil { // the copy, taken before the create
					t.Fatal(err)
				}
			}
			em.Script(http.MethodPost, "/vdrs", c.fault)
			v, err := cl.CreateVDR(context.Background(), testVDRRequest("myContact"))
			stored := em.VDRs()
			if err != nil || len(stored) != 1 || v.ID != stored[0].ID || len(em.RequestsTo(http.MethodPost, "/vdrs")) != 1 {
				t.Fatalf("VDR %+v err %v; %d stored, %d POSTs", v, err, len(stored), len(em.RequestsTo(http.MethodPost, "/vdrs")))
			}
		})
	}
}

// A VDR of the same objectName but other fields, there before a POST that
// failed without committing, is not adopted: the POST is repeated and the
// platform's 409 says why.
func TestCreateVDRDoesNotAdoptAnotherVDR(t *testing.T) {
	t.Parallel()
	c, em := emulatorWith(t, emulator.Options{})
	em.PutVDR(emulator.VDR{ObjectName: "myContact", Fields: []emulator.VDRField{{Path: "other", Type: "string"}}})
	em.Script(http.MethodPost, "/vdrs", emulator.Fault{Kind: emulator.FaultStatus, Status: 502})
	// The lookup after the 409 lasts until the create's deadline: a short one.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := c.CreateVDR(ctx, testVDRRequest("myContact"))
	if v != nil || !IsConflict(err) || len(em.RequestsTo(http.MethodPost, "/vdrs")) != 2 {
		t.Fatalf("adopted %+v err %v; %d POSTs", v, err, len(em.RequestsTo(http.MethodPost, "/vdrs")))
	}
}

func TestCreateVDRTransformationReconciles(t *testing.T) {
	t.Parallel()
	for name, stale := range map[string]bool{"listed": false, "stale list": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := emulator.Options{}
			if stale {
				opts.Variance.ListStale = time.Minute
			}
			c, em := emulatorWith(t, opts)
			v := em.PutVDR(emulator.VDR{ObjectName: "myContact",
				Fields: []emulator.VDRField{{Path: "email", Type: "string"}, {Path: "name", Type: "string"}}})
			// Another target's transformation, listed before the create.
			em.PutTransformation(emulator.Transformation{VDRID: v.ID, ElementKey: "zendesk", VendorName: "contacts"})
			if _, err := c.ListVDRTransformations(context.Background(), v.ID, TransformationListOptions{}); err != nil {
				t.Fatal(err)
			}
			path := "/vdrs/{id}/transformations"
			em.Script(http.MethodPost, path, emulator.Fault{Kind: emulator.FaultCommitThenDrop})
			tr, err := c.CreateVDRTransformation(context.Background(), v.ID, testTransformationRequest())
			stored := em.Transformations()
			if err != nil || len(stored) != 2 || tr.ID != stored[1].ID || tr.ElementKey != "freshdeskv2" ||
				len(em.RequestsTo(http.MethodPost, path)) != 1 {
				t.Fatalf("transformation %+v err %v; %d stored, %d POSTs", tr, err, len(stored), len(em.RequestsTo(http.MethodPost, path)))
			}
		})
	}
}
