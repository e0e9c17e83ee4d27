package cloudelements

import "context"

// The kinds batch reads list, each with its own listing and rule.

// instanceSource lists GET /instances. A listed instance is whole when it
// has its token and configuration (a lighter listing may drop them).
func (c *Client) instanceSource() listingSource[Instance] {
	return listingSource[Instance]{
		path: "/instances", pages: c.instancePages(),
		whole:       func(i *Instance) bool { return i.Token != "" && i.Configuration != nil },
		fingerprint: instanceFingerprint,
	}
}

// formulaSource lists GET /formulas. A listed formula is whole when it
// carries its configuration, triggers and steps (`abridged` drops them).
func formulaSource() listingSource[Formula] {
	return listingSource[Formula]{
		path: "/formulas", pages: formulaPages,
		whole:       func(f *Formula) bool { return f.whole },
		fingerprint: formulaFingerprint,
	}
}

// formulaInstanceSource lists GET /formulas/instances, every formula's. A
// listed formula instance is whole when it names its formula and carries
// its configuration and settings.
func formulaInstanceSource() listingSource[FormulaInstance] {
	return listingSource[FormulaInstance]{
		path: "/formulas/instances", pages: formulaInstancePages,
		whole: func(fi *FormulaInstance) bool {
			return fi.FormulaID > 0 && fi.Configuration != nil && fi.Settings != nil
		},
		fingerprint: formulaInstanceFingerprint,
	}
}

// newBatchReads makes the listing of each kind, unless batch reads are off.
func (c *Client) newBatchReads(cfg BatchReads) {
	if cfg.Off {
		return
	}
	c.reads = newReadCache(cfg, c.instanceSource())
	c.formulaReads = newReadCache(cfg, formulaSource())
	c.formulaInstanceReads = newReadCache(cfg, formulaInstanceSource())
}

// ReadInstance reads one instance, from this run's listing when the rule
// allows and accept (nil accepts any whole item) takes the listed answer,
// else by GetInstance. Only a GET ever reports an instance gone.
func (c *Client) ReadInstance(ctx context.Context, id int64, accept func(*Instance) bool) (*Instance, error) {
	return c.reads.read(ctx, c, id, accept, func() (*Instance, error) { return c.GetInstance(ctx, id) })
}

// ReadFormula is ReadInstance for a formula.
func (c *Client) ReadFormula(ctx context.Context, id int64, accept func(*Formula) bool) (*Formula, error) {
	f, err := c.formulaReads.read(ctx, c, id, accept, func() (*Formula, error) { return c.GetFormula(ctx, id) })
	if err == nil {
		c.learnFormula(f) // its password variables: its instances' secrets
	}
	return f, err
}

// ReadFormulaInstance is ReadInstance for a formula instance of formula
// formulaID; a listed one of another formula is read by GET.
func (c *Client) ReadFormulaInstance(ctx context.Context, formulaID, id int64, accept func(*FormulaInstance) bool) (*FormulaInstance, error) {
	ofFormula := func(fi *FormulaInstance) bool {
		return fi.FormulaID == formulaID && (accept == nil || accept(fi))
	}
	return c.formulaInstanceReads.read(ctx, c, id, ofFormula, func() (*FormulaInstance, error) {
		return c.GetFormulaInstance(ctx, formulaID, id)
	})
}

// FormulaBatchStats reports the formula and formula instance listings'
// counters.
func (c *Client) FormulaBatchStats() (formulas, formulaInstances BatchStats) {
	return c.formulaReads.stats(), c.formulaInstanceReads.stats()
}
