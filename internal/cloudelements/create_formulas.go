package cloudelements

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"
)

// The formula kinds' creates: createAsset with their checks. A formula is
// known by its name (unique in the account; the platform's own export tool
// matches formulas by name), its steps and configuration keys; a formula
// instance by its formula, name and non-secret configuration. Both need a
// createdDate in the create's window, as instances do.

// CreateFormula creates a formula with one committed POST /formulas (see
// createAsset for what follows an ambiguous failure).
func (c *Client) CreateFormula(ctx context.Context, req FormulaRequest) (*Formula, error) {
	body, err := encodeFormula(req)
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodPost, path: "/formulas", body: body}
	return createAsset(ctx, c, cl, createKind[Formula]{
		what:   "formula",
		decode: c.decodeFormulaAnswer,
		get:    c.GetFormula,
		id:     func(f *Formula) int64 { return f.ID },
		check: func(_ context.Context, f *Formula, start time.Time, strict bool) (bool, error) {
			return c.checkFormula(f, req, start, strict)
		},
		candidates: func(ctx context.Context) ([]Formula, error) {
			return c.ListFormulas(ctx, FormulaListOptions{Name: req.Name})
		},
		whole:    func(f *Formula) bool { return f.whole },
		describe: fmt.Sprintf("no formula named %q", normalName(req.Name)),
	})
}

// checkFormula compares a formula with req: name, date and, when the
// answer holds them, the step names and configuration keys.
func (c *Client) checkFormula(f *Formula, req FormulaRequest, start time.Time, strict bool) (unsure bool, err error) {
	if err := c.checkNameAndDate("formula", f.ID, f.Name, f.CreatedDate, req.Name, start, strict); err != nil {
		return false, err
	}
	if !f.whole {
		return true, nil
	}
	steps := func(s FormulaStep) string { return s.Name }
	keys := func(k FormulaConfig) string { return k.Key }
	if !sameSet(mapSlice(f.Steps, steps), mapSlice(req.Steps, steps)) ||
		!sameSet(mapSlice(f.Configuration, keys), mapSlice(req.Configuration, keys)) {
		return false, fmt.Errorf("%w: formula %d has other steps or configuration keys", errNotRequested, f.ID)
	}
	return false, nil
}

func mapSlice[T any](s []T, f func(T) string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// CreateFormulaInstance creates a formula instance with one committed POST
// (see createAsset).
func (c *Client) CreateFormulaInstance(ctx context.Context, formulaID int64, req FormulaInstanceRequest) (*FormulaInstance, error) {
	path := formulaPath(formulaID) + "/instances"
	if err := checkAssetID(http.MethodPost, path, "formula", formulaID); err != nil {
		return nil, err
	}
	body, err := encodeFormulaInstance(req)
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodPost, path: path, body: body, secrets: requestSecrets(req.Secrets, req.Configuration)}
	return createAsset(ctx, c, cl, createKind[FormulaInstance]{
		what: "formula instance",
		decode: func(cl *call, body []byte) (*FormulaInstance, error) {
			return c.decodeFormulaInstanceAnswer(cl, formulaID, body)
		},
		get: func(ctx context.Context, id int64) (*FormulaInstance, error) {
			return c.GetFormulaInstance(ctx, formulaID, id)
		},
		id: func(fi *FormulaInstance) int64 { return fi.ID },
		check: func(_ context.Context, fi *FormulaInstance, start time.Time, strict bool) (bool, error) {
			return c.checkFormulaInstance(fi, formulaID, req, start, strict)
		},
		candidates: func(ctx context.Context) ([]FormulaInstance, error) {
			return c.ListFormulaInstances(ctx, FormulaInstanceListOptions{FormulaID: formulaID, Name: req.Name})
		},
		whole:    formulaInstanceSource().whole,
		describe: fmt.Sprintf("no instance of formula %d named %q", formulaID, normalName(req.Name)),
	})
}

// checkFormulaInstance compares a formula instance with req: formula,
// name, date and every configuration value that is not a secret (secrets
// may read back masked). A configuration left out is unsure.
func (c *Client) checkFormulaInstance(fi *FormulaInstance, formulaID int64, req FormulaInstanceRequest, start time.Time, strict bool) (unsure bool, err error) {
	if fi.FormulaID != 0 && fi.FormulaID != formulaID {
		return false, fmt.Errorf("%w: formula instance %d is of formula %d, not %d", errNotRequested, fi.ID, fi.FormulaID, formulaID)
	}
	if err := c.checkNameAndDate("formula instance", fi.ID, fi.Name, fi.CreatedDate, req.Name, start, strict); err != nil {
		return false, err
	}
	if fi.Configuration == nil {
		return len(req.Configuration) > 0, nil
	}
	secret := map[string]bool{}
	for _, s := range requestSecrets(req.Secrets, req.Configuration) {
		secret[s] = true
	}
	for k, want := range req.Configuration {
		got, answered := fi.Configuration[k]
		switch {
		case secret[want]:
		case !answered:
			unsure = true
		case unknownValue(got):
		case !sameConfigValue(got, want):
			return false, fmt.Errorf("%w: formula instance %d has another %s", errNotRequested, fi.ID, k)
		}
	}
	return unsure, nil
}
