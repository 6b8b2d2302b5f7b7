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
#include "dev/uart.h"
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
  int reading;      // a reader is copying input out (see console_read)
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

// User memory is copied with no spinlock held: a copy may fault, and the
// fault may have to sleep (reading the page from a file).
#define CHUNK 64

static int console_write(int user_src, uint64 src, int n)
{
  char buf[CHUNK];
  int done = 0;
  while (done < n) {
    int m = n - done < CHUNK ? n - done : CHUNK;
    if (either_copyin(buf, user_src, src + done, m) == -1)
      return done > 0 ? done : -1;
    acquire(&output_lock);
    for (int i = 0; i < m; i++)
      console_putc(buf[i]);
    release(&output_lock);
    done += m;
  }
  return done;
}

// Copies up to max characters of completed input into buf, stopping after
// a newline or at ^D, and sets *next to where the input would continue
// once they are taken (commit_input).  Returns how many, or -1 if the
// process was killed meanwhile.  A ^D that follows characters of this read
// (earlier ones: have_some) is left in place, so that the next read
// returns 0 for it.  input.lock held.
static int peek_input(char *buf, int max, int have_some, int *eof, uint *next)
{
  int n = 0;
  *eof = 0;
  while (input.read_idx == input.write_idx) {
    if (killed(myproc()))
      return -1;
    sleep(&input.read_idx, &input.lock);
  }
  uint i = input.read_idx;
  while (n < max && i != input.write_idx) {
    char c = input.buf[i % INPUT_SIZE];
    if (c == CTRL('D')) {
      *eof = 1;
      if (!have_some && n == 0)
        i++;
      break;
    }
    i++;
    buf[n++] = c;
    if (c == '\n')
      break;
  }
  *next = i;
  return n;
}

// Input leaves the buffer only once it has been copied out, so a read into
// a bad buffer leaves it for the next read; readers take turns, so that
// two of them never get the same characters.
static int console_read(int user_dst, uint64 dst, int n)
{
  char buf[CHUNK];
  int done = 0, failed = 0;
  acquire(&input.lock);
  while (input.reading) {
    if (killed(myproc())) {
      release(&input.lock);
      return -1;
    }
    sleep(&input.read_idx, &input.lock);
  }
  input.reading = 1;
  while (done < n) {
    int eof;
    uint next;
    int m = peek_input(buf, n - done < CHUNK ? n - done : CHUNK, done > 0, &eof, &next);
    if (m < 0) {
      failed = 1;
      break;
    }
    release(&input.lock);
    failed = either_copyout(user_dst, dst + done, buf, (uint64)m) == -1;
    acquire(&input.lock);
    if (failed)
      break;
    input.read_idx = next;
    done += m;
    if (eof || (m > 0 && buf[m - 1] == '\n'))
      break;   // a line, or ^D, ends the read
  }
  input.reading = 0;
  wakeup(&input.read_idx);   // the next reader's turn
  release(&input.lock);
  return done > 0 || !failed ? done : -1;
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
