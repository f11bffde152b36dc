#!/usr/bin/env bash
# Builds an unsigned snapshot release with the pinned goreleaser and checks what the
# registry needs: one zip per platform named terraform-provider-authing_{version}_{os}_{arch}.zip,
# a SHA256SUMS file that lists every zip and the registry manifest, a manifest declaring
# protocol 6.0, and binaries that carry the release version in main.version.
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser=$(scripts/tool.sh goreleaser)
"$goreleaser" release --snapshot --clean --skip=sign,publish

version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
[ -n "$version" ] || { echo "release-snapshot: no version in dist/metadata.json" >&2; exit 1; }
name=terraform-provider-authing
sums="dist/${name}_${version}_SHA256SUMS"
manifest="${name}_${version}_manifest.json"
fail() { echo "release-snapshot: $*" >&2; exit 1; }

[ -f "$sums" ] || fail "missing $sums"
want=$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)
grep -q "^$want  $manifest\$" "$sums" || fail "$sums does not list $manifest with the checksum of terraform-registry-manifest.json"
grep -q '"protocol_versions": \["6.0"\]' terraform-registry-manifest.json || fail "terraform-registry-manifest.json does not declare protocol 6.0"

expected=(darwin_amd64 darwin_arm64 freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
	linux_386 linux_amd64 linux_arm linux_arm64 windows_386 windows_amd64 windows_arm64)
for platform in "${expected[@]}"; do
	zip="${name}_${version}_${platform}.zip"
	[ -f "dist/$zip" ] || fail "missing dist/$zip"
	grep -q "  $zip\$" "$sums" || fail "$sums does not list $zip"
done
zips=$(find dist -maxdepth 1 -name '*.zip' | wc -l)
[ "$zips" -eq "${#expected[@]}" ] || fail "$zips archives, expected ${#expected[@]}"
(cd dist && grep '\.zip$' "$(basename "$sums")" | sha256sum --quiet -c -) || fail "checksums do not match the archives"

binary=$(find dist -path '*linux_amd64*' -name "${name}_v${version}" -type f | head -n 1)
[ -n "$binary" ] || fail "no linux_amd64 binary named ${name}_v${version}"
# -trimpath drops -ldflags from the build info, so look for the version string itself,
# which only -X main.version puts there.
grep -aq -- "$version" "$binary" || fail "$binary does not carry version $version: -X main.version did not apply"
echo "release-snapshot: ${#expected[@]} archives, checksums with the manifest, version $version: OK"
