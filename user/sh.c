// sh: the shell.  It reads a line at a time from fd 0 and runs it:
//
//   line     := job { (';' | '&') job }     a job may be empty
//   job      := command { '|' command }     a pipeline
//   command  := { WORD | '<' WORD | '>' WORD }, with at least one WORD
//
// A job followed by '&' runs in the background: the shell prints its pid
// and goes on without waiting.  'cd' is built in, because a directory
// change made by a child process would end with the child.  A command
// name without a '/' is tried in the current directory, then in '/'.
// The shell exits at end of input.
#include "kernel/types.h"
#include "kernel/param.h"
#include "kernel/fcntl.h"
#include "user/user.h"

#define MAXLINE 512
#define MAXCMDS 16   // commands in one pipeline

// A token is a word or one of the operator characters | < > ; &.
enum { END = 0, WORD = 1 };

struct token {
  int kind;     // END, WORD or the operator character
  char *text;   // the word, for WORD
};

struct command {
  char *argv[MAXARG + 1];
  char *input;    // file for '<', or 0
  char *output;   // file for '>', or 0
};

struct job {
  struct command commands[MAXCMDS];
  int ncommands;
  int background;
};

static char line[MAXLINE];
// Every token is at least one character of the line, and a word needs one
// extra byte for its NUL, so these cannot overflow.
static char words[2 * MAXLINE];
static struct token tokens[MAXLINE + 1];
static struct job job;

