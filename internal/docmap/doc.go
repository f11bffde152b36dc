// Package docmap holds no code of the provider. Its tests keep the repository's maps true:
// every test name, repository path, Go file and make target that DESIGN.md, README.md,
// CONTRIBUTING.md, MEASUREMENTS.md, tools/README.md and the registry guides quote must exist, so that a
// reader who follows one of them lands somewhere, and every go.mod has the go directive
// tools/README.md promises.
package docmap
