package cloudelements

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
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
	CreatedDate    string
	Configuration  []FormulaConfig
	Triggers       []FormulaTrigger
	Steps          []FormulaStep
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
	Name           string           `json:"name"`
	Description    string           `json:"description"`
	Active         bool             `json:"active"`
	SingleThreaded *bool            `json:"singleThreaded,omitempty"`
	Configuration  []FormulaConfig  `json:"configuration"`
	Triggers       []FormulaTrigger `json:"triggers"`
	Steps          []FormulaStep    `json:"steps"`
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
var formulaPages = pagedList[Formula]{what: "formulas", narrow: "look formulas up by id instead", decode: decodeFormulaItem}

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

func (c *Client) decodeFormulaAnswer(cl *call, body []byte) (*Formula, error) {
	f, err := DecodeFormula(body)
	if err != nil {
		return nil, c.decodeError(cl, err)
	}
	c.learnFormula(f)
	if err := checkAnswerAbout("formula", cl.wantID, f.ID); err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	return f, nil
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

// ReplaceFormula replaces a formula's whole body (PUT /formulas/{id}).
func (c *Client) ReplaceFormula(ctx context.Context, id int64, req FormulaRequest) (*Formula, error) {
	path := formulaPath(id)
	if err := checkAssetID(http.MethodPut, path, "formula", id); err != nil {
		return nil, err
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
	_, err := c.do(c.LogContext(ctx), &call{method: http.MethodDelete, path: path})
	return c.confirmNotFound(ctx, err)
}

// FormulaListOptions narrows GET /formulas.
type FormulaListOptions struct {
	// Name keeps formulas of exactly that name (filtered here; the
	// platform's where= syntax is not documented well enough to rely on).
	Name string
	// PageSize is sent as pageSize; zero leaves the platform's default.
	PageSize int
}

// ListFormulas returns every formula, following the page tokens, within
// the same caps as ListInstances.
func (c *Client) ListFormulas(ctx context.Context, opts FormulaListOptions) ([]Formula, error) {
	q := url.Values{}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
	}
	items, _, err := listAll(ctx, c, "/formulas", q, formulaPages)
	if err != nil || opts.Name == "" {
		return items, err
	}
	out := items[:0]
	for _, f := range items {
		if f.Name == opts.Name {
			out = append(out, f)
		}
	}
	return out, nil
}

// CreateFormula creates a formula with one committed POST /formulas. After
// an ambiguous failure it looks for a formula of the same name created
// since the POST (names are how the platform's own export tool matches
// formulas) and adopts exactly one; several is an error naming them.
func (c *Client) CreateFormula(ctx context.Context, req FormulaRequest) (*Formula, error) {
	body, err := encodeFormula(req)
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodPost, path: "/formulas", body: body}
	return postOnce(ctx, c, cl, creator[Formula]{
		what:   "formula",
		decode: c.decodeFormulaAnswer,
		get:    c.GetFormula,
		id:     func(f *Formula) int64 { return f.ID },
		find: func(ctx context.Context, since time.Time) ([]Formula, error) {
			list, err := c.ListFormulas(ctx, FormulaListOptions{Name: req.Name})
			return createdSince(list, since, c.cfg.CreateReconcileSkew, func(f Formula) string { return f.CreatedDate }), err
		},
		describe: fmt.Sprintf("no formula named %q", strings.TrimSpace(req.Name)),
	})
}

// createdSince keeps the items whose createdDate parses and is no older
// than since minus skew. An item without a readable date is not kept: it
// cannot be told from one that existed before the create.
func createdSince[T any](items []T, since time.Time, skew time.Duration, date func(T) string) []T {
	var out []T
	for _, it := range items {
		if t, ok := ParseCreatedDate(date(it)); ok && !t.Before(since.Add(-skew)) {
			out = append(out, it)
		}
	}
	return out
}
