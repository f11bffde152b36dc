package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// stringCheck is the one shape of this provider's string validators: a description for
// the docs and a check of a known value. Null and unknown values pass: Required catches
// the one, and the firing path checks again once the other is known.
type stringCheck struct {
	description string
	check       func(p path.Path, v string) diag.Diagnostics
}

func (c stringCheck) Description(context.Context) string { return c.description }

func (c stringCheck) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(c.check(req.Path, req.ConfigValue.ValueString())...)
}

// invalid is a one-error result of a check.
func invalid(p path.Path, summary, detail string) diag.Diagnostics {
	return diag.Diagnostics{diag.NewAttributeErrorDiagnostic(p, summary, detail)}
}

// hostValidator checks the provider's host as soon as it is known.
var hostValidator = stringCheck{
	description: "must be an absolute https URL, or an http URL to a loopback address, with no path",
	check: func(p path.Path, v string) diag.Diagnostics {
		if _, err := authing.ParseHost(v); err != nil {
			return invalid(p, "Invalid Authing host", err.Error()+".")
		}
		return nil
	},
}

// notBlankValidator rejects empty and white-space-only strings, and surrounding white space.
var notBlankValidator = stringCheck{
	description: "must not be empty or only white space",
	check: func(p path.Path, v string) diag.Diagnostics {
		if strings.TrimSpace(v) == "" {
			return diag.Diagnostics{emptyValue(p)}
		}
		if strings.TrimSpace(v) != v {
			return invalid(p, "Value with surrounding white space", fmt.Sprintf("%s is %q, which starts or ends with white space; remove it.", p, v))
		}
		return nil
	},
}

// emptyValue is the one error for an empty value, at validate, plan or apply time.
func emptyValue(p path.Path) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, "Empty value", fmt.Sprintf("%s must not be empty or only white space.", p))
}

// jsonObjectValidator requires a JSON document whose top level is an object. Its errors
// never quote the value, which may hold a secret (a sensitive or ephemeral variable): they
// say where the JSON breaks and what was expected there.
var jsonObjectValidator = stringCheck{
	description: "must be a JSON object, such as jsonencode({ eventName = \"test\" })",
	check: func(p path.Path, v string) diag.Diagnostics {
		if err := checkJSONObject(v); err != nil {
			return invalid(p, "Invalid request body", fmt.Sprintf("%s %s. The value is not shown, since it may hold a secret.", p, err))
		}
		return nil
	},
}

// checkJSONObject explains why s is not a JSON object, or returns nil. The explanation
// never quotes s.
func checkJSONObject(s string) error {
	var raw json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return fmt.Errorf("is not valid JSON: %s; build it with jsonencode(), which always writes valid JSON", whereJSONBreaks(s, err))
	}
	switch strings.TrimLeft(string(raw), " \t\r\n")[0] {
	case '{':
		return nil
	case 'n':
		return fmt.Errorf("is JSON null, but Authing needs a JSON object; remove the attribute to send no body")
	case '[':
		return fmt.Errorf("is a JSON array, but Authing needs a JSON object, such as {\"items\": [...]}")
	case '"':
		return fmt.Errorf("is a JSON string, but Authing needs a JSON object")
	case 't', 'f':
		return fmt.Errorf("is a JSON boolean, but Authing needs a JSON object")
	default:
		return fmt.Errorf("is a JSON number, but Authing needs a JSON object")
	}
}

// quotedCharacter is the character encoding/json quotes in a syntax error, which comes
// from the value and so is never shown.
var quotedCharacter = regexp.MustCompile(`invalid character '(?:[^'\\]|\\.)*'`)

