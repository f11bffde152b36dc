// Package devcli writes the Terraform CLI configuration that makes Terraform and OpenTofu
// use a provider binary built from this repository instead of a registry download: the
// one writer for the CLI tests, the benchmarks and the scripts (through tools/devcli).
package devcli

import (
	"fmt"
	"os"
	"path/filepath"
)

// Source is the provider's source address in configurations. Without a host it means the
// CLI's own default registry, so one dev_overrides entry serves Terraform and OpenTofu.
const Source = "authing/authing"

// Config is a CLI configuration whose dev_overrides point the provider at pluginDir, the
// folder holding terraform-provider-authing.
func Config(pluginDir string) string {
	return fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", Source, pluginDir)
}

// RequiredProviders is the terraform block that names the provider by Source.
const RequiredProviders = "terraform {\n  required_providers {\n    authing = { source = \"" + Source + "\" }\n  }\n}\n"

// Write writes Config(pluginDir) to dir/cli.tfrc and returns the file's path, for
// TF_CLI_CONFIG_FILE.
func Write(dir, pluginDir string) (string, error) {
	path := filepath.Join(dir, "cli.tfrc")
	return path, os.WriteFile(path, []byte(Config(pluginDir)), 0o600)
}
