/* An SS7 E1 span of the sim board: timeslot 16 is an HDLC D-channel whose
 * frames cross a simulated line to a far-end signalling point, and the other
 * timeslots are bearers (CIC = cic_first - 1 + timeslot).
 *
 * The line is modelled as the two boards and the wire between them: the
 * sending board computes the FCS-16, the wire may cut or corrupt the frame,
 * the receiving board checks the FCS and drops a bad frame (towards the box:
 * HL_EV_BADFCS, as DAHDI raises it). Frames wait in fixed rings, so the tick
 * path allocates nothing. */
#include "sim_int.h"
#include "hl/ss7.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

/* Frames the far end may send per 20 ms tick. A 64 kbit/s link carries about
 * one signal unit per ms; a handful per tick keeps MTP2 well fed (every
 * libss7 write is a signal unit, FISU when idle) without flooding the box. */
#define TX_PER_TICK 4
/* How long a cut lasts before the far end's terminal calls it a link
 * failure (its error-rate monitor, counting octets without flags, gets there
 * in about this time) and realigns once frames flow again. */
#define CUT_DETECT_MS 150
/* Engine time running this far ahead of the wall clock means faster than
 * real time (with room for a slow start). */
#define RT_SLACK_MS 2000

void hl_sim_ss7_conf_default(hl_sim_ss7_conf_t *c) {
  memset(c, 0, sizeof *c);
  c->far_kind = HL_SIM_FAR_LIBSS7;
  snprintf(c->variant, sizeof c->variant, "itu");
  c->box_pc = 1;
  c->far_pc = 2;
  c->ni = 2;
  c->cic_first = 1;
  c->answer_ms = 2000;
}

static int64_t wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t rnd(sim_ss7_t *x) {
  uint32_t v = x->rng;
  v ^= v << 13; v ^= v >> 17; v ^= v << 5;
  return x->rng = v;
}

/* The wire: 0 when the frame is lost (cut, span alarm); may flip one bit. */
static int line(sim_ss7_t *x, uint8_t *b, int len, int dir) {
  sim_t *s = x->sim;
  if ((s->span_alarms[x->span - 1] & (HL_ALARM_RED | HL_ALARM_BLUE)) || s->now < x->cut_until) {
    x->st.cut_dropped++;
    return 0;
  }
  if (x->corrupt_permille > 0 && (x->corrupt_dir == 0 || x->corrupt_dir == dir) &&
      (int)(rnd(x) % 1000) < x->corrupt_permille) {
    uint32_t bit = rnd(x) % (uint32_t)(len * 8);
    b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    x->st.corrupted++;
  }
  return 1;
}

void sim_ss7_to_box(sim_ss7_t *x, const uint8_t *su_fcs, int len) {
  sim_t *s = x->sim;
  if (len < 1 + HL_FCS_LEN || len > HL_FRAME_MAX) return;
  sim_chan_t *d = &s->ch[x->dchan - 1];
  sim_frame_t *f = sim_fring_slot(&x->to_box);
  uint8_t spare[HL_FRAME_MAX];
  uint8_t *b = f ? f->b : spare;
  memcpy(b, su_fcs, (size_t)(len - HL_FCS_LEN));
  sim_fcs_put(b, len - HL_FCS_LEN);              /* the far end's board */
  x->st.to_box++;
  if (!line(x, b, len, 1)) return;
  /* The box's board. A closed D-channel receives nothing, as in DAHDI. */
  if (!d->open) { x->st.box_closed++; return; }
  if (!sim_fcs_ok(b, len)) { x->st.box_badfcs++; sim_queue_event(d, HL_EV_BADFCS); return; }
  if (!f) { x->st.box_overrun++; sim_queue_event(d, HL_EV_OVERRUN); return; }
  f->len = (uint16_t)len;
  sim_fring_push(&x->to_box);
}

int ss7span_read_frame(sim_ss7_t *x, sim_chan_t *c, uint8_t *buf, int cap) {
  sim_frame_t *f = sim_fring_peek(&x->to_box);
  if (!f) return 0;
  int len = f->len;
  sim_fring_pop(&x->to_box);
  if (len > cap) return -EMSGSIZE;
  memcpy(buf, f->b, (size_t)len);
  return len;
}

