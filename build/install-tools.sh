#!/usr/bin/env bash
# Packs the five SmartKey tools (smartkey, smartkey-sim, smartkey-ota, smartkey-tech, smartkey-ota-server) as .NET
# tools into artifacts/tools and installs them from there: for this user (dotnet tool install --global, commands in
# ~/.dotnet/tools), or into the folder given as --tool-path DIR or $SMARTKEY_TOOL_PATH. Nothing is fetched for the
# tools themselves: the install reads only artifacts/tools (the build restores the project's pinned packages as usual).
# Options: --tool-path DIR, --configuration Debug|Release (default Release; $SMARTKEY_TOOL_CONFIGURATION); the packages
# go to $SMARTKEY_TOOL_PACKAGES when set.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool_path="${SMARTKEY_TOOL_PATH:-}"
configuration="${SMARTKEY_TOOL_CONFIGURATION:-Release}"
version=0.1.0
while [ $# -gt 0 ]; do
  case "$1" in
    --tool-path) tool_path="$2"; shift 2 ;;
    --configuration|-c) configuration="$2"; shift 2 ;;
    *) echo "error: '$1' is not an option of install-tools.sh (--tool-path DIR, --configuration Debug|Release)" >&2; exit 2 ;;
  esac
done

packages="${SMARTKEY_TOOL_PACKAGES:-$root/artifacts/tools}"
mkdir -p "$packages"
echo "install-tools: packing the tools ($configuration) into $packages"
dotnet pack "$root/build/tools.slnf" -c "$configuration" -o "$packages" -p:Version="$version" -nologo -v quiet -clp:NoSummary

# A NuGet configuration that knows only that folder: the install never looks for these names anywhere else.
config="$packages/nuget.config"
cat > "$config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="smartkey-tools" value="$packages" />
  </packageSources>
</configuration>
XML

if [ -n "$tool_path" ]; then
  mkdir -p "$tool_path"
  where=(--tool-path "$tool_path")
  shown="$tool_path"
else
  where=(--global)
  shown="${DOTNET_CLI_HOME:-$HOME}/.dotnet/tools"
fi
for command in smartkey smartkey-sim smartkey-ota smartkey-tech smartkey-ota-server; do
  package="SmartKey.Tool.$command"
  dotnet tool uninstall "${where[@]}" "$package" >/dev/null 2>&1 || true
  dotnet tool install "${where[@]}" "$package" --version "$version" --configfile "$config" >/dev/null
  echo "install-tools: installed $command"
done
echo "install-tools: the commands are in $shown (add it to PATH if it is not there)"
