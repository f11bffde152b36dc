// Package authing is a client for the parts of the Authing v3 management API that the
// provider needs: the management token; listing, reading, creating, updating and deleting
// webhooks; triggering them; their delivery logs; and the list of webhook events.
//
// It is plain Go with no Terraform imports. Every call takes a context.Context whose
// deadline bounds all retries. Reads, updates and deletes are retried on transient
// failures; TriggerWebhook and CreateWebhook, which are not idempotent, are retried only
// when the request surely was not processed, and their errors carry an Outcome.
package authing
