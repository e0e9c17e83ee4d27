package cloudelements

import (
	"context"
	"fmt"
	"strconv"
)

// FormulaVariables returns the keys of a formula's configuration variables,
// for plan-time checks of formula instances: one GET per formula per Client
// (one Terraform run), shared by concurrent callers. A missing formula is an
// *Error for which IsNotFound is true, kept as the answer; other failures
// are not kept.
func (c *Client) FormulaVariables(ctx context.Context, id int64) ([]string, error) {
	key := strconv.FormatInt(id, 10)
	return c.formulaVariables.get(ctx, key, func() ([]string, error) {
		f, err := c.GetFormula(ctx, id)
		if err != nil {
			return nil, err
		}
		keys := make([]string, 0, len(f.Configuration))
		for _, v := range f.Configuration {
			keys = append(keys, v.Key)
		}
		return keys, nil
	}, func(err error) error { return fmt.Errorf("GET %s: %w", formulaPath(id), err) })
}
