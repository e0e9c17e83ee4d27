package emulator

// Checking a create or PUT body the way the platform does.

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// decodeBody parses an instance body; rep.status is 0 when it parsed.
func decodeBody(body []byte) (b instanceBody, rep reply) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return b, errReply(http.StatusBadRequest, "Bad request: a JSON request body is required")
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return b, errReply(http.StatusBadRequest, "Bad request: malformed JSON in request body: %v", err)
	}
	return b, reply{}
}

// lookupElement resolves element.key or element.id in a body. An element
// outside the catalog is a 404, as the platform answers it.
func lookupElement(b *instanceBody) (*element, reply) {
	if b.Element == nil || (b.Element.Key == "" && b.Element.ID == 0) {
		return nil, errReply(http.StatusBadRequest, "Missing required field: element.key")
	}
	if b.Element.Key != "" {
		if el := elements[b.Element.Key]; el != nil {
			return el, reply{}
		}
		return nil, errReply(http.StatusNotFound, "No element found with key '%s'", b.Element.Key)
	}
	if el := elementByID(b.Element.ID); el != nil {
		return el, reply{}
	}
	return nil, errReply(http.StatusNotFound, "No element found with id %d", b.Element.ID)
}

// uniqueTags collapses duplicate tags, keeping the first of each.
func uniqueTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func cleanName(name *string) (string, reply) {
	if name == nil {
		return "", errReply(http.StatusBadRequest, "Missing required field: name")
	}
	n := stripHTML(*name)
	if n == "" {
		return "", errReply(http.StatusBadRequest, "Invalid name: the instance name cannot be empty")
	}
	return n, reply{}
}

// definition is a validated create- or PUT-style body.
type definition struct {
	el   *element
	name string
	cfg  map[string]string
	tags []string
	ext  string // externalAuthentication: "" (none) or "initial"
}

// oauthMessage is the platform's answer to an OAuth create without a code.
const oauthMessage = "You must provide an OAuth code in order to create an instance of this element"

// authenticate checks how an OAuth element is authorised and stands in for
// the platform's token exchange. It returns the keys the body must also
// carry.
func authenticate(el *element, b *instanceBody, d *definition) ([]string, reply) {
	if b.ExternalAuthentication != nil {
		switch *b.ExternalAuthentication {
		case "none":
		case "initial":
			d.ext = "initial"
		default:
			return nil, errReply(http.StatusBadRequest, "Invalid externalAuthentication '%s': use 'none' or 'initial'", *b.ExternalAuthentication)
		}
	}
	if !el.OAuthCode {
		return nil, reply{}
	}
	switch {
	case d.ext == "initial":
		d.cfg["oauth.user.token"] = "emulated-access-token-from-refresh-token"
		return el.InitialKeys, reply{}
	case b.ProviderData != nil && b.ProviderData.Code != "":
		d.cfg["oauth.user.refresh_token"] = "emulated-refresh-token-for-" + b.ProviderData.Code
		d.cfg["oauth.user.token"] = "emulated-access-token-for-" + b.ProviderData.Code
		return nil, reply{}
	}
	return nil, errReply(http.StatusBadRequest, oauthMessage)
}

// validateFull checks a create-style body as POST and PUT both need.
func validateFull(body []byte) (definition, reply) {
	b, rep := decodeBody(body)
	if rep.status != 0 {
		return definition{}, rep
	}
	var d definition
	if d.el, rep = lookupElement(&b); rep.status != 0 {
		return d, rep
	}
	if d.name, rep = cleanName(b.Name); rep.status != 0 {
		return d, rep
	}
	cfg, _, err := b.configuration()
	if err != nil {
		return d, errReply(http.StatusBadRequest, "Bad request: %v", err)
	}
	d.cfg = cfg
	more, rep := authenticate(d.el, &b, &d)
	if rep.status != 0 {
		return d, rep
	}
	var missing []string
	for _, k := range append(slices.Clone(d.el.Required), more...) {
		if cfg[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return d, errReply(http.StatusBadRequest, "Missing required configuration: %s", strings.Join(missing, ", "))
	}
	addDefaults(d.el, cfg)
	d.tags = []string{}
	if b.Tags != nil {
		d.tags = uniqueTags(*b.Tags)
	}
	return d, reply{}
}
