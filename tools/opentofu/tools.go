//go:build tools

// Package opentofu pins the OpenTofu CLI that the acceptance tests can run against.
package opentofu

import _ "github.com/opentofu/opentofu/cmd/tofu"
