//go:build tools

// Package terraform pins the Terraform CLI that the acceptance tests run against. The
// binary built from it is Terraform 1.11.4 without its remote-state backends: the nested
// backend modules are not in the module's zip, so remote-state/ and legacy/ stand in for
// them.
package terraform

import _ "github.com/hashicorp/terraform"
