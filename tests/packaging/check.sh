#!/usr/bin/env bash
# make test-packaging: packaging/ is checked without starting anything.
#   evsm.service  - `systemd-analyze verify` (ExecStart pointed at the built evsm) when
#                   systemd-analyze exists; always a python3 check of the hardening keys and
#                   that every option on ExecStart is one `evsm --help` lists
#   Containerfile - parsed by python3: known instructions only, FROM first, the COPY source
#                   is the name `make dist` gives the tarball, ENTRYPOINT/CMD are JSON arrays
#                   whose options `evsm --help` lists
#   install.sh    - `sh -n`
#   tests/packaging/check.sh EVSM
set -uo pipefail
cd "$(dirname "$0")/../.."
EVSM=$(readlink -f "$1")
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "  ok   $1"; }
bad() { fail=$((fail + 1)); echo "  FAIL $1"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$EVSM" --help > "$work/help" 2>&1 || { bad "evsm --help"; echo "packaging: $pass passed, $fail failed"; exit 1; }

if command -v systemd-analyze >/dev/null; then
    sed "s|/usr/local/bin/evsm|$EVSM|" packaging/evsm.service > "$work/evsm.service"
    if out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$work/evsm.service" 2>&1) && ! echo "$out" | grep -q "evsm.service"; then
        ok "systemd-analyze verify evsm.service"
    else
        echo "$out" | sed 's/^/       /' | head -10; bad "systemd-analyze verify evsm.service"
    fi
else
    echo "  (systemd-analyze not installed: the python3 key check below is the only unit check)"
fi

python3 - packaging/evsm.service "$work/help" > "$work/unit.out" 2>&1 <<'PY'
import re, sys
unit, help_text = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sections, cur, problems = {}, None, []
for n, raw in enumerate(unit.splitlines(), 1):
    line = raw.strip()
    if not line or line.startswith(("#", ";")): continue
    m = re.fullmatch(r"\[(\w+)\]", line)
    if m: cur = sections.setdefault(m.group(1), {}); continue
    if cur is None or "=" not in line: problems.append(f"line {n}: not KEY=VALUE in a section: {raw}"); continue
    k, v = line.split("=", 1)
    cur.setdefault(k.strip(), []).append(v.strip())
for s in ("Unit", "Service", "Install"):
    if s not in sections: problems.append(f"no [{s}] section")
svc = sections.get("Service", {})
want = {"NoNewPrivileges": "yes", "DynamicUser": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
        "PrivateTmp": "yes", "PrivateDevices": "yes", "StateDirectory": "evsm", "CapabilityBoundingSet": "",
        "RestrictNamespaces": "yes", "MemoryDenyWriteExecute": "yes", "Restart": "on-failure"}
for k, v in want.items():
    if svc.get(k, [None])[-1] != v: problems.append(f"[Service] {k}={v} missing (got {svc.get(k)})")
if "RestrictAddressFamilies" not in svc: problems.append("[Service] RestrictAddressFamilies missing")
if "SystemCallFilter" not in svc: problems.append("[Service] SystemCallFilter missing")
exe = svc.get("ExecStart", [""])[-1].split()
if not exe or not exe[0].endswith("/evsm"): problems.append(f"ExecStart does not run evsm: {exe}")
if "--state" not in exe or exe[exe.index("--state") + 1] != "/var/lib/evsm": problems.append("ExecStart --state is not the StateDirectory /var/lib/evsm")
for o in (a for a in exe[1:] if a.startswith("--")):
    if not re.search(r"(^|\s)" + re.escape(o) + r"\b", help_text): problems.append(f"ExecStart option {o} is not an evsm option")
if sections.get("Install", {}).get("WantedBy") != ["multi-user.target"]: problems.append("[Install] WantedBy=multi-user.target missing")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
[ $? -eq 0 ] && ok "evsm.service: sections, hardening keys, ExecStart options are evsm's" || { sed 's/^/       /' "$work/unit.out"; bad "evsm.service key check"; }

python3 - packaging/Containerfile "$work/help" > "$work/cf.out" 2>&1 <<'PY'
import json, re, sys
text, help_text = open(sys.argv[1]).read(), open(sys.argv[2]).read()
known = {"FROM", "ARG", "RUN", "COPY", "ADD", "ENV", "USER", "WORKDIR", "VOLUME", "EXPOSE", "ENTRYPOINT",
         "CMD", "LABEL", "HEALTHCHECK", "STOPSIGNAL", "SHELL", "ONBUILD"}
instrs, buf, problems = [], "", []
for raw in text.splitlines():
    if not buf and (not raw.strip() or raw.lstrip().startswith("#")): continue
    buf += raw.rstrip()
    if buf.endswith("\\"): buf = buf[:-1] + " "; continue
    word, _, rest = buf.strip().partition(" ")
    instrs.append((word, rest.strip())); buf = ""
if buf: problems.append("a line continuation runs off the end of the file")
for w, _ in instrs:
    if w.upper() not in known or w != w.upper(): problems.append(f"unknown or lower-case instruction {w}")
first = [w for w, _ in instrs if w != "ARG"]
if not first or first[0] != "FROM": problems.append("the first instruction (after ARG) is not FROM")
copies = [r for w, r in instrs if w == "COPY"]
if not any(re.fullmatch(r"cacipher-\$\{VERSION\}-linux-\$\{ARCH\}\.tar\.gz \S+", c) for c in copies):
    problems.append(f"no COPY of the dist tarball cacipher-${{VERSION}}-linux-${{ARCH}}.tar.gz: {copies}")
if not any("install.sh" in r for w, r in instrs if w == "RUN"): problems.append("no RUN of install.sh")
args = {}
for w in ("ENTRYPOINT", "CMD"):
    r = [r for x, r in instrs if x == w]
    if len(r) != 1: problems.append(f"{w}: want exactly one, got {len(r)}"); continue
    try: args[w] = json.loads(r[0])
    except ValueError as e: problems.append(f"{w} is not a JSON array: {e}"); continue
    if not isinstance(args[w], list) or not all(isinstance(a, str) for a in args[w]): problems.append(f"{w} is not a JSON array of strings")
if args.get("ENTRYPOINT", [""])[0] != "/usr/local/bin/evsm": problems.append("ENTRYPOINT is not /usr/local/bin/evsm")
for o in (a for a in args.get("CMD", []) if a.startswith("--")):
    if not re.search(r"(^|\s)" + re.escape(o) + r"\b", help_text): problems.append(f"CMD option {o} is not an evsm option")
if not any(w == "USER" and r != "root" for w, r in instrs): problems.append("no USER other than root")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
[ $? -eq 0 ] && ok "Containerfile: instructions, tarball COPY, install.sh, ENTRYPOINT/CMD options are evsm's" || { sed 's/^/       /' "$work/cf.out"; bad "Containerfile parse"; }

sh -n packaging/install.sh && ok "install.sh: sh -n" || bad "install.sh: sh -n"
echo "packaging: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
