#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test of cpod's TOML parser against Python's tomllib.

usage: difftest.py TOML_DUMP CORPUS_DIR

For each CORPUS_DIR/valid/*.toml both parsers must accept the file and
produce the same values (compared in toml-test's tagged form, keys in the
same order), and cpod's plain form (toml-dump --plain) must agree with its
tagged form.  For each CORPUS_DIR/invalid/*.toml both must reject it, cpod
with an error of the form "FILE:LINE:COL: message".

A file may declare a known difference on a line of its own:
  # difftest: tomllib-accepts int-range    (invalid: tomllib has no int64 limit)
  # difftest: tomllib-accepts float-range  (invalid: tomllib turns 1e400 into inf)
  # difftest: tomllib-rejects year-0       (valid: Python's datetime starts at year 1)
The claim is checked, not trusted: tomllib must really behave so, for that reason.

Prints one line per mismatch and a summary; exits 1 on any mismatch.
"""

import datetime
import json
import math
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MARKER = re.compile(rb"^# difftest: (tomllib-accepts|tomllib-rejects) (\S+)\s*$", re.M)


def canon_float(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)  # shortest round-trip text, keeps the sign of -0.0


def tag(v):
    """tomllib value -> toml-test tagged form, normalised."""
    if isinstance(v, dict):
        return {k: tag(x) for k, x in v.items()}
    if isinstance(v, list):
        return [tag(x) for x in v]
    if isinstance(v, bool):
        return {"type": "bool", "value": "true" if v else "false"}
    if isinstance(v, int):
        return {"type": "integer", "value": str(v)}
    if isinstance(v, float):
        return {"type": "float", "value": canon_float(v)}
    if isinstance(v, str):
        return {"type": "string", "value": v}
    if isinstance(v, datetime.datetime):
        return {"type": "datetime" if v.tzinfo else "datetime-local", "value": v.isoformat()}
    if isinstance(v, datetime.date):
        return {"type": "date-local", "value": v.isoformat()}
    if isinstance(v, datetime.time):
        return {"type": "time-local", "value": v.isoformat()}
    raise TypeError(f"unexpected tomllib value {v!r}")


def is_tagged_scalar(v):
    # A table's values are always objects or arrays, so this cannot be a table.
    return isinstance(v, dict) and set(v) == {"type", "value"} and all(isinstance(x, str) for x in v.values())


DATETIME_TYPES = {
    "datetime": lambda v: isinstance(v, datetime.datetime) and v.tzinfo is not None,
    "datetime-local": lambda v: isinstance(v, datetime.datetime) and v.tzinfo is None,
    "date-local": lambda v: isinstance(v, datetime.date) and not isinstance(v, datetime.datetime),
    "time-local": lambda v: isinstance(v, datetime.time),
}


def norm_scalar(t, s):
    """cpod's tagged scalar -> the normalised tagged form; raises ValueError if malformed."""
    if t == "integer":
        if str(int(s)) != s:
            raise ValueError(f"integer text {s!r} not canonical")
        return {"type": t, "value": s}
    if t == "float":
        return {"type": t, "value": canon_float(float(s))}
    if t == "bool":
        if s not in ("true", "false"):
            raise ValueError(f"bool text {s!r}")
        return {"type": t, "value": s}
    if t == "string":
        return {"type": t, "value": s}
    if t in DATETIME_TYPES:
        # cpod promises RFC 3339 text normalised to 'T' and upper-case 'T'/'Z'.
        if re.search(r"[ tz]", s):
            raise ValueError(f"{t} text {s!r} not normalised")
        v = tomllib.loads(f"v = {s}")["v"]
        if not DATETIME_TYPES[t](v):
            raise ValueError(f"{t} text {s!r} is a {type(v).__name__}")
        return {"type": t, "value": v.isoformat()}
    raise ValueError(f"unknown type {t!r}")


def norm(v):
    if is_tagged_scalar(v):
        return norm_scalar(v["type"], v["value"])
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    raise ValueError(f"untagged value {v!r}")


def fmt_path(path):
    return ".".join(str(p) for p in path) or "<root>"


def diff(a, b, path=()):
    """Differences between cpod's (a) and tomllib's (b) normalised trees."""
    if isinstance(a, dict) and isinstance(b, dict) and not is_tagged_scalar(b):
        if list(a) != list(b):
            if set(a) != set(b):
                yield f"at {fmt_path(path)}: keys {sorted(a)} != {sorted(b)}"
                return
            yield f"at {fmt_path(path)}: key order {list(a)} != {list(b)}"
        for k in b:
            yield from diff(a[k], b[k], path + (k,))
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            yield f"at {fmt_path(path)}: {len(a)} elements != {len(b)}"
            return
        for i, (x, y) in enumerate(zip(a, b)):
            yield from diff(x, y, path + (i,))
    elif a != b:
        yield f"at {fmt_path(path)}: cpod {json.dumps(a)} != tomllib {json.dumps(b)}"


def plain_diff(tagged, plain, path=()):
    """cpod's plain form must be its tagged form with the documented mapping."""
    if is_tagged_scalar(tagged):
        t, s = tagged["type"], tagged["value"]
        if t == "integer":
            want = int(s)
        elif t == "float":
            want = s if s in ("nan", "inf", "-inf") else float(s)
        elif t == "bool":
            want = s == "true"
        else:
            want = s
        same = type(want) is type(plain) and (
            canon_float(want) == canon_float(plain) if isinstance(want, float) else want == plain
        )
        if not same:
            yield f"at {fmt_path(path)}: plain {json.dumps(plain)} != tagged {json.dumps(tagged)}"
    elif isinstance(tagged, dict) and isinstance(plain, dict):
        if list(tagged) != list(plain):
            yield f"at {fmt_path(path)}: plain keys {list(plain)} != tagged {list(tagged)}"
            return
        for k in tagged:
            yield from plain_diff(tagged[k], plain[k], path + (k,))
    elif isinstance(tagged, list) and isinstance(plain, list) and len(tagged) == len(plain):
        for i, (x, y) in enumerate(zip(tagged, plain)):
            yield from plain_diff(x, y, path + (i,))
    else:
        yield f"at {fmt_path(path)}: plain and tagged forms differ in shape"


def tomllib_parse(data):
    """(value, None) or (None, error) as tomllib.load() would give."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, f"not UTF-8: {e}"
    # cpod skips a leading byte order mark, as podman's Go parser does; tomllib does not.
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as e:
        return None, str(e)


def cpod_parse(dump, path, plain=False):
    """(rc, stdout, stderr) of toml-dump."""
    args = [dump, "--plain", str(path)] if plain else [dump, str(path)]
    # Under a sanitizer build, a report must not pass for a parse error (rc 1).
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "exitcode=86")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    r = subprocess.run(args, capture_output=True, timeout=60, env=env)
    err = r.stderr.decode("utf-8", "replace").strip()
    if "runtime error:" in err or "Sanitizer" in err:
        return 86, "", err
    return r.returncode, r.stdout.decode("utf-8", "replace"), err


def walk_scalars(v):
    if isinstance(v, dict):
        for x in v.values():
            yield from walk_scalars(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk_scalars(x)
    else:
        yield v


LENIENCY_CHECKS = {
    "int-range": lambda doc: any(
        isinstance(x, int) and not isinstance(x, bool) and not INT64_MIN <= x <= INT64_MAX
        for x in walk_scalars(doc)
    ),
    "float-range": lambda doc: any(isinstance(x, float) and math.isinf(x) for x in walk_scalars(doc)),
}


def check_valid(dump, path, data, marker):
    rc, out, err = cpod_parse(dump, path)
    if rc != 0:
        return [f"cpod rejects a valid file (rc {rc}): {err}"]
    doc, terr = tomllib_parse(data)
    if marker:
        if marker != (b"tomllib-rejects", b"year-0") or doc is not None:
            return [f"bad or unconfirmed difftest marker {marker}"]
        return []
    if doc is None:
        return [f"tomllib rejects it: {terr}"]
    try:
        mine = json.loads(out)
        problems = list(diff(norm(mine), tag(doc)))
    except ValueError as e:
        return [f"cpod output malformed: {e}"]
    rc, out, err = cpod_parse(dump, path, plain=True)
    if rc != 0:
        return problems + [f"toml-dump --plain fails (rc {rc}): {err}"]
    return problems + list(plain_diff(mine, json.loads(out)))


def check_invalid(dump, path, data, marker):
    problems = []
    rc, out, err = cpod_parse(dump, path)
    if rc != 1:
        problems.append(f"cpod accepts an invalid file (rc {rc}): {out.strip()[:200]} {err}")
    elif not re.fullmatch(re.escape(str(path)) + r":\d+:\d+: \S.*", err):
        problems.append(f"cpod error not in FILE:LINE:COL form: {err!r}")
    doc, _ = tomllib_parse(data)
    if marker:
        check = LENIENCY_CHECKS.get(marker[1].decode()) if marker[0] == b"tomllib-accepts" else None
        if check is None or doc is None or not check(doc):
            problems.append(f"bad or unconfirmed difftest marker {marker}")
    elif doc is not None:
        problems.append("tomllib accepts it")
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dump, corpus = sys.argv[1], Path(sys.argv[2])
    counts = {"valid": 0, "invalid": 0}
    known = mismatches = 0
    for kind, check in (("valid", check_valid), ("invalid", check_invalid)):
        for path in sorted((corpus / kind).glob("*.toml")):
            data = path.read_bytes()
            m = MARKER.search(data)
            marker = m.groups() if m else None
            counts[kind] += 1
            known += marker is not None
            for problem in check(dump, path, data, marker):
                mismatches += 1
                print(f"MISMATCH {kind}/{path.name}: {problem}")
    print(
        f"difftest: {counts['valid']} valid, {counts['invalid']} invalid files; "
        f"{known} known tomllib differences (checked); {mismatches} mismatches"
    )
    if counts["valid"] == 0 or counts["invalid"] == 0:
        print("difftest: empty corpus")
        return 1
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
