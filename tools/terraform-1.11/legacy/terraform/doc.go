// Package terraform stands in for Terraform's internal/legacy/terraform package, which
// only a test of Terraform 1.11's internal/command/views imports. It exists so that
// `go mod tidy` finds the package; nothing that is built imports it.
package terraform