// whereJSONBreaks says where s stops being JSON (line, column and byte offset) and what
// was expected there, without quoting any of s.
func whereJSONBreaks(s string, err error) string {
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		return "it cannot be read as JSON"
	}
	offset := int(syntax.Offset)
	what := strings.TrimPrefix(syntax.Error(), "json: ")
	if quotedCharacter.MatchString(what) {
		// The offset is just past the offending character.
		offset = max(offset-1, 0)
		what = quotedCharacter.ReplaceAllString(what, "unexpected character")
		what = strings.Replace(what, "unexpected character looking for beginning of value", "expected a JSON value (an object, array, string, number, true, false or null)", 1)
		what = strings.Replace(what, "unexpected character after object key:value pair", "expected a comma or a closing brace after an object member", 1)
		what = strings.Replace(what, "unexpected character after object key", "expected a colon after an object key", 1)
		what = strings.Replace(what, "unexpected character after array element", "expected a comma or a closing bracket after an array element", 1)
		what = strings.Replace(what, "unexpected character looking for beginning of object key string", "expected a double-quoted object key", 1)
		what = strings.Replace(what, "unexpected character after top-level value", "unexpected text after the end of the JSON value", 1)
		what = strings.Replace(what, "unexpected character in string literal", "a control character such as a line break inside a string, which JSON needs escaped", 1)
	}
	if what == "unexpected end of JSON input" {
		what = "the text ends before the JSON does (an unclosed string, object or array)"
	}
	offset = min(offset, len(s))
	before := s[:offset]
	line := strings.Count(before, "\n") + 1
	column := utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
	return fmt.Sprintf("at line %d, column %d (byte %d): %s", line, column, offset, what)
}

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
	resp.Diagnostics.Append(checkHeaders(req.Path, req.ConfigValue.Elements())...)
}

// checkHeaders checks each header of a map at p, in name order, at the header's own
// path; values not known yet are checked once they are.
func checkHeaders(p path.Path, headers map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, name := range sortedKeys(headers) {
		at := p.AtMapKey(name)
		if err := checkHeaderName(name); err != nil {
			diags.AddAttributeError(at, "Invalid request header", err.Error())
			continue
		}
		if headers[name].IsNull() {
			diags.Append(headerWithoutValue(at, name))
			continue
		}
		if s, ok := headers[name].(types.String); ok && !s.IsUnknown() {
			if err := checkHeaderValue(name, s.ValueString()); err != nil {
				diags.AddAttributeError(at, "Invalid request header", err.Error())
			}
		}
	}
	return diags
}

func checkHeaderName(name string) error {
	if !authing.ValidHeaderName(name) {
		return fmt.Errorf("header name %q is not a valid HTTP header name (letters, digits and !#$%%&'*+-.^_`|~ only, no spaces or colons)", name)
	}
	if authing.IsConnectionHeader(name) {
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
var regexValidator = stringCheck{
	description: "must be a valid regular expression (RE2 syntax)",
	check: func(p path.Path, v string) diag.Diagnostics {
		if _, err := regexp.Compile(v); err != nil {
			return invalid(p, "Invalid regular expression", fmt.Sprintf("%s does not compile: %s.", p, err))
		}
		return nil
	},
}

// webhookURLValidator requires an absolute http or https URL.
var webhookURLValidator = stringCheck{
	description: "must be an absolute http:// or https:// URL",
	check: func(p path.Path, v string) diag.Diagnostics {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// Shown without user information, query or fragment, which may carry a token.
			shown := "The value"
			if err == nil {
				shown = fmt.Sprintf("%q", (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, Opaque: u.Opaque}).String())
			}
			return invalid(p, "Invalid webhook URL", shown+" is not an absolute http:// or https:// URL; Authing calls this URL when an event happens.")
		}
		return nil
	},
}

// eventNameValidator checks the shape of an event name as soon as it is known, and
// suggests the documented name for near misses such as "user.created".
var eventNameValidator = stringCheck{
	description: "must be a webhook event name such as user:created (words joined by colons)",
	check: func(p path.Path, name string) diag.Diagnostics {
		if eventNameSyntax.MatchString(name) {
			return nil
		}
		msg := fmt.Sprintf("%q is not a webhook event name: %s.", name, eventNameFault(name))
		if s := suggestEvent(name, documentedEvents); s != "" {
			msg += fmt.Sprintf(" Did you mean %q?", s)
		}
		return invalid(p, "Invalid webhook event", msg)
	},
}

// eventNameFault says what is wrong with a name that eventNameSyntax refuses: the rule it
// breaks, not the whole rule, so that "User:Created" is not told about dots.
func eventNameFault(name string) string {
	var faults []string
	if strings.ToLower(name) != name {
		faults = append(faults, "event names are lower case")
	}
	if strings.Contains(name, ".") {
		faults = append(faults, "words are joined by colons, never dots")
	}
	if len(faults) == 0 || !eventNameSyntax.MatchString(strings.ReplaceAll(strings.ToLower(name), ".", ":")) {
		faults = append(faults, "event names are words of lower-case letters, digits and hyphens, joined by single colons")
	}
	return strings.Join(faults, "; ")
}

