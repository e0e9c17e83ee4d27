// Package validate holds the provider's shared attribute validators. Each
// rule is a plain check function (usable outside a schema, e.g. on an import
// id or an environment variable) and a framework validator built on it.
//
// Messages are plain text: the attribute path, what is wrong and what to
// write instead. They never echo a secret or a URL's user name or password.
package validate

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// StringCheck adapts check to a string validator. A refused value gets the
// summary "Invalid <path>" and the detail "<path>: <error>", so that the
// error names the attribute and says which form is expected. Null and
// unknown values are left to Required and to apply time.
func StringCheck(description string, check func(string) error) validator.String {
	return stringCheck{description: description, check: check}
}

type stringCheck struct {
	description string
	check       func(string) error
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), req.Path.String()+": "+err.Error())
	}
}

// CheckNotBlank refuses a value that is empty or only whitespace. The
// message never echoes the value, which may be a secret.
func CheckNotBlank(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be empty or only whitespace")
	}
	return nil
}

// NotBlank is CheckNotBlank as a validator, for names, keys and secrets.
func NotBlank() validator.String {
	return StringCheck("a non-empty value that is not only whitespace", CheckNotBlank)
}
