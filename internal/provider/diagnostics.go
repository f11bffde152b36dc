package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// outcomeText explains, for a call that is not idempotent, what a failure means.
type outcomeText struct {
	notDone     string
	mayHaveDone string
	// failed follows the list of a firing's unmet expectations: what happens next.
	failed string
}

var (
	noOutcome      = outcomeText{}
	triggerOutcome = outcomeText{
		notDone: "The request was not processed, so the webhook was not fired.",
		mayHaveDone: "The webhook MAY HAVE FIRED: the request may have reached Authing, but no answer confirmed the outcome. " +
			"The provider never repeats such a request, so that a webhook is not fired twice by accident.\n" +
			"Nothing was recorded in state, so the next apply will trigger the webhook again. If a second delivery matters, " +
			"check the webhook's logs in the Authing console first. Once a firing is recorded, change a value in `triggers` to fire again deliberately.",
		failed: "Nothing was recorded in state, so the next apply fires again, with no -replace needed.",
	}
	actionOutcome = outcomeText{
		notDone: triggerOutcome.notDone,
		mayHaveDone: "The webhook MAY HAVE FIRED: the request may have reached Authing, but no answer confirmed the outcome. " +
			"The provider never repeats such a request, so that a webhook is not fired twice by accident. " +
			"If a second delivery matters, check the webhook's logs (the authing_webhook_logs data source) before invoking the action again.",
		failed: "An action_trigger with on_failure = continue turns this error into a warning.",
	}
	teardownOutcome = outcomeText{
		notDone: "The request was not processed, so the on_destroy firing did not happen. The destroy stopped and the state is kept: " +
			"apply the destroy again to retry it, or remove on_destroy (and apply) to destroy without a teardown firing.",
		mayHaveDone: "The on_destroy firing MAY HAVE HAPPENED: the request may have reached Authing, but no answer confirmed the outcome, " +
			"and the provider never repeats such a request.\n" +
			"The destroy stopped and the state is kept. Destroying again fires the teardown again; if a second teardown notice matters, " +
			"check the webhook's logs (the authing_webhook_logs data source) first, and to destroy without firing, remove on_destroy and apply before destroying.",
		failed: "The destroy stopped and the state is kept. Destroying again fires the teardown again; to destroy without a teardown firing, remove on_destroy and apply first.",
	}
	createOutcome = outcomeText{
		notDone: "The request was not processed, so no webhook was created.",
		mayHaveDone: "The webhook MAY HAVE BEEN CREATED: the request may have reached Authing, but no answer confirmed the outcome, " +
			"and the provider never repeats such a request, so that a webhook is not created twice.\n" +
			"Nothing was recorded in state. Before applying again, look for the webhook (for example with the authing_webhooks data source); " +
			"if it exists, import it with `terraform import` and its webhook ID instead.",
	}
)

// errorDetail renders every fact of a failed call, one per line, for a diagnostic's detail.
// For calls that are not idempotent, text explains the outcome; idempotent calls pass
// noOutcome, since their errors carry none.
func errorDetail(err error, text outcomeText) string {
	var e *authing.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	var b strings.Builder
	switch e.Outcome {
	case authing.NotProcessed:
		b.WriteString(text.notDone + "\n\n")
	case authing.MayHaveTakenEffect:
		b.WriteString(text.mayHaveDone + "\n\n")
	}
	line := func(name, value string) {
		if value != "" && value != "0" {
			fmt.Fprintf(&b, "%-12s %s\n", name+":", value)
		}
	}
	line("Operation", e.Operation)
	line("HTTP status", fmt.Sprint(e.HTTPStatus))
	line("statusCode", fmt.Sprint(e.StatusCode))
	line("apiCode", fmt.Sprint(e.APICode))
	line("message", e.Message)
	line("requestId", e.RequestID)
	if e.Attempts > 1 {
		line("Attempts", fmt.Sprint(e.Attempts))
	}
	if e.Err != nil {
		cause := e.Err.Error()
		if errors.Is(e.Err, context.DeadlineExceeded) {
			cause += " (the operation's timeout ran out; raise it in the timeouts block if the API is slow)"
		}
		if errors.Is(e.Err, context.Canceled) {
			cause += " (the run was interrupted)"
		}
		line("Cause", cause)
	}
	if hint := nextStep(err); hint != "" {
		b.WriteString("\n" + hint)
	}
	return strings.TrimRight(b.String(), "\n")
}

// nextStep is what to check after a failure that points at the provider's configuration
// rather than at Authing.
func nextStep(err error) string {
	switch {
	case authing.IsCredentialsRefused(err):
		return "Authing refused the access key. Check access_key_id and access_key_secret (or the " + EnvAccessKeyID + " and " + EnvAccessKeySecret +
			" environment variables): both must come from the same access key of the user pool (Authing console), " +
			"and host (or " + EnvHost + ") must be the Authing API where that user pool lives."
	case authing.IsUnreachable(err):
		return "Nothing answered at the provider's host: the connection was refused, or the host name is unknown. Check host (or the " + EnvHost +
			" environment variable); unset, it is " + authing.DefaultHost + ", and a private deployment or a local emulator has its own address."
	}
	return ""
}

// masked returns diags with every secret the client knows replaced in their summaries and
// details (authing.Client.Mask): the client's answers and errors are masked already, and
// this keeps text the provider builds from them, or from anything else, masked too.
func masked(client *authing.Client, diags diag.Diagnostics) diag.Diagnostics {
	if client == nil {
		return diags
	}
	return maskedWith(client.Mask, diags)
}

// maskedWith is diags with mask applied to each summary and detail.
func maskedWith(mask func(string) string, diags diag.Diagnostics) diag.Diagnostics {
	if len(diags) == 0 {
		return diags
	}
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		summary, detail := mask(d.Summary()), mask(d.Detail())
		if summary == d.Summary() && detail == d.Detail() {
			out = append(out, d)
			continue
		}
		var at diag.DiagnosticWithPath
		switch {
		case asPath(d, &at) && d.Severity() == diag.SeverityError:
			out = append(out, diag.NewAttributeErrorDiagnostic(at.Path(), summary, detail))
		case asPath(d, &at):
			out = append(out, diag.NewAttributeWarningDiagnostic(at.Path(), summary, detail))
		case d.Severity() == diag.SeverityError:
			out = append(out, diag.NewErrorDiagnostic(summary, detail))
		default:
			out = append(out, diag.NewWarningDiagnostic(summary, detail))
		}
	}
	return out
}

// asPath reports whether d has an attribute path, and sets *at to it.
func asPath(d diag.Diagnostic, at *diag.DiagnosticWithPath) bool {
	p, ok := d.(diag.DiagnosticWithPath)
	if ok {
		*at = p
	}
	return ok
}
