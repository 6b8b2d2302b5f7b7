// ls: lists files.  For each argument (default "."): a file is shown by
// itself, a directory by its entries.  Each line gives the name, type
// (1 directory, 2 file, 3 device), inode number and size in bytes.
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

static void show(const char *name, const struct stat *st)
{
  // Pad the name to DIRSIZ columns so the numbers line up.
  char padded[DIRSIZ + 1];
  int n = 0;

  for (; name[n] != '\0' && n < DIRSIZ; n++)
    padded[n] = name[n];
  for (; n < DIRSIZ; n++)
    padded[n] = ' ';
  padded[DIRSIZ] = '\0';
  printf("%s %d %u %lu\n", padded, st->type, st->ino, st->size);
}

// The last element of a path: "a/b/c" -> "c".
static const char *last_element(const char *path)
{
  const char *last = path;

  for (const char *p = path; *p != '\0'; p++) {
    if (*p == '/' && p[1] != '\0')
      last = p + 1;
  }
  return last;
}

static void list_directory(int fd, const char *path)
{
  char entry_path[MAXPATH];
  int len = strlen(path);
  struct dirent de;

  if (len + 1 + DIRSIZ + 1 > MAXPATH) {
    fprintf(2, "ls: path too long: %s\n", path);
    return;
  }
  strcpy(entry_path, path);
  entry_path[len++] = '/';
  while (read(fd, &de, sizeof(de)) == sizeof(de)) {
    if (de.inum == 0)
      continue;
    // A name of exactly DIRSIZ characters has no NUL in the entry.
    memmove(entry_path + len, de.name, DIRSIZ);
    entry_path[len + DIRSIZ] = '\0';
    struct stat st;
    if (stat(entry_path, &st) < 0) {
      fprintf(2, "ls: cannot stat %s\n", entry_path);
      continue;
    }
    show(entry_path + len, &st);
  }
}

static void ls(const char *path)
{
  int fd = open(path, O_RDONLY);
  struct stat st;

  if (fd < 0) {
    fprintf(2, "ls: cannot open %s\n", path);
    return;
  }
  if (fstat(fd, &st) < 0)
    fprintf(2, "ls: cannot stat %s\n", path);
  else if (st.type == T_DIR)
    list_directory(fd, path);
  else
    show(last_element(path), &st);
  close(fd);
}

int main(int argc, char *argv[])
{
  if (argc < 2)
    ls(".");
  for (int i = 1; i < argc; i++)
    ls(argv[i]);
  return 0;
}
