// vformat: the printf engine shared by the kernel's printf and user space's.
//
// A conversion is %[flags][width][l]conv: flags '-' (left-justify) and '0'
// (pad numbers with zeros), a decimal field width, an optional 'l' for a
// 64-bit argument, and one of d u x p s c %.  Anything else is printed as
// written, so a bad format shows up in the output instead of being lost.
#include "lib.h"

#define MAX_WIDTH 4096

struct output {
  void (*put)(void *ctx, char c);
  void *ctx;
  int count;
};

struct spec {
  int left;       // '-': pad on the right
  int zero;       // '0': pad numbers with zeros after the sign or 0x
  int width;      // minimum field width
  int is_long;    // 'l': the argument is 64 bits wide
};

static void emit(struct output *out, char c)
{
  out->put(out->ctx, c);
  out->count++;
}

static void emit_repeated(struct output *out, char c, int n)
{
  for (; n > 0; n--)
    emit(out, c);
}

// Writes prefix (a sign or "0x") and body justified in spec's field width.
// Zero padding goes between the two, so -42 in %05d reads -0042.
static void emit_field(struct output *out, const struct spec *spec,
                       const char *prefix, const char *body, int body_len)
{
  int prefix_len = strlen(prefix);
  int padding = spec->width - prefix_len - body_len;

  if (!spec->left && !spec->zero)
    emit_repeated(out, ' ', padding);
  for (; *prefix != '\0'; prefix++)
    emit(out, *prefix);
  if (!spec->left && spec->zero)
    emit_repeated(out, '0', padding);
  for (int i = 0; i < body_len; i++)
    emit(out, body[i]);
  if (spec->left)
    emit_repeated(out, ' ', padding);
}

// Writes value in base 10 or 16, with at least min_digits digits.
static void emit_number(struct output *out, const struct spec *spec,
                        const char *prefix, uint64 value, int base, int min_digits)
{
  static const char digit_chars[] = "0123456789abcdef";
  char digits[24];   // 2^64 has 20 decimal digits
  int start = sizeof(digits);

  do {
    digits[--start] = digit_chars[value % base];
    value /= base;
  } while (value != 0);
  while ((int)sizeof(digits) - start < min_digits)
    digits[--start] = '0';
  emit_field(out, spec, prefix, digits + start, sizeof(digits) - start);
}

// Reads the flags, width and length of the conversion at *fmt (just past
// the '%') and advances *fmt to the conversion character.
static struct spec parse_spec(const char **fmt)
{
  struct spec spec = {0};
  const char *f = *fmt;

  for (;; f++) {
    if (*f == '-')
      spec.left = 1;
    else if (*f == '0')
      spec.zero = 1;
    else
      break;
  }
  for (; *f >= '0' && *f <= '9'; f++) {
    if (spec.width < MAX_WIDTH)   // an absurd width must not overflow
      spec.width = spec.width * 10 + (*f - '0');
  }
  if (*f == 'l') {
    spec.is_long = 1;
    f++;
  }
  *fmt = f;
  return spec;
}

int vformat(void (*put)(void *ctx, char c), void *ctx, const char *fmt, va_list ap)
{
  struct output out = { put, ctx, 0 };

  for (; *fmt != '\0'; fmt++) {
    if (*fmt != '%') {
      emit(&out, *fmt);
      continue;
    }
    const char *conversion_start = fmt;
    fmt++;
    struct spec spec = parse_spec(&fmt);
    switch (*fmt) {
    case 'd': {
      long v = spec.is_long ? va_arg(ap, long) : va_arg(ap, int);
      // Negate as unsigned: -v overflows for the most negative value.
      uint64 magnitude = v < 0 ? -(uint64)v : (uint64)v;
      emit_number(&out, &spec, v < 0 ? "-" : "", magnitude, 10, 1);
      break;
    }
    case 'u':
    case 'x': {
      uint64 v = spec.is_long ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
      emit_number(&out, &spec, "", v, *fmt == 'u' ? 10 : 16, 1);
      break;
    }
    case 'p':
      emit_number(&out, &spec, "0x", (uint64)va_arg(ap, void *), 16, 16);
      break;
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (s == 0)
        s = "(null)";
      spec.zero = 0;
      emit_field(&out, &spec, "", s, strlen(s));
      break;
    }
    case 'c': {
      char c = (char)va_arg(ap, int);
      spec.zero = 0;
      emit_field(&out, &spec, "", &c, 1);
      break;
    }
    case '%':
      emit(&out, '%');
      break;
    default:
      // Unknown conversion, or the format ended inside one: echo it.
      for (; conversion_start < fmt; conversion_start++)
        emit(&out, *conversion_start);
      if (*fmt == '\0')
        return out.count;
      emit(&out, *fmt);
      break;
    }
  }
  return out.count;
}
