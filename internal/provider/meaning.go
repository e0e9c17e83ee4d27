package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Comparison by meaning, in one place. A value the platform may answer in
// another spelling than the configuration's (a name it trims, a JSON
// document with its keys reordered or its numbers as strings) is of a
// string type whose semantic equality says when two spellings mean the
// same, as jsontypes.Normalized does: the framework then keeps the
// configured spelling on create, update and refresh. The plan uses the
// same equality (keepStateIfSame) where an attribute may keep its stored
// spelling, and so does every comparison the provider makes itself
// (sameMeaning): no plan modifier or read-side twin of its own.

// meaning says when two known spellings of a value mean the same; M is a
// zero-size type naming one meaning (meanings.go).
type meaning interface {
	name() string
	same(a, b string) bool
}

// meaningType is the string type of values compared by M.
type meaningType[M meaning] struct{ basetypes.StringType }

var _ basetypes.StringTypable = meaningType[storedName]{}

func (meaningType[M]) Equal(o attr.Type) bool { _, ok := o.(meaningType[M]); return ok }

func (meaningType[M]) String() string { var m M; return "meaningType[" + m.name() + "]" }

func (meaningType[M]) ValueType(context.Context) attr.Value { return meaningValue[M]{} }

func (meaningType[M]) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return meaningValue[M]{StringValue: in}, nil
}

func (t meaningType[M]) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return meaningValue[M]{StringValue: s}, nil
}

// meaningValue is a value of meaningType[M]. Its zero value is null.
type meaningValue[M meaning] struct{ basetypes.StringValue }

var _ basetypes.StringValuableWithSemanticEquals = meaningValue[storedName]{}

func (v meaningValue[M]) Equal(o attr.Value) bool {
	other, ok := o.(meaningValue[M])
	return ok && v.StringValue.Equal(other.StringValue)
}

func (meaningValue[M]) Type(context.Context) attr.Type { return meaningType[M]{} }

// StringSemanticEquals reports whether two known values mean the same;
// null and unknown are equal only to themselves.
func (v meaningValue[M]) StringSemanticEquals(ctx context.Context, other basetypes.StringValuable) (bool, diag.Diagnostics) {
	o, diags := other.ToStringValue(ctx)
	if v.IsNull() || v.IsUnknown() || o.IsNull() || o.IsUnknown() {
		return v.StringValue.Equal(o), diags
	}
	var m M
	return m.same(v.ValueString(), o.ValueString()), diags
}

// meant returns s as a known value of meaningType[M].
func meant[M meaning](s string) meaningValue[M] {
	return meaningValue[M]{StringValue: types.StringValue(s)}
}

// meantOrNull returns a null value of meaningType[M] when s is empty.
func meantOrNull[M meaning](s string) meaningValue[M] {
	if s == "" {
		return meaningValue[M]{StringValue: types.StringNull()}
	}
	return meant[M](s)
}

// sameMeaning reports whether two values mean the same: values with
// semantic equality by it, collections and objects element by element,
// anything else by Equal. It is what the provider compares with itself
// (an answer with the plan, a listed item with state).
func sameMeaning(ctx context.Context, a, b attr.Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return a.Equal(b)
	}
	if sa, ok := a.(basetypes.StringValuableWithSemanticEquals); ok {
		if sb, ok := b.(basetypes.StringValuable); ok {
			same, diags := sa.StringSemanticEquals(ctx, sb)
			return same && !diags.HasError()
		}
	}
	switch x := a.(type) {
	case basetypes.ListValue:
		y, ok := b.(basetypes.ListValue)
		return ok && sameElements(ctx, x.Elements(), y.Elements())
	case basetypes.SetValue:
		y, ok := b.(basetypes.SetValue)
		return ok && sameElements(ctx, x.Elements(), y.Elements())
	case basetypes.MapValue:
		y, ok := b.(basetypes.MapValue)
		return ok && sameAttrs(ctx, x.Elements(), y.Elements())
	case basetypes.ObjectValue:
		y, ok := b.(basetypes.ObjectValue)
		return ok && sameAttrs(ctx, x.Attributes(), y.Attributes())
	}
	return a.Equal(b)
}

func sameElements(ctx context.Context, a, b []attr.Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameMeaning(ctx, a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameAttrs(ctx context.Context, a, b map[string]attr.Value) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || !sameMeaning(ctx, x, y) {
			return false
		}
	}
	return true
}

// keepStateIfSame plans the stored value of an Optional+Computed
// attribute of meaningType[M] when the configured one means the same
// (after an import, or a configuration only reformatted), and null when
// none is configured. Computed only so that the plan can keep the stored
// spelling.
func keepStateIfSame[M meaning]() planmodifier.String { return keepStateIfSameModifier[M]{} }

type keepStateIfSameModifier[M meaning] struct{}

func (keepStateIfSameModifier[M]) Description(context.Context) string {
	var m M
	return "keeps the stored value when the configured one means the same (" + m.name() + ")"
}

func (k keepStateIfSameModifier[M]) MarkdownDescription(ctx context.Context) string {
	return k.Description(ctx)
}

func (keepStateIfSameModifier[M]) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
		return
	}
	if sameMeaning(ctx, meaningValue[M]{StringValue: req.ConfigValue}, meaningValue[M]{StringValue: req.StateValue}) {
		resp.PlanValue = req.StateValue
	}
}
