#!/usr/bin/env python3
"""Checks that every #include of mnrecords points down the layers.

Reads the table in layers.txt (next to this file), then every C/C++ file
under the table's folders, and reports each include of a folder its
file's folder may not include, each restricted header (`only` rules)
included from elsewhere, and each source folder missing from the table.
Exit status 0 when clean, 1 with one line per problem otherwise, 2 for a
malformed table.

    tools/checkdeps/checkdeps.py [--root DIR] [--layers FILE]
"""
import argparse
import os
import re
import sys

SOURCE_SUFFIXES = (".h", ".cc", ".c", ".hpp", ".cpp")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SKIPPED_DIRS = {".git", "node_modules"}


class Table:
    def __init__(self):
        self.allowed = {}  # folder or header -> set of folders/headers, or None (*)
        self.only = []  # (pattern, set of folders)

    def owner(self, path):
        """The longest left-column entry that is `path` or contains it."""
        best = None
        for key in self.allowed:
            if path == key or path.startswith(key + "/"):
                if best is None or len(key) > len(best):
                    best = key
        return best


def parse_table(path):
    table = Table()
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if ":" not in line:
                sys.exit(f"{path}:{number}: expected '<folder> : <folders>'")
            left, right = (part.strip() for part in line.split(":", 1))
            targets = right.split()
            if left.startswith("only "):
                table.only.append((left[len("only "):].strip(), set(targets)))
            elif targets == ["*"]:
                table.allowed[left] = None
            elif targets == ["-"]:
                table.allowed[left] = set()
            else:
                table.allowed[left] = set(targets)
    for key, targets in table.allowed.items():
        for target in targets or ():
            if target not in table.allowed:
                sys.exit(f"{path}: {key} may include {target}, which is not "
                         "in the left column")
    return table


def matches(pattern, include):
    if pattern.startswith("*"):
        return include.endswith(pattern[1:])
    return include == pattern or include.startswith(pattern)


def source_files(root, table):
    tops = sorted({key.split("/")[0] for key in table.allowed})
    for top in tops:
        base = os.path.join(root, top)
        for directory, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
            for name in sorted(files):
                if name.endswith(SOURCE_SUFFIXES):
                    full = os.path.join(directory, name)
                    yield os.path.relpath(full, root).replace(os.sep, "/")


def check(root, table):
    problems = []
    for rel in source_files(root, table):
        owner = table.owner(rel)
        if owner is None:
            problems.append(f"{rel}: its folder is not in layers.txt; add it "
                            "with the layers it may include")
            continue
        allowed = table.allowed[owner]
        with open(os.path.join(root, rel), encoding="utf-8",
                  errors="replace") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                include = m.group(2)
                for pattern, folders in table.only:
                    if matches(pattern, include) and owner not in folders:
                        problems.append(
                            f"{rel}:{number}: {owner} may not include "
                            f"{include} (only {' '.join(sorted(folders))} "
                            "may)")
                if m.group(1) != '"':
                    continue
                target = table.owner(include)
                if target is None or target == owner or allowed is None:
                    continue
                # A header listed on its own belongs to its folder too.
                if (target.endswith(SOURCE_SUFFIXES) and
                        table.owner(os.path.dirname(target)) == owner):
                    continue
                if target not in allowed:
                    problems.append(
                        f"{rel}:{number}: {owner} may not include {include} "
                        f"({target} is not below {owner} in layers.txt)")
    return problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(here)))
    parser.add_argument("--layers", default=os.path.join(here, "layers.txt"))
    args = parser.parse_args()
    table = parse_table(args.layers)
    problems = check(args.root, table)
    for problem in problems:
        print(problem)
    if problems:
        print(f"checkdeps: {len(problems)} include(s) point the wrong way")
        return 1
    print("checkdeps: every include points down the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
