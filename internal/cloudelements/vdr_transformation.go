package cloudelements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// VDRTransformation maps a VDR onto one element (organization level) or
// one element instance (instance level): per field the vendor's path and
// type, field configuration, and an optional script.
type VDRTransformation struct {
	ID    int64
	VDRID int64
	// Level is "organization" or "instance" as answered ("" when not).
	Level      string
	ElementKey string
	InstanceID int64 // 0 at the organization level
	VendorName string
	Fields     []TransformationField
	// Configuration is the transformation's configuration array as
	// compact JSON, nil when empty: its entries are not documented.
	Configuration json.RawMessage
	Script        *TransformationScript
	// whole says the answer held the fields (a listing may abridge them).
	whole bool
}

// TransformationField maps one VDR field (by path; an answer may name it
// by VDRFieldID instead, see ResolvePaths) onto a vendor field.
// Configuration is an array of {type, properties} (remove, pass through,
// ...) as compact JSON, nil when empty.
type TransformationField struct {
	Path          string          `json:"path"`
	VDRFieldID    int64           `json:"-"`
	Type          string          `json:"type,omitempty"`
	VendorPath    string          `json:"vendorPath"`
	VendorType    string          `json:"vendorType,omitempty"`
	Level         string          `json:"level,omitempty"`
	Configuration json.RawMessage `json:"configuration,omitempty"`
}

// TransformationScript runs on every object a transformation maps.
type TransformationScript struct {
	Body                string `json:"body"`
	MimeType            string `json:"mimeType,omitempty"`
	FilterEmptyResponse bool   `json:"filterEmptyResponse"`
}

// VDRTransformationRequest is the body of POST /vdrs/{id}/transformations
// and of PUT /vdrs/{id}/transformations/{transformationId}: ElementKey
// alone (organization level) or InstanceID (instance level).
type VDRTransformationRequest struct {
	ElementKey    string                `json:"elementKey,omitempty"`
	InstanceID    int64                 `json:"instanceId,omitempty"`
	Level         string                `json:"level,omitempty"`
	VendorName    string                `json:"vendorName"`
	Fields        []TransformationField `json:"fields"`
	Configuration json.RawMessage       `json:"configuration,omitempty"`
	Script        *TransformationScript `json:"script,omitempty"`
}

// TransformationListOptions narrows GET /vdrs/{id}/transformations (both
// filtered here).
type TransformationListOptions struct {
	ElementKey string // the organization-level one of that element
	InstanceID int64  // the one of that element instance
	PageSize   int
}

// ResolvePaths names by path the fields an answer named by VDRFieldID
// alone, from v's fields; it reports whether every field has a path.
func (t *VDRTransformation) ResolvePaths(v *VDR) bool {
	all := true
	for i := range t.Fields {
		f := &t.Fields[i]
		for _, vf := range v.Fields {
			if f.Path == "" && f.VDRFieldID != 0 && vf.ID == f.VDRFieldID {
				f.Path = vf.Path
			}
		}
		all = all && f.Path != ""
	}
	return all
}

// mapsOnto reports whether t is the transformation of the request's
// target: the same instance, or at the organization level the same
// element.
func (t *VDRTransformation) mapsOnto(req VDRTransformationRequest) bool {
	if req.InstanceID != 0 {
		return t.InstanceID == req.InstanceID
	}
	return t.InstanceID == 0 && strings.EqualFold(t.ElementKey, req.ElementKey)
}

func transformationPath(vdrID, id int64) string {
	return vdrPath(vdrID) + "/transformations/" + strconv.FormatInt(id, 10)
}

func checkTransformationIDs(method string, vdrID, id int64) error {
	if err := checkAssetID(method, vdrPath(vdrID)+"/transformations", "VDR", vdrID); err != nil {
		return err
	}
	return checkAssetID(method, transformationPath(vdrID, id), "transformation", id)
}

