//go:build generate

// Package docs generates the registry documentation in ../../docs from the provider's
// schema, ../../templates and ../../examples. Run it with `make generate`.
//
// The schema is read from the provider itself (../schemajson), not from a Terraform
// binary, so the generated docs are the same whatever Terraform the machine has.
package docs

import _ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"

//go:generate go run -C ../.. ./tools/schemajson -o tools/docs/providers-schema.json
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir ../.. --provider-name authing --rendered-provider-name Authing --providers-schema providers-schema.json
