package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The check just before a firing, for values known only at apply, gives the diagnostics
// the validators give at plan time, at the same attribute paths, headers in name order.
func TestTriggerInputChecksLikeTheValidators(t *testing.T) {
	headers := types.MapValueMust(types.StringType, map[string]attr.Value{
		"X-E": types.StringValue("a\nb"), "Bad Header": types.StringValue("x"), "X-C": types.StringValue("c\rd"),
		"Host": types.StringValue("h"), "X-A": types.StringValue("\x00"), "X-Ok": types.StringValue("fine"),
	})
	body := types.StringValue("[1]")
	for _, parent := range []path.Path{path.Empty(), path.Root("on_destroy")} {
		t.Run(parent.String(), func(t *testing.T) {
			_, got := triggerInput(t.Context(), types.StringValue("  "), headers, body, parent)

			var want diag.Diagnostics
			var s validator.StringResponse
			notBlankValidator.ValidateString(t.Context(), validator.StringRequest{Path: path.Root("webhook_id"), ConfigValue: types.StringValue("  ")}, &s)
			want.Append(s.Diagnostics...)
			var m validator.MapResponse
			headersValidator{}.ValidateMap(t.Context(), validator.MapRequest{Path: parent.AtName("request_headers"), ConfigValue: headers}, &m)
			want.Append(m.Diagnostics...)
			s = validator.StringResponse{}
			jsonObjectValidator.ValidateString(t.Context(), validator.StringRequest{Path: parent.AtName("request_body"), ConfigValue: types.StringValue("[1]")}, &s)
			want.Append(s.Diagnostics...)

			if !got.Equal(want) {
				t.Fatalf("at apply:\n%s\nat plan:\n%s", diagText(got), diagText(want))
			}
			order := regexp.MustCompile(`(?s)^webhook_id: Empty value.*\n` +
				`\S*request_headers\["Bad Header"\].*\n\S*request_headers\["Host"\].*\n\S*request_headers\["X-A"\].*\n` +
				`\S*request_headers\["X-C"\].*\n\S*request_headers\["X-E"\].*\n\S*request_body: .*is a JSON array`)
			if !order.MatchString(diagText(got)) {
				t.Fatalf("not in order:\n%s", diagText(got))
			}
		})
	}
}
