// Package legacy stands in for Terraform's internal/legacy module, which only the oss and cos
// backends import; with those backends replaced, nothing imports it and it stays empty.
package legacy
