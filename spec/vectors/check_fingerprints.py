#!/usr/bin/env python3
"""Recomputes every fingerprint in fingerprint.json independently of the TypeScript code.

The fingerprint is SHA-256 over the RFC 8785 form of {"fingerprintVersion": 1, "surfaces": [...]},
surfaces sorted by id (UTF-16 code units), each without description/recovery/owner/location, and
with title/description/examples/$comment removed at JSON Schema positions. For these vectors
(integers and simple decimals only) json.dumps with sorted keys matches RFC 8785, provided keys are
sorted by UTF-16 code units, which the encoder below does.
"""
import hashlib
import json
import sys
from pathlib import Path

ANNOTATIONS = {"title", "description", "examples", "$comment"}
SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
SCHEMA_VALUES = {"items", "prefixItems", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "contains",
                 "additionalProperties", "additionalItems", "propertyNames", "unevaluatedItems", "unevaluatedProperties"}
PROSE = {"description", "recovery", "owner", "location"}


def strip(schema):
    if not isinstance(schema, dict):
        return schema
    out = {}
    for k, v in schema.items():
        if k in ANNOTATIONS:
            continue
        if k in SCHEMA_MAPS and isinstance(v, dict):
            out[k] = {name: strip(sub) for name, sub in v.items()}
        elif k in SCHEMA_VALUES:
            out[k] = [strip(x) for x in v] if isinstance(v, list) else strip(v)
        else:
            out[k] = v
    return out


def utf16_key(s):
    return s.encode("utf-16-be")


def jcs(v):
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: utf16_key(kv[0]))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(x) for k, x in items) + "}"
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return repr(v)
    return json.dumps(v, ensure_ascii=False)


def fingerprint(surfaces):
    semantic = []
    for s in sorted(surfaces, key=lambda s: utf16_key(s["id"])):
        t = {k: v for k, v in s.items() if k not in PROSE}
        t["schemas"] = {role: strip(sch) for role, sch in s["schemas"].items()}
        semantic.append(t)
    doc = {"fingerprintVersion": 1, "surfaces": semantic}
    return "sha256:" + hashlib.sha256(jcs(doc).encode("utf-8")).hexdigest()


def main():
    data = json.loads((Path(__file__).parent / "fingerprint.json").read_text(encoding="utf-8"))
    bad = 0
    for case in data["cases"]:
        got = fingerprint(case["surfaces"])
        ok = got == case["fingerprint"]
        bad += 0 if ok else 1
        print(("ok   " if ok else "FAIL ") + case["name"] + ("" if ok else f": {got} != {case['fingerprint']}"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
