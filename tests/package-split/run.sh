#!/usr/bin/env bash
# make test-package-split: a Swift package that depends on this repository by path for the
# library products (CACipherCore, cacipher) resolves and builds none of the emulator's
# dependencies (swift-nio, swift-argument-parser, swift-log, nor what they bring: swift-atomics,
# swift-collections, swift-system). The consumer lives in a temporary directory outside the
# repository, with its own .build; it needs no network (the only dependency is a path).
#   [SWIFT=swift] tests/package-split/run.sh
# Prints "package-split: N passed, M failed"; exits 0 only when all passed.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$(pwd)
SWIFT=${SWIFT:-swift}
pass=0; fail=0
ok()  { pass=$((pass+1)); echo "package-split: ok   $1"; }
bad() { fail=$((fail+1)); echo "package-split: FAIL $1"; }
finish() { echo "package-split: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cacipher-consumer.XXXXXX") || { bad "mktemp"; finish; }
trap 'rm -rf "$work"' EXIT
EMU_DEPS='swift-nio|swift-argument-parser|swift-log|swift-atomics|swift-collections|swift-system'

mkdir -p "$work/Sources/Consumer"
cat > "$work/Package.swift" <<MANIFEST
// swift-tools-version:5.10
import PackageDescription
let package = Package(
    name: "consumer",
    dependencies: [.package(name: "cacipher", path: "$ROOT")],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [
            .product(name: "CACipherCore", package: "cacipher"),
            .product(name: "cacipher", package: "cacipher"),
        ]),
    ]
)
MANIFEST
cat > "$work/Sources/Consumer/main.swift" <<'SWIFT'
import CACipherCore
print("cacipher \(CACipherVersion.string)")
SWIFT

# 1. resolution: nothing but the path dependency
if (cd "$work" && timeout 300 "$SWIFT" package resolve) > "$work/resolve.log" 2>&1; then ok "swift package resolve"
else bad "swift package resolve"; tail -20 "$work/resolve.log"; finish; fi
if [ -f "$work/Package.resolved" ] && grep -Eq "\"identity\" : \"($EMU_DEPS)\"" "$work/Package.resolved"; then
    bad "Package.resolved pins an emulator dependency: $(grep -Eo "\"identity\" : \"($EMU_DEPS)\"" "$work/Package.resolved" | tr '\n' ' ')"
else ok "Package.resolved pins none of swift-nio, swift-argument-parser, swift-log"; fi
leaked=$(ls "$work/.build/checkouts" 2>/dev/null | grep -E "^($EMU_DEPS)" | tr '\n' ' ')
[ -z "$leaked" ] && ok ".build/checkouts holds none of them" || bad ".build/checkouts holds: $leaked"
grep -Eiq "fetching.*($EMU_DEPS)" "$work/resolve.log" && bad "resolve fetched an emulator dependency" || ok "resolve fetched none of them"
# the dependency tree: the library package has no dependencies of its own
if (cd "$work" && "$SWIFT" package show-dependencies --format json) > "$work/deps.json" 2> "$work/deps.err"; then
    if python3 -c 'import json,sys
t=json.load(open(sys.argv[1]))
lib=[d for d in t["dependencies"] if d["name"]=="cacipher"]
sys.exit(0 if len(t["dependencies"])==1 and len(lib)==1 and lib[0]["dependencies"]==[] else 1)' "$work/deps.json"; then
        ok "show-dependencies: consumer -> cacipher, and cacipher has none"
    else bad "show-dependencies: $(tr -d ' \n' < "$work/deps.json" | head -c 300)"; fi
else bad "swift package show-dependencies"; cat "$work/deps.err"; fi

# 2. build: the library modules only, and the program runs
if (cd "$work" && timeout 900 "$SWIFT" build) > "$work/build.log" 2>&1; then ok "consumer builds against CACipherCore and cacipher"
else bad "consumer builds"; tail -30 "$work/build.log"; finish; fi
bin=$(cd "$work" && "$SWIFT" build --show-bin-path)
built=$(find "$bin/" -maxdepth 2 -name '*.swiftmodule' -exec basename {} \; | sort -u)
mods=$(echo "$built" | grep -E '^(NIO|_NIO|CNIO|ArgumentParser|Logging|Atomics|DequeModule|SystemPackage|EVSM)' | tr '\n' ' ')
[ -z "$mods" ] && ok "no NIO, ArgumentParser, Logging or EVSM module built" || bad "modules built: $mods"
for m in HostProtocol CACipherCore; do
    echo "$built" | grep -qx "$m.swiftmodule" && ok "$m built" || bad "$m not built"
done
want="cacipher $(tr -d ' \n' < VERSION)"
out=$("$bin/Consumer" 2>&1)
[ "$out" = "$want" ] && ok "consumer prints '$want'" || bad "consumer prints '$out', want '$want'"
finish
