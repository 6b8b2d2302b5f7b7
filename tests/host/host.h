// Forced into every host unit test build: the kernel's freestanding string
// functions keep xv6's signatures, which clash with the host libc's, so on
// the host they are built under other names.
#define memset kmemset
#define memmove kmemmove
#define memcpy kmemcpy
#define memcmp kmemcmp
#define strlen kstrlen
#define strcmp kstrcmp
#define strncmp kstrncmp
#define strcpy kstrcpy
#define strncpy kstrncpy
#define strchr kstrchr
