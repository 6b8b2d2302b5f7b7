// Console line discipline.  Typed characters are echoed and collected into
// an edit line; read() sees a line only once Enter (or ^D) completes it.
// Editing keys: Backspace/Delete erase a character, ^U erases the line,
// ^D ends input (read returns what is there, or 0 on an empty line),
// ^P lists the processes.
#include "types.h"
#include "param.h"
#include "spinlock.h"
#include "proc.h"
#include "file.h"
#include "uart.h"
#include "console.h"

#define CTRL(x) ((x) - '@')
#define BACKSPACE 0x100   // console_putc: erase the last character shown
#define INPUT_SIZE 128

static struct {
  struct spinlock lock;
  char buf[INPUT_SIZE];
  uint read_idx;    // next character read() returns
  uint write_idx;   // end of the completed lines
  uint edit_idx;    // end of the line being edited
} input;

static struct spinlock output_lock;

void console_putc(int c)
{
  if (c == BACKSPACE) {
    uart_putc('\b');
    uart_putc(' ');
    uart_putc('\b');
  } else {
    if (c == '\n')
      uart_putc('\r');
    uart_putc(c);
  }
}

static int console_write(int user_src, uint64 src, int n)
{
  int i;
  acquire(&output_lock);
  for (i = 0; i < n; i++) {
    char c;
    if (either_copyin(&c, user_src, src + i, 1) == -1)
      break;
    console_putc(c);
  }
  release(&output_lock);
  return i;
}

static int console_read(int user_dst, uint64 dst, int n)
{
  int wanted = n;
  acquire(&input.lock);
  while (n > 0) {
    while (input.read_idx == input.write_idx) {
      if (killed(myproc())) {
        release(&input.lock);
        return -1;
      }
      sleep(&input.read_idx, &input.lock);
    }
    int c = input.buf[input.read_idx++ % INPUT_SIZE];
    if (c == CTRL('D')) {
      // End of input.  If it arrived after some characters, keep it for
      // the next read so that one returns 0.
      if (n < wanted)
        input.read_idx--;
      break;
    }
    char ch = (char)c;
    if (either_copyout(user_dst, dst, &ch, 1) == -1)
      break;
    dst++;
    n--;
    if (c == '\n')
      break;
  }
  release(&input.lock);
  return wanted - n;
}

void console_intr(int c)
{
  acquire(&input.lock);
  switch (c) {
  case CTRL('P'):
    procdump();
    break;
  case CTRL('U'):
    while (input.edit_idx != input.write_idx &&
           input.buf[(input.edit_idx - 1) % INPUT_SIZE] != '\n') {
      input.edit_idx--;
      console_putc(BACKSPACE);
    }
    break;
  case CTRL('H'):
  case 0x7f:
    if (input.edit_idx != input.write_idx) {
      input.edit_idx--;
      console_putc(BACKSPACE);
    }
    break;
  default:
    if (c == 0 || input.edit_idx - input.read_idx >= INPUT_SIZE)
      break;
    if (c == '\r')
      c = '\n';
    if (c != CTRL('D'))
      console_putc(c);
    input.buf[input.edit_idx++ % INPUT_SIZE] = (char)c;
    if (c == '\n' || c == CTRL('D') || input.edit_idx - input.read_idx == INPUT_SIZE) {
      input.write_idx = input.edit_idx;
      wakeup(&input.read_idx);
    }
    break;
  }
  release(&input.lock);
}

void console_init(void)
{
  spin_init(&input.lock, "console input");
  spin_init(&output_lock, "console output");
  uart_init();
  devsw[CONSOLE].read = console_read;
  devsw[CONSOLE].write = console_write;
}