int ss7span_write_frame(sim_ss7_t *x, sim_chan_t *c, const uint8_t *buf, int len) {
  if (len < 1 + HL_FCS_LEN || len > HL_FRAME_MAX) return -EINVAL;
  sim_frame_t *f = sim_fring_slot(&x->to_far);
  if (!f) { x->st.far_tx_full++; return 0; }
  memcpy(f->b, buf, (size_t)(len - HL_FCS_LEN));
  sim_fcs_put(f->b, len - HL_FCS_LEN);           /* the box's board */
  f->len = (uint16_t)len;
  sim_fring_push(&x->to_far);
  return len;
}

void ss7span_begin(sim_ss7_t *x, hl_jw_t *w, char *buf, size_t cap, const char *name, int chan, int cic) {
  hl_jw_begin(w, buf, cap, name, x->detached ? 0 : x->sim->now, chan > 0 ? chan : x->dchan);
  hl_jw_int(w, "span", x->span);
  if (cic > 0) hl_jw_int(w, "cic", cic);
}

void ss7span_end(sim_ss7_t *x, hl_jw_t *w, const char *buf) {
  hl_jw_end(w);
  if (!x->detached) sim_emit(x->sim, buf);
}

int ss7span_ts_of_cic(const sim_ss7_t *x, int cic) {
  int ts = cic - x->conf.cic_first + 1;
  return ts >= 1 && ts <= 31 ? ts : 0;
}

int ss7span_chan_of_cic(const sim_ss7_t *x, int cic) {
  int ts = ss7span_ts_of_cic(x, cic);
  if (!ts || ts == 16 || x->detached) return 0;
  sim_t *s = x->sim;
  int ch = x->first_chan + ts - 1;
  return ch <= s->nchans && s->info[ch - 1].span == x->span ? ch : 0;
}

int ss7span_outcome_for(const sim_ss7_t *x, int ts, const char *called, int *after_ms) {
  for (int i = 0; i < SIM_SS7_RULES; i++) {
    const ss7_rule_t *r = &x->rules[i];
    if (r->prefix[0] && !strncmp(called, r->prefix, strlen(r->prefix))) { *after_ms = r->after_ms; return r->outcome; }
  }
  *after_ms = x->cic[ts].after_ms;
  return x->cic[ts].outcome;
}

static void realtime_check(sim_ss7_t *x) {
  sim_t *s = x->sim;
  if (!x->far || !x->far->real_time_only || x->rt_warned) return;
  int64_t w = wall_ms();
  if (!x->t0_wall) { x->t0_wall = w; x->t0_now = s->now; return; }
  if ((s->now - x->t0_now) - (w - x->t0_wall) < RT_SLACK_MS) return;
  x->rt_warned = 1;
  char buf[HL_EVENT_JSON];
  hl_jw_t jw;
  ss7span_begin(x, &jw, buf, sizeof buf, "SimSs7Warning", 0, 0);
  hl_jw_str(&jw, "reason", "engine time outruns the wall clock: this span's far end (libss7) times its "
                           "MTP2/MTP3/ISUP timers by the wall clock, so it only works at speed 1");
  hl_jw_str(&jw, "farEnd", x->far->name);
  ss7span_end(x, &jw, buf);
}

void ss7span_tick(sim_t *s, sim_ss7_t *x) {
  int alarmed = !!(s->span_alarms[x->span - 1] & (HL_ALARM_RED | HL_ALARM_BLUE));
  int cut = s->now < x->cut_until;
  int want = alarmed || (cut && s->now - x->cut_from >= CUT_DETECT_MS);
  if (x->far && want != x->far_alarm) { x->far_alarm = want; x->far->alarm(x, want); }
  /* The box's frames reach the far end's board. */
  sim_frame_t *f;
  while ((f = sim_fring_peek(&x->to_far))) {
    x->st.to_far++;
    if (line(x, f->b, f->len, 2)) {
      if (!sim_fcs_ok(f->b, f->len)) x->st.far_badfcs++;
      else if (x->far) x->far->rx(x, f->b, f->len);
    }
    sim_fring_pop(&x->to_far);
  }
  if (x->far) x->far->tick(x, TX_PER_TICK);
  realtime_check(x);
}

