package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// An execution that never ends holds an apply until the invoke timeout
// (issue 27 item 10): by default no longer than a pipeline would accept,
// said in the action's docs, and timeouts.invoke still overrides it.
func TestFormulaInstanceExecuteDefaultTimeout(t *testing.T) {
	if d, err := time.ParseDuration(defaultExecuteTimeoutText); err != nil || d != defaultExecuteTimeout {
		t.Fatalf("the documented default %q is not the default %s", defaultExecuteTimeoutText, defaultExecuteTimeout)
	}
	if defaultExecuteTimeout > 10*time.Minute {
		t.Errorf("default invoke timeout %s: an execution that never ends holds a pipeline that long", defaultExecuteTimeout)
	}
	var resp action.SchemaResponse
	NewFormulaInstanceExecuteAction().Schema(t.Context(), action.SchemaRequest{}, &resp)
	if !strings.Contains(resp.Schema.MarkdownDescription, "ends after "+defaultExecuteTimeoutText+" by default") {
		t.Errorf("the action's description does not give the default timeout: %s", resp.Schema.MarkdownDescription)
	}
	nested, ok := resp.Schema.Attributes["timeouts"].(schema.SingleNestedAttribute)
	if !ok || !strings.Contains(nested.Attributes["invoke"].GetDescription(), `default `+"`\""+defaultExecuteTimeoutText) {
		t.Errorf("timeouts.invoke does not give its default: %+v", resp.Schema.Attributes["timeouts"])
	}
	for _, tc := range []struct {
		invoke attr.Value
		want   time.Duration
	}{{types.StringNull(), defaultExecuteTimeout}, {types.StringValue("45m"), 45 * time.Minute}} {
		v := timeouts.Value{Object: types.ObjectValueMust(map[string]attr.Type{"invoke": types.StringType},
			map[string]attr.Value{"invoke": tc.invoke})}
		got, diags := v.Invoke(t.Context(), defaultExecuteTimeout)
		if diags.HasError() || got != tc.want {
			t.Errorf("invoke %v: %s %v, want %s", tc.invoke, got, diags, tc.want)
		}
	}
}
