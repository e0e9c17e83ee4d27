package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Which instance did a create make? Both the reconcile lookup and the check
// of a create answer compare an instance with the request the way the
// platform normalises it, and treat what the answer cannot show (a masked,
// empty or absent value, an element named by an id that cannot be looked
// up) as unknown, never as different. A known difference is never adopted.

// normalName is a name as the platform stores it: HTML tags stripped and
// surrounding spaces trimmed.
func normalName(s string) string { return strings.TrimSpace(stripTags(s)) }

// sameName reports whether an answered name is the requested one, as stored.
func sameName(answered, requested string) bool {
	return answered == requested || normalName(answered) == normalName(requested)
}

// unknownValue reports whether an answered configuration value cannot be
// compared: empty or masked ("********").
func unknownValue(v string) bool { return v == "" || strings.Trim(v, "*") == "" }

// inWindow reports whether created lies in the create's time window: from
// its first attempt minus the skew to now plus the skew. A date in the
// future beyond the skew is a look-alike, not the instance just made.
func (c *Client) inWindow(created, start time.Time) bool {
	skew := c.cfg.CreateReconcileSkew
	return !created.Before(start.Add(-skew)) && !created.After(time.Now().Add(skew))
}

// createdBy reports whether inst is shown to be the result of req, posted
// at start: same element, name (as stored), the values of req.MatchKeys
// (case-insensitively, as for a subdomain), every requested tag, and a
// createdDate that parses and lies in the create's window (inWindow). An
// unparseable date is no match: a hand-made look-alike must never be
// adopted (and later destroyed). A match key answered masked or empty is
// unknown, not different; unsure is true when the answer left one out, so
// that the full instance may tell.
func (c *Client) createdBy(inst Instance, req InstanceRequest, start time.Time) (made, unsure bool) {
	if !sameElement(inst, req.Element) || !sameName(inst.Name, req.Name) {
		return false, false
	}
	for _, t := range req.Tags {
		if !slices.Contains(inst.Tags, t) {
			return false, false
		}
	}
	created, ok := ParseCreatedDate(inst.CreatedDate)
	if !ok || !c.inWindow(created, start) {
		return false, false
	}
	for _, k := range req.MatchKeys {
		v, answered := inst.Configuration[k]
		switch {
		case !answered:
			unsure = true
		case unknownValue(v):
		case !strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(req.Configuration[k])):
			return false, false
		}
	}
	return true, unsure
}

// sameElement compares by key when both sides have one, else by id. An
// answer that names its element only by id, for a request that names it
// only by key, cannot be compared here: resolveElement looks the key up
// first where it can; otherwise the other criteria decide.
func sameElement(inst Instance, want ElementRef) bool {
	switch {
	case inst.Element.Key != "" && want.Key != "":
		return strings.EqualFold(inst.Element.Key, want.Key)
	case inst.ElementID != 0 && want.ID != 0:
		return inst.ElementID == want.ID
	}
	return true
}

// resolveElement fills in the key of an instance whose answer named its
// element by id alone (one cached lookup per id). A failed lookup leaves it
// unknown.
func (c *Client) resolveElement(ctx context.Context, inst *Instance) {
	if inst.Element.Key != "" || (inst.ElementID == 0 && inst.Element.ID == 0) {
		return
	}
	if key, err := c.ElementKeyOf(ctx, inst); err == nil {
		inst.Element.Key = key
	}
}

// errNotRequested is wrapped by checkCreated's error.
var errNotRequested = errors.New("not the instance requested")

// checkCreated checks a create answer, or an instance it named, against
// the request: element, name and a createdDate in the window. strictDate
// refuses an absent or unreadable date (for an id salvaged from an
// unreadable answer); the answer to a POST may leave it out.
func (c *Client) checkCreated(ctx context.Context, inst *Instance, req InstanceRequest, start time.Time, strictDate bool) error {
	c.resolveElement(ctx, inst)
	if !sameElement(*inst, req.Element) {
		return fmt.Errorf("%w: instance %d is of element %q, not %q", errNotRequested, inst.ID,
			c.platformText(inst.Element.Key, 100), req.Element.Key)
	}
	if !sameName(inst.Name, req.Name) {
		return fmt.Errorf("%w: instance %d is named %q, not %q", errNotRequested, inst.ID,
			c.platformText(inst.Name, 100), normalName(req.Name))
	}
	created, ok := ParseCreatedDate(inst.CreatedDate)
	switch {
	case ok && !c.inWindow(created, start):
		return fmt.Errorf("%w: instance %d was created %s, outside the create's window (%s, allowing %s of clock skew)",
			errNotRequested, inst.ID, created.Format(time.RFC3339), start.UTC().Format(time.RFC3339), c.cfg.CreateReconcileSkew)
	case !ok && strictDate:
		return fmt.Errorf("%w: instance %d has no readable createdDate, so it cannot be shown to be the one just created",
			errNotRequested, inst.ID)
	}
	return nil
}
