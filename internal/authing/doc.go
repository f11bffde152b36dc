// Package authing is a client for the parts of the Authing v3 management API that the
// provider needs: the management token, webhooks and their triggering.
//
// It is plain Go with no Terraform imports. Every call takes a context.Context whose
// deadline bounds all retries. Reads are retried on transient failures; TriggerWebhook,
// which is not idempotent, is retried only when the request surely was not processed.
package authing
