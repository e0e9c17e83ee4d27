package emulator

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
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
	// Required are the configuration keys a create or PUT must send.
	Required []string
	// Secrets are the keys read back masked, besides the platform-wide ones
	// (isSecretKey).
	Secrets []string
	// OAuthCode: a create or PUT needs providerData.code, or
	// externalAuthentication "initial" with InitialKeys too.
	OAuthCode   bool
	InitialKeys []string
	// baseURL derives the platform's base.url default from the configuration.
	baseURL func(cfg map[string]string) string
}

// elements is the catalog: freshdeskv2, zendesk (another helpdesk element,
// for list filters and element checks), jira (basic auth with a password
// key) and sfdc (OAuth2, created by code or by external authentication).
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
	"jira": {
		ID: 39, Key: "jira", Name: "Atlassian JIRA", HookName: "Jira",
		Hub: "helpdesk", AuthType: "basic", Image: "elements/provider_jira.png",
		Description: "Add a JIRA Instance to connect your existing JIRA account to the Help Desk Hub.",
		Required:    []string{"jira.host", "username", "password"},
		Secrets:     []string{"password"},
		baseURL: func(cfg map[string]string) string {
			if h := cfg["jira.host"]; h != "" {
				return strings.TrimSuffix(h, "/") + "/rest/api/2"
			}
			return ""
		},
	},
	"sfdc": {
		ID: 2, Key: "sfdc", Name: "Salesforce Sales Cloud", HookName: "Salesforce",
		Hub: "crm", AuthType: "oauth2", TypeOauth: true, Image: "elements/provider_salesforce.png",
		Description: "Add a Salesforce Instance to connect your existing Salesforce account to the CRM Hub.",
		Required:    []string{"oauth.api.key", "oauth.api.secret", "oauth.callback.url"},
		Secrets:     []string{"oauth.api.key", "oauth.api.secret", "oauth.user.refresh_token", "oauth.user.token"},
		OAuthCode:   true,
		InitialKeys: []string{"oauth.user.refresh_token"},
		baseURL:     func(map[string]string) string { return "https://emulated.my.salesforce.com/services/data/v52.0" },
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

// isSecretKey says whether a configuration key of an instance of el reads
// back masked.
func (s *Server) isSecretKey(el *element, key string) bool {
	if s.profile.Variance.ClearSecrets {
		return false
	}
	switch key {
	case "password", "oauth.api.key", "oauth.api.secret", "event.notification.signature.key":
		return true
	case "username":
		return s.profile.MaskUsername
	}
	if el != nil && slices.Contains(el.Secrets, key) {
		return true
	}
	return strings.HasSuffix(key, ".password")
}

func (s *Server) maskValue(el *element, key, value string) string {
	if s.isSecretKey(el, key) {
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
	// ProviderData carries the OAuth code; it is never stored or echoed.
	ProviderData *struct {
		Code string `json:"code"`
	} `json:"providerData"`
	ExternalAuthentication *string `json:"externalAuthentication"`
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

// catalogElement finds inst's element; one seeded outside the catalog still
// answers sensibly.
func catalogElement(key string) *element {
	if el := elements[key]; el != nil {
		return el
	}
	return &element{Key: key, Name: key, HookName: key, AuthType: "basic"}
}

// instanceLocked renders a stored instance as the default answer, secrets
// masked and the flags the variance delays or freezes as answered now.
func (s *Server) instanceLocked(rec *record, now time.Time) instanceJSON {
	inst := &rec.inst
	el := catalogElement(inst.ElementKey)
	cfg := make(map[string]string, len(inst.Configuration))
	for k, v := range inst.Configuration {
		cfg[k] = s.maskValue(el, k, v)
	}
	ext := inst.ExternalAuthentication
	if ext == "" {
		ext = "none"
	}
	out := instanceJSON{
		ID: inst.ID, Name: inst.Name, CreatedDate: s.profile.Variance.formatDate(inst.CreatedDate),
		Token: inst.Token, Element: toElementJSON(el), ElementID: el.ID, Tags: append([]string{}, inst.Tags...),
		ProvisionInteractions: []string{}, Valid: inst.Valid, Disabled: s.disabledLocked(rec, now),
		Configuration: cfg, EventsEnabled: s.eventsLocked(rec), ExternalAuthentication: ext,
	}
	out.User.ID = userID
	return out
}

// renderLocked is an instance as the variance answers it.
func (s *Server) renderLocked(rec *record) any {
	out := s.instanceLocked(rec, time.Now())
	if !s.profile.Variance.reshapes() {
		return out
	}
	return s.reshapeLocked(out)
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
