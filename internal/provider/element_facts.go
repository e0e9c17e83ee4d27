package provider

import "strings"

// Facts about the elements the provider knows by name, one entry each.
// Every part that needs one (the typed resource, the generic resource, the
// data sources, the list resources, the moved block) reads it here, so a
// third typed element adds its entry here and its profile in one small file.

// elementFacts is what the provider knows of one element.
type elementFacts struct {
	key   string // the platform's element key
	label string // what one instance is called in messages
	// webhookHook is the element's segment in the platform's webhook address
	// (/events/<hook>/<base64 id>); "" when the platform documents none.
	webhookHook string
	// secretKeys are configuration keys holding a secret under an innocent
	// name: never shown, compared or read back.
	secretKeys []string
	// matchKeys are configuration keys that identify an instance: the
	// create reconcile compares them (and the name) to find an instance
	// whose create answer was lost, and a listing item lacking one is read
	// in full before it is shown.
	matchKeys []string
}

// Freshdesk V2 (element 491): the configuration keys its named attributes
// map onto.
const (
	freshdeskElementKey       = "freshdeskv2"
	configSubdomain           = "subdomain"
	configUsername            = "username" // the Freshdesk API key
	configFilterResponseNulls = "filter.response.nulls"
)

var freshdeskElement = elementFacts{
	key:         freshdeskElementKey,
	label:       "Freshdesk V2 instance",
	webhookHook: "freshdesk",
	secretKeys:  []string{configUsername},
	matchKeys:   []string{configSubdomain},
}

// knownElements holds the facts by element key.
var knownElements = map[string]elementFacts{freshdeskElement.key: freshdeskElement}

// factsOf returns what is known of the element key: for an element not
// known by name, its key alone.
func factsOf(key string) elementFacts {
	if f, ok := knownElements[strings.ToLower(key)]; ok {
		return f
	}
	return elementFacts{key: key, label: "instance of " + key}
}

// lacksMatchKeys reports whether a listed instance lacks a key that
// identifies it (listings may answer fewer fields than a read).
func (f elementFacts) lacksMatchKeys(cfg map[string]string) bool {
	for _, k := range f.matchKeys {
		if cfg[k] == "" {
			return true
		}
	}
	return false
}
