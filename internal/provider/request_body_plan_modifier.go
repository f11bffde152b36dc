package provider

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// semanticJSONRequiresReplace keeps the stored JSON when the configured JSON means the
// same (formatting, key order), and otherwise requires a replacement. The attribute is
// Optional and Computed so that the plan may keep the stored text, which Terraform
// forbids for attributes that are only Optional.
type semanticJSONRequiresReplace struct{}

func (semanticJSONRequiresReplace) Description(context.Context) string {
	return "a change of JSON meaning forces a new firing; a change of formatting does not"
}

func (m semanticJSONRequiresReplace) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (semanticJSONRequiresReplace) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		// Creating or destroying: nothing to compare with.
		if req.ConfigValue.IsNull() {
			resp.PlanValue = req.ConfigValue
		}
		return
	}
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
		resp.RequiresReplace = !req.StateValue.IsNull()
		return
	}
	if req.ConfigValue.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	if !req.StateValue.IsNull() && !req.StateValue.IsUnknown() {
		if sameJSON(req.StateValue.ValueString(), req.ConfigValue.ValueString()) {
			resp.PlanValue = req.StateValue
			return
		}
	}
	resp.PlanValue = req.ConfigValue
	resp.RequiresReplace = true
}

// sameJSON reports whether two texts are the same JSON document: key order, formatting
// and number notation aside (1.0, 1 and 1e0 are the same number), as the framework's JSON
// type compared them, but with numbers compared exactly: two IDs of 19 digits that differ
// in the last are different, though they round to the same float64. Text that is not
// JSON is the same only as itself.
func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	va, errA := decodeNumbers(a)
	vb, errB := decodeNumbers(b)
	return errA == nil && errB == nil && sameValue(va, vb)
}

func decodeNumbers(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON value")
	}
	return v, nil
}

func sameValue(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		return ok && sameNumber(string(a), string(b))
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if w, ok := b[k]; !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		return ok && slices.EqualFunc(a, b, sameValue)
	default: // string, bool, nil
		return a == b
	}
}

// sameNumber compares two JSON numbers by value, exactly: each is reduced to its sign,
// its significant digits and a power of ten.
func sameNumber(a, b string) bool {
	na, okA := decimalOf(a)
	nb, okB := decimalOf(b)
	return okA && okB && na == nb
}

// maxExponent bounds the exponents compared by value, so that no sum of an exponent and a
// number's length can overflow.
const maxExponent = 1 << 30

type decimal struct {
	negative bool
	digits   string // no leading or trailing zeros; "" for zero
	exponent int
}

func decimalOf(n string) (decimal, bool) {
	var d decimal
	n, d.negative = strings.CutPrefix(n, "-")
	mantissa, exp, hasExp := strings.Cut(strings.ToLower(n), "e")
	if hasExp {
		e, err := strconv.Atoi(exp)
		if err != nil || e > maxExponent || e < -maxExponent {
			return decimal{}, false // Compared as text: no body holds such a number by design.
		}
		d.exponent = e
	}
	whole, fraction, _ := strings.Cut(mantissa, ".")
	d.digits = strings.TrimLeft(whole+fraction, "0")
	d.exponent -= len(fraction)
	trimmed := strings.TrimRight(d.digits, "0")
	d.exponent += len(d.digits) - len(trimmed)
	d.digits = trimmed
	if d.digits == "" {
		return decimal{}, true // zero, whatever its sign and notation
	}
	return d, true
}
