package cloudelements

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// The formula instance settings the platform documents.
const (
	SettingNotificationEmail   = "notification.email"
	SettingNotificationWebhook = "notification.webhook.url"
	SettingTimeToLive          = "formula.instance.time.to.live"
)

// FormulaInstance is a formula bound to element instances. Configuration
// and Settings values are strings here whatever JSON type the platform
// answers (see wireConfig).
type FormulaInstance struct {
	ID            int64
	Name          string
	Active        bool
	FormulaID     int64
	CreatedDate   string
	Configuration map[string]string
	Settings      map[string]string
	// whole says the answer held configuration and settings (a listing
	// may abridge them).
	whole bool
}

// FormulaInstanceRequest is the body of POST /formulas/{id}/instances and
// PUT /formulas/{id}/instances/{instanceId}.
type FormulaInstanceRequest struct {
	Name          string            `json:"name"`
	Active        bool              `json:"active"`
	Configuration map[string]string `json:"configuration"`
	// Settings values go as given: the time to live is a JSON number.
	Settings map[string]any `json:"settings"`
	// Secrets are configuration values that must never appear in an
	// error or a log line. Not sent separately.
	Secrets []string `json:"-"`
}

// formulaInstanceFields are the keys of a formula instance the decoder reads.
var formulaInstanceFields = []string{"id", "name", "active", "formula", "formulaId", "createdDate",
	"configuration", "settings"}

// DecodeFormulaInstance parses one formula instance.
func DecodeFormulaInstance(body []byte) (*FormulaInstance, error) {
	if err := expectJSON(body, '{', "an object"); err != nil {
		return nil, err
	}
	fi, err := decodeFormulaInstanceItem(body)
	if err != nil {
		return nil, fmt.Errorf("invalid formula instance JSON: %w", err)
	}
	return fi, nil
}

