package cloudelements

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// What did a create make? The check of a create answer, of an id salvaged
// from it and of every candidate of the reconcile lookup compares an asset
// with the request the way the platform normalises it, and treats what the
// answer cannot show (a masked, empty or absent value, an element named by
// an id that cannot be looked up) as unknown, never as different. A known
// difference is never adopted. Each kind has its check (checkInstance
// here, the formula kinds' in create_formulas.go); they share
// checkNameAndDate.

// normalName is a name as the platform stores it: HTML tags stripped and
// surrounding spaces trimmed.
func normalName(s string) string { return strings.TrimSpace(stripTags(s)) }

// StoredName is a name as the platform stores it (HTML tags stripped,
// surrounding spaces trimmed), for comparing a configured name with an
// answered one.
func StoredName(s string) string { return normalName(s) }

// sameName reports whether an answered name is the requested one, as stored.
func sameName(answered, requested string) bool {
	return answered == requested || normalName(answered) == normalName(requested)
}

// sameConfigValue reports whether an answered configuration value is the
// requested one as the platform may answer it: spaces around it, a
// number in another form (3600000 and 3.6e+06), a boolean in another case.
func sameConfigValue(answered, requested string) bool {
	a, r := strings.TrimSpace(answered), strings.TrimSpace(requested)
	if a == r || (strings.EqualFold(a, r) && (strings.EqualFold(a, "true") || strings.EqualFold(a, "false"))) {
		return true
	}
	x, errX := strconv.ParseFloat(a, 64)
	y, errY := strconv.ParseFloat(r, 64)
	return errX == nil && errY == nil && x == y
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

// checkInstance compares an instance with req, posted at start: same
// element, name (as stored), every requested tag, the values of
// req.MatchKeys (case-insensitively, as for a subdomain) and a createdDate
// in the create's window (inWindow). What the answer cannot show (a masked
// or empty value, an element named by an id that cannot be looked up) is
// unknown, never different; unsure is true when the answer left out tags
// or a match key, which the full instance may show. strict refuses an
// absent or unreadable date: a hand-made look-alike must never be adopted
// (and later destroyed); the answer to a POST may leave it out.
func (c *Client) checkInstance(ctx context.Context, inst *Instance, req InstanceRequest, start time.Time, strict bool) (unsure bool, err error) {
	c.resolveElement(ctx, inst)
	if !sameElement(*inst, req.Element) {
		return false, fmt.Errorf("%w: instance %d is of element %q, not %q", errNotRequested, inst.ID,
			c.platformText(inst.Element.Key, 100), req.Element.Key)
	}
	if err := c.checkNameAndDate("instance", inst.ID, inst.Name, inst.CreatedDate, req.Name, start, strict); err != nil {
		return false, err
	}
	for _, t := range req.Tags {
		switch {
		case inst.Tags == nil:
			unsure = true
		case !slices.Contains(inst.Tags, t):
			return false, fmt.Errorf("%w: instance %d lacks tag %q", errNotRequested, inst.ID, t)
		}
	}
	for _, k := range req.MatchKeys {
		v, answered := inst.Configuration[k]
		switch {
		case !answered:
			unsure = true
		case unknownValue(v):
		case !strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(req.Configuration[k])):
			return false, fmt.Errorf("%w: instance %d has another %s", errNotRequested, inst.ID, k)
		}
	}
	return unsure, nil
}

// checkNameAndDate is the part of every kind's check that every kind
// shares: the name as the platform stores it and a createdDate in the
// create's window (strict: a date is required).
func (c *Client) checkNameAndDate(what string, id int64, name, date, wantName string, start time.Time, strict bool) error {
	if !sameName(name, wantName) {
		return fmt.Errorf("%w: %s %d is named %q, not %q", errNotRequested, what, id,
			c.platformText(name, 100), normalName(wantName))
	}
	created, ok := ParseCreatedDate(date)
	switch {
	case ok && !c.inWindow(created, start):
		return fmt.Errorf("%w: %s %d was created %s, outside the create's window (%s, allowing %s of clock skew)",
			errNotRequested, what, id, created.Format(time.RFC3339), start.UTC().Format(time.RFC3339), c.cfg.CreateReconcileSkew)
	case !ok && strict:
		return fmt.Errorf("%w: %s %d has no readable createdDate, so it cannot be shown to be the one just created",
			errNotRequested, what, id)
	}
	return nil
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
