// The N-API face of the engine. All argument checks happen in the JS façade
// (src/engine/native.ts); this layer converts, decodes prompts and opens
// recording files on the JS thread, and hands work to the media thread
// through the engine's command ring. Events come back at most once per tick.
#include <napi.h>
#include <string>
#include <vector>
#include <map>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
extern "C" {
#include "hl/engine.h"
#include "hl/sim.h"
#include "hl/wav.h"
#include "hl/analyze.h"
#include "hl/zone.h"
#include "../src/drv/dahdi.h"
}

namespace {

Napi::Error CodedError(Napi::Env env, const char* code, const std::string& msg) {
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

struct CachedPrompt {
  std::vector<int16_t> samples;
  time_t mtime;
  off_t size;
};

class Engine : public Napi::ObjectWrap<Engine> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Engine", {
      InstanceMethod("start", &Engine::Start),
      InstanceMethod("close", &Engine::Close),
      InstanceMethod("submit", &Engine::Submit),
      InstanceMethod("play", &Engine::Play),
      InstanceMethod("record", &Engine::Record),
      InstanceMethod("snapshot", &Engine::Snapshot),
      InstanceMethod("channels", &Engine::Channels),
      InstanceMethod("time", &Engine::Time),
      InstanceMethod("stats", &Engine::Stats),
      InstanceMethod("step", &Engine::Step),
      InstanceMethod("drain", &Engine::Drain),
      InstanceMethod("progress", &Engine::Progress),
      InstanceMethod("respan", &Engine::Respan),
    });
  }

  Engine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Engine>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
      CodedError(env, "bad_argument", "new Engine(options, onEvents)").ThrowAsJavaScriptException();
      return;
    }
    Napi::Object opt = info[0].As<Napi::Object>();
    std::string driver = opt.Get("driver").ToString().Utf8Value();
    std::string zone = opt.Has("zone") ? opt.Get("zone").ToString().Utf8Value() : "cn";
    int law = (opt.Has("law") && opt.Get("law").ToString().Utf8Value() == "ulaw") ? HL_LAW_ULAW : HL_LAW_ALAW;
    char err[256] = "";
    memset(&drv_, 0, sizeof drv_);
    if (driver == "sim") {
      Napi::Array spans = opt.Get("spans").As<Napi::Array>();
      std::vector<hl_sim_span_def_t> defs;
      for (uint32_t i = 0; i < spans.Length(); i++) {
        Napi::Object s = spans.Get(i).As<Napi::Object>();
        std::string kind = s.Get("kind").ToString().Utf8Value();
        hl_sim_span_def_t d;
        d.kind = kind == "fxo" ? HL_KIND_FXO : kind == "fxs" ? HL_KIND_FXS : kind == "e1" ? HL_KIND_E1 : kind == "e1-r2" ? HL_KIND_E1_R2 : 0;
        d.nchans = s.Get("channels").ToNumber().Int32Value();
        defs.push_back(d);
      }
      if (hl_sim_driver_open(&drv_, defs.data(), (int)defs.size(), zone.c_str(), law, err, sizeof err) != 0) {
        CodedError(env, "driver_failed", err).ThrowAsJavaScriptException();
        return;
      }
      sim_ = true;
      // SS7 spans: the far end's exchange as the profile describes it.
      for (uint32_t i = 0; i < spans.Length(); i++) {
        Napi::Object s = spans.Get(i).As<Napi::Object>();
        if (!s.Has("ss7") || !s.Get("ss7").IsObject()) continue;
        Napi::Object x = s.Get("ss7").As<Napi::Object>();
        hl_sim_ss7_conf_t c;
        hl_sim_ss7_conf_default(&c);
        c.far_kind = x.Get("far").ToString().Utf8Value() == "own" ? HL_SIM_FAR_OWN : HL_SIM_FAR_LIBSS7;
        snprintf(c.variant, sizeof c.variant, "%s", x.Get("variant").ToString().Utf8Value().c_str());
        c.box_pc = x.Get("boxPc").ToNumber().Uint32Value();
        c.far_pc = x.Get("farPc").ToNumber().Uint32Value();
        c.ni = x.Get("ni").ToNumber().Int32Value();
        c.cic_first = x.Get("cicFirst").ToNumber().Int32Value();
        c.answer_ms = x.Get("answerMs").ToNumber().Int32Value();
        if (hl_sim_ss7_config(&drv_, (int)i + 1, &c, err, sizeof err) != 0) {
          CloseDriver();
          CodedError(env, "driver_failed", err).ThrowAsJavaScriptException();
          return;
        }
      }
      double speed = opt.Has("speed") ? opt.Get("speed").ToNumber().DoubleValue() : 1.0;
      if (hl_sim_check_realtime(&drv_, speed, err, sizeof err) != 0) {
        CloseDriver();
        CodedError(env, "driver_failed", err).ThrowAsJavaScriptException();
        return;
      }
    } else if (driver == "dahdi") {
      Napi::Array chans = opt.Get("channels").As<Napi::Array>();
      std::vector<int> nos, kinds;
      for (uint32_t i = 0; i < chans.Length(); i++) {
        Napi::Object c = chans.Get(i).As<Napi::Object>();
        nos.push_back(c.Get("channo").ToNumber().Int32Value());
        std::string kind = c.Has("kind") ? c.Get("kind").ToString().Utf8Value() : "";
        kinds.push_back(kind == "fxo" ? HL_KIND_FXO : kind == "fxs" ? HL_KIND_FXS : kind == "e1" ? HL_KIND_E1 : kind == "e1-r2" ? HL_KIND_E1_R2 : kind == "dchan" ? HL_KIND_DCHAN : HL_KIND_NONE);
      }
      std::string root = opt.Has("devroot") ? opt.Get("devroot").ToString().Utf8Value() : "/dev/dahdi";
      if (hl_dahdi_driver_open(&drv_, nos.data(), kinds.data(), (int)nos.size(), root.c_str(), err, sizeof err) != 0) {
        CodedError(env, "driver_failed", err).ThrowAsJavaScriptException();
        return;
      }
    } else {
      CodedError(env, "bad_argument", "driver must be 'sim' or 'dahdi'").ThrowAsJavaScriptException();
      return;
    }
    hl_engine_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.zone, sizeof cfg.zone, "%s", zone.c_str());
    cfg.speed = opt.Has("speed") ? opt.Get("speed").ToNumber().DoubleValue() : 1.0;
    eng_ = hl_engine_new(&drv_, &cfg, err, sizeof err);
    if (!eng_) {
      CloseDriver();
      CodedError(env, "engine_failed", err).ThrowAsJavaScriptException();
      return;
    }
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "hotline-events", 1, 1);
    tsfn_.Unref(env);
    hl_engine_set_notify(eng_, &Engine::Notify, this);
  }

  ~Engine() { Shutdown(); }

 private:
  static void Notify(void* self) {
    Engine* e = static_cast<Engine*>(self);
    // Coalesce: one pending delivery at a time; the JS side drains everything.
    if (e->pending_.exchange(true)) return;
    napi_status s = e->tsfn_.NonBlockingCall([e](Napi::Env env, Napi::Function cb) {
      e->pending_.store(false);
      if (!e->eng_) return;
      Napi::Value batch = e->DrainBatch(env);
      if (!batch.IsNull()) cb.Call({batch});
    });
    if (s != napi_ok) e->pending_.store(false);
  }

  Napi::Value DrainBatch(Napi::Env env) {
    hl_engine_collect(eng_);
    std::string out = "[";
    hl_event_t buf[64];
    int n, total = 0;
    while ((n = hl_engine_drain(eng_, buf, 64)) > 0) {
      for (int i = 0; i < n; i++) {
        if (total++) out += ',';
        out += buf[i].json;
      }
    }
    if (!total) return env.Null();
    out += ']';
    deliveries_++;
    return Napi::String::New(env, out);
  }

  void CloseDriver() {
    if (!drv_.ops) return;
    if (sim_) hl_sim_driver_close(&drv_); else hl_dahdi_driver_close(&drv_);
    drv_.ops = nullptr;
  }

  void Shutdown() {
    if (eng_) {
      hl_engine_stop(eng_);
      hl_engine_free(eng_);
      eng_ = nullptr;
      tsfn_.Abort();
    }
    CloseDriver();
  }

  bool Alive(Napi::Env env) {
    if (eng_) return true;
    CodedError(env, "closed", "the engine is closed").ThrowAsJavaScriptException();
    return false;
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    if (!Alive(info.Env())) return info.Env().Undefined();
    int r = hl_engine_start(eng_);
    if (r != 0) CodedError(info.Env(), "engine_failed", "cannot start the media thread").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown();
    return info.Env().Undefined();
  }

  Napi::Value Step(const Napi::CallbackInfo& info) {
    if (!Alive(info.Env())) return info.Env().Undefined();
    int n = info.Length() > 0 ? info[0].ToNumber().Int32Value() : 1;
    for (int i = 0; i < n; i++) hl_engine_step(eng_);
    return info.Env().Undefined();
  }

  Napi::Value Drain(const Napi::CallbackInfo& info) {
    if (!Alive(info.Env())) return info.Env().Undefined();
    return DrainBatch(info.Env());
  }

  // submit({op, chan, chan2, id, i1..i6, f1, f2, s1, s2})
  static void FillCmd(const Napi::Object& o, hl_cmd_t* c) {
    memset(c, 0, sizeof *c);
    auto num = [&](const char* k) { return o.Has(k) ? o.Get(k).ToNumber().Int32Value() : 0; };
    auto flt = [&](const char* k) { return o.Has(k) ? o.Get(k).ToNumber().FloatValue() : 0.0f; };
    c->op = num("op"); c->chan = num("chan"); c->chan2 = num("chan2"); c->id = num("id");
    c->i1 = num("i1"); c->i2 = num("i2"); c->i3 = num("i3"); c->i4 = num("i4");
    c->i5 = num("i5"); c->i6 = num("i6");
    c->f1 = flt("f1"); c->f2 = flt("f2");
    if (o.Has("s1")) snprintf(c->s1, sizeof c->s1, "%s", o.Get("s1").ToString().Utf8Value().c_str());
    if (o.Has("s2")) snprintf(c->s2, sizeof c->s2, "%s", o.Get("s2").ToString().Utf8Value().c_str());
  }

  Napi::Value SubmitCmd(Napi::Env env, hl_cmd_t* c) {
    if (hl_engine_submit(eng_, c) != 0) {
      CodedError(env, "busy", "the engine's command queue is full").ThrowAsJavaScriptException();
      return Napi::Boolean::New(env, false);
    }
    return Napi::Boolean::New(env, true);
  }

  Napi::Value Submit(const Napi::CallbackInfo& info) {
    if (!Alive(info.Env())) return info.Env().Undefined();
    hl_cmd_t c;
    FillCmd(info[0].As<Napi::Object>(), &c);
    return SubmitCmd(info.Env(), &c);
  }

  bool LoadPrompt(Napi::Env env, const std::string& path, hl_playlist_t* pl) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      CodedError(env, "bad_audio", "cannot read prompt " + path + ": " + strerror(errno)).ThrowAsJavaScriptException();
      return false;
    }
    auto it = cache_.find(path);
    if (it == cache_.end() || it->second.mtime != st.st_mtime || it->second.size != st.st_size) {
      hl_audio_t a;
      char err[200] = "";
      if (hl_wav_load(path.c_str(), &a, err, sizeof err) != 0) {
        CodedError(env, "bad_audio", "prompt " + path + ": " + err).ThrowAsJavaScriptException();
        return false;
      }
      CachedPrompt cp;
      cp.samples.assign(a.samples, a.samples + a.count);
      cp.mtime = st.st_mtime;
      cp.size = st.st_size;
      hl_audio_free(&a);
      if (cache_.size() > 256) cache_.clear();
      it = cache_.insert_or_assign(path, std::move(cp)).first;
    }
    size_t n = it->second.samples.size();
    int16_t* copy = (int16_t*)malloc((n ? n : 1) * sizeof(int16_t));
    if (!copy) { CodedError(env, "no_memory", "out of memory").ThrowAsJavaScriptException(); return false; }
    memcpy(copy, it->second.samples.data(), n * sizeof(int16_t));
    if (hl_playlist_add(pl, copy, n) != 0) { free(copy); CodedError(env, "no_memory", "out of memory").ThrowAsJavaScriptException(); return false; }
    return true;
  }

  // play(chan, id, paths[], loop, queue)
  Napi::Value Play(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Alive(env)) return env.Undefined();
    Napi::Array paths = info[2].As<Napi::Array>();
    hl_playlist_t* pl = hl_playlist_new(info[3].ToBoolean().Value());
    if (!pl) { CodedError(env, "no_memory", "out of memory").ThrowAsJavaScriptException(); return env.Undefined(); }
    for (uint32_t i = 0; i < paths.Length(); i++) {
      if (!LoadPrompt(env, paths.Get(i).ToString().Utf8Value(), pl)) { hl_playlist_free(pl); return env.Undefined(); }
    }
    hl_cmd_t c;
    memset(&c, 0, sizeof c);
    c.op = HL_OP_PLAY; c.chan = info[0].ToNumber().Int32Value(); c.id = info[1].ToNumber().Int32Value();
    c.i1 = info[4].ToBoolean().Value() ? 1 : 0;
    c.ptr = pl;
    if (hl_engine_submit(eng_, &c) != 0) {
      hl_playlist_free(pl);
      CodedError(env, "busy", "the engine's command queue is full").ThrowAsJavaScriptException();
    }
    return env.Undefined();
  }

  // record(chan, id, path, stereo)
  Napi::Value Record(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Alive(env)) return env.Undefined();
    std::string path = info[2].ToString().Utf8Value();
    char err[300] = "";
    hl_recording_t* r = hl_recording_open(path.c_str(), info[3].ToBoolean().Value(), err, sizeof err);
    if (!r) { CodedError(env, "record_failed", err).ThrowAsJavaScriptException(); return env.Undefined(); }
    hl_cmd_t c;
    memset(&c, 0, sizeof c);
    c.op = HL_OP_RECORD; c.chan = info[0].ToNumber().Int32Value(); c.id = info[1].ToNumber().Int32Value();
    c.ptr = r;
    if (hl_engine_submit(eng_, &c) != 0) CodedError(env, "busy", "the engine's command queue is full").ThrowAsJavaScriptException();
    return env.Undefined();
  }

  // respan(span, signalling 'r2'|'ss7', id, far?: {variant, boxPc, farPc, ni, cicFirst, answerMs})
  // The new signalling's state is allocated here, on the JS thread; the media
  // thread swaps it in and answers SpanReconfigured or CommandFailed (id).
  // far: the sim's SS7 far end for the span (our stack); other drivers ignore it.
  Napi::Value Respan(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Alive(env)) return env.Undefined();
    int span = info[0].ToNumber().Int32Value();
    std::string sig = info[1].ToString().Utf8Value();
    int32_t id = info[2].ToNumber().Int32Value();
    int kind = sig == "r2" ? HL_KIND_E1_R2 : sig == "ss7" ? HL_KIND_E1 : 0;
    hl_sim_ss7_conf_t far;
    const void* conf = nullptr;
    if (sim_ && kind == HL_KIND_E1 && info.Length() > 3 && info[3].IsObject()) {
      Napi::Object x = info[3].As<Napi::Object>();
      hl_sim_ss7_conf_default(&far);
      far.far_kind = HL_SIM_FAR_OWN;
      snprintf(far.variant, sizeof far.variant, "%s", x.Has("variant") ? x.Get("variant").ToString().Utf8Value().c_str() : "china");
      if (x.Has("boxPc")) far.box_pc = x.Get("boxPc").ToNumber().Uint32Value();
      if (x.Has("farPc")) far.far_pc = x.Get("farPc").ToNumber().Uint32Value();
      if (x.Has("ni")) far.ni = x.Get("ni").ToNumber().Int32Value();
      if (x.Has("cicFirst")) far.cic_first = x.Get("cicFirst").ToNumber().Int32Value();
      if (x.Has("answerMs")) far.answer_ms = x.Get("answerMs").ToNumber().Int32Value();
      conf = &far;
    }
    char err[200] = "";
    int r = hl_engine_respan(eng_, span, kind, conf, id, err, sizeof err);
    if (r == -ENOTSUP) CodedError(env, "not_supported", err).ThrowAsJavaScriptException();
    else if (r == -ENOSPC) CodedError(env, "busy", err).ThrowAsJavaScriptException();
    else if (r < 0) CodedError(env, r == -ENOMEM ? "no_memory" : "bad_argument", err).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  Napi::Value Snapshot(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Alive(env)) return env.Undefined();
    const hl_driver_t* d = hl_engine_driver(eng_);
    std::vector<hl_chan_state_t> st(d->nchans);
    int n = hl_engine_snapshot(eng_, st.data(), d->nchans);
    if (n < 0) {
      // Never an empty list that reads as "no channels": the caller asks again.
      CodedError(env, "busy", "the engine's channel state was changing; ask again").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array arr = Napi::Array::New(env);
    for (int i = 0; i < n; i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("chan", st[i].channo);
      o.Set("state", hl_state_name(st[i].state));
      o.Set("offhook", st[i].hook != 0);
      o.Set("bridgedTo", st[i].bridged_to);
      o.Set("conference", st[i].conf);
      o.Set("tapTarget", st[i].tap_target);
      o.Set("tapMode", st[i].tap_mode);
      o.Set("playing", st[i].playing);
      o.Set("recording", st[i].recording);
      o.Set("tone", st[i].tone >= 0 ? Napi::Value(Napi::String::New(env, hl_zone_tone_name(st[i].tone) ? hl_zone_tone_name(st[i].tone) : "tone")) : env.Null());
      o.Set("rings", st[i].ring_count);
      o.Set("alarms", st[i].alarms);
      o.Set("callerNumber", st[i].caller[0] ? Napi::Value(Napi::String::New(env, st[i].caller)) : env.Null());
      if (st[i].sig_state[0]) o.Set("sigState", st[i].sig_state);
      if (st[i].kind == HL_KIND_E1 || st[i].kind == HL_KIND_E1_R2 || st[i].kind == HL_KIND_DCHAN) {
        Napi::Object k = Napi::Object::New(env);
        k.Set("bpv", st[i].span_errors.bpv);
        k.Set("crc4", st[i].span_errors.crc4);
        k.Set("ebit", st[i].span_errors.ebit);
        k.Set("fas", st[i].span_errors.fas);
        o.Set("spanErrors", k);
      }
      if (st[i].has_link) {
        Napi::Object l = Napi::Object::New(env);
        l.Set("msuIn", st[i].link_msu_in);
        l.Set("msuOut", st[i].link_msu_out);
        l.Set("badFrames", st[i].link_bad_frames);
        l.Set("retransmissions", st[i].link_retransmissions);
        l.Set("failures", st[i].link_failures);
        l.Set("isupErrors", st[i].link_isup_errors);
        o.Set("link", l);
      }
      arr.Set(i, o);
    }
    return arr;
  }

  Napi::Value Channels(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Alive(env)) return env.Undefined();
    const hl_driver_t* d = hl_engine_driver(eng_);
    static const char* kinds[] = {"none", "fxo", "fxs", "e1", "dchan", "e1-r2"};
    // Kinds from the published snapshot: an E1 span's change on the media
    // thread (respan) is never read half-done from the driver's table.
    std::vector<hl_chan_state_t> st(d->nchans);
    if (hl_engine_snapshot(eng_, st.data(), d->nchans) != d->nchans) {
      CodedError(env, "busy", "the engine's channel state was changing; ask again").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::Array arr = Napi::Array::New(env);
    for (int i = 0; i < d->nchans; i++) {
      Napi::Object o = Napi::Object::New(env);
      const hl_chan_info_t& c = d->chans[i];   // numbering, law and name never change
      int kind = st[i].kind;
      o.Set("chan", c.channo);
      o.Set("span", c.span);
      o.Set("chanpos", c.chanpos);
      o.Set("kind", kinds[kind >= 0 && kind <= HL_KIND_E1_R2 ? kind : 0]);
      o.Set("law", c.law == HL_LAW_ULAW ? "ulaw" : "alaw");
      o.Set("name", c.name);
      arr.Set(i, o);
    }
    return arr;
  }

  // [submitted, processed]: commands enqueued and commands the media thread ran.
  Napi::Value Progress(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Alive(env)) return env.Undefined();
    Napi::Array a = Napi::Array::New(env, 2);
    a.Set((uint32_t)0, (double)hl_engine_submitted(eng_));
    a.Set((uint32_t)1, (double)hl_engine_processed(eng_));
    return a;
  }

  Napi::Value Time(const Napi::CallbackInfo& info) {
    if (!Alive(info.Env())) return info.Env().Undefined();
    return Napi::Number::New(info.Env(), (double)hl_engine_time(eng_));
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Alive(env)) return env.Undefined();
    hl_engine_stats_t s;
    hl_engine_stats(eng_, &s);
    Napi::Object o = Napi::Object::New(env);
    o.Set("ticks", (double)s.ticks);
    o.Set("overruns", (double)s.overruns);
    o.Set("events", (double)s.events);
    o.Set("eventsDropped", (double)s.events_dropped);
    o.Set("notifies", (double)s.notifies);
    o.Set("deliveries", (double)deliveries_);
    o.Set("commands", (double)s.commands);
    o.Set("workNsTotal", (double)s.work_ns_total);
    o.Set("workNsMax", (double)s.work_ns_max);
    o.Set("audioBuffersIntoJs", 0);
    // The recording writer's system calls and frames: calls / (frames / 8000)
    // is its write rate per second of audio (a few, by design).
    o.Set("recordingWriteCalls", (double)s.rec_syscalls);
    o.Set("recordingFrames", (double)s.rec_frames);
    return o;
  }

  hl_driver_t drv_;
  bool sim_ = false;
  hl_engine_t* eng_ = nullptr;
  Napi::ThreadSafeFunction tsfn_;
  std::atomic<bool> pending_{false};
  std::map<std::string, CachedPrompt> cache_;
  double deliveries_ = 0;
};