// transformationPages decodes pages of transformations within the caps.
func transformationPages(caps *vdrCaps) pagedList[VDRTransformation] {
	return pagedList[VDRTransformation]{what: "transformations", narrow: "look transformations up by id instead",
		decode: decodeTransformationItem,
		id:     func(t *VDRTransformation) int64 { return t.ID }, admit: caps.addTransformation}
}

// encodeTransformation checks what the platform would refuse without
// knowing the VDR, and sends empty fields as [].
func encodeTransformation(req VDRTransformationRequest) ([]byte, error) {
	if req.InstanceID == 0 && strings.TrimSpace(req.ElementKey) == "" {
		return nil, errors.New("encoding transformation: elementKey or instanceId is required")
	}
	arrays := []json.RawMessage{req.Configuration}
	for _, f := range req.Fields {
		arrays = append(arrays, f.Configuration)
	}
	for _, a := range arrays {
		if len(a) > 0 && (firstByte(a) != '[' || !json.Valid(a)) {
			return nil, errors.New("encoding transformation: a configuration must be a JSON array")
		}
	}
	req.Fields = nonNil(req.Fields)
	return encodeJSON("transformation", req)
}

func (c *Client) decodeTransformationAnswer(cl *call, vdrID int64, body []byte) (*VDRTransformation, error) {
	t, err := decodeAnswer(c, cl, "transformation", body, DecodeVDRTransformation, func(t *VDRTransformation) int64 { return t.ID })
	if err != nil {
		return nil, err
	}
	if t.VDRID == 0 {
		t.VDRID = vdrID // the path names it; the answer may not
	}
	if err := checkAnswerAbout("VDR", vdrID, t.VDRID); err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	return t, nil
}

// GetVDRTransformation reads one transformation of a VDR. A missing one
// (or a missing VDR) is an *Error with StatusCode 404.
func (c *Client) GetVDRTransformation(ctx context.Context, vdrID, id int64) (*VDRTransformation, error) {
	return c.transformationAt(ctx, http.MethodGet, vdrID, id, nil)
}

// ReplaceVDRTransformation replaces a transformation's whole body (PUT).
func (c *Client) ReplaceVDRTransformation(ctx context.Context, vdrID, id int64, req VDRTransformationRequest) (*VDRTransformation, error) {
	return c.transformationAt(ctx, http.MethodPut, vdrID, id, &req)
}

// transformationAt sends method to /vdrs/{vdrID}/transformations/{id},
// with req as the body unless nil, and reads the transformation answered.
func (c *Client) transformationAt(ctx context.Context, method string, vdrID, id int64, req *VDRTransformationRequest) (*VDRTransformation, error) {
	if err := checkTransformationIDs(method, vdrID, id); err != nil {
		return nil, err
	}
	cl := &call{method: method, path: transformationPath(vdrID, id), wantID: id}
	if req != nil {
		var err error
		if cl.body, err = encodeTransformation(*req); err != nil {
			return nil, err
		}
	}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, c.confirmVDRNotFound(ctx, err)
	}
	return c.decodeTransformationAnswer(cl, vdrID, resp.body)
}

// DeleteVDRTransformation deletes a transformation (404: see IsNotFound).
func (c *Client) DeleteVDRTransformation(ctx context.Context, vdrID, id int64) error {
	if err := checkTransformationIDs(http.MethodDelete, vdrID, id); err != nil {
		return err
	}
	_, err := c.do(c.LogContext(ctx), &call{method: http.MethodDelete, path: transformationPath(vdrID, id)})
	return c.confirmVDRNotFound(ctx, err)
}

