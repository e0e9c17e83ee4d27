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

// VDR is a common resource (virtual data resource, v2) as the platform
// returns it: a canonical object whose fields transformations map onto
// elements. The platform may add fields of its own (level "system") and
// ids; Fields holds what it answered, in its order.
type VDR struct {
	ID          int64
	ObjectName  string
	DisplayName string
	Description string
	Fields      []VDRField
	// whole says the answer held the fields (a listing may abridge them).
	whole bool
}

// VDRField is one field of a VDR. ID is assigned by the platform and
// never sent; Level is organization, account, instance or system ("" on
// a request leaves it to the platform).
type VDRField struct {
	ID    int64  `json:"-"`
	Path  string `json:"path"`
	Type  string `json:"type"`
	Level string `json:"level,omitempty"`
}

// VDRRequest is the body of POST /vdrs and PUT /vdrs/{id}.
type VDRRequest struct {
	ObjectName  string     `json:"objectName"`
	DisplayName string     `json:"displayName"`
	Description string     `json:"description"`
	Fields      []VDRField `json:"fields"`
}

// VDRListOptions narrows GET /vdrs.
type VDRListOptions struct {
	// ObjectName keeps the VDRs of exactly that objectName (filtered here:
	// no filter of the platform's listing is documented).
	ObjectName string
	// PageSize is sent as pageSize; zero leaves the platform's default.
	PageSize int
}

func vdrPath(id int64) string { return "/vdrs/" + strconv.FormatInt(id, 10) }

// vdrPages decodes pages of GET /vdrs within the caps of vdr_decode.go.
func vdrPages(caps *vdrCaps) pagedList[VDR] {
	return pagedList[VDR]{what: "VDRs", narrow: "look VDRs up by id or objectName instead", decode: decodeVDRItem,
		id: func(v *VDR) int64 { return v.ID }, admit: caps.addVDR}
}

func (c *Client) decodeVDRAnswer(cl *call, body []byte) (*VDR, error) {
	return decodeAnswer(c, cl, "VDR", body, DecodeVDR, func(v *VDR) int64 { return v.ID })
}

// GetVDR reads one VDR. A missing VDR is an *Error with StatusCode 404
// (see IsNotFound), but only once the host has shown that it serves
// /vdrs at all (confirmVDRNotFound).
func (c *Client) GetVDR(ctx context.Context, id int64) (*VDR, error) {
	return c.vdrAt(ctx, http.MethodGet, id, nil)
}

// ReplaceVDR replaces a VDR's whole body (PUT /vdrs/{id}).
func (c *Client) ReplaceVDR(ctx context.Context, id int64, req VDRRequest) (*VDR, error) {
	return c.vdrAt(ctx, http.MethodPut, id, &req)
}

// vdrAt sends method to /vdrs/{id}, with req as the body unless nil, and
// reads the VDR answered.
func (c *Client) vdrAt(ctx context.Context, method string, id int64, req *VDRRequest) (*VDR, error) {
	cl := &call{method: method, path: vdrPath(id), wantID: id}
	if err := checkAssetID(method, cl.path, "VDR", id); err != nil {
		return nil, err
	}
	if req != nil {
		var err error
		if cl.body, err = encodeJSON("VDR", withFields(*req)); err != nil {
			return nil, err
		}
	}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, c.confirmVDRNotFound(ctx, err)
	}
	return c.decodeVDRAnswer(cl, resp.body)
}

// DeleteVDR deletes a VDR. What happens to its transformations is the
// platform's choice: deleted with it, or a 409 while it has any (see
// IsConflict), which is tried again as deleteAsset says, as the
// transformations may be being deleted meanwhile. A 404 is returned as an
// error too (see IsNotFound).
func (c *Client) DeleteVDR(ctx context.Context, id int64) error {
	path := vdrPath(id)
	if err := checkAssetID(http.MethodDelete, path, "VDR", id); err != nil {
		return err
	}
	return c.confirmVDRNotFound(ctx, c.deleteAsset(ctx, path))
}

// ListVDRs returns every VDR, following the page tokens, within the caps
// of ListInstances and those of vdr_decode.go, each whole: one listed
// without its fields is read by GET (list_whole.go).
func (c *Client) ListVDRs(ctx context.Context, opts VDRListOptions) ([]VDR, error) {
	q := url.Values{}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
	}
	items, _, err := listAll(ctx, c, "/vdrs", q, vdrPages(&vdrCaps{}))
	if err != nil {
		return nil, err
	}
	if opts.ObjectName != "" {
		items = slices.DeleteFunc(items, func(v VDR) bool { return v.ObjectName != opts.ObjectName })
	}
	return wholeItems(ctx, "VDR", items, func(v *VDR) bool { return v.whole }, func(v *VDR) int64 { return v.ID },
		func(ctx context.Context, v *VDR) (*VDR, error) { return c.GetVDR(ctx, v.ID) })
}

// VDRExport is GET /vdrs/{name}/export: the VDR of that objectName and
// its transformations. The export's shape is not documented; an answer
// without transformations reads as none.
type VDRExport struct {
	VDR             VDR
	Transformations []VDRTransformation
}

