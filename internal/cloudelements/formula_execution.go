package cloudelements

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// FormulaExecution is one run of a formula instance. Status is the
// platform's word for it (for example "pending", "success", "failed").
type FormulaExecution struct {
	ID                int64
	FormulaInstanceID int64
	Status            string
	CreatedDate       string
	UpdatedDate       string
}

var formulaExecutionFields = []string{"id", "formulaInstanceId", "status", "createdDate", "updatedDate"}

func decodeFormulaExecutionItem(raw json.RawMessage) (*FormulaExecution, error) {
	if firstByte(raw) != '{' || !json.Valid(raw) {
		return nil, fmt.Errorf("formula execution is not a JSON object: %s", shorten(string(raw), 40))
	}
	var f [5]json.RawMessage
	if err := objectFields(raw, formulaExecutionFields, f[:]); err != nil {
		return nil, err
	}
	var d fieldDecoder
	out := FormulaExecution{
		ID: d.id("id", f[0]), FormulaInstanceID: d.id("formulaInstanceId", f[1]), Status: d.str("status", f[2]),
		CreatedDate: d.date(f[3]), UpdatedDate: d.date(f[4]),
	}
	if d.err != nil {
		return nil, d.err
	}
	if out.ID <= 0 {
		return nil, fmt.Errorf("formula execution has no positive id (id %d)", out.ID)
	}
	return &out, nil
}

// StartFormulaExecution runs a formula instance now (POST
// /formulas/{id}/instances/{instanceId}/executions) with input as the
// trigger's event body (nil sends {}). The POST is not repeated after an
// ambiguous failure: a second run is not what was asked.
func (c *Client) StartFormulaExecution(ctx context.Context, formulaID, instanceID int64, input json.RawMessage) (*FormulaExecution, error) {
	if err := checkFormulaInstanceIDs(http.MethodPost, formulaID, instanceID); err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodPost, path: formulaInstancePath(formulaID, instanceID) + "/executions",
		body: objectOrEmpty(input)}
	return createAsset(ctx, c, cl, createKind[FormulaExecution]{
		what: "formula execution",
		decode: func(cl *call, body []byte) (*FormulaExecution, error) {
			ex, err := decodeFormulaExecutionItem(body)
			if err != nil {
				return nil, c.decodeError(cl, err)
			}
			if ex.FormulaInstanceID == 0 {
				ex.FormulaInstanceID = instanceID
			}
			if err := checkAnswerAbout("formula instance", instanceID, ex.FormulaInstanceID); err != nil {
				return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
			}
			return ex, nil
		},
		id: func(ex *FormulaExecution) int64 { return ex.ID },
	})
}

// ListFormulaExecutions returns the executions of a formula instance (GET
// /formulas/instances/{id}/executions), paged and capped as every listing.
func (c *Client) ListFormulaExecutions(ctx context.Context, instanceID int64) ([]FormulaExecution, error) {
	path := "/formulas/instances/" + strconv.FormatInt(instanceID, 10) + "/executions"
	if err := checkAssetID(http.MethodGet, path, "formula instance", instanceID); err != nil {
		return nil, err
	}
	items, _, err := listAll(ctx, c, path, url.Values{}, pagedList[FormulaExecution]{
		what: "executions", narrow: "this formula instance has too long a history to list",
		decode: decodeFormulaExecutionItem})
	if err != nil {
		return nil, c.confirmNotFound(ctx, err)
	}
	for i := range items {
		if items[i].FormulaInstanceID == 0 {
			items[i].FormulaInstanceID = instanceID
		} else if items[i].FormulaInstanceID != instanceID {
			return nil, fmt.Errorf("GET %s: %w", path, checkAnswerAbout("formula instance", instanceID, items[i].FormulaInstanceID))
		}
	}
	return items, nil
}
