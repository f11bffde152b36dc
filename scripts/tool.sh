#!/usr/bin/env bash
# Prints the path of a pinned development tool, building it from the Go module proxy the
# first time. Binaries are cached per machine, outside the clone, so that every clone and
# every CI run on the machine shares one build:
#   ${AUTHING_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-authing/tools}
#
# Usage: scripts/tool.sh TOOL, where TOOL is one of
#   actionlint, golangci-lint, goreleaser, gremlins   development tools
#   terraform-1.5    Terraform 1.5.7, the last release under the MPL (go install as is)
#   terraform-1.11   Terraform 1.11.4 without its remote-state backends (tools/terraform-1.11)
#   terraform-1.16   Terraform 1.16.4 without its remote-state backends (tools/terraform)
#   tofu-1.6         OpenTofu 1.6.3, the first OpenTofu line (go install as is)
#   tofu             OpenTofu 1.12.6 (tools/opentofu); tofu-1.12 is the same binary
#   terraform        the terraform on PATH, or else OpenTofu 1.12.6 (and says so on stderr)
# The Terraform CLIs built here are for the tests; the ones built from a wrapper module are
# not Terraform releases (see the wrapper's doc comment).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${AUTHING_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-authing/tools}
usage="usage: scripts/tool.sh actionlint|golangci-lint|goreleaser|gremlins|terraform|terraform-1.5|terraform-1.11|terraform-1.16|tofu|tofu-1.6|tofu-1.12"
name=${1:?$usage}

if [ "$name" = terraform ]; then
	if command -v terraform; then
		exit 0
	fi
	echo "terraform is not on PATH; using OpenTofu." >&2
	name=tofu
fi
[ "$name" = tofu-1.12 ] && name=tofu

case "$name" in
actionlint) version=v1.7.12 pkg=github.com/rhysd/actionlint/cmd/actionlint ;;
golangci-lint) version=v2.15.0 pkg=github.com/golangci/golangci-lint/v2/cmd/golangci-lint ;;
goreleaser) version=v2.16.0 pkg=github.com/goreleaser/goreleaser/v2 ;;
gremlins) version=v0.6.0 pkg=github.com/go-gremlins/gremlins/cmd/gremlins ;;
terraform-1.5) version=v1.5.7 pkg=github.com/hashicorp/terraform ;;
tofu-1.6) version=v1.6.3 pkg=github.com/opentofu/opentofu/cmd/tofu ;;
tofu) version=$(awk '$1 == "require" && $2 == "github.com/opentofu/opentofu" {print $3}' "$root/tools/opentofu/go.mod") ;;
terraform-1.11) version=$(awk '$1 == "require" && $2 == "github.com/hashicorp/terraform" {print $3}' "$root/tools/terraform-1.11/go.mod") ;;
terraform-1.16) version=$(awk '$1 == "require" && $2 == "github.com/hashicorp/terraform" {print $3}' "$root/tools/terraform/go.mod") ;;
*)
	echo "scripts/tool.sh: unknown tool $name; $usage" >&2
	exit 2
	;;
esac

bin="$cache/$name-$version/$name"
build() {
	echo "Building $name $version from the Go module proxy (once per machine; cached in $cache)..." >&2
	tmp=$(mktemp -d "$cache/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	start=$SECONDS
	if [ "$name" = tofu ]; then
		# OpenTofu's go.mod has a replace directive, which `go install pkg@version`
		# refuses; tools/opentofu repeats it in a module of its own.
		(cd "$root/tools/opentofu" && CGO_ENABLED=0 go build -trimpath -o "$tmp/$name" github.com/opentofu/opentofu/cmd/tofu)
	elif [ "$name" = terraform-1.16 ] || [ "$name" = terraform-1.11 ]; then
		# Terraform's go.mod replaces nested backend modules with folders its module zip
		# lacks; tools/terraform and tools/terraform-1.11 replace them with stand-ins.
		# version.dev=no drops the -dev marker that a build outside Terraform's release
		# pipeline carries.
		dir=$root/tools/terraform
		[ "$name" = terraform-1.11 ] && dir=$root/tools/terraform-1.11
		(cd "$dir" && CGO_ENABLED=0 go build -trimpath \
			-ldflags "-X github.com/hashicorp/terraform/version.dev=no" \
			-o "$tmp/$name" github.com/hashicorp/terraform)
	else
		GOBIN="$tmp" CGO_ENABLED=0 go install "$pkg@$version"
		# go install names the binary after the package (terraform, tofu).
		[ -x "$tmp/$name" ] || mv "$tmp/$(basename "$pkg")" "$tmp/$name"
	fi
	mkdir -p "$(dirname "$bin")"
	mv "$tmp/$name" "$bin"
	echo "Built $name $version in $((SECONDS - start))s." >&2
}

if [ ! -x "$bin" ]; then
	mkdir -p "$cache"
	# One build per tool at a time: a second caller (two CLIs of testacc-matrix, two
	# clones) waits for the first and uses its binary.
	if command -v flock >/dev/null; then
		exec 9>"$cache/.$name-$version.lock"
		if ! flock -n 9; then
			echo "Waiting for another build of $name $version..." >&2
			flock 9
		fi
	fi
	[ -x "$bin" ] || build
fi
echo "$bin"
