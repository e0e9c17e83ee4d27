package cloudelements

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// elementKeyPages decodes pages of GET /elements to the elements' keys.
var elementKeyPages = pagedList[string]{what: "elements", narrow: "the catalog is larger than expected",
	decode: func(raw json.RawMessage) (*string, error) {
		var el struct {
			Key string `json:"key"`
		}
		if err := json.Unmarshal(raw, &el); err != nil {
			return nil, fmt.Errorf("element: %w", err)
		}
		return &el.Key, nil
	}}

// ElementKeys lists the keys of the platform's element catalog (GET
// /elements, every page of 200), once per Client. It serves "did you mean"
// after an element key the platform does not know, so it is asked only
// then.
func (c *Client) ElementKeys(ctx context.Context) ([]string, error) {
	return c.elementKeys.get(ctx, "", func() ([]string, error) {
		items, _, err := listAll(ctx, c, "/elements", url.Values{"pageSize": {strconv.Itoa(200)}}, elementKeyPages)
		keys := items[:0]
		for _, k := range items {
			if k != "" {
				keys = append(keys, k)
			}
		}
		return keys, err
	}, func(err error) error { return fmt.Errorf("GET /elements: %w", err) })
}
