"""Lab markers in the source tree, and the handout text made from them.

A lab's solution code sits between two marker lines, with the student's
stub, commented out, after a third (docs/labs/README.md):

    // LAB cow BEGIN
    solution lines
    // LAB cow STUB
    // stub lines, each "//" plus one space taken off
    // LAB cow END

The STUB part may be left out (the stub is then nothing).  For the
handout of one lab, its regions become their stubs and its marker lines
go; other labs' markers and solutions stay as they are.  Pure logic, on
strings: tests/host/test_markers.py drives it.
"""

import re

# Files that may hold markers (C and assembly: comments start with //).
MARKED_SUFFIXES = (".c", ".h", ".S")

MARKER = re.compile(r"^\s*//\s*LAB\b(.*)$")
WELL_FORMED = re.compile(r"^\s+([a-z][a-z0-9-]*)\s+(BEGIN|STUB|END)\s*$")
STUB_LINE = re.compile(r"^(\s*)//(?: ?)(.*)$")


class MarkerError(Exception):
    """A misplaced or malformed marker; str() is "file:line: what"."""

    def __init__(self, path, line, what):
        super().__init__("%s:%d: %s" % (path, line, what))


def regions(path, text):
    """The marked regions of a file's text, checked.

    Returns a list of (lab, begin, stub, end): the 1-based line numbers of
    the BEGIN, STUB (None if absent) and END lines.  Raises MarkerError for
    a malformed marker, a BEGIN inside a region (regions do not nest), a
    STUB or END outside one or naming another lab, a second STUB, a
    non-comment line in a stub, or a region never ended.
    """
    found = []
    open_lab = begin = stub = None
    for number, line in enumerate(text.split("\n"), 1):
        marker = MARKER.match(line)
        if not marker:
            if stub is not None and not STUB_LINE.match(line):
                raise MarkerError(path, number, "a line of lab %s's stub (begun at line %d) "
                                  "is not a // comment" % (open_lab, stub))
            continue
        words = WELL_FORMED.match(marker.group(1))
        if not words:
            raise MarkerError(path, number, "malformed marker (want: // LAB name BEGIN|STUB|END)")
        lab, kind = words.groups()
        if kind == "BEGIN":
            if open_lab is not None:
                raise MarkerError(path, number, "LAB %s BEGIN inside lab %s's region (begun at "
                                  "line %d): regions do not nest" % (lab, open_lab, begin))
            open_lab, begin, stub = lab, number, None
            continue
        if open_lab is None:
            raise MarkerError(path, number, "LAB %s %s outside any region" % (lab, kind))
        if lab != open_lab:
            raise MarkerError(path, number, "LAB %s %s in lab %s's region (begun at line %d)"
                              % (lab, kind, open_lab, begin))
        if kind == "STUB":
            if stub is not None:
                raise MarkerError(path, number, "second STUB in lab %s's region (first at line %d)"
                                  % (lab, stub))
            stub = number
            continue
        found.append((lab, begin, stub, number))
        open_lab = stub = None
    if open_lab is not None:
        raise MarkerError(path, begin, "LAB %s BEGIN has no END" % open_lab)
    return found


def handout(path, text, lab):
    """The text of the file for lab's handout: each of lab's regions
    replaced by its stub (uncommented), lab's marker lines gone."""
    lines = text.split("\n")
    drop = set()
    uncomment = set()
    for name, begin, stub, end in regions(path, text):
        if name != lab:
            continue
        solution_end = stub if stub is not None else end
        drop.update(range(begin, solution_end + 1))
        drop.add(end)
        if stub is not None:
            uncomment.update(range(stub + 1, end))
    out = []
    for number, line in enumerate(lines, 1):
        if number in drop:
            continue
        if number in uncomment:
            indent, rest = STUB_LINE.match(line).groups()
            line = indent + rest if rest else ""
        out.append(line)
    return "\n".join(out)


def labs_marked(path, text):
    """The labs that have a region in the file."""
    return {lab for lab, _, _, _ in regions(path, text)}
