package validate

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// CheckName refuses an instance name that is blank or has white space at its
// start or end: the platform stores names trimmed, so such a name would plan
// a change on every run.
func CheckName(name string) error {
	if err := CheckNotBlank(name); err != nil {
		return err
	}
	if trimmed := strings.TrimSpace(name); trimmed != name {
		return fmt.Errorf("%q has spaces at its start or end, which the platform would not keep; write it as %q",
			name, trimmed)
	}
	return nil
}

// Name is CheckName as a validator, for instance names.
func Name() validator.String {
	return StringCheck("a non-empty name without spaces at its start or end", CheckName)
}
