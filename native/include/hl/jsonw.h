/* Bounded JSON writing into fixed buffers (no allocation): used on the media
 * thread for events. Strings from a line (caller ID, names) are hostile, so
 * every byte outside printable ASCII is escaped and invalid UTF-8 is replaced. */
#ifndef HL_JSONW_H
#define HL_JSONW_H
#include <stddef.h>
#include <stdint.h>

typedef struct hl_jw {
  char *buf;
  size_t cap, len;
  int first;
  int overflow;
} hl_jw_t;

void hl_jw_begin(hl_jw_t *w, char *buf, size_t cap, const char *event, int64_t time_ms, int chan);
void hl_jw_str(hl_jw_t *w, const char *key, const char *val);     /* NULL → null */
void hl_jw_strn(hl_jw_t *w, const char *key, const char *val, size_t n);
void hl_jw_int(hl_jw_t *w, const char *key, int64_t v);
void hl_jw_bool(hl_jw_t *w, const char *key, int v);
void hl_jw_num(hl_jw_t *w, const char *key, double v);
/* Closes the object; returns 0, or -1 if it did not fit (buffer holds a valid
 * truncated event with "truncated":true). */
int hl_jw_end(hl_jw_t *w);
/* Escapes one string as a JSON string literal (with quotes) into out. Returns
 * the length written, or -1 if it did not fit. */
int hl_json_escape(char *out, size_t cap, const char *s, size_t n);

#endif
