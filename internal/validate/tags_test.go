package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func tagSet(tags ...attr.Value) types.Set { return types.SetValueMust(types.StringType, tags) }

// TestTags: each fault is one "Invalid tag" error at the set's path, naming
// the tag and saying what to write.
func TestTags(t *testing.T) {
	long := strings.Repeat("n", MaxTagLength+1)
	for _, tc := range []struct {
		name    string
		value   types.Set
		details []string
	}{
		{name: "plain tags", value: tagSet(str("prod"), str("team a"), str(strings.Repeat("n", MaxTagLength)))},
		{name: "empty set", value: tagSet()},
		{name: "null", value: types.SetNull(types.StringType)},
		{name: "unknown", value: types.SetUnknown(types.StringType)},
		{name: "unknown tag", value: tagSet(types.StringUnknown(), str("prod"))},
		{name: "empty tag", value: tagSet(str("ok"), str("")),
			details: []string{`tags: tag "" is empty or only whitespace; remove it`}},
		{name: "whitespace tag", value: tagSet(str(" \t")),
			details: []string{`tags: tag " \t" is empty or only whitespace; remove it`}},
		{name: "surrounding spaces", value: tagSet(str(" prod ")),
			details: []string{`tags: tag " prod " has spaces at its start or end, which the platform would not keep; write it as "prod"`}},
		{name: "too long", value: tagSet(str(long)),
			details: []string{`tags: tag "nnnnnnnnnnnnnnnnnnnn"… is 256 characters long; a tag has at most 255`}},
		{name: "two faults", value: tagSet(str(""), str("x "), str("ok")),
			details: []string{`tags: tag "" is empty or only whitespace; remove it`,
				`tags: tag "x " has spaces at its start or end, which the platform would not keep; write it as "x"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &validator.SetResponse{}
			Tags().ValidateSet(context.Background(), validator.SetRequest{Path: path.Root("tags"), ConfigValue: tc.value}, resp)
			if len(resp.Diagnostics) != len(tc.details) {
				t.Fatalf("want %d errors, got %v", len(tc.details), resp.Diagnostics)
			}
			got := map[string]bool{}
			for _, d := range resp.Diagnostics {
				wp, ok := d.(interface{ Path() path.Path })
				if d.Summary() != "Invalid tag" || !ok || !wp.Path().Equal(path.Root("tags")) {
					t.Errorf("want an \"Invalid tag\" error at tags, got %#v", d)
				}
				got[d.Detail()] = true
			}
			for _, want := range tc.details {
				if !got[want] {
					t.Errorf("missing detail %s\n got: %v", want, resp.Diagnostics)
				}
			}
		})
	}
}
