#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that kernel/vcdrom.yaml describes kernel/uapi/linux/vcdrom.h: every
attribute set, enum, flag, constant and command, by name and value.
Exit 0 when they agree, 1 with the differences listed, 4 (skip) without PyYAML."""

import os
import re
import sys

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml not installed", file=sys.stderr)
    sys.exit(4)

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = yaml.safe_load(open(os.path.join(top, "kernel/vcdrom.yaml")))
header = open(os.path.join(top, "kernel/uapi/linux/vcdrom.h")).read()
header = re.sub(r"/\*.*?\*/", "", header, flags=re.S)

# The header's enums, in order, with their values; and its #defines.
values = {}
for body in re.findall(r"enum\s+\w+\s*\{(.*?)\};", header, re.S):
    nxt = 0
    for item in body.split(","):
        item = item.strip()
        if not item:
            continue
        m = re.match(r"(\w+)\s*(?:=\s*(\w+))?$", item)
        name, val = m.group(1), m.group(2)
        nxt = int(val, 0) if val else nxt
        values[name] = nxt
        nxt += 1
for name, val in re.findall(r"#define\s+(\w+)\s+(.+)", header):
    val = val.strip()
    m = re.match(r"_BITULL\((\d+)\)|_BITUL\((\d+)\)", val)
    if m:
        values[name] = 1 << int(m.group(1) or m.group(2))
    elif re.fullmatch(r"0x[0-9a-fA-F]+|\d+", val):
        values[name] = int(val, 0)
    else:
        values[name] = val.strip('"')

errors = []


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def expect(cname, value, what):
    if cname not in values:
        errors.append(f"{what}: {cname} is not in the header")
    elif values[cname] != value:
        errors.append(f"{what}: {cname} is {values[cname]} in the header, {value} in the spec")


expect("VCDROM_GENL_NAME", spec["name"], "family name")
expect("VCDROM_GENL_VERSION", spec["version"], "version")
for g in spec["mcast-groups"]["list"]:
    expect("VCDROM_GENL_MCGRP_" + g["name"].upper(), g["name"], "multicast group")

enum_prefix = {"track-mode": "vcdrom-track-", "sector-format": "vcdrom-sector-", "medium": "vcdrom-medium-",
               "state": "vcdrom-state-", "event": "vcdrom-event-",
               "eject-cause": "vcdrom-eject-", "features": "vcdrom-f-",
               "track-flags": "vcdrom-track-f-", "extent-flags": "vcdrom-extent-f-",
               "sub-format": "vcdrom-sub-"}
for d in spec["definitions"]:
    if d["type"] == "const":
        expect(c_name("vcdrom-", d["name"]), d["value"], "const")
        continue
    prefix = enum_prefix.get(d["name"])
    if prefix is None:
        errors.append(f"definition {d['name']}: no known C prefix")
        continue
    for i, e in enumerate(d["entries"]):
        expect(c_name(prefix, e), 1 << i if d["type"] == "flags" else i, d["name"])

for s in spec["attribute-sets"]:
    val = 0
    for a in s["attributes"]:
        val = a.get("value", val)
        expect(c_name(s["name-prefix"], a["name"]), val, "attribute set " + s["name"])
        val += 1

for i, op in enumerate(spec["operations"]["list"]):
    expect(c_name(spec["operations"]["name-prefix"], op["name"]), op.get("value", i), "operation")

# Nothing in the header the spec leaves out: every enum member but the __MAX markers.
described = set()
for s in spec["attribute-sets"]:
    described |= {c_name(s["name-prefix"], a["name"]) for a in s["attributes"]}
for d in spec["definitions"]:
    if d["type"] != "const" and d["name"] in enum_prefix:
        described |= {c_name(enum_prefix[d["name"]], e) for e in d["entries"]}
described |= {c_name(spec["operations"]["name-prefix"], op["name"])
              for op in spec["operations"]["list"]}
for body in re.findall(r"enum\s+\w+\s*\{(.*?)\};", header, re.S):
    for name in re.findall(r"^\s*(\w+)", body, re.M):
        if not name.startswith("__") and name not in described:
            errors.append(f"{name} is in the header but not in the spec")

for e in errors:
    print("FAIL: " + e, file=sys.stderr)
print(f"uapi_spec: {len(values)} header names, {len(errors)} differences")
sys.exit(1 if errors else 0)
