#!/usr/bin/env python3
"""Every module a target imports is declared in Package.swift (run from the package root).

SwiftPM's `--explicit-target-dependency-import-check error` (which .ci/run also passes) skips any
target that has, or depends on a target with, generated sources: OtwartyCore's and OtwartyWeb's
resource accessors put every target that matters here out of its reach, and on Swift 6.3.1 for
Linux it did not report even a planted undeclared import in a three-target package. So this reads
`swift package dump-package` and every target's `import` lines itself. Toolchain modules
(Foundation, Glibc, Testing, ...) need no declaration.
"""
import json, pathlib, re, subprocess, sys

TOOLCHAIN = {"Foundation", "FoundationNetworking", "FoundationXML", "FoundationEssentials", "Glibc", "Musl",
             "Darwin", "Dispatch", "Testing", "XCTest", "Synchronization", "_Concurrency", "os"}
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:class|struct|enum|protocol|func|var|let|typealias)\s+)?(\w+)")

package = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout)
problems = []
for target in package["targets"]:
    if target["type"] not in ("regular", "executable", "test"):
        continue
    declared = {target["name"]}
    for dependency in target["dependencies"]:
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                declared.add(dependency[kind][0])
    default = "Tests" if target["type"] == "test" else "Sources"
    folder = pathlib.Path(target.get("path") or f"{default}/{target['name']}")
    for source in sorted(folder.rglob("*.swift")):
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            match = IMPORT.match(line)
            if match and match.group(1) not in declared | TOOLCHAIN:
                problems.append(f"{source}:{number}: {target['name']} imports {match.group(1)}, not declared in Package.swift")
print("\n".join(problems) if problems else f"imports: every target's imports are declared ({len(package['targets'])} targets)")
sys.exit(1 if problems else 0)
