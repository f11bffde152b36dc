package provider

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

var (
	statusCodesValidators = []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueInt64sAre(int64validator.Between(100, 599))}
	presentValidators     = []validator.List{listvalidator.ValueStringsAre(jsonPointerValidator)}
	equalsValidators      = []validator.Map{mapvalidator.KeysAre(jsonPointerValidator)}
	attemptsValidators    = []validator.Int64{int64validator.Between(1, maxRetryAttempts)}
	delayValidators       = []validator.String{durationValidator}
)

// expectResourceAttribute and expectActionAttribute are expect in each schema package.
func expectResourceAttribute() resourceschema.SingleNestedAttribute {
	return resourceschema.SingleNestedAttribute{
		Optional:    true,
		Description: expectDescription + " Changing `expect` fires again only when the recorded firing does not meet the new expectations (checked at plan against `response` and `status_code`); otherwise it is an update in place.",
		Attributes: map[string]resourceschema.Attribute{
			"status_codes": resourceschema.SetAttribute{Optional: true, ElementType: types.Int64Type, Validators: statusCodesValidators, Description: statusCodesDescription},
			"present":      resourceschema.ListAttribute{Optional: true, ElementType: types.StringType, Validators: presentValidators, Description: presentDescription},
			"equals":       resourceschema.MapAttribute{Optional: true, ElementType: types.StringType, Validators: equalsValidators, Description: equalsDescription},
		},
	}
}

func expectActionAttribute() actionschema.SingleNestedAttribute {
	return actionschema.SingleNestedAttribute{
		Optional:    true,
		Description: expectDescription + " Under an `action_trigger`'s `on_failure = continue`, an unmet expectation is a warning and the apply goes on.",
		Attributes: map[string]actionschema.Attribute{
			"status_codes": actionschema.SetAttribute{Optional: true, ElementType: types.Int64Type, Validators: statusCodesValidators, Description: statusCodesDescription},
			"present":      actionschema.ListAttribute{Optional: true, ElementType: types.StringType, Validators: presentValidators, Description: presentDescription},
			"equals":       actionschema.MapAttribute{Optional: true, ElementType: types.StringType, Validators: equalsValidators, Description: equalsDescription},
		},
	}
}

// retryResourceAttribute and retryActionAttribute are retry in each schema package.
func retryResourceAttribute() resourceschema.SingleNestedAttribute {
	return resourceschema.SingleNestedAttribute{
		Optional:    true,
		Description: retryDescription + " `attempts` says how many firings were made. Changing `retry` is an update in place and fires nothing: it says how to reach a firing, and the recorded one was reached.",
		Validators:  []validator.Object{retryDelaysValidator{timeout: "create"}},
		Attributes: map[string]resourceschema.Attribute{
			"attempts":  resourceschema.Int64Attribute{Optional: true, Validators: attemptsValidators, Description: attemptsDescription},
			"min_delay": resourceschema.StringAttribute{Optional: true, Validators: delayValidators, Description: minDelayDescription},
			"max_delay": resourceschema.StringAttribute{Optional: true, Validators: delayValidators, Description: maxDelayDescription},
		},
	}
}

func retryActionAttribute() actionschema.SingleNestedAttribute {
	return actionschema.SingleNestedAttribute{
		Optional:    true,
		Description: retryDescription + " The action reports each attempt in its progress.",
		Validators:  []validator.Object{retryDelaysValidator{timeout: "invoke"}},
		Attributes: map[string]actionschema.Attribute{
			"attempts":  actionschema.Int64Attribute{Optional: true, Validators: attemptsValidators, Description: attemptsDescription},
			"min_delay": actionschema.StringAttribute{Optional: true, Validators: delayValidators, Description: minDelayDescription},
			"max_delay": actionschema.StringAttribute{Optional: true, Validators: delayValidators, Description: maxDelayDescription},
		},
	}
}

