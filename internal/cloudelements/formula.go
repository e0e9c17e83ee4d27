package cloudelements

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// Formula is a formula (the platform's workflow) as the platform returns
// it. Step and trigger properties stay raw JSON: their shape depends on the
// step or trigger type, which the platform's documentation leaves open.
type Formula struct {
	ID             int64
	Name           string
	Description    string
	Active         bool
	SingleThreaded bool
	Engine         string
	// DebugLogging is debugLoggingEnabled; nil when not answered.
	DebugLogging  *bool
	CreatedDate   string
	Configuration []FormulaConfig
	Triggers      []FormulaTrigger
	Steps         []FormulaStep
	// whole says the answer held configuration, triggers and steps (a
	// listing may abridge them).
	whole bool
}

// FormulaConfig is one configuration variable of a formula; a formula
// instance gives each Key a value.
type FormulaConfig struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// FormulaTrigger starts a formula. ID is assigned by the platform and
// never sent.
type FormulaTrigger struct {
	ID         int64           `json:"-"`
	Type       string          `json:"type"`
	OnSuccess  []string        `json:"onSuccess"`
	OnFailure  []string        `json:"onFailure"`
	Properties json.RawMessage `json:"properties"`
}

// FormulaStep is one step; steps chain by name. ID is assigned by the
// platform and never sent.
type FormulaStep struct {
	ID         int64           `json:"-"`
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	OnSuccess  []string        `json:"onSuccess"`
	OnFailure  []string        `json:"onFailure"`
	Properties json.RawMessage `json:"properties"`
}

// FormulaRequest is the body of POST /formulas and PUT /formulas/{id}.
type FormulaRequest struct {
	Name           string `json:"name"`
	Description    string `json:"description"`
	Active         bool   `json:"active"`
	SingleThreaded *bool  `json:"singleThreaded,omitempty"`
	// Engine and DebugLogging are the platform's own; ReplaceFormula
	// sends the formula's current ones when they are left out, so that
	// a platform that replaces the whole body keeps them.
	Engine        string           `json:"engine,omitempty"`
	DebugLogging  *bool            `json:"debugLoggingEnabled,omitempty"`
	Configuration []FormulaConfig  `json:"configuration"`
	Triggers      []FormulaTrigger `json:"triggers"`
	Steps         []FormulaStep    `json:"steps"`
}

// FormulaPatch is the body of PATCH /formulas/{id}, which takes name,
// active, description and engine only. Nil fields are left out.
type FormulaPatch struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Active      *bool   `json:"active,omitempty"`
}

func formulaPath(id int64) string { return "/formulas/" + strconv.FormatInt(id, 10) }

func checkAssetID(method, path, what string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("%s %s: %s id must be positive", method, path, what)
	}
	return nil
}

// encodeJSON marshals a request body, naming what failed.
func encodeJSON(what string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", what, err)
	}
	return b, nil
}

// encodeFormula sends empty lists as [] and absent properties as {}.
func encodeFormula(req FormulaRequest) ([]byte, error) {
	req.Configuration = nonNil(req.Configuration)
	req.Triggers = nonNil(req.Triggers)
	req.Steps = nonNil(req.Steps)
	for i := range req.Triggers {
		t := &req.Triggers[i]
		t.OnSuccess, t.OnFailure, t.Properties = nonNil(t.OnSuccess), nonNil(t.OnFailure), objectOrEmpty(t.Properties)
	}
	for i := range req.Steps {
		s := &req.Steps[i]
		s.OnSuccess, s.OnFailure, s.Properties = nonNil(s.OnSuccess), nonNil(s.OnFailure), objectOrEmpty(s.Properties)
	}
	return encodeJSON("formula", req)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func objectOrEmpty(raw json.RawMessage) json.RawMessage {
	if isNull(raw) {
		return json.RawMessage("{}")
	}
	return raw
}

// formulaPages decodes pages of GET /formulas.
var formulaPages = pagedList[Formula]{what: "formulas", narrow: "look formulas up by id instead", decode: decodeFormulaItem,
	caps: &formulaCaps, id: func(f *Formula) int64 { return f.ID }}

// formulaCall runs an idempotent call whose answer is one formula about
// cl.wantID (0 for none).
func (c *Client) formulaCall(ctx context.Context, cl *call) (*Formula, error) {
	if cl.method != http.MethodGet {
		c.formulaReads.forget(cl.wantID) // a listing fetched before this write must not answer for it
	}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, err
	}
	return c.decodeFormulaAnswer(cl, resp.body)
}

// decodeFormulaAnswer decodes one formula and learns what it declares
// secret before anything shows it.
func (c *Client) decodeFormulaAnswer(cl *call, body []byte) (*Formula, error) {
	return decodeAnswer(c, cl, "formula", body, func(b []byte) (*Formula, error) {
		f, err := DecodeFormula(b)
		if err == nil {
			c.learnFormula(f)
		}
		return f, err
	}, func(f *Formula) int64 { return f.ID })
}

