#!/usr/bin/env python3
"""Rewrites the <Compile> list of every .nfproj from the .cs files in its folder.

The device projects list their sources explicitly (the nanoFramework project system has no globbing);
tests/SmartKey.Tests/Build/NfprojSyncTests fails when a list and its folder disagree. Sub-folders that
hold their own project file belong to that project. Run from anywhere: python3 build/update-nfproj.py
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_DIRS = {"bin", "obj", "packages"}


def sources(project_dir):
    found = []
    for dirpath, dirnames, filenames in os.walk(project_dir):
        rel = os.path.relpath(dirpath, project_dir)
        if rel != "." and any(f.endswith((".nfproj", ".csproj")) for f in os.listdir(dirpath)):
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for f in sorted(filenames):
            if f.endswith(".cs"):
                found.append(os.path.normpath(os.path.join(rel, f)).replace("/", "\\"))
    return sorted(found, key=str.lower)


def update(path):
    text = open(path, encoding="utf-8").read()
    items = "".join('    <Compile Include="%s" />\n' % s for s in sources(os.path.dirname(path)))
    new = re.sub(r'(<ItemGroup Label="Sources">\n).*?(  </ItemGroup>)', lambda m: m.group(1) + items + m.group(2), text, flags=re.S)
    if new != text:
        open(path, "w", encoding="utf-8", newline="\r\n").write(new.replace("\r\n", "\n"))
        print("updated", os.path.relpath(path, ROOT))


for dirpath, dirnames, filenames in os.walk(ROOT):
    dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
    for f in filenames:
        if f.endswith(".nfproj"):
            update(os.path.join(dirpath, f))
