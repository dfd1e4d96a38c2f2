/* A fake DAHDI CAS channel in user space, for running a real DAHDI client
 * library (openr2 1.3) in a test without the kernel modules.
 *
 * The test program is linked with --wrap=open,close,ioctl,read,write,
 * gettimeofday,time (see native/Makefile), so those calls, made by the test
 * and by every statically linked library in it, land in fake_dahdi_cas.c.
 * Opening /dev/dahdi/channel gives a real (but unused) fd number tied to the
 * one fake line; DAHDI_SPECIFY, the channel ioctls, read() and write() then act
 * on that line. Other paths and fds pass through to libc.
 *
 * The line has two ends. The library's end is the fd. The test owns the other
 * end (the far side): it sets the ABCD bits the library receives (queueing
 * DAHDI_EVENT_BITSCHANGED as the kernel does), reads the bits the library
 * transmits, and moves one 160-sample block each way per simulated 20 ms
 * (fake_cas_clock_step), in the law the library chose.
 *
 * Time is simulated: gettimeofday() and time() return a clock that only the
 * test advances, so the library's timers run at the test's pace. */
#ifndef HL_TEST_FAKE_DAHDI_CAS_H
#define HL_TEST_FAKE_DAHDI_CAS_H
#include <stdint.h>
#include <stdio.h>

#define FAKE_CAS_BLOCK 160            /* samples per 20 ms at 8 kHz */

/* The simulated clock, in ms from an arbitrary epoch. */
int64_t fake_cas_now(void);
void fake_cas_clock_step(int ms);

/* The far end of the line. */
void fake_cas_far_set_bits(int abcd);        /* what the library reads with GETRXBITS */
int fake_cas_far_get_bits(void);             /* what the library last sent with SETTXBITS */
/* One block towards the library, linear; it becomes readable until the next block. */
void fake_cas_far_send(const int16_t amp[], int n);
/* What the library wrote since the last call, as linear; silence where it wrote
 * nothing (an idle E1 timeslot carries A-law silence). Returns the samples written. */
int fake_cas_far_recv(int16_t amp[], int n);
/* Whether the library holds the channel open. */
int fake_cas_is_open(void);

/* Bookkeeping for the checks: which DAHDI calls the library made, and how many
 * were outside what the fake implements (each of those failed with ENOTTY). */
int fake_cas_count(const char *op);          /* "SPECIFY", "SETTXBITS", "read", ... */
int fake_cas_unknown(void);
int fake_cas_would_block(void);              /* IOMUX calls without NOWAIT */
void fake_cas_report(FILE *out);             /* one "# " line listing the calls made */
#endif
