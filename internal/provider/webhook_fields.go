package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// webhookFields is what the API tells of a webhook, as Terraform values: the one
// conversion shared by the authing_webhook resource, the authing_webhook data source and
// each element of authing_webhooks (and the list resource, through the resource). It
// never holds the signing secret. Events are apart because the resource keeps them as a
// set and the data sources as a list, in the API's order (see eventValues).
type webhookFields struct {
	WebhookID   types.String `tfsdk:"webhook_id"`
	Name        types.String `tfsdk:"name"`
	URL         types.String `tfsdk:"url"`
	ContentType types.String `tfsdk:"content_type"`
	Enabled     types.Bool   `tfsdk:"enabled"`
	CreatedAt   types.String `tfsdk:"created_at"`
	UpdatedAt   types.String `tfsdk:"updated_at"`
}

func newWebhookFields(w authing.Webhook) webhookFields {
	return webhookFields{
		WebhookID:   types.StringValue(w.WebhookID),
		Name:        types.StringValue(w.Name),
		URL:         types.StringValue(w.URL),
		ContentType: types.StringValue(w.ContentType),
		Enabled:     types.BoolValue(w.Enabled),
		CreatedAt:   types.StringValue(w.CreatedAt),
		UpdatedAt:   types.StringValue(w.UpdatedAt),
	}
}

// eventValues are a webhook's event names, in the API's order; none is an empty list.
func eventValues(w authing.Webhook) []attr.Value {
	events := make([]attr.Value, 0, len(w.Events))
	for _, e := range w.Events {
		events = append(events, types.StringValue(e))
	}
	return events
}

// webhookElement is one element of authing_webhooks' webhooks.
type webhookElement struct {
	webhookFields
	Events types.List `tfsdk:"events"`
}

func newWebhookElement(w authing.Webhook) webhookElement {
	return webhookElement{webhookFields: newWebhookFields(w), Events: types.ListValueMust(types.StringType, eventValues(w))}
}
