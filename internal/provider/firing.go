package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// triggerInput turns the Terraform values shared by the resource and the action into a
// client request. It checks them again with the validators' own checks, because a value
// that was unknown at plan time is known only now; headers and body sit under parent (the
// root, or on_destroy), so each problem has the path the validator would have given it.
func triggerInput(ctx context.Context, webhookID types.String, headers types.Map, body types.String, parent path.Path) (authing.TriggerInput, diag.Diagnostics) {
	in := authing.TriggerInput{WebhookID: webhookID.ValueString()}
	diags := notBlankValidator.check(path.Root("webhook_id"), in.WebhookID)
	if !headers.IsNull() {
		headerDiags := checkHeaders(parent.AtName("request_headers"), headers.Elements())
		diags.Append(headerDiags...)
		if !headerDiags.HasError() {
			diags.Append(headers.ElementsAs(ctx, &in.RequestHeaders, false)...)
		}
	}
	if !body.IsNull() {
		diags.Append(jsonObjectValidator.check(parent.AtName("request_body"), body.ValueString())...)
		in.RequestBody = json.RawMessage(body.ValueString())
	}
	return in, diags
}

// headerWithoutValue is the error for a request header whose value is null. Sending the
// header without its value, or leaving it out, would fire a request other than the one
// configured. Validation refuses a null written in the configuration; at firing time a
// null is most often an ephemeral value that Terraform dropped: `terraform apply -invoke`
// invokes an action with the plan's copy of its configuration, where every ephemeral
// value is null.
func headerWithoutValue(at path.Path, name string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Request header without a value",
		fmt.Sprintf("Request header %q has no value, so the webhook was not fired. "+
			"If the value is ephemeral and this is `terraform apply -invoke`: Terraform (1.16.4 at least) invokes the action with the plan's copy of its configuration, "+
			"where ephemeral values are null; an action_trigger passes them. Give the header a sensitive variable that is not ephemeral to use -invoke, "+
			"or fire the action from an action_trigger.", name))
}

// firing is what a firing recorded: its ID, the endpoint's answer, when it was
// delivered, the endpoint's status when it was read (0 otherwise), and how many firings
// were made to reach it.
type firing struct {
	id       string
	response string
	at       time.Time
	status   int
	attempts int
}

// observation is what one firing showed.
type observation struct {
	firingID string
	// response is the endpoint's answer in canonical JSON, "null" when none came back.
	response string
	at       time.Time
	// status is the logged responseStatusCode when statusRead; 0 there means no answer.
	status     int
	statusRead bool
	// failed, when set, is how Authing reported the delivery as failed, and failedShort
	// the same in a few words, for progress.
	failed      string
	failedShort string
	// statusMissing, when set, says why the status that status_codes asks for is unknown.
	statusMissing string
	// statusSkipped is true when the status was not read because the answer already
	// fails present or equals: the firing is known not to meet the expectations.
	statusSkipped bool
}

// firingRun is one call's firings: the webhook, what the user expects, how often to try,
// what a failure means for the caller, and where progress goes.
type firingRun struct {
	client  *authing.Client
	in      authing.TriggerInput
	expect  expectation
	retry   retrySpec
	outcome outcomeText
	// progress receives one line per failed attempt that is followed by another; nil
	// sends it to the log only.
	progress func(string)
	// mask hides secrets in what came from the endpoint and in the final diagnostics;
	// nil masks only the client's secrets.
	mask func(string) string
	// record hides secrets in the response a firing records (credentialMasker); nil
	// records the answer as the client handed it out.
	record func(string) string
}

// firingInputs are the inputs of a firing of the trigger, as the resource and the action
// both hold them.
type firingInputs struct {
	webhookID      types.String
	requestHeaders types.Map
	requestBody    types.String
	expect, retry  types.Object
}

// openFiring reads a firing's request, expect and retry, then opens its call within
// timeout: a firingRun ready to run, its masker (the client's secrets and the request's
// own), and the call, whose cancel must be called whatever ok is. ok is false when diags
// hold an error; then nothing may be sent.
func (d *providerData) openFiring(ctx context.Context, f firingInputs, timeout timeoutFunc, outcome outcomeText, diags *diag.Diagnostics) (firingRun, apiCall, bool) {
	in, d1 := triggerInput(ctx, f.webhookID, f.requestHeaders, f.requestBody, path.Empty())
	expect, d2 := readExpect(ctx, f.expect)
	retry, d3 := readRetry(ctx, f.retry)
	diags.Append(d1...)
	diags.Append(d2...)
	diags.Append(d3...)
	if diags.HasError() {
		return firingRun{}, apiCall{cancel: func() {}}, false
	}
	call, ok := d.openCall(ctx, timeout, diags)
	if !ok {
		return firingRun{}, call, false
	}
	run := firingRun{client: call.client, in: in, expect: expect, retry: retry, outcome: outcome,
		mask: echoMasker(call.client, in), record: credentialMasker(call.client, in)}
	return run, call, true
}

// attemptRecord is a failed attempt, for the final error.
type attemptRecord struct {
	firingID string
	unmet    []string
	response string
}

// run fires until a firing meets the expectations, retries run out, or an outcome ends
// the retries (DESIGN.md, promises 1-3 and 9). Each attempt is a new firing with its own
// ID, and only an outcome known not to meet the expectations is followed by another.
func (r firingRun) run(ctx context.Context) (firing, diag.Diagnostics) {
	result, diags := r.attempts(ctx)
	if r.mask != nil {
		// Whatever the error quotes (Authing's messages, logged failures), it hides the
		// request's own secrets as well as the client's.
		return result, maskedWith(r.mask, diags)
	}
	return result, masked(r.client, diags)
}

func (r firingRun) attempts(ctx context.Context) (firing, diag.Diagnostics) {
	var diags diag.Diagnostics
	var failed []attemptRecord
	if r.mask == nil {
		r.mask = func(s string) string { return s }
	}
	for n := 1; ; n++ {
		id := newFiringID()
		obs, d := r.fireOnce(ctx, id)
		if d.HasError() {
			// MAY HAVE FIRED, or refused: retries end at once, with the attempt's own text.
			if len(failed) > 0 {
				d = withEarlierAttempts(d, failed, r.retry.attempts)
			}
			diags.Append(d...)
			return firing{}, diags
		}
		diags.Append(d...)
		unmet, reason, known := r.judge(obs)
		if len(unmet) == 0 {
			response := obs.response
			if r.record != nil {
				response = r.record(response)
			}
			return firing{id: id, response: response, at: obs.at, status: statusOf(obs), attempts: n}, diags
		}
		failed = append(failed, attemptRecord{firingID: id, unmet: unmet, response: obs.response})
		var stop string
		switch {
		case !known:
			stop = "The status of the last firing is unknown, so the provider does not fire again: it may have met the expectations."
		case n >= r.retry.attempts:
			if r.retry.attempts > 1 {
				stop = fmt.Sprintf("All %d attempts (retry.attempts) were made.", r.retry.attempts)
			}
		default:
			wait := r.retry.delay(n)
			if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
				stop = fmt.Sprintf("The next attempt (%d of %d, after %s) could not start within the timeout, with %s left; raise the timeout to allow more attempts.",
					n+1, r.retry.attempts, wait, time.Until(deadline).Round(100*time.Millisecond))
				break
			}
			line := fmt.Sprintf("attempt %d of %d: %s; next in %s", n, r.retry.attempts, reason, wait)
			tflog.Info(ctx, "Webhook firing did not meet its expectations; firing again", map[string]any{"webhook_id": r.in.WebhookID, "firing_id": id, "attempt": n, "wait": wait.String()})
			if r.progress != nil {
				r.progress(line)
			}
			if !sleepFor(ctx, wait) {
				stop = "The run was interrupted or the timeout ran out while waiting for the next attempt."
				break
			}
			continue
		}
		diags.AddError(r.failedSummary(known), r.failedDetail(failed, stop, known))
		return firing{}, diags
	}
}

// statusOf is the status a firing records: the logged one, when an answer came.
func statusOf(obs observation) int {
	if obs.statusRead {
		return obs.status
	}
	return 0
}

// sleepFor waits for d, or until ctx ends.
func sleepFor(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// fireOnce makes one firing within ctx's deadline. The request carries firingID in
// authing.FiringIDHeader. A lost answer is settled from the webhook's delivery logs where
// they show it (DESIGN.md, promise 3). An error diagnostic means the firing ended without
// a known outcome to judge: the request was refused (nothing fired), or the webhook may
// have fired; it names the firing ID, and is attributed to webhook_id only when the
// webhook does not exist.
func (r firingRun) fireOnce(ctx context.Context, firingID string) (observation, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := r.in
	var carried bool
	in.RequestHeaders, carried = withFiringID(in.RequestHeaders, firingID)
	tflog.Debug(ctx, "Triggering Authing webhook", map[string]any{"webhook_id": in.WebhookID, "firing_id": firingID})
	callCtx, cancel := withSettleReserve(ctx)
	result, err := r.client.TriggerWebhook(callCtx, in)
	cancel()
	obs := observation{firingID: firingID, response: "null", at: time.Now().UTC()}
	switch {
	case err == nil:
		obs.response = result.Response
		switch {
		case !r.expect.readsStatus():
		case len(r.expect.unmetAnswer(obs.response, r.mask)) > 0:
			// Known to fail already: the logs are not waited for.
			obs.statusSkipped = true
		default:
			r.readStatus(ctx, &obs, carried)
		}
		return obs, diags
	case authing.OutcomeOf(err) == authing.EndpointFailed:
		var e *authing.Error
		if errors.As(err, &e) {
			obs.failed = fmt.Sprintf("Authing answered statusCode %d", e.StatusCode)
			obs.failedShort = fmt.Sprintf("Authing reported that the endpoint failed (statusCode %d)", e.StatusCode)
			if e.Message != "" {
				obs.failed += fmt.Sprintf(" (%s)", r.mask(e.Message))
			}
			if e.RequestID != "" {
				obs.failed += ", requestId " + e.RequestID
			}
		}
		if r.expect.readsStatus() {
			r.readStatus(ctx, &obs, carried)
		}
		return obs, diags
	}
	detail := errorDetail(err, r.outcome) + "\n" + fmt.Sprintf("%-12s %s", "Firing ID:", firingID)
	if authing.OutcomeOf(err) == authing.MayHaveTakenEffect {
		settled, ok, looked := settleFiring(ctx, r.client, in.WebhookID, firingID, carried)
		if ok {
			diags.Append(firingSettledWarning(in.WebhookID, firingID))
			settled.firingID = firingID
			return settled, diags
		}
		detail += "\n\n" + looked
	}
	summary := "Could not trigger webhook"
	if authing.OutcomeOf(err) == authing.MayHaveTakenEffect {
		summary = "Webhook may have fired; its outcome is unknown"
	}
	if authing.IsNotFound(err) {
		diags.AddAttributeError(path.Root("webhook_id"), summary, "Webhook "+in.WebhookID+" does not exist at Authing.\n\n"+detail)
	} else {
		diags.AddError(summary, detail)
	}
	return observation{}, diags
}

// readStatus reads the firing's delivery from the logs, within what is left of ctx, for
// the endpoint's status. Logs that do not show it leave the status unknown.
func (r firingRun) readStatus(ctx context.Context, obs *observation, carried bool) {
	if !carried {
		obs.statusMissing = "the request carried your own " + authing.FiringIDHeader + " header instead of the firing ID, so its delivery cannot be told apart in Authing's logs"
		return
	}
	start := time.Now()
	s := r.client.FindDelivery(ctx, r.in.WebhookID, obs.firingID)
	if !s.Found {
		obs.statusMissing = fmt.Sprintf("Authing's logs did not show the delivery within %d s", int(time.Since(start).Round(time.Second).Seconds()))
		if s.Reads == 0 && s.Err != nil {
			obs.statusMissing += fmt.Sprintf(" (they could not be read: %s)", r.mask(s.Err.Error()))
		}
		return
	}
	obs.status, obs.statusRead = s.Delivery.StatusCode, true
	if !s.Delivery.Success {
		if obs.failed != "" {
			obs.failed += "; " + loggedFailure(s.Delivery)
		} else {
			obs.failed = loggedFailure(s.Delivery)
		}
	}
	if obs.response == "null" {
		// Authing said the endpoint failed, without its answer: the logs have it.
		obs.response = s.Delivery.Response
	}
}

// loggedFailure says how a delivery's log entry shows it failed.
func loggedFailure(d authing.Delivery) string {
	if d.StatusCode == 0 {
		return fmt.Sprintf("Authing's delivery logs show it failed with no answer from the endpoint (errorMessage %q)", d.ErrorMessage)
	}
	return fmt.Sprintf("Authing's delivery logs show it failed: the endpoint answered %d (errorMessage %q)", d.StatusCode, d.ErrorMessage)
}

// judge lists the expectations obs does not meet, with a short reason for progress, and
// says whether the outcome is known (a known failure may be followed by another attempt;
// an unknown status may not).
func (r firingRun) judge(obs observation) (unmet []string, reason string, known bool) {
	known = true
	e := r.expect
	failedNote := ""
	if obs.failed != "" {
		failedNote = " (" + obs.failed + ")"
	}
	switch {
	case obs.statusSkipped:
		// The answer's unmet expectations say it all.
	case obs.statusMissing != "":
		unmet = append(unmet, fmt.Sprintf("status_codes: expected one of %s; the status is unknown: %s%s", e.codesText(), obs.statusMissing, failedNote))
		reason = "the endpoint's status is unknown"
		// Authing's word that the delivery failed is known not to meet status_codes,
		// unless they list a status that Authing counts as a failure.
		known = obs.failed != "" && !e.listsFailures()
	case e.readsStatus() && !e.statusListed(obs.status):
		reason = fmt.Sprintf("the endpoint answered %d", obs.status)
		if obs.status == 0 {
			reason = "the endpoint gave no answer"
		}
		unmet = append(unmet, fmt.Sprintf("status_codes: expected one of %s; %s%s", e.codesText(), reason, failedNote))
	case !e.readsStatus() && obs.failed != "":
		unmet = append(unmet, "the delivery: expected Authing not to report it as failed; "+obs.failed)
		reason = obs.failedShort
		switch {
		case obs.statusRead && obs.status != 0:
			reason = fmt.Sprintf("the endpoint answered %d", obs.status)
		case obs.statusRead:
			reason = "the endpoint gave no answer"
		case reason == "":
			reason = "Authing reported the delivery as failed"
		}
	}
	answer := e.unmetAnswer(obs.response, r.mask)
	if len(answer) > 0 {
		// An answer that fails present or equals is known not to meet the expectations,
		// whatever its status.
		known = true
		if reason == "" || obs.statusMissing != "" {
			reason = fmt.Sprintf("the answer did not meet expect (%s)", answer[0])
		}
	}
	return append(unmet, answer...), reason, known
}

// failedSummary is the headline of a firing that did not meet the expectations: it fired,
// and either it is known not to meet them (known), or its status is unknown.
func (r firingRun) failedSummary(known bool) string {
	switch {
	case !known:
		return "Webhook fired, but whether it met expect is unknown"
	case r.expect.set:
		return "Webhook fired, but did not meet expect"
	}
	return "Webhook fired, but its delivery failed"
}

// failedDetail lists every failed attempt with its firing ID and unmet expectations;
// known says whether the last one is known not to meet them.
func (r firingRun) failedDetail(failed []attemptRecord, stop string, known bool) string {
	var b strings.Builder
	times := "once"
	if len(failed) > 1 {
		times = fmt.Sprintf("%d times", len(failed))
	}
	switch {
	case !known:
		fmt.Fprintf(&b, "Webhook %s fired %s, and no firing is known to have met the expectations; each attempt was a real delivery.\n", r.in.WebhookID, times)
	case r.expect.set:
		fmt.Fprintf(&b, "Webhook %s fired %s, and no firing met the expectations; each attempt was a real delivery.\n", r.in.WebhookID, times)
	default:
		fmt.Fprintf(&b, "Webhook %s fired %s, and Authing reported each delivery as failed; each attempt was a real delivery.\n", r.in.WebhookID, times)
	}
	writeAttempts(&b, failed, r.retry.attempts)
	if last := failed[len(failed)-1].response; last != "null" && last != "" {
		fmt.Fprintf(&b, "\nThe last answer began: %s\n", summarize(r.mask(last)))
	}
	if stop != "" {
		b.WriteString("\n" + stop + "\n")
	}
	if r.outcome.failed != "" {
		b.WriteString("\n" + r.outcome.failed)
	}
	return strings.TrimRight(b.String(), "\n")
}

func writeAttempts(b *strings.Builder, failed []attemptRecord, of int) {
	for i, a := range failed {
		fmt.Fprintf(b, "\nAttempt %d of %d, firing ID %s:\n", i+1, of, a.firingID)
		for _, u := range a.unmet {
			fmt.Fprintf(b, "  - %s\n", u)
		}
	}
}

// withEarlierAttempts adds, to the error that ended the retries, the attempts before it,
// which fired and did not meet the expectations.
func withEarlierAttempts(d diag.Diagnostics, failed []attemptRecord, of int) diag.Diagnostics {
	var b strings.Builder
	times := "once"
	if len(failed) > 1 {
		times = fmt.Sprintf("%d times", len(failed))
	}
	fmt.Fprintf(&b, "\n\nBefore this attempt, the webhook fired %s without meeting the expectations:\n", times)
	writeAttempts(&b, failed, of)
	out := make(diag.Diagnostics, 0, len(d))
	for _, x := range d {
		if x.Severity() != diag.SeverityError {
			out = append(out, x)
			continue
		}
		detail := x.Detail() + strings.TrimRight(b.String(), "\n")
		if wp, ok := x.(diag.DiagnosticWithPath); ok {
			out = append(out, diag.NewAttributeErrorDiagnostic(wp.Path(), x.Summary(), detail))
		} else {
			out = append(out, diag.NewErrorDiagnostic(x.Summary(), detail))
		}
	}
	return out
}

// fire makes one firing with no expectations beyond a delivery Authing does not report as
// failed (the on_destroy firing), hiding the request's own secrets as every firing does.
func fire(ctx context.Context, client *authing.Client, in authing.TriggerInput, outcome outcomeText) (firing, diag.Diagnostics) {
	return firingRun{client: client, in: in, retry: noRetry, outcome: outcome, mask: echoMasker(client, in)}.run(ctx)
}