int ss7span_init(sim_t *s, int span, int first_chan, char *err, size_t errlen) {
  sim_ss7_t *x = calloc(1, sizeof *x);
  if (!x) { snprintf(err, errlen, "span %d: out of memory", span); return -ENOMEM; }
  x->sim = s;
  x->span = span;
  x->first_chan = first_chan;
  x->dchan = first_chan + 15;
  x->rng = 0x9E3779B9u ^ (uint32_t)span;
  hl_sim_ss7_conf_default(&x->conf);
  for (int ts = 1; ts <= 31; ts++) { x->cic[ts].outcome = OUT_ANSWER; x->cic[ts].after_ms = x->conf.answer_ms; }
  s->ss7[span - 1] = x;
  for (int i = 0; i < s->nchans; i++) if (s->info[i].span == span) s->ch[i].x7 = x;
  x->far = &sim_far_libss7;
  int r = x->far->start(x, err, errlen);
  if (r < 0) { x->far = NULL; return r; }
  return 0;
}

void ss7span_release(sim_t *s, int span) {
  sim_ss7_t *x = s->ss7 ? s->ss7[span - 1] : NULL;
  if (!x) return;
  if (x->far) x->far->stop(x);
  for (int i = 0; i < s->nchans; i++) if (s->ch[i].x7 == x) s->ch[i].x7 = NULL;
  s->ss7[span - 1] = NULL;
  free(x);
}

/* ---- span re-lay (sim_driver.c's respan ops) ---- */

sim_ss7_t *ss7span_prepare(sim_t *s, int span, int first_chan, const hl_sim_ss7_conf_t *conf, char *err, size_t errlen) {
  hl_sim_ss7_conf_t c;
  if (conf) c = *conf;
  else {
    hl_sim_ss7_conf_default(&c);
    snprintf(c.variant, sizeof c.variant, "china");
  }
  /* A span switched while the engine runs gets our own stack as its far end:
   * it keeps any speed and needs no socket (libss7 would). */
  c.far_kind = HL_SIM_FAR_OWN;
  const hl_ss7_variant_t *v = hl_ss7_variant_find(c.variant);
  if (!v) { snprintf(err, errlen, "span %d: our SS7 stack speaks china or itu, not '%s'", span, c.variant); return NULL; }
  uint32_t pcmax = (1u << v->pc_bits) - 1;
  if (c.box_pc > pcmax || c.far_pc > pcmax || c.box_pc == c.far_pc || c.ni < 0 || c.ni > 3 || c.cic_first < 0 ||
      c.cic_first + 30 > v->max_cic || c.answer_ms < 0) {
    snprintf(err, errlen, "span %d: bad far-end settings (%s point codes 0..%u and different, ni 0..3, CICs within the variant)", span, v->name, pcmax);
    return NULL;
  }
  sim_ss7_t *x = calloc(1, sizeof *x);
  if (!x) { snprintf(err, errlen, "span %d: out of memory", span); return NULL; }
  x->sim = s;
  x->detached = 1;
  x->span = span;
  x->first_chan = first_chan;
  x->dchan = first_chan + 15;
  x->rng = 0x9E3779B9u ^ (uint32_t)span;
  x->conf = c;
  for (int ts = 1; ts <= 31; ts++) { x->cic[ts].outcome = OUT_ANSWER; x->cic[ts].after_ms = c.answer_ms; }
  if (own_prepare(x, err, errlen) < 0) { free(x); return NULL; }
  x->far = &sim_far_own;
  return x;
}

void ss7span_attach(sim_t *s, sim_ss7_t *x) {
  x->detached = 0;
  s->ss7[x->span - 1] = x;
  for (int i = 0; i < s->nchans; i++) if (s->info[i].span == x->span) s->ch[i].x7 = x;
  own_go(x);
}

sim_ss7_t *ss7span_detach(sim_t *s, int span) {
  sim_ss7_t *x = s->ss7 ? s->ss7[span - 1] : NULL;
  if (!x) return NULL;
  for (int i = 0; i < s->nchans; i++) if (s->ch[i].x7 == x) { s->ch[i].x7 = NULL; s->ch[i].far.talk_rate = 0; }
  s->ss7[span - 1] = NULL;
  x->detached = 1;
  return x;
}

void ss7span_free_detached(sim_ss7_t *x) {
  if (!x) return;
  if (x->far) x->far->stop(x);
  free(x);
}

/* ---- public: configuration and actions ---- */

static sim_ss7_t *span_of(const hl_driver_t *drv, int span) {
  if (!hl_sim_is(drv)) return NULL;
  sim_t *s = drv->state;
  if (span < 1 || span > s->nspans || !s->ss7) return NULL;
  return s->ss7[span - 1];
}

