// vmctl: the pager's knobs.
//   vmctl policy                   show the replacement policy
//   vmctl policy clock|eclock|fifo set it
//   vmctl limit PID FRAMES         hold process PID to FRAMES frames of
//                                  private memory (0: no limit)
//   vmctl loadctl [on|off]         show or set load control
#include "kernel/types.h"
#include "kernel/vmctl.h"
#include "user/user.h"

static const char *names[] = { [VMCTL_CLOCK] = "clock", [VMCTL_ECLOCK] = "eclock",
                               [VMCTL_FIFO] = "fifo" };

static int usage(void)
{
  fprintf(2, "usage: vmctl policy [clock|eclock|fifo] | vmctl limit PID FRAMES | "
             "vmctl loadctl [on|off]\n");
  return 1;
}

int main(int argc, char *argv[])
{
  if (argc >= 2 && strcmp(argv[1], "policy") == 0 && argc <= 3) {
    int want = -1;
    for (int p = 0; argc == 3 && p < 3; p++)
      if (strcmp(argv[2], names[p]) == 0)
        want = p;
    if (argc == 3 && want < 0)
      return usage();
    int now = vmctl(VMCTL_POLICY, want, 0);
    if (now < 0 || now > 2) {
      fprintf(2, "vmctl: cannot set the policy\n");
      return 1;
    }
    printf("policy: %s\n", names[now]);
    return 0;
  }
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
                 "not 0 or 2..512)\n", argv[2], argv[3]);
      return 1;
    }
    return 0;
  }
  return usage();
}
