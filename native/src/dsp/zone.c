#include "hl/zone.h"
#include <dahdi/tonezone.h>
#include <spandsp.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static const char *tone_names[HL_ZT_MAX] = {
  "dial", "busy", "ringback", "congestion", "callwait", "dialrecall", "record", "info",
  NULL, NULL, "stutter", NULL, NULL, NULL, NULL, NULL
};

int hl_zone_tone_id(const char *name) {
  for (int i = 0; i < HL_ZT_MAX; i++)
    if (tone_names[i] && strcmp(tone_names[i], name) == 0) return i;
  return -1;
}

const char *hl_zone_tone_name(int id) {
  return (id >= 0 && id < HL_ZT_MAX) ? tone_names[id] : NULL;
}

int hl_tone_prog_parse(const char *s, hl_tone_prog_t *p) {
  memset(p, 0, sizeof(*p));
  p->loop_from = -1;
  const char *c = s;
  while (*c) {
    if (p->nseg >= HL_ZONE_MAX_SEGS) return -1;
    hl_tone_seg_t *g = &p->seg[p->nseg];
    if (*c == '!') { g->once = 1; c++; }
    char *end;
    long f1 = strtol(c, &end, 10);
    if (end == c || f1 < 0 || f1 > 4000) return -1;
    c = end;
    long f2 = 0;
    if (*c == '+' || *c == '*') {   /* '*' (modulated) is played as a sum */
      c++;
      f2 = strtol(c, &end, 10);
      if (end == c || f2 < 0 || f2 > 4000) return -1;
      c = end;
    }
    long ms = 0;
    if (*c == '/') {
      c++;
      ms = strtol(c, &end, 10);
      if (end == c || ms < 0 || ms > 600000) return -1;
      c = end;
    }
    if (*c == ',') c++;
    else if (*c) return -1;
    g->f1 = (int16_t)f1; g->f2 = (int16_t)f2; g->ms = (int32_t)ms;
    if (!g->once && p->loop_from < 0) p->loop_from = p->nseg;
    p->nseg++;
  }
  return p->nseg > 0 ? 0 : -1;
}

int hl_zone_load(const char *country, hl_zone_t *z) {
  memset(z, 0, sizeof(*z));
  char lib[8];
  if (!country || strlen(country) >= sizeof(lib)) return -1;
  strcpy(lib, strcmp(country, "eu") == 0 ? "de" : country);
  struct tone_zone *tz = tone_zone_find(lib);
  if (!tz) return -1;
  strncpy(z->country, country, sizeof(z->country) - 1);
  for (int i = 0; i < 16 && tz->ringcadence[i]; i++) z->ring[z->nring++] = abs(tz->ringcadence[i]);
  if (z->nring == 0) { z->ring[0] = 1000; z->ring[1] = 4000; z->nring = 2; }
  for (int i = 0; i < DAHDI_TONE_MAX; i++) {
    if (!tz->tones[i].data[0]) continue;
    int id = tz->tones[i].toneid;
    if (id < 0 || id >= HL_ZT_MAX) continue;
    if (hl_tone_prog_parse(tz->tones[i].data, &z->tones[id]) != 0) return -1;
  }
  z->level_dbm0 = -10.0f;
  return 0;
}

static void seg_enter(hl_tonegen_t *g) {
  const hl_tone_seg_t *s = &g->prog->seg[g->seg];
  g->left = s->ms ? s->ms * 8 : -1;
  g->rate1 = s->f1 ? dds_phase_rate((float)s->f1) : 0;
  g->rate2 = s->f2 ? dds_phase_rate((float)s->f2) : 0;
}

void hl_tonegen_start(hl_tonegen_t *g, const hl_tone_prog_t *p, float level_dbm0) {
  memset(g, 0, sizeof(*g));
  g->prog = p;
  g->amp = dds_scaling_dbm0(level_dbm0);
  if (!p || p->nseg == 0) { g->prog = NULL; return; }
  seg_enter(g);
}

int hl_tonegen_mix(hl_tonegen_t *g, int16_t *out, int n) {
  if (!g->prog) return 0;
  int i = 0;
  while (i < n) {
    const hl_tone_seg_t *s = &g->prog->seg[g->seg];
    int run = n - i;
    if (g->left >= 0 && g->left < run) run = g->left;
    for (int k = 0; k < run; k++) {
      int32_t v = 0;
      if (s->f1) v += (dds_mod(&g->ph1, g->rate1, g->amp, 0));
      if (s->f2) v += (dds_mod(&g->ph2, g->rate2, g->amp, 0));
      v += out[i + k];
      out[i + k] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    i += run;
    if (g->left >= 0) {
      g->left -= run;
      if (g->left == 0) {
        int next = g->seg + 1;
        if (next >= g->prog->nseg) {
          if (g->prog->loop_from < 0) { g->prog = NULL; return 0; }
          next = g->prog->loop_from;
        }
        g->seg = next;
        seg_enter(g);
      }
    }
  }
  return 1;
}
