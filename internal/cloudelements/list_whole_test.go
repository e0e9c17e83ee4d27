package cloudelements

import (
	"context"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Issue 26 item 5: listings that abridge items give whole items to every
// reader: each abridged one is read by GET.
func TestListingsGiveWholeItems(t *testing.T) {
	t.Parallel()
	c, em := kindClient(t, emulator.Options{Variance: emulator.Variance{ListAbridged: true}})
	f := em.PutFormula(emulator.Formula{Name: " flow ", Steps: []emulator.FormulaStep{{Name: "s", Type: "script"}},
		Configuration: []emulator.FormulaConfig{{Key: "region", Name: "Region", Type: "value"}}})
	em.PutFormulaInstance(emulator.FormulaInstance{Name: "bound", FormulaID: f.ID, Configuration: map[string]string{"region": "eu"}})
	em.PutInstance(emulator.Instance{Name: "fd", Configuration: map[string]string{"subdomain": "acme", "username": "k"}})
	ctx := context.Background()
	fs, err := c.ListFormulas(ctx, FormulaListOptions{Name: "flow"})
	if err != nil || len(fs) != 1 || len(fs[0].Steps) != 1 || len(fs[0].Configuration) != 1 {
		t.Fatalf("formulas %+v, %v", fs, err)
	}
	fis, err := c.ListFormulaInstances(ctx, FormulaInstanceListOptions{})
	if err != nil || len(fis) != 1 || fis[0].Configuration["region"] != "eu" || fis[0].Settings == nil {
		t.Fatalf("formula instances %+v, %v", fis, err)
	}
	insts, err := c.ListInstances(ctx, ListOptions{})
	if err == nil {
		insts, err = c.CompleteInstances(ctx, insts, nil)
	}
	if err != nil || len(insts) != 1 || insts[0].Configuration["subdomain"] != "acme" {
		t.Fatalf("instances %+v, %v", insts, err)
	}
}
