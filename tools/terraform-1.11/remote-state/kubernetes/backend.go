// Package kubernetes stands in for Terraform's "kubernetes" backend, whose module the release's
// module zip does not contain, so that Terraform builds from the module proxy.
package kubernetes

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/configs/configschema"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
)

// New returns a backend that answers every call with an error saying it is not in this build.
func New() backend.Backend { return absent{} }

type absent struct{}

func (absent) diags() tfdiags.Diagnostics {
	var diags tfdiags.Diagnostics
	return diags.Append(tfdiags.Sourceless(tfdiags.Error, `Backend "kubernetes" is not part of this build`,
		"This Terraform binary is built for the terraform-provider-authing tests without remote-state backends. Use a Terraform release for the \"kubernetes\" backend."))
}

func (absent) ConfigSchema() *configschema.Block { return &configschema.Block{} }

func (b absent) PrepareConfig(v cty.Value) (cty.Value, tfdiags.Diagnostics) { return v, b.diags() }

func (b absent) Configure(cty.Value) tfdiags.Diagnostics { return b.diags() }

// Terraform 1.11's Backend interface answers these three with an error, not diagnostics.

func (b absent) StateMgr(string) (statemgr.Full, error) { return nil, b.diags().Err() }

func (b absent) DeleteWorkspace(string, bool) error { return b.diags().Err() }

func (b absent) Workspaces() ([]string, error) { return nil, b.diags().Err() }
