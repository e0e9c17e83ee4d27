package emulator

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// mask is what secret configuration values read back as.
const mask = "********"

// userID is the id of the (single) user that owns every instance.
const userID = 12345

// element is one catalog entry the emulator knows how to provision.
type element struct {
	ID          int64
	Key         string
	Name        string
	HookName    string
	Hub         string
	AuthType    string
	TypeOauth   bool
	Image       string
	Description string
	Required    []string
	// baseURL derives the platform's base.url default from the configuration.
	baseURL func(cfg map[string]string) string
}

// elements holds freshdeskv2 plus two more so list filters have something to
// tell apart (another helpdesk element and one from a different hub).
var elements = map[string]*element{
	"freshdeskv2": {
		ID: 491, Key: "freshdeskv2", Name: "Freshdesk V2", HookName: "Freshdeskv2",
		Hub: "helpdesk", AuthType: "basic", Image: "elements/provider_freshdesk.png",
		Description: "Add a Freshdesk Instance to connect your existing Freshdesk account to the Help Desk Hub, allowing you to manage your incidents, priorities, statuses, users, etc. across multiple Help Desk Elements. You will need your Freshdesk account information to add an instance.",
		Required:    []string{"subdomain", "username"},
		baseURL:     subdomainURL(".freshdesk.com"),
	},
	"zendesk": {
		ID: 41, Key: "zendesk", Name: "Zendesk", HookName: "Zendesk",
		Hub: "helpdesk", AuthType: "basic", Image: "elements/provider_zendesk.png",
		Description: "Add a Zendesk Instance to connect your existing Zendesk account to the Help Desk Hub.",
		Required:    []string{"subdomain", "username"},
		baseURL:     subdomainURL(".zendesk.com"),
	},
	"hubspotcrm": {
		ID: 3213, Key: "hubspotcrm", Name: "HubSpot CRM", HookName: "HubspotCrm",
		Hub: "crm", AuthType: "oauth2", TypeOauth: true, Image: "elements/provider_hubspot.png",
		Description: "Add a HubSpot CRM Instance to connect your existing HubSpot account to the CRM Hub.",
		baseURL:     func(map[string]string) string { return "https://api.hubapi.com" },
	},
}

func subdomainURL(suffix string) func(map[string]string) string {
	return func(cfg map[string]string) string {
		if sd := cfg["subdomain"]; sd != "" {
			return "https://" + sd + suffix
		}
		return ""
	}
}

