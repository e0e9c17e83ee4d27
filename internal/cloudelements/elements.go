package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Element lookups (GET /elements/{keyOrId}) tell which element an instance
// belongs to when an answer names it by id alone, whether an element key
// exists at all, and which configuration keys the element requires. A Client
// (one per Terraform run) asks the platform once per key or id (onceCache):
// the answer, found or the platform's 404, is kept for its life. A failure
// that says nothing about the element (5xx, a host without the route, a
// cancelled context) is not kept, so a later call asks again.

// ErrElementUnknown is wrapped by ElementKeyOf when an instance names no
// element at all, or one whose key cannot be learnt.
var ErrElementUnknown = errors.New("the instance's element is not known")

// GetElement reads an element by key or numeric id. An unknown element is
// an *Error for which IsNotFound is true. The element's key, id, name and
// hub are returned; the answer must name the element asked for.
func (c *Client) GetElement(ctx context.Context, keyOrID string) (*ElementRef, error) {
	def, err := c.ElementDefinition(ctx, keyOrID)
	if err != nil {
		return nil, err
	}
	return &def.ElementRef, nil
}

// ElementDefinition is GetElement with what the answer says of the
// element's configuration (see ElementDefinition).
func (c *Client) ElementDefinition(ctx context.Context, keyOrID string) (*ElementDefinition, error) {
	keyOrID = strings.TrimSpace(keyOrID)
	if keyOrID == "" {
		return nil, errors.New("GET /elements/{keyOrId}: the element key or id is empty")
	}
	return c.elements.get(ctx, keyOrID, func() (*ElementDefinition, error) { return c.fetchElement(ctx, keyOrID) },
		func(err error) error { return fmt.Errorf("GET /elements/%s: %w", url.PathEscape(keyOrID), err) })
}

// fetchElement asks the platform once (with the usual retries).
func (c *Client) fetchElement(ctx context.Context, keyOrID string) (*ElementDefinition, error) {
	cl := &call{method: http.MethodGet, path: "/elements/" + url.PathEscape(keyOrID)}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, c.confirmNotFound(ctx, err)
	}
	el, err := decodeElement(resp.body)
	if err != nil {
		return nil, c.decodeError(cl, err)
	}
	if id, isID := parseWholeNumber(keyOrID); isID && el.ID != id || !isID && !strings.EqualFold(el.Key, keyOrID) {
		return nil, fmt.Errorf("GET %s: asked about element %q, the answer is about element %q (id %d)",
			cl.path, keyOrID, c.platformText(el.Key, 100), el.ID)
	}
	return el, nil
}

// decodeElement reads the element object: a positive id and a key are
// required.
func decodeElement(body []byte) (*ElementDefinition, error) {
	if err := expectJSON(body, '{', "an object"); err != nil {
		return nil, err
	}
	var d fieldDecoder
	el := d.element(body)
	if d.err != nil {
		return nil, d.err
	}
	if el.ID <= 0 || el.Key == "" {
		return nil, fmt.Errorf("element has no positive id and key (id %d, key %q)", el.ID, shorten(el.Key, 40))
	}
	def := &ElementDefinition{ElementRef: el}
	def.Configuration, def.DefinesConfiguration = decodeElementConfiguration(body)
	return def, nil
}

// ElementExists reports whether the platform knows the element key. It is
// false only on the platform's own 404 for it; any other failure is an
// error (which says nothing about the key). One request per key per Client.
func (c *Client) ElementExists(ctx context.Context, key string) (bool, error) {
	_, err := c.GetElement(ctx, key)
	switch {
	case err == nil:
		return true, nil
	case IsNotFound(err):
		return false, nil
	}
	return false, err
}

// ElementKeyOf returns the key of inst's element: as answered, or, when the
// answer named the element by id alone, looked up by that id. An instance
// naming no element, or an id the platform does not know, is an error
// wrapping ErrElementUnknown.
func (c *Client) ElementKeyOf(ctx context.Context, inst *Instance) (string, error) {
	if inst.Element.Key != "" {
		return inst.Element.Key, nil
	}
	id := inst.ElementID
	if id == 0 {
		id = inst.Element.ID
	}
	if id == 0 {
		return "", fmt.Errorf("instance %d: %w: the answer names no element", inst.ID, ErrElementUnknown)
	}
	el, err := c.GetElement(ctx, strconv.FormatInt(id, 10))
	if IsNotFound(err) {
		return "", fmt.Errorf("instance %d: %w: the platform knows no element with id %d", inst.ID, ErrElementUnknown, id)
	}
	if err != nil {
		return "", fmt.Errorf("instance %d names its element by id %d alone, and looking it up failed: %w", inst.ID, id, err)
	}
	return el.Key, nil
}
