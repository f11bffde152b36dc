//go:build !profile

package main

// startProfiling does nothing in a normal build; see profile_on.go.
func startProfiling() (stop func()) { return func() {} }