// elementByID finds a catalog element by numeric id.
func elementByID(id int64) *element {
	for _, e := range elements {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// addDefaults fills in the platform defaults the caller did not send.
func addDefaults(el *element, cfg map[string]string) {
	defaults := map[string]string{
		"filter.response.nulls":      "true",
		"event.notification.enabled": "false",
		"pagination.max":             "100",
	}
	if el != nil && el.baseURL != nil {
		if u := el.baseURL(cfg); u != "" {
			defaults["base.url"] = u
		}
	}
	for k, v := range defaults {
		if _, ok := cfg[k]; !ok {
			cfg[k] = v
		}
	}
}

// isSecretKey says whether a configuration key reads back masked.
func (s *Server) isSecretKey(key string) bool {
	switch key {
	case "password", "oauth.api.key", "oauth.api.secret", "event.notification.signature.key":
		return true
	case "username":
		return s.opts.MaskUsername
	}
	return strings.HasSuffix(key, ".password")
}

func (s *Server) maskValue(key, value string) string {
	if s.isSecretKey(key) {
		return mask
	}
	return value
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// stripHTML removes tags from a name as the platform does.
func stripHTML(name string) string {
	return strings.TrimSpace(htmlTag.ReplaceAllString(name, ""))
}

// stringify turns a configuration value sent as any JSON type into the string
// the platform stores. ok is false for null (meaning "unset").
func stringify(raw json.RawMessage) (value string, ok bool, err error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", false, err
	}
	switch t := v.(type) {
	case nil:
		return "", false, nil
	case string:
		return t, true, nil
	case bool:
		if t {
			return "true", true, nil
		}
		return "false", true, nil
	case json.Number:
		return t.String(), true, nil
	default:
		// Objects and arrays (e.g. event.poller.configuration) are kept as
		// compact JSON text.
		b, err := json.Marshal(t)
		return string(b), true, err
	}
}

// instanceBody is the request body of POST, PUT and PATCH /instances/{id}.
// Pointers and maps stay nil when the field was absent.
type instanceBody struct {
	Element *struct {
		Key string `json:"key"`
		ID  int64  `json:"id"`
	} `json:"element"`
	Name          *string                    `json:"name"`
	Configuration map[string]json.RawMessage `json:"configuration"`
	Tags          *[]string                  `json:"tags"`
}

// configuration converts the sent map to stored strings, dropping nulls.
func (b *instanceBody) configuration() (map[string]string, []string, error) {
	cfg := make(map[string]string, len(b.Configuration))
	var nulls []string
	for k, raw := range b.Configuration {
		v, ok, err := stringify(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("invalid value for configuration %q", k)
		}
		if !ok {
			nulls = append(nulls, k)
			continue
		}
		cfg[k] = v
	}
	return cfg, nulls, nil
}

// elementJSON is the element summary embedded in an instance.
type elementJSON struct {
	ID                     int64    `json:"id"`
	Name                   string   `json:"name"`
	HookName               string   `json:"hookName"`
	Key                    string   `json:"key"`
	Description            string   `json:"description"`
	Image                  string   `json:"image"`
	Active                 bool     `json:"active"`
	Deleted                bool     `json:"deleted"`
	TypeOauth              bool     `json:"typeOauth"`
	TrialAccount           bool     `json:"trialAccount"`
	Resources              []string `json:"resources"`
	TransformationsEnabled bool     `json:"transformationsEnabled"`
	BulkDownloadEnabled    bool     `json:"bulkDownloadEnabled"`
	BulkUploadEnabled      bool     `json:"bulkUploadEnabled"`
	Cloneable              bool     `json:"cloneable"`
	Extendable             bool     `json:"extendable"`
	Beta                   bool     `json:"beta"`
	Authentication         struct {
		Type string `json:"type"`
	} `json:"authentication"`
	Extended     bool     `json:"extended"`
	Hub          string   `json:"hub"`
	ProtocolType string   `json:"protocolType"`
	Parameters   []string `json:"parameters"`
}

// instanceJSON is the full instance object as the platform answers it.
type instanceJSON struct {
	ID                     int64             `json:"id"`
	Name                   string            `json:"name"`
	CreatedDate            string            `json:"createdDate"`
	Token                  string            `json:"token"`
	Element                elementJSON       `json:"element"`
	ElementID              int64             `json:"elementId"`
	Tags                   []string          `json:"tags"`
	ProvisionInteractions  []string          `json:"provisionInteractions"`
	Valid                  bool              `json:"valid"`
	Disabled               bool              `json:"disabled"`
	MaxCacheSize           int               `json:"maxCacheSize"`
	CacheTimeToLive        int               `json:"cacheTimeToLive"`
	Configuration          map[string]string `json:"configuration"`
	EventsEnabled          bool              `json:"eventsEnabled"`
	TraceLoggingEnabled    bool              `json:"traceLoggingEnabled"`
	CachingEnabled         bool              `json:"cachingEnabled"`
	ExternalAuthentication string            `json:"externalAuthentication"`
	User                   struct {
		ID int64 `json:"id"`
	} `json:"user"`
}

func toElementJSON(el *element) elementJSON {
	e := elementJSON{
		ID: el.ID, Name: el.Name, HookName: el.HookName, Key: el.Key,
		Description: el.Description, Image: el.Image, Active: true,
		TypeOauth: el.TypeOauth, Resources: []string{}, TransformationsEnabled: true,
		BulkDownloadEnabled: true, BulkUploadEnabled: true, Cloneable: true,
		Extendable: true, Hub: el.Hub, ProtocolType: "http", Parameters: []string{},
	}
	e.Authentication.Type = el.AuthType
	return e
}

// toJSON renders a stored instance for an answer, secrets masked.
func (s *Server) toJSON(inst *Instance) instanceJSON {
	el := elements[inst.ElementKey]
	if el == nil {
		// Seeded with an element outside the catalog: still answer sensibly.
		el = &element{Key: inst.ElementKey, Name: inst.ElementKey, HookName: inst.ElementKey, AuthType: "basic"}
	}
	cfg := make(map[string]string, len(inst.Configuration))
	for k, v := range inst.Configuration {
		cfg[k] = s.maskValue(k, v)
	}
	tags := append([]string{}, inst.Tags...)
	out := instanceJSON{
		ID: inst.ID, Name: inst.Name, CreatedDate: inst.CreatedDate.UTC().Format(time.RFC3339),
		Token: inst.Token, Element: toElementJSON(el), ElementID: el.ID, Tags: tags,
		ProvisionInteractions: []string{}, Valid: inst.Valid, Disabled: inst.Disabled,
		Configuration: cfg, EventsEnabled: inst.Configuration["event.notification.enabled"] == "true",
		ExternalAuthentication: "none",
	}
	out.User.ID = userID
	return out
}

// configEntry is one element of GET /instances/{id}/configuration.
type configEntry struct {
	ID            int64   `json:"id"`
	Key           string  `json:"key"`
	PropertyValue *string `json:"propertyValue"`
}

// errorJSON is the platform's error body.
type errorJSON struct {
	RequestID       string `json:"requestId"`
	Message         string `json:"message"`
	ProviderMessage string `json:"providerMessage,omitempty"`
}

// sortedKeys returns a map's keys in order, for stable answers.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
