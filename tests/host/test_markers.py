#!/usr/bin/env python3
"""Host test of tests/labs/markers.py: the lab markers and the handout text
made from them, and their errors with file:line.  Prints one PASS/FAIL line
per case (the format tests/host/run expects); exits 1 if any failed."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "labs"))
import markers  # noqa: E402

failed = 0


def check(name, ok, why=""):
    global failed
    print(("PASS markers: %s" % name) if ok else ("FAIL markers: %s: %s" % (name, why)))
    failed += not ok


def expect_error(name, text, where):
    try:
        markers.regions("f.c", text)
    except markers.MarkerError as e:
        check(name, str(e).startswith("f.c:%d: " % where), "error %r, wanted line %d" % (str(e), where))
        return
    check(name, False, "no error")


SOURCE = """int f(void)
{
  int x = 1;
  // LAB cow BEGIN
  x = share();
  // LAB cow STUB
  // x = copy();   // eager
  //
  //   indented();
  // LAB cow END
  // LAB lazy BEGIN
  x += lazy();
  // LAB lazy END
  return x;
}
"""

check("regions found with their lines",
      markers.regions("f.c", SOURCE) == [("cow", 4, 6, 10), ("lazy", 11, None, 13)],
      repr(markers.regions("f.c", SOURCE)))

cow = markers.handout("f.c", SOURCE, "cow")
check("the lab's solution becomes its stub, one '// ' taken off, markers gone",
      cow == """int f(void)
{
  int x = 1;
  x = copy();   // eager

    indented();
  // LAB lazy BEGIN
  x += lazy();
  // LAB lazy END
  return x;
}
""", repr(cow))

lazy = markers.handout("f.c", SOURCE, "lazy")
check("a region without STUB becomes nothing; other labs stay as they are",
      lazy == SOURCE.replace("  // LAB lazy BEGIN\n  x += lazy();\n  // LAB lazy END\n", ""),
      repr(lazy))
check("a lab with no region leaves the text alone", markers.handout("f.c", SOURCE, "swap") == SOURCE)
check("the labs a file marks", markers.labs_marked("f.c", SOURCE) == {"cow", "lazy"})
check("a marker's name must be its lab's, not LABEL or a comment about labs",
      markers.regions("f.c", "// LABEL\n// Lab cow: text\n") == [])

expect_error("nested BEGIN", "// LAB a BEGIN\nx;\n  // LAB b BEGIN\n// LAB b END\n// LAB a END\n", 3)
expect_error("END of another lab", "// LAB a BEGIN\n// LAB b END\n", 2)
expect_error("END without BEGIN", "x;\n// LAB a END\n", 2)
expect_error("STUB without BEGIN", "// LAB a STUB\n", 1)
expect_error("second STUB", "// LAB a BEGIN\n// LAB a STUB\n// LAB a STUB\n// LAB a END\n", 3)
expect_error("BEGIN never ended (reported at the BEGIN)", "x;\n// LAB a BEGIN\ny;\n", 2)
expect_error("code in a stub", "// LAB a BEGIN\n// LAB a STUB\n// ok\nnot_a_comment();\n// LAB a END\n", 4)
expect_error("malformed marker", "// LAB a BEGINS\n", 1)
expect_error("marker without a name", "// LAB BEGIN\n", 1)
expect_error("a stub's check ends with its region", "// LAB a BEGIN\n// LAB a STUB\n// LAB a END\ncode();\n"
             "// LAB b BEGIN\n// LAB b END\n// LAB c BEGIN\n", 7)

sys.exit(1 if failed else 0)
