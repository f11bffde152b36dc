// Package docmap holds no code of the provider. Its test keeps the repository's maps true:
// every test name, repository path, Go file and make target that DESIGN.md, README.md,
// CONTRIBUTING.md, tools/README.md and the registry guides quote must exist, so that a
// reader who follows one of them lands somewhere.
package docmap