int hl_sim_ss7_config(hl_driver_t *drv, int span, const hl_sim_ss7_conf_t *conf, char *err, size_t errlen) {
  sim_ss7_t *x = span_of(drv, span);
  if (!x) { snprintf(err, errlen, "span %d is not an SS7 span of the sim board", span); return -EINVAL; }
  const sim_far_ops_t *far = NULL;
  switch (conf->far_kind) {
  case HL_SIM_FAR_NONE: break;
  case HL_SIM_FAR_LIBSS7:
    if (strcmp(conf->variant, "itu") != 0) {
      snprintf(err, errlen, "span %d: libss7 speaks ITU only (14-bit point codes), not '%s'", span, conf->variant);
      return -EINVAL;
    }
    if (conf->box_pc > 0x3FFF || conf->far_pc > 0x3FFF) {
      snprintf(err, errlen, "span %d: ITU point codes are 14 bits (0..16383)", span);
      return -EINVAL;
    }
    far = &sim_far_libss7;
    break;
  case HL_SIM_FAR_OWN: {
    /* Our own stack in the exchange role: China (24-bit point codes) or ITU. */
    const hl_ss7_variant_t *v = hl_ss7_variant_find(conf->variant);
    if (!v) {
      snprintf(err, errlen, "span %d: our SS7 stack speaks china or itu, not '%s'", span, conf->variant);
      return -EINVAL;
    }
    uint32_t pcmax = (1u << v->pc_bits) - 1;
    if (conf->box_pc > pcmax || conf->far_pc > pcmax) {
      snprintf(err, errlen, "span %d: %s point codes are %d bits (0..%u)", span, v->name, v->pc_bits, pcmax);
      return -EINVAL;
    }
    far = &sim_far_own;
    break;
  }
  default:
    snprintf(err, errlen, "span %d: unknown far-end kind %d", span, conf->far_kind);
    return -EINVAL;
  }
  if (conf->box_pc == conf->far_pc || conf->ni < 0 || conf->ni > 3 || conf->cic_first < 0 ||
      conf->cic_first + 30 > 4095 || conf->answer_ms < 0) {
    snprintf(err, errlen, "span %d: bad SS7 settings (point codes must differ, ni 0..3, CICs within 0..4095)", span);
    return -EINVAL;
  }
  if (x->far) x->far->stop(x);
  x->far = NULL;
  x->far_alarm = 0;
  x->link_up = 0;
  x->t0_wall = 0;
  x->rt_warned = 0;
  x->conf = *conf;
  for (int ts = 1; ts <= 31; ts++) {
    memset(&x->cic[ts], 0, sizeof x->cic[ts]);
    x->cic[ts].outcome = OUT_ANSWER;
    x->cic[ts].after_ms = conf->answer_ms;
  }
  if (far) {
    int r = far->start(x, err, errlen);
    if (r < 0) return r;
    x->far = far;
  }
  return 0;
}

int hl_sim_check_realtime(const hl_driver_t *drv, double speed, char *err, size_t errlen) {
  if (!hl_sim_is(drv) || speed == 1.0) return 0;
  sim_t *s = drv->state;
  size_t n = 0;
  int bad = 0;
  if (errlen) err[0] = 0;
  for (int i = 0; i < s->nspans; i++) {
    sim_ss7_t *x = s->ss7 ? s->ss7[i] : NULL;
    if (!x || !x->far || !x->far->real_time_only) continue;
    bad++;
    if (n < errlen) n += (size_t)snprintf(err + n, errlen - n, "%sspan %d", bad > 1 ? ", " : "", i + 1);
  }
  if (!bad) return 0;
  if (n < errlen)
    snprintf(err + n, errlen - n, ": the SS7 far end (libss7) times its MTP2/MTP3/ISUP timers by the wall clock, "
             "so %s only at speed 1 (asked for %g%s)", bad > 1 ? "these spans work" : "this span works",
             speed, speed <= 0 ? ", as fast as possible" : "");
  return -EINVAL;
}

int hl_sim_ss7_stats(const hl_driver_t *drv, int span, hl_sim_ss7_stats_t *out) {
  sim_ss7_t *x = span_of(drv, span);
  if (!x) return -EINVAL;
  *out = x->st;
  return 0;
}