Napi::Value AnalyzeFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].ToString().Utf8Value();
  std::vector<char> json(1 << 16);
  char err[256] = "";
  int n = hl_analyze_file(path.c_str(), json.data(), json.size(), err, sizeof err);
  if (n >= (int)json.size()) {
    json.resize((size_t)n + 1);
    n = hl_analyze_file(path.c_str(), json.data(), json.size(), err, sizeof err);
  }
  if (n < 0) { CodedError(env, "bad_audio", err[0] ? err : "cannot analyze file").ThrowAsJavaScriptException(); return env.Undefined(); }
  return Napi::String::New(env, json.data(), (size_t)n);
}

Napi::Value RepairWav(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].ToString().Utf8Value();
  int r = hl_wav_repair(path.c_str());
  if (r < 0) { CodedError(env, "bad_audio", "cannot repair " + path).ThrowAsJavaScriptException(); return env.Undefined(); }
  return Napi::Boolean::New(env, r == 1);
}

Napi::Object InitAll(Napi::Env env, Napi::Object exports) {
  exports.Set("Engine", Engine::Init(env));
  exports.Set("analyzeFile", Napi::Function::New(env, AnalyzeFile));
  exports.Set("repairWav", Napi::Function::New(env, RepairWav));
  Napi::Object ops = Napi::Object::New(env);
  const char* names[] = {"none", "answer", "hangup", "play", "stopPlay", "tone", "stopTone", "record", "recordPause",
    "recordResume", "recordStop", "bridge", "unbridge", "confJoin", "confLeave", "confMute", "tap", "untap", "gain",
    "dial", "flash", "ring", "stopRing", "sendDtmf", "setLine", "learnCadence", "setMwi", "simCall", "simHangup",
    "simOffhook", "simOnhook", "simDial", "simFlash", "simAnswer", "simOutcome", "simTalk", "simListen", "simImpair",
    "simAlarm", "simAutoAnswer", "timer", "cancelTimer", "callWaiting", "simPhone", "accept", "reject", "setR2", "simR2",
    "block", "unblock", "simBlock", "setSs7", "ss7Reset", "simSs7", "meter", "respan"};
  static_assert(sizeof(names) / sizeof(names[0]) == HL_OP_COUNT, "op names match enum hl_op");
  for (int i = 0; i < HL_OP_COUNT; i++) ops.Set(names[i], i);
  exports.Set("ops", ops);
  return exports;
}

}  // namespace

NODE_API_MODULE(hotline, InitAll)