// ListVDRTransformations returns every transformation of a VDR matching
// opts, following the page tokens, within the caps, each one whole.
func (c *Client) ListVDRTransformations(ctx context.Context, vdrID int64, opts TransformationListOptions) ([]VDRTransformation, error) {
	path := vdrPath(vdrID) + "/transformations"
	if err := checkAssetID(http.MethodGet, path, "VDR", vdrID); err != nil {
		return nil, err
	}
	q := url.Values{}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
	}
	items, _, err := listAll(ctx, c, path, q, transformationPages(&vdrCaps{}))
	if err != nil {
		return nil, c.confirmVDRNotFound(ctx, err)
	}
	for i := range items {
		if items[i].VDRID == 0 {
			items[i].VDRID = vdrID
		}
	}
	items = slices.DeleteFunc(items, func(t VDRTransformation) bool {
		return (opts.InstanceID != 0 && t.InstanceID != opts.InstanceID) ||
			(opts.ElementKey != "" && (t.InstanceID != 0 || !strings.EqualFold(t.ElementKey, opts.ElementKey)))
	})
	// A listing may leave out fields, configuration and script: read those
	// items whole (list_whole.go), never use them as they are.
	return wholeItems(ctx, "transformation", items, func(t *VDRTransformation) bool { return t.whole },
		func(t *VDRTransformation) int64 { return t.ID },
		func(ctx context.Context, t *VDRTransformation) (*VDRTransformation, error) {
			return c.GetVDRTransformation(ctx, vdrID, t.ID)
		})
}

// CreateVDRTransformation creates a transformation with one committed
// POST. The platform keeps one transformation per VDR and target, so
// after an ambiguous failure it looks for the VDR's transformation of the
// requested target and vendor name: in the listing or, when the listing
// does not show it yet, in the VDR's export; one match is adopted.
func (c *Client) CreateVDRTransformation(ctx context.Context, vdrID int64, req VDRTransformationRequest) (*VDRTransformation, error) {
	path := vdrPath(vdrID) + "/transformations"
	if err := checkAssetID(http.MethodPost, path, "VDR", vdrID); err != nil {
		return nil, err
	}
	body, err := encodeTransformation(req)
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodPost, path: path, body: body}
	return createAsset(ctx, c, cl, createKind[VDRTransformation]{
		what: "transformation",
		decode: func(cl *call, body []byte) (*VDRTransformation, error) {
			return c.decodeTransformationAnswer(cl, vdrID, body)
		},
		get: func(ctx context.Context, id int64) (*VDRTransformation, error) {
			return c.GetVDRTransformation(ctx, vdrID, id)
		},
		id: func(t *VDRTransformation) int64 { return t.ID },
		check: func(_ context.Context, t *VDRTransformation, _ time.Time, _ bool) (bool, error) {
			if len(transformationsOf([]VDRTransformation{*t}, vdrID, req)) == 0 {
				return false, fmt.Errorf("%w: transformation %d has another target or vendor name", errNotRequested, t.ID)
			}
			return false, nil
		},
		candidates: func(ctx context.Context) ([]VDRTransformation, error) { return c.findTransformation(ctx, vdrID, req) },
		whole:      func(*VDRTransformation) bool { return true },
		describe:   fmt.Sprintf("no transformation of VDR %d named %q for that target", vdrID, req.VendorName),
	})
}

// findTransformation looks for the transformation of req's target and
// vendor name: in the listing, else in the export of the VDR.
func (c *Client) findTransformation(ctx context.Context, vdrID int64, req VDRTransformationRequest) ([]VDRTransformation, error) {
	list, err := c.ListVDRTransformations(ctx, vdrID, TransformationListOptions{})
	if err != nil {
		return nil, err
	}
	if found := transformationsOf(list, vdrID, req); len(found) > 0 {
		return found, nil
	}
	v, err := c.GetVDR(ctx, vdrID)
	if err != nil {
		return nil, err
	}
	x, err := c.ExportVDR(ctx, v.ObjectName)
	switch {
	case err == nil:
		return transformationsOf(x.Transformations, vdrID, req), nil
	case mayPass(err):
		return nil, err
	}
	return nil, nil // the host cannot say: nothing found
}

// transformationsOf keeps the transformations of vdrID onto req's target
// with req's vendor name.
func transformationsOf(list []VDRTransformation, vdrID int64, req VDRTransformationRequest) []VDRTransformation {
	var out []VDRTransformation
	for _, t := range list {
		if t.mapsOnto(req) && t.VendorName == req.VendorName && (t.VDRID == 0 || t.VDRID == vdrID) {
			t.VDRID = vdrID
			out = append(out, t)
		}
	}
	return out
}