// Reads the next line of input, without its newline, into line.
// Returns -1 at end of input.  A line too long for the buffer is dropped.
static int read_line(void)
{
  int n = 0;
  int too_long = 0;
  char c;

  for (;;) {
    if (read(0, &c, 1) != 1) {
      if (n == 0 && !too_long)
        return -1;
      break;   // the last line has no newline: run it anyway
    }
    if (c == '\n')
      break;
    if (n < MAXLINE - 1)
      line[n++] = c;
    else
      too_long = 1;
  }
  line[n] = '\0';
  if (too_long) {
    fprintf(2, "sh: line too long (at most %d characters)\n", MAXLINE - 1);
    line[0] = '\0';
  }
  return 0;
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_operator(char c)
{
  return c != '\0' && strchr("|<>;&", c) != 0;
}

// Splits line into tokens, copying each word into words.
static void tokenize(void)
{
  const char *s = line;
  char *w = words;
  struct token *t = tokens;

  for (;;) {
    while (is_space(*s))
      s++;
    if (*s == '\0')
      break;
    if (is_operator(*s)) {
      t->kind = *s++;
      t->text = 0;
    } else {
      t->kind = WORD;
      t->text = w;
      while (*s != '\0' && !is_space(*s) && !is_operator(*s))
        *w++ = *s++;
      *w++ = '\0';
    }
    t++;
  }
  t->kind = END;
}

static int syntax_error(const char *what)
{
  fprintf(2, "sh: syntax error: %s\n", what);
  return -1;
}

// Parses one command starting at *tp; leaves *tp at the token after it.
static int parse_command(struct token **tp, struct command *cmd)
{
  struct token *t = *tp;
  int argc = 0;

  cmd->input = 0;
  cmd->output = 0;
  for (;; t++) {
    if (t->kind == WORD) {
      if (argc == MAXARG)
        return syntax_error("too many arguments");
      cmd->argv[argc++] = t->text;
    } else if (t->kind == '<' || t->kind == '>') {
      int op = t->kind;
      t++;
      if (t->kind != WORD)
        return syntax_error(op == '<' ? "no file after <" : "no file after >");
      if (op == '<')
        cmd->input = t->text;
      else
        cmd->output = t->text;
    } else {
      break;
    }
  }
  cmd->argv[argc] = 0;
  if (argc == 0)
    return syntax_error("missing command");
  *tp = t;
  return 0;
}

// Parses one job and the ';' or '&' that ends it; leaves *tp after them.
static int parse_job(struct token **tp, struct job *j)
{
  struct token *t = *tp;

  j->ncommands = 0;
  j->background = 0;
  if (t->kind != END && t->kind != ';' && t->kind != '&') {
    for (;;) {
      if (j->ncommands == MAXCMDS)
        return syntax_error("pipeline too long");
      if (parse_command(&t, &j->commands[j->ncommands++]) < 0)
        return -1;
      if (t->kind != '|')
        break;
      t++;
    }
  }
  if (t->kind == '&')
    j->background = 1;
  else if (t->kind != ';' && t->kind != END)
    return syntax_error("unexpected token");
  if (t->kind != END)
    t++;
  *tp = t;
  return 0;
}

// Parses the whole line without running anything, so that a mistake late
// in the line stops the jobs before it from running too.
static int line_is_valid(void)
{
  struct token *t = tokens;

  while (t->kind != END) {
    if (parse_job(&t, &job) < 0)
      return 0;
  }
  return 1;
}

// Makes fd `to` refer to what `from` refers to, and closes `from`.
// dup() returns the lowest free fd, which is `to` once it is closed.
static void move_fd(int from, int to)
{
  if (from == to)
    return;
  close(to);
  if (dup(from) != to) {
    fprintf(2, "sh: cannot set up fd %d\n", to);
    exit(1);
  }
  close(from);
}

static void redirect(const char *path, int flags, int to)
{
  int fd = open(path, flags);
  if (fd < 0) {
    fprintf(2, "sh: cannot open %s\n", path);
    exit(1);
  }
  move_fd(fd, to);
}

// In the child: applies the command's redirections and becomes it.
static void run_command(struct command *cmd) __attribute__((noreturn));
static void run_command(struct command *cmd)
{
  char *name = cmd->argv[0];

  if (cmd->input)
    redirect(cmd->input, O_RDONLY, 0);
  if (cmd->output)
    redirect(cmd->output, O_WRONLY | O_CREATE | O_TRUNC, 1);
  exec(name, cmd->argv);
  if (strchr(name, '/') == 0 && strlen(name) + 2 <= MAXPATH) {
    char path[MAXPATH];
    path[0] = '/';
    strcpy(path + 1, name);
    exec(path, cmd->argv);
  }
  fprintf(2, "exec %s failed\n", name);
  exit(1);
}

// Waits until every process in pids has exited.  Finished background jobs
// get collected along the way.
static void wait_for(const int *pids, int n)
{
  int remaining = n;

  while (remaining > 0) {
    int pid = wait(0);
    if (pid < 0)
      return;
    for (int i = 0; i < n; i++) {
      if (pids[i] == pid)
        remaining--;
    }
  }
}

// Starts every command of the job, each reading the previous one's output
// through a pipe, and waits for them unless the job is in the background.
static void run_pipeline(struct job *j)
{
  int pids[MAXCMDS];
  int started = 0;
  int input = -1;   // read end of the pipe from the previous command

  for (int i = 0; i < j->ncommands; i++) {
    int last = (i == j->ncommands - 1);
    int p[2];
    if (!last && pipe(p) < 0) {
      fprintf(2, "sh: pipe failed\n");
      break;
    }
    int pid = fork();
    if (pid < 0) {
      fprintf(2, "sh: fork failed\n");
      if (!last) {
        close(p[0]);
        close(p[1]);
      }
      break;
    }
    if (pid == 0) {
      if (input >= 0)
        move_fd(input, 0);
      if (!last) {
        close(p[0]);
        move_fd(p[1], 1);
      }
      run_command(&j->commands[i]);
    }
    pids[started++] = pid;
    if (input >= 0)
      close(input);
    input = -1;
    if (!last) {
      close(p[1]);
      input = p[0];
    }
  }
  if (input >= 0)
    close(input);   // the pipeline was cut short

  if (j->background) {
    if (started > 0)
      fprintf(2, "[%d]\n", pids[started - 1]);
  } else {
    wait_for(pids, started);
  }
}

static void change_directory(char **argv)
{
  char *dir = argv[1] ? argv[1] : "/";

  if (argv[1] && argv[2])
    fprintf(2, "cd: too many arguments\n");
  else if (chdir(dir) < 0)
    fprintf(2, "cd: cannot cd to %s\n", dir);
}

static void run_job(struct job *j)
{
  if (j->ncommands == 0)
    return;
  if (j->ncommands == 1 && strcmp(j->commands[0].argv[0], "cd") == 0)
    change_directory(j->commands[0].argv);
  else
    run_pipeline(j);
}

int main(void)
{
  for (;;) {
    fprintf(2, "$ ");
    if (read_line() < 0)
      exit(0);
    tokenize();
    if (!line_is_valid())
      continue;
    for (struct token *t = tokens; t->kind != END;) {
      parse_job(&t, &job);
      run_job(&job);
    }
  }
}
