package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// hostValidator checks the provider's host as soon as it is known.
type hostValidator struct{}

func (hostValidator) Description(context.Context) string {
	return "must be an absolute https URL, or an http URL to a loopback address, with no path"
}

func (v hostValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (hostValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := authing.ParseHost(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Authing host", err.Error()+".")
	}
}

// notBlankValidator rejects empty and white-space-only strings.
type notBlankValidator struct{}

func (notBlankValidator) Description(context.Context) string {
	return "must not be empty or only white space"
}

// emptyValue is the one error for an empty value, at validate, plan or apply time.
func emptyValue(p path.Path) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, "Empty value", fmt.Sprintf("%s must not be empty or only white space.", p))
}

func (v notBlankValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notBlankValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if strings.TrimSpace(v) == "" {
		resp.Diagnostics.Append(emptyValue(req.Path))
		return
	}
	if strings.TrimSpace(v) != v {
		resp.Diagnostics.AddAttributeError(req.Path, "Value with surrounding white space", fmt.Sprintf("%s is %q, which starts or ends with white space; remove it.", req.Path, v))
	}
}

// jsonObjectValidator requires a JSON document whose top level is an object.
type jsonObjectValidator struct{}

func (jsonObjectValidator) Description(context.Context) string {
	return "must be a JSON object, such as jsonencode({ eventName = \"test\" })"
}

func (v jsonObjectValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (jsonObjectValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkJSONObject(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid request body", fmt.Sprintf("%s %s.", req.Path, err))
	}
}

// checkJSONObject explains why s is not a JSON object, or returns nil.
func checkJSONObject(s string) error {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return fmt.Errorf("is not valid JSON (%w); build it with jsonencode()", err)
	}
	switch v.(type) {
	case map[string]any:
		return nil
	case nil:
		return fmt.Errorf("is JSON null, but Authing needs a JSON object; remove the attribute to send no body")
	case []any:
		return fmt.Errorf("is a JSON array, but Authing needs a JSON object, such as {\"items\": [...]}")
	case string:
		return fmt.Errorf("is a JSON string, but Authing needs a JSON object")
	case bool:
		return fmt.Errorf("is a JSON boolean, but Authing needs a JSON object")
	default:
		return fmt.Errorf("is a JSON number, but Authing needs a JSON object")
	}
}

// forbiddenHeaders are headers that describe the connection or the message framing: Authing
// (or any relay) sets them itself, so a value given here would be dropped or break the request.
var forbiddenHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true,
	"Keep-Alive": true, "Proxy-Connection": true, "Te": true, "Trailer": true, "Upgrade": true, "Expect": true,
}

var headerToken = regexp.MustCompile("^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$")

// headersValidator checks request header names and values.
type headersValidator struct{}

func (headersValidator) Description(context.Context) string {
	return "header names must be valid HTTP tokens and not connection headers; values must be one line"
}

func (v headersValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (headersValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for name, raw := range req.ConfigValue.Elements() {
		p := req.Path.AtMapKey(name)
		if err := checkHeaderName(name); err != nil {
			resp.Diagnostics.AddAttributeError(p, "Invalid request header", err.Error())
			continue
		}
		if s, ok := raw.(types.String); ok && !s.IsUnknown() && !s.IsNull() {
			if err := checkHeaderValue(name, s.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(p, "Invalid request header", err.Error())
			}
		}
	}
}

func checkHeaderName(name string) error {
	if !headerToken.MatchString(name) {
		return fmt.Errorf("header name %q is not a valid HTTP header name (letters, digits and !#$%%&'*+-.^_`|~ only, no spaces or colons)", name)
	}
	canonical := http.CanonicalHeaderKey(name)
	if forbiddenHeaders[canonical] || strings.HasPrefix(canonical, "Proxy-") {
		return fmt.Errorf("header %q describes the connection, not the request; HTTP relays set it themselves, so it cannot be sent", name)
	}
	return nil
}

func checkHeaderValue(name, value string) error {
	if strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("the value of header %q contains a line break or NUL character, which HTTP does not allow", name)
	}
	return nil
}

// regexValidator requires a string that compiles as a Go regular expression.
type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid regular expression (RE2 syntax)"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression", fmt.Sprintf("%s does not compile: %s.", req.Path, err))
	}
}

// webhookURLValidator requires an absolute http or https URL.
type webhookURLValidator struct{}

func (webhookURLValidator) Description(context.Context) string {
	return "must be an absolute http:// or https:// URL"
}

func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid webhook URL", fmt.Sprintf("%q is not an absolute http:// or https:// URL; Authing calls this URL when an event happens.", raw))
	}
}

// eventNameValidator checks the shape of an event name as soon as it is known, and
// suggests the documented name for near misses such as "user.created".
type eventNameValidator struct{}

func (eventNameValidator) Description(context.Context) string {
	return "must be a webhook event name such as user:created (words joined by colons)"
}

func (v eventNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (eventNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	if eventNameSyntax.MatchString(name) {
		return
	}
	msg := fmt.Sprintf("%q is not a webhook event name: event names are lower-case words joined by colons, never dots", name)
	if s := suggestEvent(name, documentedEvents); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid webhook event", msg+".")
}
