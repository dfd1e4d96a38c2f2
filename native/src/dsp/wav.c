/* WAV reading and crash-safe writing. The reader treats every file as hostile:
 * each length is checked against what is really there before it is used, and
 * each refusal says what was wrong. A data chunk that claims more than the file
 * holds (a recording cut by a crash, or a streaming writer's 0xFFFFFFFF) is
 * read up to the end of the file; any other chunk that overruns is an error. */
#include "hl/wav.h"
#include "hl/resample.h"
#include <spandsp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define WAV_MAX_FILE ((size_t)1 << 31)   /* 2 GiB: RIFF sizes are 32-bit anyway */
#define WAV_MAX_CHANNELS 64
#define WAV_MIN_RATE 1000
#define WAV_MAX_RATE 768000

enum { FMT_PCM = 1, FMT_FLOAT = 3, FMT_ALAW = 6, FMT_ULAW = 7, FMT_EXTENSIBLE = 0xFFFE };

static int fail(char *err, size_t errlen, int code, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -code;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static int is_fourcc(const uint8_t *p) {
  for (int i = 0; i < 4; i++)
    if (p[i] < 0x20 || p[i] > 0x7E) return 0;
  return 1;
}

void hl_audio_free(hl_audio_t *a) {
  if (!a) return;
  free(a->samples);
  a->samples = NULL;
  a->count = 0;
}

/* One sample of the given format at p, scaled to int16 range as float. */
static float sample_at(const uint8_t *p, int fmt, int bytes) {
  switch (fmt) {
  case FMT_ALAW: return alaw_to_linear(p[0]);
  case FMT_ULAW: return ulaw_to_linear(p[0]);
  case FMT_FLOAT:
    if (bytes == 4) {
      uint32_t u = rd32(p);
      float f;
      memcpy(&f, &u, 4);
      if (f != f) return 0.0f;                          /* NaN from a hostile file */
      if (f > 1.0f) f = 1.0f; else if (f < -1.0f) f = -1.0f;
      return f * 32767.0f;
    } else {
      uint64_t u = (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
      double d;
      memcpy(&d, &u, 8);
      if (d != d) return 0.0f;
      if (d > 1.0) d = 1.0; else if (d < -1.0) d = -1.0;
      return (float)(d * 32767.0);
    }
  default: /* PCM */
    switch (bytes) {
    case 1: return (float)((int)p[0] - 128) * 256.0f;  /* 8-bit WAV is unsigned */
    case 2: return (float)(int16_t)rd16(p);
    case 3: return (float)((int32_t)((uint32_t)p[0] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 24) >> 8) / 256.0f;
    default: return (float)((double)(int32_t)rd32(p) / 65536.0);
    }
  }
}

static const uint8_t ksdata_tail[14] = { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
                                         0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };

int hl_wav_parse(const uint8_t *data, size_t len, hl_audio_t *out, char *err, size_t errlen) {
  out->samples = NULL;
  out->count = 0;
  if (!data || len < 12) return fail(err, errlen, HL_WAV_EFORMAT, "not a WAV file: only %zu bytes", len);
  if (memcmp(data, "RIFF", 4) != 0) {
    if (memcmp(data, "RIFX", 4) == 0 || memcmp(data, "RF64", 4) == 0)
      return fail(err, errlen, HL_WAV_EFORMAT, "unsupported WAV variant %.4s", (const char *)data);
    return fail(err, errlen, HL_WAV_EFORMAT, "not a WAV file: no RIFF header");
  }
  if (memcmp(data + 8, "WAVE", 4) != 0)
    return fail(err, errlen, HL_WAV_EFORMAT, "not a WAV file: RIFF form is not WAVE");
  if (len > WAV_MAX_FILE) return fail(err, errlen, HL_WAV_EFORMAT, "file too large (%zu bytes)", len);

  const uint8_t *fmt = NULL, *pcm = NULL;
  size_t fmt_len = 0, pcm_len = 0;
  size_t pos = 12;
  while (pos + 8 <= len) {
    const uint8_t *ck = data + pos;
    if (!is_fourcc(ck)) {
      if (pcm) break;                                   /* trailing junk after the audio */
      return fail(err, errlen, HL_WAV_EFORMAT, "corrupt chunk header at byte %zu", pos);
    }
    size_t size = rd32(ck + 4);
    size_t avail = len - pos - 8;
    if (memcmp(ck, "data", 4) == 0) {
      if (!pcm) {
        pcm = ck + 8;
        pcm_len = size > avail ? avail : size;           /* truncated or streaming: read what is there */
        /* A size of 0 followed by bytes that are no chunk is a recording whose
         * header was never updated (crash before the first flush): read on. */
        if (size == 0 && avail >= 8 && !is_fourcc(ck + 8)) pcm_len = avail;
      }
    } else if (size > avail) {
      return fail(err, errlen, HL_WAV_EFORMAT, "chunk '%.4s' at byte %zu claims %zu bytes, only %zu remain",
                  (const char *)ck, pos, size, avail);
    } else if (memcmp(ck, "fmt ", 4) == 0 && !fmt) {
      fmt = ck + 8;
      fmt_len = size;
    }
    if (size > avail || (pcm && pcm_len > size)) break;
    size_t next = pos + 8 + size;
    /* RIFF pads odd chunks to even length; some writers forget. Follow the
     * padding unless the unpadded position is where a chunk header really is. */
    if ((size & 1) && next + 8 <= len) {
      if (is_fourcc(data + next + 1) || !is_fourcc(data + next)) next++;
    } else if (size & 1) {
      next++;
    }
    pos = next;
  }
  if (!fmt) return fail(err, errlen, HL_WAV_EFORMAT, "no fmt chunk");
  if (!pcm) return fail(err, errlen, HL_WAV_EFORMAT, "no data chunk");
  if (fmt_len < 16) return fail(err, errlen, HL_WAV_EFORMAT, "fmt chunk too short (%zu bytes)", fmt_len);

  int tag = rd16(fmt);
  int channels = rd16(fmt + 2);
  uint32_t rate = rd32(fmt + 4);
  int bits = rd16(fmt + 14);
  if (tag == FMT_EXTENSIBLE) {
    if (fmt_len < 40 || rd16(fmt + 16) < 22)
      return fail(err, errlen, HL_WAV_EFORMAT, "WAVE_FORMAT_EXTENSIBLE with a short fmt chunk");
    if (memcmp(fmt + 26, ksdata_tail, sizeof(ksdata_tail)) != 0)
      return fail(err, errlen, HL_WAV_EFORMAT, "WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID");
    tag = rd16(fmt + 24);
  }
  if (channels == 0) return fail(err, errlen, HL_WAV_EFORMAT, "zero channels");
  if (channels > WAV_MAX_CHANNELS)
    return fail(err, errlen, HL_WAV_EFORMAT, "%d channels (at most %d)", channels, WAV_MAX_CHANNELS);
  if (rate < WAV_MIN_RATE || rate > WAV_MAX_RATE)
    return fail(err, errlen, HL_WAV_EFORMAT, "sample rate %u Hz out of range (%d..%d)", rate, WAV_MIN_RATE, WAV_MAX_RATE);
  int bytes;
  switch (tag) {
  case FMT_PCM:
    if (bits != 8 && bits != 16 && bits != 24 && bits != 32)
      return fail(err, errlen, HL_WAV_EFORMAT, "unsupported PCM sample size %d bits", bits);
    bytes = bits / 8;
    break;
  case FMT_FLOAT:
    if (bits != 32 && bits != 64)
      return fail(err, errlen, HL_WAV_EFORMAT, "unsupported float sample size %d bits", bits);
    bytes = bits / 8;
    break;
  case FMT_ALAW:
  case FMT_ULAW:
    if (bits != 8) return fail(err, errlen, HL_WAV_EFORMAT, "G.711 with %d bits per sample", bits);
    bytes = 1;
    break;
  default:
    return fail(err, errlen, HL_WAV_EFORMAT, "unsupported WAV format tag 0x%04x (PCM, float, A-law, u-law only)", tag);
  }
  size_t frame = (size_t)bytes * (size_t)channels;
  size_t frames = pcm_len / frame;                     /* a trailing partial frame is dropped */

  float *mono = malloc((frames ? frames : 1) * sizeof(*mono));
  if (!mono) return fail(err, errlen, HL_WAV_ENOMEM, "out of memory for %zu frames", frames);
  for (size_t i = 0; i < frames; i++) {
    const uint8_t *p = pcm + i * frame;
    float acc = 0.0f;
    for (int c = 0; c < channels; c++) acc += sample_at(p + (size_t)c * bytes, tag, bytes);
    mono[i] = acc / (float)channels;
  }
  int rc = hl_resample_to_8k(mono, frames, (int)rate, &out->samples, &out->count);
  free(mono);
  if (rc != 0) return fail(err, errlen, HL_WAV_ENOMEM, "out of memory while resampling");
  return 0;
}

int hl_wav_load(const char *path, hl_audio_t *out, char *err, size_t errlen) {
  out->samples = NULL;
  out->count = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(err, errlen, HL_WAV_EIO, "cannot open: %s", strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return fail(err, errlen, HL_WAV_EIO, "cannot stat: %s", strerror(e));
  }
  if (!S_ISREG(st.st_mode)) { close(fd); return fail(err, errlen, HL_WAV_EIO, "not a regular file"); }
  if ((uint64_t)st.st_size > WAV_MAX_FILE) {
    close(fd);
    return fail(err, errlen, HL_WAV_EFORMAT, "file too large (%lld bytes)", (long long)st.st_size);
  }
  size_t len = (size_t)st.st_size;
  uint8_t *buf = malloc(len ? len : 1);
  if (!buf) { close(fd); return fail(err, errlen, HL_WAV_ENOMEM, "out of memory for %zu bytes", len); }
  size_t got = 0;
  while (got < len) {
    ssize_t r = read(fd, buf + got, len - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      free(buf);
      close(fd);
      return fail(err, errlen, HL_WAV_EIO, "read error: %s", strerror(e));
    }
    if (r == 0) break;                                  /* shrank under us: parse what we have */
    got += (size_t)r;
  }
  close(fd);
  int rc = hl_wav_parse(buf, got, out, err, errlen);
  free(buf);
  return rc;
}

/* ---- writer ---------------------------------------------------------- */

#define HDR_LEN 44

static int write_all(int fd, const void *p, size_t n, uint64_t *calls) {
  const uint8_t *b = p;
  while (n) {
    ssize_t r = write(fd, b, n);
    (*calls)++;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -errno;
    b += r;
    n -= (size_t)r;
  }
  return 0;
}

/* Writes every byte of iov[0..n), resuming after short writes. */
static int writev_all(int fd, struct iovec *iov, int n, uint64_t *calls) {
  while (n > 0) {
    ssize_t r = writev(fd, iov, n);
    (*calls)++;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -errno;
    size_t done = (size_t)r;
    while (n > 0 && done >= iov->iov_len) { done -= iov->iov_len; iov++; n--; }
    if (n > 0) { iov->iov_base = (uint8_t *)iov->iov_base + done; iov->iov_len -= done; }
  }
  return 0;
}

static int pwrite_all(int fd, const void *p, size_t n, off_t off, uint64_t *calls) {
  const uint8_t *b = p;
  while (n) {
    ssize_t r = pwrite(fd, b, n, off);
    (*calls)++;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -errno;
    b += r;
    n -= (size_t)r;
    off += r;
  }
  return 0;
}

static uint32_t clamp32(uint64_t v) { return v > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)v; }

static void make_header(uint8_t h[HDR_LEN], int channels, uint64_t data_bytes) {
  memcpy(h, "RIFF", 4);
  wr32(h + 4, clamp32(36 + data_bytes));
  memcpy(h + 8, "WAVEfmt ", 8);
  wr32(h + 16, 16);
  wr16(h + 20, FMT_PCM);
  wr16(h + 22, (uint16_t)channels);
  wr32(h + 24, 8000);
  wr32(h + 28, 8000u * 2u * (uint32_t)channels);
  wr16(h + 32, (uint16_t)(2 * channels));
  wr16(h + 34, 16);
  memcpy(h + 36, "data", 4);
  wr32(h + 40, clamp32(data_bytes));
}

int hl_wav_writer_open(hl_wav_writer_t *w, const char *path, int channels) {
  w->fd = -1;
  w->channels = channels;
  w->data_bytes = 0;
  w->syscalls = 0;
  if (channels != 1 && channels != 2) return -EINVAL;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -errno;
  uint8_t h[HDR_LEN];
  make_header(h, channels, 0);
  int rc = write_all(fd, h, HDR_LEN, &w->syscalls);
  if (rc) { close(fd); unlink(path); return rc; }
  w->fd = fd;
  return 0;
}

#if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
/* A big-endian host byte-swaps through a small buffer (more calls; no
 * appliance is big-endian, but files must be right anywhere). */
static int write_swapped(hl_wav_writer_t *w, const int16_t *x, size_t n) {
  uint8_t buf[4096];
  while (n) {
    size_t k = n > sizeof(buf) / 2 ? sizeof(buf) / 2 : n;
    for (size_t i = 0; i < k; i++) wr16(buf + 2 * i, (uint16_t)x[i]);
    int rc = write_all(w->fd, buf, 2 * k, &w->syscalls);
    if (rc) return rc;
    x += k;
    n -= k;
  }
  return 0;
}
#endif

int hl_wav_writer_write2(hl_wav_writer_t *w, const int16_t *a, size_t fa, const int16_t *b, size_t fb) {
  if (w->fd < 0) return -EBADF;
  size_t na = fa * (size_t)w->channels, nb = fb * (size_t)w->channels;
  int rc;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  struct iovec iov[2];
  int n = 0;
  if (na) { iov[n].iov_base = (void *)a; iov[n].iov_len = 2 * na; n++; }
  if (nb) { iov[n].iov_base = (void *)b; iov[n].iov_len = 2 * nb; n++; }
  rc = writev_all(w->fd, iov, n, &w->syscalls);
#else
  rc = write_swapped(w, a, na);
  if (!rc) rc = write_swapped(w, b, nb);
#endif
  if (!rc) w->data_bytes += 2 * (na + nb);
  return rc;
}

int hl_wav_writer_write(hl_wav_writer_t *w, const int16_t *interleaved, size_t frames) {
  return hl_wav_writer_write2(w, interleaved, frames, NULL, 0);
}

int hl_wav_writer_update_header(hl_wav_writer_t *w) {
  if (w->fd < 0) return -EBADF;
  uint8_t h[HDR_LEN];
  make_header(h, w->channels, w->data_bytes);
  /* Bytes 4..43 in one call: the RIFF size, the unchanged fmt chunk, the data size. */
  return pwrite_all(w->fd, h + 4, HDR_LEN - 4, 4, &w->syscalls);
}

int hl_wav_writer_close(hl_wav_writer_t *w) {
  if (w->fd < 0) return -EBADF;
  int rc = hl_wav_writer_update_header(w);
  if (fsync(w->fd) != 0 && !rc) rc = -errno;
  if (close(w->fd) != 0 && !rc) rc = -errno;
  w->fd = -1;
  return rc;
}

/* ---- repair ---------------------------------------------------------- */

int hl_wav_repair(const char *path) {
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct stat st;
  if (fstat(fd, &st) != 0) { int e = errno; close(fd); return -e; }
  uint64_t flen = (uint64_t)st.st_size;
  uint8_t hdr[12];
  if (flen < 12 || pread(fd, hdr, 12, 0) != 12 || memcmp(hdr, "RIFF", 4) || memcmp(hdr + 8, "WAVE", 4)) {
    close(fd);
    return -EINVAL;
  }
  /* Walk the chunks before the data chunk (their sizes were written before the
   * crash and are trusted only if they fit). */
  uint64_t pos = 12, data_hdr = 0;
  size_t frame = 0;
  while (pos + 8 <= flen) {
    uint8_t ck[8];
    if (pread(fd, ck, 8, (off_t)pos) != 8 || !is_fourcc(ck)) break;
    uint32_t size = rd32(ck + 4);
    if (memcmp(ck, "data", 4) == 0) { data_hdr = pos; break; }
    if (pos + 8 + size > flen) break;
    if (memcmp(ck, "fmt ", 4) == 0 && size >= 16) {
      uint8_t f[16];
      if (pread(fd, f, 16, (off_t)(pos + 8)) == 16) {
        int ch = rd16(f + 2), bits = rd16(f + 14);
        if (ch > 0 && bits > 0) frame = (size_t)ch * (size_t)((bits + 7) / 8);
      }
    }
    pos += 8 + size + (size & 1);
  }
  if (!data_hdr || !frame) { close(fd); return -EINVAL; }
  uint64_t data_off = data_hdr + 8;
  uint8_t ck[8];
  if (pread(fd, ck, 8, (off_t)data_hdr) != 8) { close(fd); return -EIO; }
  uint64_t declared = rd32(ck + 4), riff = rd32(hdr + 4);
  uint64_t avail = flen - data_off;
  uint64_t good = avail - avail % frame;
  if (good > 0xFFFFFFFFu - 36) good = (0xFFFFFFFFu - 36) - (0xFFFFFFFFu - 36) % frame;
  /* Fine: the data chunk fits, is whole frames, and RIFF covers the file
   * (there may be chunks after the data). */
  if (declared > 0 && declared <= avail && declared % frame == 0 && riff + 8 == flen + (flen & 1)) {
    close(fd);
    return 0;
  }
  int rc = 0;
  uint64_t new_len = data_off + good;
  if (new_len < flen && ftruncate(fd, (off_t)new_len) != 0) rc = -errno;
  uint8_t v[4];
  wr32(v, (uint32_t)good);
  uint64_t calls = 0;
  if (!rc) rc = pwrite_all(fd, v, 4, (off_t)(data_hdr + 4), &calls);
  wr32(v, (uint32_t)(new_len - 8));
  if (!rc) rc = pwrite_all(fd, v, 4, 4, &calls);
  if (!rc && fsync(fd) != 0) rc = -errno;
  close(fd);
  return rc ? rc : 1;
}
