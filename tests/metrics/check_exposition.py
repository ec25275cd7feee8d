#!/usr/bin/env python3
"""Checks that FILE is valid Prometheus text exposition (format 0.0.4) and that the named
samples hold: `check_exposition.py FILE [SAMPLE>=N | SAMPLE==N ...]` (SAMPLE with its
labels exactly as written, e.g. 'evsm_commands_total{command="NC"}>=3').
Prints one `ok -`/`FAIL -` line per check; exits 1 on any failure."""
import re, sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^({NAME})(\{{{LABEL}(?:,{LABEL})*\}})? (-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?|\+Inf|-Inf|NaN)$")
TYPE = re.compile(rf"^# TYPE ({NAME}) (counter|gauge|histogram|summary|untyped)$")
HELP = re.compile(rf"^# HELP ({NAME}) .*$")


def parse(text):
    errors, types, samples = [], {}, {}
    if not text.endswith("\n"):
        errors.append("does not end with a line feed")
    for i, line in enumerate(text.split("\n")[:-1], 1):
        m = TYPE.match(line)
        if m:
            if m.group(1) in types:
                errors.append(f"line {i}: family {m.group(1)} declared twice")
            types[m.group(1)] = m.group(2)
            continue
        if HELP.match(line):
            continue
        m = SAMPLE.match(line)
        if not m:
            errors.append(f"line {i}: not exposition format: {line!r}")
            continue
        name = m.group(1)
        family = name
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and types.get(name[: -len(suffix)]) == "histogram":
                family = name[: -len(suffix)]
        if family not in types:
            errors.append(f"line {i}: sample of an undeclared family: {line!r}")
        key = name + (m.group(2) or "")
        if key in samples:
            errors.append(f"line {i}: duplicate sample {key}")
        samples[key] = float(m.group(3))
    return errors, samples


def main():
    text = open(sys.argv[1]).read()
    errors, samples = parse(text)
    bad = 0
    if errors:
        bad += 1
        print(f"FAIL - {sys.argv[1]}: " + "; ".join(errors[:5]))
    else:
        print(f"ok - {sys.argv[1]}: {len(text.splitlines())} lines of valid exposition format")
    for cond in sys.argv[2:]:
        m = re.match(r"^(.*?)(>=|==)(-?[0-9.]+)$", cond)
        key, op, want = m.group(1), m.group(2), float(m.group(3))
        have = samples.get(key)
        good = have is not None and (have >= want if op == ">=" else have == want)
        bad += not good
        print(f"{'ok' if good else 'FAIL'} - {cond} (is {have})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
