#!/usr/bin/env python3
"""What is in the browser bundle: code bytes per kind of function, read from the wasm's own
name section (before wasm-bindgen and wasm-opt strip it) and demangled with binutils' c++filt.

    scripts/wasm-size.py [target/front/wasm32-unknown-unknown/wasm-release/app.wasm]

That file is what `cargo leptos build --release` compiles before wasm-bindgen; the served
`target/site/pkg/taphuan.wasm` has no names left. Used for issue 17 (docs/PERFORMANCE.md).
"""
import collections
import subprocess
import sys

PATH = sys.argv[1] if len(sys.argv) > 1 else "target/front/wasm32-unknown-unknown/wasm-release/app.wasm"
data = open(PATH, "rb").read()


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def name(b, i):
    n, i = leb(b, i)
    return b[i:i + n].decode("utf8", "replace"), i + n


sections, custom = {}, {}
i = 8
while i < len(data):
    sid = data[i]
    size, i = leb(data, i + 1)
    if sid == 0:
        n, j = name(data, i)
        custom[n] = (j, i + size)
    else:
        sections[sid] = (i, i + size)
    i += size

# Imported functions come first in the function index space.
imported = 0
j = sections[2][0]
count, j = leb(data, j)
for _ in range(count):
    _, j = name(data, j)
    _, j = name(data, j)
    kind = data[j]
    j += 1
    if kind == 0:
        _, j = leb(data, j)
        imported += 1
    elif kind == 1:
        j += 1
        flags, j = leb(data, j)
        _, j = leb(data, j)
        if flags & 1:
            _, j = leb(data, j)
    elif kind == 2:
        flags, j = leb(data, j)
        _, j = leb(data, j)
        if flags & 1:
            _, j = leb(data, j)
    elif kind == 3:
        j += 2

sizes = []
j = sections[10][0]
count, j = leb(data, j)
for _ in range(count):
    s, j = leb(data, j)
    sizes.append(s)
    j += s

names = {}
j, end = custom["name"]
while j < end:
    sub = data[j]
    size, j = leb(data, j + 1)
    stop = j + size
    if sub == 1:
        count, k = leb(data, j)
        for _ in range(count):
            idx, k = leb(data, k)
            names[idx], k = name(data, k)
    j = stop

mangled = [names.get(i + imported, "?") for i in range(len(sizes))]
demangled = subprocess.run(["c++filt"], input="\n".join(mangled), capture_output=True, text=True).stdout.split("\n")

# The first match wins: a generic serde function instantiated for an app type counts as serde.
KINDS = [
    ("serde: deserialising the data pages receive", ["serde"]),
    ("server_fn: calling server functions", ["server_fn"]),
    ("tachys: views (build, hydrate, rebuild)", ["tachys"]),
    ("reactive_graph: signals, effects, resources", ["reactive_graph"]),
    ("leptos_router", ["leptos_router"]),
    ("the rest of leptos", ["leptos", "hydration_context", "any_spawner", "throw_error", "or_poisoned"]),
    ("wasm_bindgen, web_sys, js_sys", ["wasm_bindgen", "web_sys", "js_sys", "wasm_streams", "gloo"]),
    ("app: this code base's own functions", ["app["]),
    ("core, alloc, std", ["core[", "alloc[", "std[", "hashbrown", "dlmalloc"]),
]
total = sum(sizes)
kinds = collections.Counter()
for size, d in zip(sizes, demangled):
    kinds[next((label for label, keys in KINDS if any(k in d for k in keys)), "other")] += size
print(f"{PATH}: {len(data):,} bytes, {len(sizes):,} functions, {total:,} bytes of code")
for label, size in kinds.most_common():
    print(f"{size:>10,} {100 * size / total:5.1f} %  {label}")
