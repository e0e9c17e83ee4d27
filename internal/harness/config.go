package harness

import (
	"fmt"
	"strings"
)

// Kind says which resource a configuration declares.
type Kind int

// The things the benchmark compares.
const (
	// Provider is cloudelements_freshdesk_instance, talking to the emulator.
	Provider Kind = iota
	// PluginFloor is floor_freshdesk_instance: a plugin that does no I/O,
	// served the framework's stock way.
	PluginFloor
	// ServedFloor is floorserved_freshdesk_instance: the same plugin served
	// the way the provider is (provider.ProtocolServer, logs Terraform would
	// drop turned off), so that the provider's time above it is its own work.
	ServedFloor
	// CoreFloor is terraform_data: Terraform alone, no plugin process.
	CoreFloor
	// Generic is cloudelements_instance declaring the same Freshdesk
	// instances by element key and configuration map, talking to the
	// emulator.
	Generic
)

func (k Kind) String() string {
	switch k {
	case Provider:
		return "provider"
	case PluginFloor:
		return "plugin-floor"
	case ServedFloor:
		return "served-floor"
	case CoreFloor:
		return "core-floor"
	case Generic:
		return "generic"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Real reports whether the kind is served by the real provider.
func (k Kind) Real() bool { return k == Provider || k == Generic }

// ResourceType is the Terraform resource type of the kind.
func (k Kind) ResourceType() string {
	switch k {
	case PluginFloor:
		return "floor_freshdesk_instance"
	case ServedFloor:
		return "floorserved_freshdesk_instance"
	case CoreFloor:
		return "terraform_data"
	case Generic:
		return "cloudelements_instance"
	}
	return "cloudelements_freshdesk_instance"
}

// Config is N resources of one kind, named Prefix001, Prefix002, ...
type Config struct {
	Kind   Kind
	N      int
	Prefix string
	Tags   []string
	// Extra is HCL added inside the resource block, e.g. a timeouts
	// attribute (only for the real provider's kinds).
	Extra string
}

// Name is the name of the i-th resource (from 0), as the HCL computes it.
func (c Config) Name(i int) string { return fmt.Sprintf("%s%03d", c.Prefix, i+1) }

// Names are all declared names.
func (c Config) Names() []string {
	names := make([]string, c.N)
	for i := range names {
		names[i] = c.Name(i)
	}
	return names
}

// HCL renders the configuration. The resources use count so that the file
// stays small for any N; the real provider reads its settings from the
// CLOUDELEMENTS_* environment.
func (c Config) HCL() string {
	var b strings.Builder
	tags := make([]string, len(c.Tags))
	for i, t := range c.Tags {
		tags[i] = fmt.Sprintf("%q", t)
	}
	tagList := "[" + strings.Join(tags, ", ") + "]"
	name := fmt.Sprintf("format(%q, count.index + 1)", strings.ReplaceAll(c.Prefix, "%", "%%")+"%03d")
	switch c.Kind {
	case CoreFloor:
		fmt.Fprintf(&b, "resource \"terraform_data\" \"r\" {\n  count = %d\n  input = {\n", c.N)
		fmt.Fprintf(&b, "    name      = %s\n    subdomain = \"acme\"\n    api_key   = \"harness-api-key\"\n    tags      = %s\n  }\n}\n", name, tagList)
		return b.String()
	default:
		local, _, _ := strings.Cut(c.Kind.ResourceType(), "_")
		fmt.Fprintf(&b, "terraform {\n  required_providers {\n    %s = { source = \"cloudelements/%s\" }\n  }\n}\n\n", local, local)
	}
	if c.Kind == Generic {
		// The generic form of the same Freshdesk instance (issue 14's move).
		fmt.Fprintf(&b, "resource %q \"r\" {\n  count       = %d\n  element_key = \"freshdeskv2\"\n  name        = %s\n  tags        = %s\n"+
			"  configuration        = { subdomain = \"acme\" }\n  secret_configuration = { username = \"harness-api-key\" }\n",
			c.Kind.ResourceType(), c.N, name, tagList)
	} else {
		fmt.Fprintf(&b, "resource %q \"r\" {\n  count     = %d\n  name      = %s\n  subdomain = \"acme\"\n  api_key   = \"harness-api-key\"\n  tags      = %s\n",
			c.Kind.ResourceType(), c.N, name, tagList)
	}
	if c.Extra != "" && c.Kind.Real() {
		b.WriteString("  " + strings.TrimSpace(c.Extra) + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}
