// vmctl: the pager's knobs.
//   vmctl policy                   show the replacement policy
//   vmctl policy clock|eclock|fifo set it (local sets and the global pager)
//   vmctl alloc                    show the frame allocation
//   vmctl alloc global|equal|proportional
//                                  set it: global replacement, or every
//                                  process held to a computed share
//   vmctl limit PID FRAMES         hold process PID to FRAMES frames of
//                                  private memory (0: no limit)
//   vmctl loadctl [on|off]         show or set load control
#include "kernel/types.h"
#include "kernel/vmctl.h"
#include "user/user.h"

static const char *policies[] = { [VMCTL_CLOCK] = "clock", [VMCTL_ECLOCK] = "eclock",
                                  [VMCTL_FIFO] = "fifo", 0 };
static const char *allocations[] = { [VMCTL_ALLOC_GLOBAL] = "global",
                                     [VMCTL_ALLOC_EQUAL] = "equal",
                                     [VMCTL_ALLOC_PROPORTIONAL] = "proportional", 0 };

static int usage(void)
{
  fprintf(2, "usage: vmctl policy [clock|eclock|fifo] | vmctl alloc [global|equal|proportional] | "
             "vmctl limit PID FRAMES | vmctl loadctl [on|off]\n");
  return 1;
}

// vmctl KNOB [NAME]: sets the knob op to the value named (or keeps it) and
// prints the one in force, from the names the kernel numbers 0, 1, ...
static int named_knob(int op, const char *knob, const char **names, int argc, char *argv[])
{
  int want = -1, n = 0;
  for (; names[n]; n++)
    if (argc == 3 && strcmp(argv[2], names[n]) == 0)
      want = n;
  if (argc == 3 && want < 0)
    return usage();
  int now = vmctl(op, want, 0);
  if (now < 0 || now >= n) {
    fprintf(2, "vmctl: cannot set the %s\n", knob);
    return 1;
  }
  printf("%s: %s\n", knob, names[now]);
  return 0;
}

int main(int argc, char *argv[])
{
  if (argc >= 2 && argc <= 3 && strcmp(argv[1], "policy") == 0)
    return named_knob(VMCTL_POLICY, "policy", policies, argc, argv);
  if (argc >= 2 && argc <= 3 && strcmp(argv[1], "alloc") == 0)
    return named_knob(VMCTL_ALLOC, "allocation", allocations, argc, argv);
  if (argc >= 2 && argc <= 3 && strcmp(argv[1], "loadctl") == 0) {
    int want = argc == 2 ? -1 : strcmp(argv[2], "on") == 0 ? 1 : strcmp(argv[2], "off") == 0 ? 0 : -2;
    if (want == -2)
      return usage();
    printf("load control: %s\n", vmctl(VMCTL_LOADCTL, want, 0) ? "on" : "off");
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "limit") == 0) {
    if (vmctl(VMCTL_LIMIT, atoi(argv[2]), atoi(argv[3])) < 0) {
      fprintf(2, "vmctl: cannot limit process %s to %s frames (no such process, or "
                 "not 0 or 2..131072)\n", argv[2], argv[3]);
      return 1;
    }
    return 0;
  }
  return usage();
}
