package emulator

// GET /elements/{keyOrId} and GET /elements: an element as the platform
// describes it, with its configuration entries in the shape of an element
// export (cloudelements-api.md §4.7 [OL-CE]): the keys a create must send
// are required, without a default; base.url is required but has a default
// the platform fills in; the rest are optional.

import (
	"maps"
	"net/http"
	"slices"
)

// configFieldJSON is one configuration entry of an element definition.
type configFieldJSON struct {
	Key             string  `json:"key"`
	Name            string  `json:"name"`
	Type            string  `json:"type"`
	Required        bool    `json:"required"`
	DefaultValue    *string `json:"defaultValue,omitempty"`
	HideFromConsole bool    `json:"hideFromConsole"`
	Internal        bool    `json:"internal"`
	Active          bool    `json:"active"`
	DisplayOrder    int     `json:"displayOrder"`
}

// elementDefinitionJSON is the element summary with its configuration.
type elementDefinitionJSON struct {
	elementJSON
	Configuration []configFieldJSON `json:"configuration,omitempty"`
}

// definitionFields lists el's configuration entries: its required keys
// (secrets typed PASSWORD), then the defaults every element has.
func (s *Server) definitionFields(el *element) []configFieldJSON {
	str := func(v string) *string { return &v }
	var out []configFieldJSON
	for i, k := range el.Required {
		typ := "TEXTFIELD_128"
		if s.isSecretKey(el, k) || slices.Contains(el.Secrets, k) {
			typ = "PASSWORD"
		}
		out = append(out, configFieldJSON{Key: k, Name: k, Type: typ, Required: true, Active: true, DisplayOrder: i + 1})
	}
	return append(out,
		configFieldJSON{Key: "base.url", Name: "Base URL", Type: "TEXTFIELD_1000", Required: true,
			DefaultValue: str("https://{subdomain}/"), HideFromConsole: true, Active: true, DisplayOrder: 90},
		configFieldJSON{Key: "pagination.max", Name: "Max Page Size", Type: "TEXTFIELD_32",
			DefaultValue: str("100"), HideFromConsole: true, Active: true, DisplayOrder: 91},
		configFieldJSON{Key: "filter.response.nulls", Name: "Filter null values from the response", Type: "BOOLEAN",
			DefaultValue: str("true"), Active: true, DisplayOrder: 99},
		configFieldJSON{Key: "event.notification.enabled", Name: "Event Notifications Enabled", Type: "BOOLEAN",
			DefaultValue: str("false"), Active: true, DisplayOrder: 102},
		configFieldJSON{Key: "event.notification.callback.url", Name: "Event Notification Callback URL",
			Type: "TEXTFIELD_1000", Active: true, DisplayOrder: 103},
	)
}

// definitionLocked is el as GET /elements/{keyOrId} answers it; with
// Variance.ElementSummaryOnly, without configuration entries.
func (s *Server) definitionLocked(el *element) elementDefinitionJSON {
	d := elementDefinitionJSON{elementJSON: toElementJSON(el)}
	if !s.profile.Variance.ElementSummaryOnly {
		d.Configuration = s.definitionFields(el)
	}
	return d
}

// getElement is GET /elements/{keyOrId}: the element's definition, or the
// platform's 404 for an element outside the catalog.
func (s *Server) getElement(_ *http.Request, params []string, _ []byte) reply {
	el := catalogLookup(params[0])
	if el == nil {
		return errReply(http.StatusNotFound, "No element found with key or id '%s'", params[0])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return okReply(s.definitionLocked(el))
}

// listElements is GET /elements: the whole catalog in one page (it is far
// smaller than a page), ordered by key.
func (s *Server) listElements(_ *http.Request, _ []string, _ []byte) reply {
	keys := slices.Sorted(maps.Keys(elements))
	out := make([]elementJSON, len(keys))
	for i, k := range keys {
		out[i] = toElementJSON(elements[k])
	}
	return okReply(out)
}
