package validate

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// MaxTagLength is the longest tag the platform takes.
const MaxTagLength = 255

// CheckTag explains what is wrong with one tag, in plain text.
func CheckTag(tag string) error {
	switch {
	case strings.TrimSpace(tag) == "":
		return fmt.Errorf("tag %q is empty or only whitespace; remove it", tag)
	case strings.TrimSpace(tag) != tag:
		return fmt.Errorf("tag %q has spaces at its start or end, which the platform would not keep; write it as %q",
			tag, strings.TrimSpace(tag))
	case len(tag) > MaxTagLength:
		return fmt.Errorf("tag %.20q… is %d characters long; a tag has at most %d", tag, len(tag), MaxTagLength)
	}
	return nil
}

// Tags checks every tag of a set of strings with CheckTag. Each fault is
// reported against the set itself ("Invalid tag", "tags: tag ..."), so that
// the message names the tag rather than a set-element path.
func Tags() validator.Set { return tags{} }

type tags struct{}

func (tags) Description(context.Context) string {
	return fmt.Sprintf("tags are non-empty, without surrounding spaces, at most %d characters", MaxTagLength)
}

func (v tags) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tags) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, el := range req.ConfigValue.Elements() {
		s, ok := el.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if err := CheckTag(s.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid tag", req.Path.String()+": "+err.Error())
		}
	}
}
