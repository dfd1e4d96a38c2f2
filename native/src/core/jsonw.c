#include "hl/jsonw.h"
#include <stdio.h>
#include <string.h>

static void put(hl_jw_t *w, const char *s, size_t n) {
  if (w->overflow) return;
  if (w->len + n + 1 >= w->cap) { w->overflow = 1; return; }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
  w->buf[w->len] = 0;
}

/* Length of a valid UTF-8 sequence at s (strict: no overlongs, surrogates or
 * code points past U+10FFFF), or 0. */
static int utf8_len(const unsigned char *s, size_t n, unsigned *cp) {
  unsigned c = s[0], v, min;
  int len;
  if (c < 0x80) { *cp = c; return 1; }
  if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
  else return 0;
  if ((size_t)len > n) return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = v << 6 | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

int hl_json_escape(char *out, size_t cap, const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t o = 0;
#define EMIT(p, l) do { if (o + (l) + 2 > cap) return -1; memcpy(out + o, p, l); o += (l); } while (0)
  EMIT("\"", 1);
  for (size_t i = 0; i < n; ) {
    unsigned cp;
    char tmp[8];
    int l = utf8_len(s + i, n - i, &cp);
    if (l == 0) { EMIT("\\ufffd", 6); i++; continue; }
    if (cp == '"') EMIT("\\\"", 2);
    else if (cp == '\\') EMIT("\\\\", 2);
    else if (cp == '\n') EMIT("\\n", 2);
    else if (cp == '\r') EMIT("\\r", 2);
    else if (cp == '\t') EMIT("\\t", 2);
    else if (cp < 0x20 || cp == 0x7F || cp == '<' || cp == '>' || cp == '&' || (cp >= 0x80 && cp < 0xA0) ||
             cp == 0x2028 || cp == 0x2029) {
      /* < > & too, so the text can never open a tag or close a script if a
       * consumer forgets to escape it; C1 and line separators break parsers. */
      snprintf(tmp, sizeof tmp, "\\u%04x", cp);
      EMIT(tmp, 6);
    } else EMIT((const char *)&s[i], (size_t)l);
    i += (size_t)l;
  }
  EMIT("\"", 1);
  out[o] = 0;
#undef EMIT
  return (int)o;
}

static void key(hl_jw_t *w, const char *k) {
  if (!w->first) put(w, ",", 1);
  w->first = 0;
  put(w, "\"", 1);
  put(w, k, strlen(k));
  put(w, "\":", 2);
}

void hl_jw_begin(hl_jw_t *w, char *buf, size_t cap, const char *event, int64_t time_ms, int chan) {
  w->buf = buf; w->cap = cap; w->len = 0; w->first = 1; w->overflow = 0;
  buf[0] = 0;
  put(w, "{", 1);
  hl_jw_str(w, "event", event);
  hl_jw_int(w, "time", time_ms);
  if (chan > 0) hl_jw_int(w, "chan", chan);
}

void hl_jw_strn(hl_jw_t *w, const char *k, const char *val, size_t n) {
  key(w, k);
  if (!val) { put(w, "null", 4); return; }
  if (w->overflow) return;
  int l = hl_json_escape(w->buf + w->len, w->cap - w->len - 1, val, n);
  if (l < 0) { w->overflow = 1; return; }
  w->len += (size_t)l;
}

void hl_jw_str(hl_jw_t *w, const char *k, const char *val) {
  hl_jw_strn(w, k, val, val ? strlen(val) : 0);
}

void hl_jw_int(hl_jw_t *w, const char *k, int64_t v) {
  char tmp[32];
  int l = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
  key(w, k); put(w, tmp, (size_t)l);
}

void hl_jw_num(hl_jw_t *w, const char *k, double v) {
  char tmp[40];
  int l = snprintf(tmp, sizeof tmp, "%.2f", v);
  key(w, k); put(w, tmp, (size_t)l);
}

void hl_jw_bool(hl_jw_t *w, const char *k, int v) {
  key(w, k); put(w, v ? "true" : "false", v ? 4 : 5);
}

int hl_jw_end(hl_jw_t *w) {
  if (!w->overflow) { put(w, "}", 1); if (!w->overflow) return 0; }
  /* Did not fit: keep the event name and time only, flagged as truncated. */
  const char *b = w->buf;
  const char *comma = strchr(b, ',');
  const char *comma2 = comma ? strchr(comma + 1, ',') : NULL;
  size_t keep = comma2 ? (size_t)(comma2 - b) : 1;
  if (keep + 20 > w->cap) keep = 1;
  memcpy(w->buf + keep, ",\"truncated\":true}", 19);
  w->len = keep + 18;
  return -1;
}
