#!/usr/bin/env python3
"""Every module imports exactly what Package.swift says it depends on (ARCHITECTURE.md "Module graph").

Reads the package from `swift package dump-package` (the manifest as SwiftPM sees it) and every `import` of every
Swift file of each target, then reports a dependency declared but never imported (dead weight, or a graph edge that
misleads the reader) and a module imported but not declared (it builds only because something else drags it in).
A declared dependency kept on purpose without an import (a C target linked for its symbols) is listed in
`LINKED_ONLY` with the reason.

usage: check_structure.py [PACKAGE_DIR]   (exit 1 when the graph and the imports disagree)
"""
import json
import os
import re
import subprocess
import sys

# Modules every target may import without declaring them: the toolchain's own.
TOOLCHAIN = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Dispatch",
             "FoundationXML", "XCTest", "Testing", "Synchronization", "_Concurrency", "os"}
# Products whose module name differs from the product name.
PRODUCT_MODULES = {"PropertyBased": {"PropertyBased"}, "HummingbirdTesting": {"HummingbirdTesting"}}
# Modules a product brings along that a target may import without declaring them: GRDB's product carries the SQLite C
# API it is built on, which the SQLite backend reads columns through.
CARRIED = {"GRDB": {"GRDBSQLite"}}
# Declared on purpose without an import, and why.
LINKED_ONLY = {
    ("MeritWorkbook", "CWorkbookDeflate"): "links its zlib deflate interposition into every binary that writes workbooks",
}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_implementationOnly\s+|public\s+|internal\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)", re.M)


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    manifest = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True,
                                         capture_output=True, text=True).stdout)
    problems = []
    for target in manifest["targets"]:
        name, kind = target["name"], target["type"]
        if kind == "system":
            continue
        declared = set()
        for dep in target["dependencies"]:
            (how, value), = dep.items()
            module = value[0]
            declared |= PRODUCT_MODULES.get(module, {module})
        folder = target.get("path") or os.path.join("Tests" if kind == "test" else "Sources", name)
        imported = set()
        for base, _, files in os.walk(os.path.join(root, folder)):
            if "Fixtures" in base.split(os.sep):
                continue
            for f in files:
                if f.endswith(".swift"):
                    with open(os.path.join(base, f), encoding="utf-8") as src:
                        text = src.read()
                    # `#if canImport(X)` guards an optional toolchain module; the import inside is still an import.
                    imported |= set(IMPORT.findall(text))
        imported -= TOOLCHAIN
        for product, modules in CARRIED.items():
            if product in declared:
                imported -= modules
        for module in sorted(declared - imported):
            if (name, module) not in LINKED_ONLY:
                problems.append(f"{name}: declares {module} but never imports it")
        for module in sorted(imported - declared):
            problems.append(f"{name}: imports {module} but Package.swift does not declare it")
    for problem in problems:
        print(f"check_structure: {problem}")
    if problems:
        sys.exit(1)
    print(f"check_structure: the imports of all {len(manifest['targets'])} targets match Package.swift")


if __name__ == "__main__":
    main()
