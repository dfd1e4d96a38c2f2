/* Offline analysis of a recording: DTMF digits with times, caller ID (Bell 202
 * CLASS, V.23 CLIP and DTMF CLIP decoded in parallel by spandsp) and China call
 * progress tones, as one JSON object:
 *
 *   {"dtmf":[{"digit":"5","startMs":0,"endMs":0}],
 *    "callerId":[{"standard":"bell202"|"v23"|"dtmf","number":"..","name":".."|null,
 *                 "datetime":"MMDDHHMM"|null}],
 *    "tones":[{"tone":"busy"|"congestion"|"ringback"|"dial","zone":"cn","onMs":0,"offMs":0}]}
 *
 * Choices: digits that carried a DTMF caller ID (A...C) are listed in "dtmf"
 * as well, since the recording really holds them. A withheld number is given
 * as its code ("P" private, "O" unavailable). Every string is JSON-escaped,
 * with < > & as \u escapes and invalid UTF-8 as U+FFFD, because caller ID is
 * data from the line. For dial tone, onMs is the on-time at recognition. */
#ifndef HL_ANALYZE_H
#define HL_ANALYZE_H
#include <stdint.h>
#include <stddef.h>

/* Analyzes 8 kHz linear audio. Like snprintf: returns the JSON's length; when
 * that is >= cap the text was cut (retry with length + 1). Negative when out
 * of memory. */
int hl_analyze(const int16_t *amp, size_t n, char *json, size_t cap);
/* Loads a WAV (any format hl_wav_load reads) and analyzes it. Negative on
 * error, with the reason in err. */
int hl_analyze_file(const char *path, char *json, size_t cap, char *err, size_t errlen);

#endif
