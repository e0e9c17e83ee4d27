package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Issue 26 item 9: a delete refused while dependents are being deleted
// waits for them, within the deadline; a refusal that lasts ends at it.
func TestDeleteWaitsForDependents(t *testing.T) {
	t.Parallel()
	c, em := kindClient(t, emulator.Options{Variance: emulator.Variance{FormulaDelete: emulator.AssetsRefuse}})
	f := em.PutFormula(emulator.Formula{Name: "parent"})
	fi := em.PutFormulaInstance(emulator.FormulaInstance{Name: "child", FormulaID: f.ID})
	go func() {
		time.Sleep(700 * time.Millisecond) // the formula instance's delete, under way in parallel
		em.RemoveFormulaInstance(fi.ID)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.DeleteFormula(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(em.RequestsTo(http.MethodDelete, "/formulas/*")); n < 2 || len(em.Formulas()) != 0 {
		t.Fatalf("%d DELETEs, %d formulas left", n, len(em.Formulas()))
	}

	kept := em.PutFormula(emulator.Formula{Name: "kept"})
	em.PutFormulaInstance(emulator.FormulaInstance{Name: "bound", FormulaID: kept.ID})
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err := c.DeleteFormula(ctx, kept.ID)
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict || time.Since(start) > 4*time.Second {
		t.Fatalf("err %v after %s", err, time.Since(start))
	}
}