// jsonPointerValidator checks RFC 6901 syntax: empty (the whole answer), or "/" followed
// by reference tokens in which "~" is always followed by "0" or "1".
var jsonPointerValidator = stringCheck{
	description: "must be a JSON Pointer (RFC 6901), such as \"/data/version\"",
	check: func(p path.Path, v string) diag.Diagnostics {
		if err := checkJSONPointer(v); err != nil {
			return invalid(p, "Invalid JSON Pointer", fmt.Sprintf("%s: %q %s. A JSON Pointer is empty (the whole answer) or starts with \"/\", such as \"/data/version\"; "+
				"write \"~1\" for a \"/\" inside a key and \"~0\" for a \"~\".", p, v, err))
		}
		return nil
	},
}

func checkJSONPointer(v string) error {
	if v == "" {
		return nil
	}
	if v[0] != '/' {
		return fmt.Errorf("does not start with \"/\"")
	}
	for i := 0; i < len(v); i++ {
		if v[i] == '~' && (i+1 == len(v) || (v[i+1] != '0' && v[i+1] != '1')) {
			return fmt.Errorf("has a \"~\" that is not followed by 0 or 1")
		}
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("is not valid UTF-8")
	}
	return nil
}

// durationValidator checks a retry delay.
var durationValidator = stringCheck{
	description: "must be a duration such as \"100ms\", \"2s\" or \"1m\"",
	check: func(p path.Path, v string) diag.Diagnostics {
		if _, err := parseDelay(v); err != nil {
			return invalid(p, "Invalid duration", fmt.Sprintf("%s: %s.", p, err))
		}
		return nil
	},
}

func parseDelay(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a duration; write one such as \"100ms\", \"2s\" or \"1m\"", v)
	case d < 0:
		return 0, fmt.Errorf("%q is negative", v)
	}
	return d, nil
}

// retryDelaysValidator refuses a min_delay longer than max_delay, defaults included, and,
// with more than one attempt, a min_delay that leaves no time for a second attempt within
// the operation's timeout (timeouts.<timeout>, default 2m).
type retryDelaysValidator struct{ timeout string }

func (retryDelaysValidator) Description(context.Context) string {
	return "min_delay must not be longer than max_delay, nor than the timeout when attempts is more than 1"
}

func (v retryDelaysValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v retryDelaysValidator) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var m retryModel
	if diags := req.ConfigValue.As(ctx, &m, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true}); diags.HasError() {
		return
	}
	if m.MinDelay.IsUnknown() || m.MaxDelay.IsUnknown() {
		return
	}
	r, diags := parseRetry(m, req.Path)
	if diags.HasError() {
		return // A bad attempts or delay is reported once, by its own attribute's validator.
	}
	resp.Diagnostics.Append(checkDelayOrder(r, !m.MaxDelay.IsNull(), req.Path)...)
	if r.attempts < 2 || resp.Diagnostics.HasError() {
		return
	}
	var configured types.String
	if diags := req.Config.GetAttribute(ctx, path.Root("timeouts").AtName(v.timeout), &configured); diags.HasError() || configured.IsUnknown() {
		return
	}
	timeout, name := defaultTimeout, "timeouts."+v.timeout+", unset, so its default"
	if !configured.IsNull() {
		d, err := time.ParseDuration(configured.ValueString())
		if err != nil {
			return // The timeouts block reports it.
		}
		timeout, name = d, "timeouts."+v.timeout
	}
	if r.minDelay >= timeout {
		minText := r.minDelay.String()
		if m.MinDelay.IsNull() {
			minText = "unset, so its default, " + minText
		}
		resp.Diagnostics.AddAttributeError(req.Path.AtName("min_delay"), "Invalid retry delays",
			fmt.Sprintf("retry.min_delay (%s) is not shorter than %s (%s), so no attempt after the first could start in time, though retry.attempts is %d. "+
				"Lower min_delay, or raise %s.", minText, name, timeout, r.attempts, "timeouts."+v.timeout))
	}
}
