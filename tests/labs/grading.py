"""The labs' grade files, and grading a tree by them (docs/labs/README.md).

A lab is a file tests/labs/LAB.grade.  Its lines:

    title TEXT                  what the lab is about, one line
    run NAME suite ENTRY        a run: the entry of tests/kernel/suite.txt
    run NAME host TEST          a run: tests/host/TEST.c, built and run
    run NAME qemu-run ARG...    a run: tests/qemu-run with these arguments
    run NAME script PROG ARG... a run: a program from the repository root
    POINTS RUN TEST             a graded test: TEST passed if RUN printed a
                                line "PASS TEST"; TEST "*": RUN itself passed
    handout-check RUN           the run CI makes on the lab's handout tree,
                                which must lose points there

Arguments are shell-quoted; "#" starts a comment.  A test scores its points
only if its run neither timed out nor panicked (nor could not run a
program) and printed its PASS line; otherwise zero, with the reason.
"""

import importlib.machinery
import importlib.util
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
# A run that ends like this spoils every test graded from it.
FATAL = re.compile(r"^qemu-run: FAILED: (.*(timed out|panic|QEMU exited|could not run|"
                   r"not found|not installed).*)$", re.MULTILINE)
# Host tests and scripts get this long in all.
RUN_TIMEOUT_S = 900


class GradeFileError(Exception):
    pass


class Lab:
    def __init__(self, name):
        self.name = name
        self.title = ""
        self.runs = {}        # name -> argv (relative to the tree's root) or ("suite", entry)
        self.run_order = []
        self.tests = []       # (points, run, test)
        self.handout_check = None

    def total(self):
        return sum(points for points, _, _ in self.tests)


def lab_names(root=REPO):
    folder = os.path.join(root, "tests", "labs")
    return sorted(f[:-len(".grade")] for f in os.listdir(folder) if f.endswith(".grade"))


def read_lab(name, root=REPO):
    path = os.path.join(root, "tests", "labs", name + ".grade")
    lab = Lab(name)
    with open(path) as f:
        for number, line in enumerate(f, 1):
            where = "%s:%d" % (os.path.relpath(path, root), number)
            words = shlex.split(line, comments=True)
            if not words:
                continue
            if words[0] == "title":
                lab.title = " ".join(words[1:])
            elif words[0] == "run" and len(words) >= 4:
                name_, kind, rest = words[1], words[2], words[3:]
                if kind == "suite":
                    argv = ("suite", rest[0])
                elif kind == "host":
                    argv = ["tests/host/run"] + rest
                elif kind == "qemu-run":
                    argv = ["tests/qemu-run"] + rest
                elif kind == "script":
                    argv = rest
                else:
                    raise GradeFileError("%s: unknown kind of run %r" % (where, kind))
                lab.runs[name_] = argv
                lab.run_order.append(name_)
            elif words[0] == "handout-check" and len(words) == 2:
                lab.handout_check = words[1]
            elif len(words) == 3 and words[0].isdigit():
                lab.tests.append((int(words[0]), words[1], words[2]))
            else:
                raise GradeFileError("%s: cannot read %r" % (where, line.strip()))
    for _, run, _ in lab.tests:
        if run not in lab.runs:
            raise GradeFileError("%s: a test names run %r, which the file does not define"
                                 % (path, run))
    if lab.handout_check not in lab.runs:
        raise GradeFileError("%s: handout-check must name one of its runs" % path)
    return lab


def load_script(path):
    """A Python script without .py (tests/harness/run-suite) as a module."""
    loader = importlib.machinery.SourceFileLoader(os.path.basename(path).replace("-", "_"), path)
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def suite_entries(root):
    module = load_script(os.path.join(root, "tests", "harness", "run-suite"))
    entries = module.read_suite(os.path.join(root, "tests", "kernel", "suite.txt"))
    return {entry[0]: entry[1] for entry in entries}   # name: argv


def from_log(log_text, entry):
    """(output, passed) of a suite entry in a `make test` log, or None."""
    start = log_text.find("== kernel:%s: " % entry)
    end = log_text.find("== kernel:%s finished" % entry, start)
    if start < 0 or end < 0:
        return None
    verdict = re.search(r"^(PASS|FAIL) kernel:%s\b" % re.escape(entry), log_text[end:],
                        re.MULTILINE)
    if not verdict:
        return None
    return log_text[start:end], verdict.group(1) == "PASS"


def run_once(argv, root, echo):
    """Runs argv in root; returns (output, passed)."""
    proc = subprocess.Popen(argv, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            errors="replace", start_new_session=True)
    output = []
    # A program silent and stuck is killed too, with its children (QEMU).
    watchdog = threading.Timer(RUN_TIMEOUT_S, os.killpg, (proc.pid, signal.SIGKILL))
    watchdog.start()
    for line in proc.stdout:
        output.append(line)
        if echo:
            sys.stdout.write(line)
            sys.stdout.flush()
    passed = proc.wait() == 0
    if not watchdog.is_alive():
        output.append("qemu-run: FAILED: timed out after %d s in all\n" % RUN_TIMEOUT_S)
    watchdog.cancel()
    return "".join(output), passed


def run(lab, run_name, root, log_text=None, echo=False):
    """(output, passed, how) for one of the lab's runs."""
    argv = lab.runs[run_name]
    if argv[0] == "suite":
        if log_text is not None:
            logged = from_log(log_text, argv[1])
            if logged:
                return logged + ("from the make test log",)
        entries = suite_entries(root)
        if argv[1] not in entries:
            return "", False, "no suite entry %s" % argv[1]
        argv = entries[argv[1]]
    started = time.monotonic()
    output, passed = run_once(argv, root, echo)
    return output, passed, "%.0f s" % (time.monotonic() - started)


def score_test(test, output, passed):
    """(scored, why) for one test graded from its run's output."""
    fatal = FATAL.search(output)
    if fatal:
        return False, fatal.group(1)
    if test == "*":
        if passed:
            return True, ""
        failed = re.findall(r"^(?:qemu-run: FAILED: |FAIL )(.*)$", output, re.MULTILINE)
        return False, failed[0] if failed else "the run failed"
    name = re.escape(test)
    if re.search(r"^PASS %s(:|\s|$)" % name, output, re.MULTILINE):
        return True, ""
    fail = re.search(r"^(\S+: )?FAIL %s(:|\s|$).*$" % name, output, re.MULTILINE)
    if fail:
        return False, fail.group(0).strip()
    return False, "no line 'PASS %s'" % test


def grade(lab, root=REPO, log_text=None, only=None, echo=False, out=sys.stdout):
    """Grades one lab; prints a line per test; returns (score, total)."""
    out.write("== lab %s: %s\n" % (lab.name, lab.title))
    score = total = 0
    for run_name in lab.run_order:
        if only and run_name not in only:
            continue
        tests = [(p, t) for p, r, t in lab.tests if r == run_name]
        out.write("run %s ... " % run_name)
        out.flush()
        output, passed, how = run(lab, run_name, root, log_text, echo)
        out.write("(%s)\n" % how)
        for points, test in tests:
            scored, why = score_test(test, output, passed)
            got = points if scored else 0
            score += got
            total += points
            line = "  %-40s %3d/%-3d %s" % (run_name if test == "*" else test, got, points,
                                            "" if scored else why[:200])
            out.write(line.rstrip() + "\n")
    out.flush()
    return score, total