int hl_sim_ss7_command(hl_driver_t *drv, const hl_cmd_t *cmd, char *err, size_t errlen) {
  if (!hl_sim_is(drv)) { snprintf(err, errlen, "not the sim driver"); return -EINVAL; }
  sim_t *s = drv->state;
  if (cmd->chan < 1 || cmd->chan > s->nchans || !s->ch[cmd->chan - 1].x7) {
    snprintf(err, errlen, "channel %d is not on an SS7 span", cmd->chan);
    return -EINVAL;
  }
  sim_ss7_t *x = s->ch[cmd->chan - 1].x7;
  char buf[HL_EVENT_JSON];
  hl_jw_t jw;
  switch (cmd->i1) {
  case HL_SIM_SS7_GRS:
  case HL_SIM_SS7_CGB:
  case HL_SIM_SS7_CGU:
    if (!x->far || !x->far->ss7cmd) { snprintf(err, errlen, "span %d has no far end", x->span); return -EINVAL; }
    return x->far->ss7cmd(x, cmd, err, errlen);
  case HL_SIM_SS7_CUT:
    if (cmd->i2 < 0 || cmd->i2 > 600000) { snprintf(err, errlen, "a cut lasts 0..600000 ms"); return -EINVAL; }
    if (cmd->i2 == 0) { x->cut_until = 0; return 0; }
    if (s->now >= x->cut_until) x->cut_from = s->now;
    x->cut_until = s->now + cmd->i2;
    ss7span_begin(x, &jw, buf, sizeof buf, "SimSs7LinkCut", 0, 0);
    hl_jw_int(&jw, "ms", cmd->i2);
    ss7span_end(x, &jw, buf);
    return 0;
  case HL_SIM_SS7_CORRUPT:
    if (cmd->i2 < 0 || cmd->i2 > 1000 || cmd->i3 < 0 || cmd->i3 > 2) {
      snprintf(err, errlen, "corrupt 0..1000 per mille of frames; direction 0 both, 1 towards the box, 2 towards the far end");
      return -EINVAL;
    }
    x->corrupt_permille = cmd->i2;
    x->corrupt_dir = cmd->i3;
    return 0;
  case HL_SIM_SS7_RULE:
    if (!cmd->s1[0]) { memset(x->rules, 0, sizeof x->rules); return 0; }
    if (cmd->i2 < OUT_ANSWER || cmd->i2 > OUT_UNALLOCATED || cmd->i3 < 0 ||
        strspn(cmd->s1, "0123456789") != strlen(cmd->s1) || strlen(cmd->s1) >= sizeof x->rules[0].prefix) {
      snprintf(err, errlen, "a rule is a prefix of up to 23 digits, an outcome and a delay >= 0");
      return -EINVAL;
    }
    for (int i = 0; i < SIM_SS7_RULES; i++) {
      ss7_rule_t *r = &x->rules[i];
      if (!r->prefix[0] || !strcmp(r->prefix, cmd->s1)) {
        snprintf(r->prefix, sizeof r->prefix, "%s", cmd->s1);
        r->outcome = cmd->i2;
        r->after_ms = cmd->i3;
        return 0;
      }
    }
    snprintf(err, errlen, "span %d already has %d number rules", x->span, SIM_SS7_RULES);
    return -ENOSPC;
  case HL_SIM_SS7_STATS:
    ss7span_begin(x, &jw, buf, sizeof buf, "SimSs7Stats", 0, 0);
    hl_jw_int(&jw, "toBox", (int64_t)x->st.to_box);
    hl_jw_int(&jw, "toFar", (int64_t)x->st.to_far);
    hl_jw_int(&jw, "boxBadFcs", (int64_t)x->st.box_badfcs);
    hl_jw_int(&jw, "farBadFcs", (int64_t)x->st.far_badfcs);
    hl_jw_int(&jw, "corrupted", (int64_t)x->st.corrupted);
    hl_jw_int(&jw, "cutDropped", (int64_t)x->st.cut_dropped);
    hl_jw_int(&jw, "boxOverrun", (int64_t)x->st.box_overrun);
    hl_jw_bool(&jw, "linkUp", x->link_up);
    ss7span_end(x, &jw, buf);
    return 0;
  default:
    snprintf(err, errlen, "unknown SS7 sim action %d", cmd->i1);
    return -EINVAL;
  }
}