// decodeAnswer decodes the answer to cl, one asset, and refuses one about
// another asset than cl.wantID.
func decodeAnswer[T any](c *Client, cl *call, what string, body []byte, decode func([]byte) (*T, error), id func(*T) int64) (*T, error) {
	v, err := decode(body)
	if err != nil {
		return nil, c.decodeError(cl, err)
	}
	if err := checkAnswerAbout(what, cl.wantID, id(v)); err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	return v, nil
}

// checkAnswerAbout refuses an answer about another asset than the one asked
// (0 asks nothing: a create learns its id from the answer).
func checkAnswerAbout(what string, asked, got int64) error {
	if asked != 0 && got != asked {
		return fmt.Errorf("asked about %s %d, the answer is about %s %d; nothing was changed in Terraform state",
			what, asked, what, got)
	}
	return nil
}

// GetFormula reads one formula. A missing formula is an *Error with
// StatusCode 404 (see IsNotFound).
func (c *Client) GetFormula(ctx context.Context, id int64) (*Formula, error) {
	path := formulaPath(id)
	if err := checkAssetID(http.MethodGet, path, "formula", id); err != nil {
		return nil, err
	}
	f, err := c.formulaCall(ctx, &call{method: http.MethodGet, path: path, wantID: id})
	return f, c.confirmNotFound(ctx, err)
}

// ReplaceFormula replaces a formula's whole body (PUT /formulas/{id}). The
// platform's own settings the request leaves out (engine, debug logging)
// are read first and sent as they are: a platform that takes the PUT as a
// whole replace would otherwise reset them.
func (c *Client) ReplaceFormula(ctx context.Context, id int64, req FormulaRequest) (*Formula, error) {
	path := formulaPath(id)
	if err := checkAssetID(http.MethodPut, path, "formula", id); err != nil {
		return nil, err
	}
	if req.Engine == "" || req.DebugLogging == nil {
		cur, err := c.GetFormula(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("reading the formula's engine and debug logging before replacing it: %w", err)
		}
		if req.Engine == "" {
			req.Engine = cur.Engine
		}
		if req.DebugLogging == nil {
			req.DebugLogging = cur.DebugLogging
		}
	}
	body, err := encodeFormula(req)
	if err != nil {
		return nil, err
	}
	return c.formulaCall(ctx, &call{method: http.MethodPut, path: path, body: body, wantID: id})
}

// PatchFormula changes name, description or active in place.
func (c *Client) PatchFormula(ctx context.Context, id int64, patch FormulaPatch) (*Formula, error) {
	path := formulaPath(id)
	if err := checkAssetID(http.MethodPatch, path, "formula", id); err != nil {
		return nil, err
	}
	body, err := encodeJSON("formula patch", patch)
	if err != nil {
		return nil, err
	}
	return c.formulaCall(ctx, &call{method: http.MethodPatch, path: path, body: body, wantID: id})
}

// DeleteFormula deletes a formula. A 404 is returned as an error too (see
// IsNotFound).
func (c *Client) DeleteFormula(ctx context.Context, id int64) error {
	path := formulaPath(id)
	if err := checkAssetID(http.MethodDelete, path, "formula", id); err != nil {
		return err
	}
	c.formulaReads.forget(id)
	c.formulaInstanceReads.reset() // the platform may delete the formula's instances with it
	return c.deleteAsset(ctx, path)
}

// FormulaListOptions narrows GET /formulas.
type FormulaListOptions struct {
	// Name keeps formulas of that name as the platform stores it (spaces
	// trimmed, HTML stripped), filtered here: the platform's where= syntax
	// is not documented well enough to rely on.
	Name string
	// PageSize is sent as pageSize; zero leaves the platform's default.
	PageSize int
}

// ListFormulas returns every formula, following the page tokens, within
// the same caps as ListInstances. Each is whole: one the listing abridged
// (without configuration, triggers or steps) is read by GET.
func (c *Client) ListFormulas(ctx context.Context, opts FormulaListOptions) ([]Formula, error) {
	q := url.Values{}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
	}
	items, _, err := listAll(ctx, c, "/formulas", q, formulaPages)
	if err != nil {
		return nil, err
	}
	if opts.Name != "" {
		items = slices.DeleteFunc(items, func(f Formula) bool { return !sameName(f.Name, opts.Name) })
	}
	return wholeItems(ctx, "formula", items, func(f *Formula) bool { return f.whole },
		func(f *Formula) int64 { return f.ID },
		func(ctx context.Context, f *Formula) (*Formula, error) { return c.GetFormula(ctx, f.ID) })
}
