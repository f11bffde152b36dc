package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// fullServer is every protocol service the provider offers.
type fullServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ActionServer
	tfprotov6.ListResourceServer
}

// NewServer returns a constructor of the provider's protocol server, for main and tests.
//
// It works around a defect of terraform-plugin-framework (v1.19.0, and its main branch at
// the time of writing): ValidateActionConfig checks action schemas as if the client could
// not take write-only values, so a configured value of a write-only action attribute, the
// very thing write-only action attributes exist for, is refused with "WriteOnly Attribute
// Not Allowed". Terraform 1.14+, the only client that has actions, takes write-only
// values. The wrapper drops exactly that diagnostic from ValidateActionConfig and nothing
// else; TestFrameworkStillRefusesWriteOnlyActionValues fails once the framework is fixed,
// so that the wrapper can go.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		base, err := providerserver.NewProtocol6WithError(New(version)())()
		if err != nil {
			return nil, err
		}
		full, ok := base.(fullServer)
		if !ok {
			return base, nil
		}
		return writeOnlyActionValues{full}, nil
	}
}

type writeOnlyActionValues struct{ fullServer }

func (s writeOnlyActionValues) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	resp, err := s.fullServer.ValidateActionConfig(ctx, req)
	if resp != nil {
		resp.Diagnostics = slices.DeleteFunc(resp.Diagnostics, isWriteOnlyRefusal)
	}
	return resp, err
}

// writeOnlyRefusal is the summary of the framework's diagnostic.
const writeOnlyRefusal = "WriteOnly Attribute Not Allowed"

func isWriteOnlyRefusal(d *tfprotov6.Diagnostic) bool {
	return d != nil && d.Summary == writeOnlyRefusal
}
