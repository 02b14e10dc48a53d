#!/usr/bin/env python3
"""The firmware's SBOM (CycloneDX 1.6 JSON, sbom/firmware.cdx.json): every nanoFramework package pinned by the
packages.config of a project that goes on the lock. The CycloneDX dotnet tool cannot read these packages (the registry
here does not serve them), so this writes the same shape from the pins; each pin must be a row of
nanoframework/packages.tsv (the table PackagePinTests holds the pins to)."""
import json, os, sys, xml.etree.ElementTree as ET

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
configs = ["firmware/packages.config", "firmware/App/packages.config", "hal/Interfaces/packages.config", "hal/Esp32/packages.config"]
known = set()
for line in open(os.path.join(root, "nanoframework/packages.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    cells = line.rstrip("\n").split("\t")
    known.add((cells[0], cells[1]))
pins = {}
for config in configs:
    for package in ET.parse(os.path.join(root, config)).getroot().iter("package"):
        key = (package.get("id"), package.get("version"))
        if key not in known:
            sys.exit(f"firmware-sbom: {config} pins {key[0]} {key[1]}, which nanoframework/packages.tsv does not list")
        pins.setdefault(key, []).append(config)
components = [{
    "type": "library", "bom-ref": f"pkg:nuget/{name}@{version}", "name": name, "version": version,
    "purl": f"pkg:nuget/{name}@{version}", "scope": "required",
    "properties": [{"name": "smartkey:pinned-by", "value": config} for config in sorted(by)],
} for (name, version), by in sorted(pins.items())]
bom = {
    "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
    "metadata": {"component": {"type": "firmware", "bom-ref": "smartkey-firmware@0.1.0", "name": "smartkey-firmware", "version": "0.1.0"}},
    "components": components,
    "dependencies": [{"ref": "smartkey-firmware@0.1.0", "dependsOn": [c["bom-ref"] for c in components]}],
}
os.makedirs(os.path.join(root, "sbom"), exist_ok=True)
with open(os.path.join(root, "sbom/firmware.cdx.json"), "w", encoding="utf-8") as out:
    json.dump(bom, out, indent=2)
    out.write("\n")
print(f"sbom: wrote sbom/firmware.cdx.json ({len(components)} packages)")
