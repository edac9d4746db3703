#!/usr/bin/env python3
"""layering.py - the source tree's structural rules, checked (TAP on stdout).

1. Dependencies point one way.  Each folder of src/ may include only the
   folders listed for it in ALLOWED (style rule 1, Redis's rule that generic
   code never includes what sits above it).
2. Curses stays in the terminal module: only src/ui/crt.c includes
   ui/curses_compat.h, and nothing else includes a curses header.
3. A demo owns its presentation: no file outside src/demos/ names a demo.
   Outside src/demos/ (and the registry header demos/demo.h), nothing
   includes a demo's header, uses a demo's symbols (the DemoClass objects,
   the constants its header defines), or spells out, in a string literal,
   a demo's name, its variants, parameters or results (taken from
   `interleave list`), apart from words that are also the core's own
   vocabulary (GENERIC).

usage: layering.py SRCDIR INTERLEAVE_BINARY
"""
import os
import re
import subprocess
import sys

# folder -> folders (or single headers) it may include
ALLOWED = {
    "util": {"util", "core/compiler.h"},
    "core": {"core", "util"},
    "prims": {"prims", "core", "util"},
    "view": {"view", "core", "util"},
    "demos": {"demos", "prims", "view", "core", "util"},
    "export": {"export", "view", "core", "util"},
    "lesson": {"lesson", "scenario", "export", "view", "core", "util", "demos/demo.h"},
    "grade": {"grade", "lesson", "scenario", "export", "view", "core", "util", "demos/demo.h"},
    "scenario": {"scenario", "prims", "view", "core", "util", "demos/demo.h"},
    "ui": {"ui", "grade", "lesson", "scenario", "export", "view", "core", "util", "demos/demo.h"},
    "cli": {"cli", "grade", "lesson", "scenario", "export", "view", "core", "util",
            "demos/demo.h"},
}

# words that name a demo's thing but are also the core's own vocabulary
GENERIC = {"deadlock", "timeout", "mutex", "semaphore", "trylock", "atomic", "n",
           "join", "variant", "total", "expected", "items",
           "lanes",  # the race's and deadlock's lanes=threads|processes; lanes are the core's
           "pipe"}   # share's variant=pipe; pipes between lanes are the core's (il_pipe)

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def strip_comments(text):
    """C source without comments (strings kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text[i] == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def demo_words(binary):
    """Names of demos, variants, parameters and results, from `interleave list`."""
    out = subprocess.run([binary, "list"], capture_output=True, text=True).stdout
    words, in_demos = set(), False
    for line in out.splitlines():
        if line.startswith("demos:"):
            in_demos = True
            continue
        if line and not line.startswith(" "):
            in_demos = False
        if in_demos and line.strip() and line.strip() != "results:":
            words.add(line.split()[0])
    return words


def demo_symbols(src):
    """Symbols a demo's header defines: its DemoClass and constants."""
    syms = set()
    ddir = os.path.join(src, "demos")
    for name in os.listdir(ddir):
        if not name.endswith(".h") or name == "demo.h":
            continue
        text = strip_comments(open(os.path.join(ddir, name)).read())
        syms.update(re.findall(r"\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\s*[=,}]", text))
        syms.update(re.findall(r"\b([a-z_]+_(?:demo|view))\s*;", text))
        syms.update(re.findall(r"#define\s+([A-Z][A-Z0-9_]+)", text))
    syms.discard(None)
    return {s for s in syms if not s.startswith("INTERLEAVE_")}


def main():
    src, binary = sys.argv[1], sys.argv[2]
    files = []
    for root, _, names in os.walk(src):
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                files.append(os.path.join(root, name))
    files.sort()
    words = demo_words(binary)
    if not words:
        print("Bail out! no demos from `%s list`" % binary)
        return 99
    named = {w for w in words if w not in GENERIC}
    syms = demo_symbols(src)
    problems = {"layers": [], "curses": [], "demos": []}
    for path in files:
        rel = os.path.relpath(path, src)
        folder = rel.split(os.sep)[0] if os.sep in rel else None
        text = open(path, encoding="utf-8").read()
        code = strip_comments(text)
        for inc in INCLUDE.findall(code):
            if inc.endswith("curses.h") or inc == "ui/curses_compat.h":
                if rel not in ("ui/crt.c", "ui/curses_compat.h"):
                    problems["curses"].append("%s includes %s" % (rel, inc))
            if folder is None or "/" not in inc:
                continue  # src/main.c; config.h
            top = inc.split("/")[0]
            allowed = ALLOWED.get(folder)
            if allowed is None:
                problems["layers"].append("%s: folder %s has no layering rule" % (rel, folder))
            elif top not in allowed and inc not in allowed:
                problems["layers"].append("%s includes %s (%s may include: %s)" %
                                          (rel, inc, folder, ", ".join(sorted(allowed))))
        for inc in re.findall(r"#\s*include\s+<([^>]*curses[^>]*)>", code):
            if rel != "ui/curses_compat.h":
                problems["curses"].append("%s includes <%s>" % (rel, inc))
        if folder == "demos":
            continue
        for inc in INCLUDE.findall(code):
            if inc.startswith("demos/") and inc != "demos/demo.h":
                problems["demos"].append("%s includes %s" % (rel, inc))
        for sym in syms:
            if re.search(r"\b%s\b" % re.escape(sym), code):
                problems["demos"].append("%s uses %s" % (rel, sym))
        for lit in STRING.findall(code):
            for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", lit):
                if w in named and lit.strip() == w:
                    problems["demos"].append('%s spells out "%s"' % (rel, w))
    print("1..3")
    for n, (key, desc) in enumerate([
            ("layers", "includes point one way (core includes nothing above it)"),
            ("curses", "curses only in the terminal module (src/ui/crt.c)"),
            ("demos", "no file outside src/demos/ names a demo")], 1):
        if problems[key]:
            print("not ok %d - %s" % (n, desc))
            for p in sorted(set(problems[key])):
                print("# " + p)
        else:
            print("ok %d - %s" % (n, desc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