// secretConflictValidator refuses secret_wo together with secret, once and at secret_wo:
// a ConflictsWith on each attribute reported the one conflict twice.
type secretConflictValidator struct{}

func (secretConflictValidator) Description(context.Context) string {
	return "conflicts with secret"
}

func (v secretConflictValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (secretConflictValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() {
		return
	}
	var secret types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secret"), &secret)...)
	if resp.Diagnostics.HasError() || secret.IsNull() {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Conflicting webhook secrets",
		"secret and secret_wo are both set. Keep one: secret_wo (write-only, Terraform 1.11 or later, never stored) or secret (kept in state as sensitive).")
}

// rfc3339Validator requires an RFC 3339 time, such as timestamp() and timeadd() give.
var rfc3339Validator = stringCheck{
	description: "must be an RFC 3339 time such as 2026-01-02T15:04:05Z",
	check: func(p path.Path, v string) diag.Diagnostics {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return invalid(p, "Invalid time", fmt.Sprintf("%s is %q, which is not an RFC 3339 time such as 2026-01-02T15:04:05Z or 2026-01-02T23:04:05+08:00; "+
				"timestamp(), timeadd() and a trigger's triggered_at give such times.", p, v))
		}
		return nil
	},
}

// ownIdempotencyKeyValidator checks a trigger's own Idempotency-Key header against what
// needs the firing ID there (the provider sends the firing ID in that header unless
// request_headers sets it): see checkOwnIdempotencyKey.
type ownIdempotencyKeyValidator struct{}

func (ownIdempotencyKeyValidator) Description(context.Context) string {
	return "an own " + authing.FiringIDHeader + " header cannot go with expect.status_codes"
}

func (v ownIdempotencyKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (ownIdempotencyKeyValidator) ValidateMap(ctx context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	resp.Diagnostics.Append(checkOwnIdempotencyKey(ctx, req.Config, req.ConfigValue)...)
}

// checkOwnIdempotencyKey refuses request headers that set Idempotency-Key together with
// expect.status_codes: the delivery's status is read from Authing's logs by the firing ID
// that header carries, so it could never be read and every firing would fail, firing
// again on every apply. With retry, it warns that every attempt carries the same key.
func checkOwnIdempotencyKey(ctx context.Context, config tfsdk.Config, headers types.Map) diag.Diagnostics {
	var diags diag.Diagnostics
	if headers.IsNull() || headers.IsUnknown() {
		return nil
	}
	var own string
	for name := range headers.Elements() {
		if strings.EqualFold(name, authing.FiringIDHeader) {
			own = name
		}
	}
	if own == "" {
		return nil
	}
	at := path.Root("request_headers").AtMapKey(own)
	var codes types.Set
	var attempts types.Int64
	diags.Append(config.GetAttribute(ctx, path.Root("expect").AtName("status_codes"), &codes)...)
	diags.Append(config.GetAttribute(ctx, path.Root("retry").AtName("attempts"), &attempts)...)
	if diags.HasError() {
		return diags
	}
	if !codes.IsNull() && !codes.IsUnknown() {
		diags.AddAttributeError(at, "Own "+authing.FiringIDHeader+" header with expect.status_codes",
			"request_headers sets "+authing.FiringIDHeader+", the header the provider sends each firing's ID in. expect.status_codes reads the endpoint's status from Authing's delivery logs, "+
				"where the firing is found by that ID, so with your own value the status could never be read: every firing would fail, and fire again on the next apply.\n\n"+
				"Remove the header (each firing then carries a unique firing ID, which receivers can de-duplicate by), or remove status_codes and check the answer with present or equals.")
	} else if !attempts.IsNull() && !attempts.IsUnknown() && attempts.ValueInt64() > 1 {
		diags.AddAttributeWarning(at, "Every retry attempt carries the same "+authing.FiringIDHeader,
			"request_headers sets "+authing.FiringIDHeader+", so each attempt of retry is sent with this same value, and a receiver that de-duplicates by it ignores every attempt after the first. "+
				"Remove the header to give each attempt its own firing ID.")
	}
	return diags
}
