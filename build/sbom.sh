#!/usr/bin/env bash
# The software bills of materials (CycloneDX, JSON) of what SmartKey ships, into sbom/: one per host tool (its
# project with every project it references, every NuGet package resolved as the build restores it) and one for the
# firmware (the device projects' pinned nanoFramework packages, from their packages.config files). The CycloneDX tool
# is pinned in .config/dotnet-tools.json. The firmware's packages are not served
# by the registry here, so build/firmware-sbom.py writes its SBOM from the pins. SbomTests holds each file to the projects' PackageReferences and pins.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet tool restore >/dev/null
mkdir -p sbom
for project in SmartKey.Cli:smartkey SmartKey.Simulator:smartkey-sim SmartKey.Ota:smartkey-ota SmartKey.Technician:smartkey-tech SmartKey.OtaServer:smartkey-ota-server; do
  name="${project#*:}"; folder="${project%%:*}"
  dotnet CycloneDX "tools/$folder/$folder.csproj" --output sbom --filename "$name.cdx.json" --output-format Json \
    --set-name "$name" --set-version 0.1.0 --no-serial-number --disable-hash-computation >/dev/null
  echo "sbom: wrote sbom/$name.cdx.json"
done
# The device: every packages.config of the projects that go on the lock (not the on-target test project).
python3 build/firmware-sbom.py