// ExportVDR reads a VDR, and its transformations, by objectName. Unlike a
// listing it answers at once after a write. A missing one is a 404.
func (c *Client) ExportVDR(ctx context.Context, objectName string) (*VDRExport, error) {
	if strings.TrimSpace(objectName) == "" {
		return nil, errors.New("GET /vdrs/{name}/export: objectName is empty")
	}
	cl := &call{method: http.MethodGet, path: "/vdrs/" + url.PathEscape(objectName) + "/export"}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, c.confirmVDRNotFound(ctx, err)
	}
	v, err := DecodeVDR(resp.body)
	if err != nil {
		return nil, c.decodeError(cl, err)
	}
	var f [1]json.RawMessage
	_ = objectFields(resp.body, []string{"transformations"}, f[:]) // valid: DecodeVDR read it
	var caps vdrCaps
	var l listing[VDRTransformation]
	if !isNull(f[0]) {
		if err := decodePage(ctx, &l, f[0], transformationPages(&caps)); err != nil {
			return nil, c.decodeError(cl, fmt.Errorf("transformations: %w", err))
		}
	}
	return &VDRExport{VDR: *v, Transformations: l.items}, nil
}

// CreateVDR creates a VDR with one committed POST /vdrs. After an
// ambiguous failure (see postLoop) it looks for the VDR the POST may have
// made: objectName is unique on the platform, so it is the VDR of that
// objectName whose fields hold every requested path and type, found in
// the listing or, when the listing does not show it yet, by name through
// the export. Adopting one that existed before the POST would need it to
// match the request field for field, and the POST to have been refused
// unseen; that is the one case left.
func (c *Client) CreateVDR(ctx context.Context, req VDRRequest) (*VDR, error) {
	body, err := encodeJSON("VDR", withFields(req))
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodPost, path: "/vdrs", body: body}
	name := strings.TrimSpace(req.ObjectName)
	return createAsset(ctx, c, cl, createKind[VDR]{
		what:   "VDR",
		decode: c.decodeVDRAnswer,
		get:    c.GetVDR,
		id:     func(v *VDR) int64 { return v.ID },
		check: func(_ context.Context, v *VDR, _ time.Time, _ bool) (bool, error) {
			switch {
			case strings.TrimSpace(v.ObjectName) != name:
				return false, fmt.Errorf("%w: VDR %d has the objectName %q", errNotRequested, v.ID, v.ObjectName)
			case !v.whole:
				return true, nil
			case !holdsFields(v.Fields, req.Fields):
				return false, fmt.Errorf("%w: VDR %d has other fields", errNotRequested, v.ID)
			}
			return false, nil // a VDR has no createdDate to hold against the create's window
		},
		candidates: func(ctx context.Context) ([]VDR, error) { return c.findVDR(ctx, name, req.Fields) },
		whole:      func(v *VDR) bool { return v.whole },
		describe:   fmt.Sprintf("no VDR with the objectName %q", name),
	})
}

// findVDR looks for the VDR named name holding fields: in the listing
// (reading an abridged item whole), else through the export.
func (c *Client) findVDR(ctx context.Context, name string, fields []VDRField) ([]VDR, error) {
	list, err := c.ListVDRs(ctx, VDRListOptions{ObjectName: name})
	if err != nil {
		return nil, err
	}
	for _, v := range list { // whole: ListVDRs read the abridged ones
		if holdsFields(v.Fields, fields) {
			return []VDR{v}, nil
		}
	}
	if len(list) > 0 {
		return nil, nil // named so, but with other fields: not ours
	}
	x, err := c.ExportVDR(ctx, name)
	switch {
	case err == nil && x.VDR.ObjectName == name && holdsFields(x.VDR.Fields, fields):
		return []VDR{x.VDR}, nil
	case err == nil || !mayPass(err):
		// Not there, or the host cannot say (the export is not served for
		// every VDR): nothing found.
		return nil, nil
	}
	return nil, err
}

// holdsFields reports whether answered holds every wanted field: the same
// path and type, and the same level where the request names one.
func holdsFields(answered, wanted []VDRField) bool {
	for _, w := range wanted {
		found := false
		for _, a := range answered {
			if a.Path == w.Path && a.Type == w.Type && (w.Level == "" || a.Level == "" || a.Level == w.Level) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// withFields sends absent fields as [].
func withFields(req VDRRequest) VDRRequest {
	req.Fields = nonNil(req.Fields)
	return req
}

// confirmVDRNotFound keeps a 404 about a VDR or transformation a not-found
// only once the host has answered GET /vdrs with a JSON array: a host
// without VDR v2 answers every /vdrs path 404, which must not read as
// "deleted" (Terraform would forget the resource and create it again).
func (c *Client) confirmVDRNotFound(ctx context.Context, err error) error {
	if !IsNotFound(err) || c.vdrConfirmed.Load() {
		return err
	}
	resp, perr := c.do(c.LogContext(ctx), &call{method: http.MethodGet, path: "/vdrs", query: "pageSize=1"})
	if perr == nil {
		if perr = expectJSON(resp.body, '[', "an array"); perr != nil {
			perr = fmt.Errorf("GET /vdrs?pageSize=1 answered HTTP %d but %w", resp.status, perr)
		}
	}
	if perr != nil {
		// Not wrapped: this must not read as "the VDR is gone".
		return fmt.Errorf("%v; this does not show that it is gone: the platform at %s does not seem to serve common "+
			"resources v2 (/vdrs): %v", err, c.displayURL(), perr)
	}
	c.vdrConfirmed.Store(true)
	return err
}

// IsConflict reports whether err is a 409 from the platform: a name
// already taken, or a delete refused while something depends on it.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }
