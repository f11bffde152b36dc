package provider

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

var (
	_ action.ActionWithConfigure      = (*webhookReplayAction)(nil)
	_ action.ActionWithValidateConfig = (*webhookReplayAction)(nil)
	_ action.ActionWithModifyPlan     = (*webhookReplayAction)(nil)
)

const (
	// defaultReplayMax is how many replays one invocation makes at most, unless max says.
	defaultReplayMax = 20
	// maxReplayMax is the largest max: two hundred replays, each read back from the logs,
	// fit in a few minutes within Authing's rate limit.
	maxReplayMax = 200
	// defaultReplayTimeout bounds one invocation: the read of the window, every replay and
	// the reads that confirm them.
	defaultReplayTimeout = 5 * time.Minute
)

// NewWebhookReplayAction returns the authing_webhook_replay action.
func NewWebhookReplayAction() action.Action { return &webhookReplayAction{} }

type webhookReplayAction struct {
	data *providerData
}

type webhookReplayActionModel struct {
	WebhookID  types.String   `tfsdk:"webhook_id"`
	Since      types.String   `tfsdk:"since"`
	Until      types.String   `tfsdk:"until"`
	EventNames types.Set      `tfsdk:"event_names"`
	Max        types.Int64    `tfsdk:"max"`
	DryRun     types.Bool     `tfsdk:"dry_run"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

func (a *webhookReplayAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_replay"
}

func (a *webhookReplayAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Delivers again, through Authing's TriggerWebhook call, the webhook's failed deliveries of real events logged in a window " +
			"(such as the events sent while a deploy had its endpoint down), oldest first, each with its logged request body, and each exactly once across invocations: " +
			"every replay carries an `Idempotency-Key` derived from the original delivery, and a delivery that Authing's logs show already replayed with it is not sent again. " +
			"Nothing is kept in state. Needs Terraform 1.14.1 or later (1.14.0 ran `after_*` events before the resource had finished applying).",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				Required:    true,
				Validators:  []validator.String{notBlankValidator},
				Description: "ID of the webhook whose failed deliveries to replay (`webhookId` in the API).",
			},
			"since": schema.StringAttribute{
				Required:    true,
				Validators:  []validator.String{replayTimeValidator},
				Description: fmt.Sprintf("Start of the window (RFC 3339, such as `2026-12-04T10:00:00+08:00`): failed deliveries logged at or after it are replayed. The window reaches back at most %s deliveries from the webhook's latest one.", thousands(authing.MaxReplayScan)),
			},
			"until": schema.StringAttribute{
				Optional:    true,
				Validators:  []validator.String{replayTimeValidator},
				Description: "End of the window (RFC 3339), inclusive; unset, the window runs to the time of the invocation.",
			},
			"event_names": schema.SetAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(eventNameValidator)},
				Description: "Replay only failed deliveries of these events, such as `[\"user:created\"]`; unset, every event. Checked against Authing's list of events as `authing_webhook`'s `events` are.",
			},
			"max": schema.Int64Attribute{
				Optional:    true,
				Validators:  []validator.Int64{int64validator.Between(1, maxReplayMax)},
				Description: fmt.Sprintf("The most replays one invocation makes (1 to %d, default %d). A window with more failed deliveries to replay is an error that says how many, and nothing is replayed: raise `max`, or narrow the window.", maxReplayMax, defaultReplayMax),
			},
			"dry_run": schema.BoolAttribute{
				Optional:    true,
				Description: "When true, the progress lists what would be replayed, and nothing is sent.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{InvokeDescription: "How long one invocation may take: reading the window, every replay and the reads of the logs that confirm each (default `5m`)."}),
		},
	}
}

func (a *webhookReplayAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// replayTimeValidator requires an RFC 3339 time, as since and until take it.
var replayTimeValidator = stringCheck{
	description: "must be an RFC 3339 time, such as 2026-12-04T10:00:00+08:00",
	check: func(p path.Path, v string) diag.Diagnostics {
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			return invalid(p, "Invalid time", fmt.Sprintf("%s is %q, which is not an RFC 3339 time; write it as 2026-12-04T10:00:00+08:00 or 2026-12-04T02:00:00Z (timestamp() gives the current one).", p, v))
		}
		return nil
	},
}

// replayWindow is the window and filters of an invocation, read from its configuration.
type replayWindow struct {
	webhookID    string
	since, until time.Time
	events       []string
	max          int
	dryRun       bool
}

// readReplayWindow checks the configuration's values that are known and returns them;
// known is false while one of them is not.
func readReplayWindow(m webhookReplayActionModel) (replayWindow, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	w := replayWindow{max: defaultReplayMax, webhookID: m.WebhookID.ValueString()}
	known := !m.WebhookID.IsUnknown() && !m.Since.IsUnknown() && !m.Until.IsUnknown() && !m.EventNames.IsUnknown() && !m.Max.IsUnknown() && !m.DryRun.IsUnknown()
	diags.Append(notBlankValidator.check(path.Root("webhook_id"), w.webhookID)...)
	parse := func(name string, v types.String) time.Time {
		if v.IsNull() || v.IsUnknown() {
			return time.Time{}
		}
		if d := replayTimeValidator.check(path.Root(name), v.ValueString()); d.HasError() {
			diags.Append(d...)
			return time.Time{}
		}
		t, _ := time.Parse(time.RFC3339Nano, v.ValueString())
		return t
	}
	w.since = parse("since", m.Since)
	w.until = parse("until", m.Until)
	if !w.since.IsZero() && !w.until.IsZero() && w.until.Before(w.since) {
		diags.AddAttributeError(path.Root("until"), "Empty replay window",
			fmt.Sprintf("until (%s) is before since (%s), so the window holds nothing; set until after since, or leave it out to replay up to now.", m.Until.ValueString(), m.Since.ValueString()))
	}
	if !m.Max.IsNull() && !m.Max.IsUnknown() {
		w.max = int(m.Max.ValueInt64())
	}
	w.dryRun = m.DryRun.ValueBool()
	if !m.EventNames.IsNull() && !m.EventNames.IsUnknown() {
		for _, v := range m.EventNames.Elements() {
			s, ok := v.(types.String)
			if !ok || s.IsUnknown() {
				known = false
				continue
			}
			w.events = append(w.events, s.ValueString())
		}
	}
	return w, known, diags
}

func (a *webhookReplayAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m webhookReplayActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Each attribute's own validators check it; only the pair since-until is left.
	_, _, diags := readReplayWindow(m)
	for _, d := range diags {
		if p, ok := d.(diag.DiagnosticWithPath); ok && p.Path().Equal(path.Root("until")) && d.Summary() == "Empty replay window" {
			resp.Diagnostics.Append(d)
		}
	}
}

// ModifyPlan checks event_names against the server's list of events, as authing_webhook's
// plan checks its events.
func (a *webhookReplayAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil || req.Config.Raw.IsNull() {
		return
	}
	var m webhookReplayActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.EventNames.IsNull() || m.EventNames.IsUnknown() {
		return
	}
	w, known, _ := readReplayWindow(m)
	if !known || len(w.events) == 0 {
		return
	}
	resp.Diagnostics.Append(a.data.checkEvents(ctx, path.Root("event_names"), w.events, defaultTimeout)...)
}

func (a *webhookReplayAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m webhookReplayActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	w, _, diags := readReplayWindow(m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	call, ok := a.data.openCall(ctx, withDefault(m.Timeouts.Invoke, defaultReplayTimeout), &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	ctx, client := call.ctx, call.client
	if len(w.events) > 0 {
		// Within timeouts.invoke, like everything the action does.
		resp.Diagnostics.Append(a.data.checkEvents(ctx, path.Root("event_names"), w.events, defaultTimeout)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	progress := func(format string, args ...any) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}
	resp.Diagnostics.Append(replay(ctx, client, w, progress)...)
}

// minReplayTime is the least time left in which a replay is begun: the trigger call and a
// read of the logs that confirms it.
const minReplayTime = 5 * time.Second

// timeLeft reports whether ctx has at least d left.
func timeLeft(ctx context.Context, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) >= d
}

// replayOutcome is what became of one original.
type replayOutcome int

const (
	replayDelivered replayOutcome = iota
	replayAlready
	replayFailed
)

// replay reads the window, checks it against max, and replays each original in turn,
// reporting one progress line per original and a summary.
func replay(ctx context.Context, client *authing.Client, w replayWindow, progress func(string, ...any)) diag.Diagnostics {
	var diags diag.Diagnostics
	end := "now"
	if !w.until.IsZero() {
		end = w.until.Format(time.RFC3339)
	}
	progress("Reading the delivery logs of webhook %s from %s to %s", w.webhookID, w.since.Format(time.RFC3339), end)
	logs, pages, err := client.DeliveriesSince(ctx, w.webhookID, w.since)
	if authing.IsNotFound(err) {
		diags.AddAttributeError(path.Root("webhook_id"), "Could not read the deliveries to replay",
			fmt.Sprintf("Webhook %s does not exist at Authing, so nothing was replayed; check webhook_id (the authing_webhooks data source lists the user pool's webhooks).\n\n%s", w.webhookID, err))
		return diags
	}
	if err != nil {
		diags.AddError("Could not read the deliveries to replay",
			fmt.Sprintf("Nothing was replayed: the delivery logs of webhook %s could not be read (%d pages read).\n\n%s", w.webhookID, pages, err))
		return diags
	}
	plan := authing.PlanReplay(w.webhookID, logs, w.since, w.until, w.events)
	total := len(plan.Originals)
	toReplay := 0
	for _, o := range plan.Originals {
		if o.ReplayedAt.IsZero() && o.Problem == "" {
			toReplay++
		}
	}
	progress("Read %s in %s: %d failed deliveries of real events to replay, %d already replayed%s",
		count(len(logs), "delivery", "deliveries"), count(pages, "page", "pages"), toReplay, total-toReplay, skippedText(plan.Skipped))
	if toReplay > w.max {
		diags.AddAttributeError(path.Root("max"), "Too many deliveries to replay",
			fmt.Sprintf("Webhook %s has %d failed deliveries of real events to replay from %s to %s, more than max (%d), so nothing was replayed. "+
				"Raise max (at most %d), or narrow the window with since, until or event_names and replay it in parts, oldest first.",
				w.webhookID, toReplay, w.since.Format(time.RFC3339), end, w.max, maxReplayMax))
		return diags
	}
	counts := map[replayOutcome]int{}
	var failures []string
	for i, o := range plan.Originals {
		head := fmt.Sprintf("%d of %d: %s of %s", i+1, total, o.Log.EventName, o.Log.Timestamp)
		switch {
		case !o.ReplayedAt.IsZero():
			counts[replayAlready]++
			progress("%s: already replayed (delivered again at %s)", head, o.ReplayedAt.Format(time.RFC3339))
			continue
		case o.Problem != "":
			counts[replayFailed]++
			line := head + ": cannot be replayed: " + o.Problem
			progress("%s", line)
			failures = append(failures, line+"; set since after it to go on")
			continue
		case w.dryRun:
			progress("%s: would be replayed with %s %s", head, authing.FiringIDHeader, o.Key)
			continue
		case !timeLeft(ctx, minReplayTime):
			counts[replayFailed]++
			line := head + ": not replayed: too little of timeouts.invoke was left to replay it and read the outcome; invoke again, or raise timeouts.invoke"
			progress("%s", line)
			failures = append(failures, line)
			continue
		}
		outcome, text := replayOne(ctx, client, w.webhookID, o)
		counts[outcome]++
		progress("%s: %s", head, text)
		if outcome == replayFailed {
			failures = append(failures, fmt.Sprintf("%s: %s (%s %s)", head, text, authing.FiringIDHeader, o.Key))
		}
	}
	if w.dryRun {
		progress("Dry run: %d would be replayed, %d already replayed; nothing was sent", toReplay, counts[replayAlready])
		return diags
	}
	progress("Replayed %d, already replayed %d, failed %d", counts[replayDelivered], counts[replayAlready], counts[replayFailed])
	if len(failures) > 0 {
		diags.AddError("Some deliveries were not replayed",
			fmt.Sprintf("Of webhook %s's %d failed deliveries of real events from %s to %s, %d were replayed, %d had been already, and %d were not:\n- %s\n\n"+
				"A delivery that failed again is replayed by the next invocation, with the same %s; one that may have been delivered is not sent again "+
				"once Authing's logs show it delivered.",
				w.webhookID, total, w.since.Format(time.RFC3339), end, counts[replayDelivered], counts[replayAlready], counts[replayFailed],
				strings.Join(failures, "\n- "), authing.FiringIDHeader))
	}
	return diags
}

// skippedText lists the failed deliveries left alone, for the first progress line.
func skippedText(s authing.ReplaySkips) string {
	if s.Total() == 0 {
		return ""
	}
	var parts []string
	for _, p := range []struct {
		n    int
		text string
	}{
		{s.Tests, "test deliveries"},
		{s.Firings, "firings with their own " + authing.FiringIDHeader + " (authing_webhook_trigger)"},
		{s.Replays, "failed replays (their originals are replayed instead)"},
		{s.OtherEvents, "other events than event_names"},
		{s.Redelivered, "delivered later by Authing"},
	} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.text))
		}
	}
	return fmt.Sprintf("; %d failed deliveries not replayed: %s", s.Total(), strings.Join(parts, ", "))
}

