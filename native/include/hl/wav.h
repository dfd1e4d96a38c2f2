/* WAV reading (any common rate and format, converted to 8 kHz mono linear) and
 * crash-safe WAV writing for recordings. */
#ifndef HL_WAV_H
#define HL_WAV_H
#include <stdint.h>
#include <stddef.h>

/* Error codes returned (negated) by the functions below. */
enum { HL_WAV_EIO = 1, HL_WAV_EFORMAT = 2, HL_WAV_ENOMEM = 3 };

typedef struct hl_audio {
  int16_t *samples;   /* 8 kHz mono linear */
  size_t count;
} hl_audio_t;

/* Reads PCM 8/16/24/32-bit, IEEE float, A-law and µ-law WAV files at any rate,
 * mono or multi-channel (mixed down), resampled to 8 kHz. Returns 0 or a
 * negative error and writes a human-readable reason into err. */
int hl_wav_load(const char *path, hl_audio_t *out, char *err, size_t errlen);
/* Same, from a memory buffer. */
int hl_wav_parse(const uint8_t *data, size_t len, hl_audio_t *out, char *err, size_t errlen);
void hl_audio_free(hl_audio_t *a);

/* Writer: 8 kHz PCM16, 1 or 2 channels. The header is written with the
 * sizes known so far and rewritten on each flush and on close. Each call is
 * one system call where the host allows it (little-endian: samples go out as
 * they are), so the caller's batching decides how often the disk is touched. */
typedef struct hl_wav_writer {
  int fd;
  int channels;
  uint64_t data_bytes;
  uint64_t syscalls;        /* write/writev/pwrite calls made, for the engine's stats */
} hl_wav_writer_t;

int hl_wav_writer_open(hl_wav_writer_t *w, const char *path, int channels);
int hl_wav_writer_write(hl_wav_writer_t *w, const int16_t *interleaved, size_t frames);
/* Two runs of frames (a ring's tail, then its head) in one writev. */
int hl_wav_writer_write2(hl_wav_writer_t *w, const int16_t *a, size_t fa, const int16_t *b, size_t fb);
int hl_wav_writer_update_header(hl_wav_writer_t *w);
int hl_wav_writer_close(hl_wav_writer_t *w);   /* header, fsync, close */
/* Repairs the RIFF and data sizes of a WAV left by a crash (sizes taken from the
 * file length, trailing partial frame dropped). Returns 1 if repaired, 0 if it
 * was fine, negative on error. */
int hl_wav_repair(const char *path);

#endif