func decodeFormulaInstanceItem(raw json.RawMessage) (*FormulaInstance, error) {
	if !json.Valid(raw) {
		return nil, json.Unmarshal(raw, new(struct{}))
	}
	var f [8]json.RawMessage
	if err := scanItem(raw, formulaInstanceFields, f[:], &formulaInstanceCaps.capSet); err != nil {
		return nil, nameItem(err, f[0])
	}
	var d fieldDecoder
	out := FormulaInstance{
		ID: d.id("id", f[0]), Name: d.str("name", f[1]), Active: d.boolean("active", f[2]),
		FormulaID: d.id("formulaId", f[4]), CreatedDate: d.date(f[5]),
		Configuration: d.stringMap("configuration", f[6]), Settings: d.stringMap("settings", f[7]),
		whole: !isNull(f[6]) && !isNull(f[7]),
	}
	if !isNull(f[3]) {
		var ref [1]json.RawMessage
		if objectFields(f[3], []string{"id"}, ref[:]) != nil {
			d.fail("formula", f[3], "an object")
		} else if id := d.id("formula.id", ref[0]); id != 0 {
			if out.FormulaID != 0 && out.FormulaID != id {
				d.fail("formula.id", ref[0], "the same id as formulaId")
			}
			out.FormulaID = id
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if out.ID <= 0 {
		return nil, fmt.Errorf("formula instance has no positive id (id %d)", out.ID)
	}
	return &out, nil
}

// formulaInstancePages decodes pages of GET /formulas/instances.
var formulaInstancePages = pagedList[FormulaInstance]{what: "formula instances", narrow: "narrow it by element instance",
	decode: decodeFormulaInstanceItem, caps: &formulaInstanceCaps, id: func(fi *FormulaInstance) int64 { return fi.ID }}

func formulaInstancePath(formulaID, id int64) string {
	return formulaPath(formulaID) + "/instances/" + strconv.FormatInt(id, 10)
}

func checkFormulaInstanceIDs(method string, formulaID, id int64) error {
	if err := checkAssetID(method, formulaPath(formulaID)+"/instances", "formula", formulaID); err != nil {
		return err
	}
	return checkAssetID(method, formulaInstancePath(formulaID, id), "formula instance", id)
}

// formulaInstanceCall runs an idempotent call whose answer is one formula
// instance; an answer about another instance, or about an instance of
// another formula, is an error.
func (c *Client) formulaInstanceCall(ctx context.Context, cl *call, formulaID int64) (*FormulaInstance, error) {
	if cl.method != http.MethodGet {
		c.formulaInstanceReads.forget(cl.wantID) // a listing fetched before this write must not answer for it
	}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, err
	}
	return c.decodeFormulaInstanceAnswer(cl, formulaID, resp.body)
}

func (c *Client) decodeFormulaInstanceAnswer(cl *call, formulaID int64, body []byte) (*FormulaInstance, error) {
	fi, err := DecodeFormulaInstance(body)
	if err != nil {
		return nil, c.decodeError(cl, err)
	}
	if fi.FormulaID == 0 {
		fi.FormulaID = formulaID // the path names it; the answer may not
	}
	if err := checkAnswerAbout("formula instance", cl.wantID, fi.ID); err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	if err := checkAnswerAbout("formula", formulaID, fi.FormulaID); err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	return fi, nil
}

// GetFormulaInstance reads one formula instance of a formula. A missing
// one (or a missing formula) is an *Error with StatusCode 404.
func (c *Client) GetFormulaInstance(ctx context.Context, formulaID, id int64) (*FormulaInstance, error) {
	if err := checkFormulaInstanceIDs(http.MethodGet, formulaID, id); err != nil {
		return nil, err
	}
	fi, err := c.formulaInstanceCall(ctx, &call{method: http.MethodGet, path: formulaInstancePath(formulaID, id), wantID: id}, formulaID)
	return fi, c.confirmNotFound(ctx, err)
}

// ReplaceFormulaInstance replaces a formula instance's body (PUT).
func (c *Client) ReplaceFormulaInstance(ctx context.Context, formulaID, id int64, req FormulaInstanceRequest) (*FormulaInstance, error) {
	if err := checkFormulaInstanceIDs(http.MethodPut, formulaID, id); err != nil {
		return nil, err
	}
	body, err := encodeFormulaInstance(req)
	if err != nil {
		return nil, err
	}
	return c.formulaInstanceCall(ctx, &call{method: http.MethodPut, path: formulaInstancePath(formulaID, id), body: body,
		secrets: requestSecrets(req.Secrets, req.Configuration), wantID: id}, formulaID)
}

// DeleteFormulaInstance deletes a formula instance (404: see IsNotFound).
func (c *Client) DeleteFormulaInstance(ctx context.Context, formulaID, id int64) error {
	if err := checkFormulaInstanceIDs(http.MethodDelete, formulaID, id); err != nil {
		return err
	}
	c.formulaInstanceReads.forget(id)
	return c.deleteAsset(ctx, formulaInstancePath(formulaID, id))
}

// SetFormulaInstanceActive activates (PUT) or deactivates (DELETE) a
// formula instance through its /active endpoint. The answer body is
// ignored: it is undocumented.
func (c *Client) SetFormulaInstanceActive(ctx context.Context, formulaID, id int64, active bool) error {
	method := http.MethodDelete
	if active {
		method = http.MethodPut
	}
	if err := checkFormulaInstanceIDs(method, formulaID, id); err != nil {
		return err
	}
	c.formulaInstanceReads.forget(id)
	_, err := c.do(c.LogContext(ctx), &call{method: method, path: formulaInstancePath(formulaID, id) + "/active"})
	return c.confirmNotFound(ctx, err)
}

// FormulaInstanceListOptions narrows GET /formulas/instances.
type FormulaInstanceListOptions struct {
	// ElementInstanceID is sent as elementInstanceId: the formula instances
	// bound to that element instance.
	ElementInstanceID int64
	// FormulaID and Name keep the formula instances of that formula and of
	// that name as the platform stores it (filtered here).
	FormulaID int64
	Name      string
	PageSize  int
}

// ListFormulaInstances returns every formula instance matching opts,
// following the page tokens, within the same caps as ListInstances. Each
// is whole: one the listing abridged (without configuration or settings)
// is read by GET.
func (c *Client) ListFormulaInstances(ctx context.Context, opts FormulaInstanceListOptions) ([]FormulaInstance, error) {
	q := url.Values{}
	if opts.ElementInstanceID > 0 {
		q.Set("elementInstanceId", strconv.FormatInt(opts.ElementInstanceID, 10))
	}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
	}
	items, _, err := listAll(ctx, c, "/formulas/instances", q, formulaInstancePages)
	if err != nil {
		return nil, err
	}
	items = slices.DeleteFunc(items, func(fi FormulaInstance) bool {
		return (opts.FormulaID != 0 && fi.FormulaID != opts.FormulaID) || (opts.Name != "" && !sameName(fi.Name, opts.Name))
	})
	return wholeItems(ctx, "formula instance", items, formulaInstanceSource().whole,
		func(fi *FormulaInstance) int64 { return fi.ID },
		func(ctx context.Context, fi *FormulaInstance) (*FormulaInstance, error) {
			if fi.FormulaID <= 0 {
				return nil, fmt.Errorf("listed without its formula, so it cannot be read by GET")
			}
			return c.GetFormulaInstance(ctx, fi.FormulaID, fi.ID)
		})
}

// encodeFormulaInstance sends empty maps as {} rather than null.
func encodeFormulaInstance(req FormulaInstanceRequest) ([]byte, error) {
	if req.Configuration == nil {
		req.Configuration = map[string]string{}
	}
	if req.Settings == nil {
		req.Settings = map[string]any{}
	}
	req.Settings = maps.Clone(req.Settings)
	return encodeJSON("formula instance", req)
}