// replayOne sends one original again and reads the outcome from Authing's delivery logs,
// where the replay's key finds it: the trigger's answer does not carry the endpoint's
// status, and is lost at times. A replay whose answer was lost is never sent again.
func replayOne(ctx context.Context, client *authing.Client, webhookID string, o authing.ReplayOriginal) (replayOutcome, string) {
	headers := maps.Clone(o.Headers)
	if headers == nil {
		headers = map[string]string{}
	}
	headers[authing.FiringIDHeader] = o.Key
	in := authing.TriggerInput{WebhookID: webhookID, RequestHeaders: headers, RequestBody: o.Body}
	tflog.Debug(ctx, "Replaying a webhook delivery", map[string]any{"webhook_id": webhookID, "key": o.Key})
	callCtx, cancel := withSettleReserve(ctx)
	_, err := client.TriggerWebhook(callCtx, in)
	cancel()
	// Only a request Authing surely did not process was not sent; any other outcome (the
	// endpoint failed, or the answer was lost) is read from the logs.
	if err != nil && authing.OutcomeOf(err) == authing.NotProcessed {
		return replayFailed, "not sent: " + err.Error()
	}
	searchCtx, cancel := context.WithTimeout(ctx, defaultSettleWindow)
	defer cancel()
	s := client.FindReplay(searchCtx, webhookID, o.Key, o.Attempts)
	switch {
	case s.Found && s.Delivery.Success && err != nil:
		return replayDelivered, fmt.Sprintf("delivered, %d (Authing's answer was lost on the way back; its delivery logs show the replay delivered, so it was not sent again)", s.Delivery.StatusCode)
	case s.Found && s.Delivery.Success:
		return replayDelivered, fmt.Sprintf("delivered, %d", s.Delivery.StatusCode)
	case s.Found:
		return replayFailed, "failed, " + failureText(s.Delivery)
	}
	looked := fmt.Sprintf("Authing's delivery logs did not show it within %s", defaultSettleWindow)
	if s.Reads == 0 && s.Err != nil {
		looked = "Authing's delivery logs could not be read: " + s.Err.Error()
	}
	if err == nil {
		// Authing took the trigger, but only its logs tell whether the endpoint took it,
		// and only they keep a later invocation from sending it again.
		return replayFailed, "sent, outcome unknown: Authing answered, but " + looked + "; a later invocation sends it again unless the logs show it delivered by then"
	}
	if authing.OutcomeOf(err) != authing.MayHaveTakenEffect {
		// A known outcome, such as Authing's word that the endpoint failed.
		return replayFailed, "failed: " + err.Error()
	}
	return replayFailed, fmt.Sprintf("may have been delivered: the answer was lost (%s), and %s; a later invocation sends it again only if the logs do not show it delivered by then", err, looked)
}

// failureText says how a logged delivery failed.
func failureText(d authing.Delivery) string {
	status := "no answer"
	if d.StatusCode != 0 {
		status = fmt.Sprintf("%d", d.StatusCode)
	}
	if d.ErrorMessage != "" {
		return status + ": " + d.ErrorMessage
	}
	return status
}

// thousands writes n with a comma between groups of three digits, as the docs write numbers.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// count is n with the noun that goes with it: "1 page", "2 pages".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
