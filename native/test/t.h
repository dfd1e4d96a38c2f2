/* Minimal test harness for the native test programs: each check prints one
 * line; the program ends with "# N passed, M failed" (read by scripts/test). */
#ifndef HL_T_H
#define HL_T_H
#include <stdio.h>
#include <stdlib.h>
static int t_pass, t_fail;
#define CHECK(cond, ...) do { if (cond) { t_pass++; } else { t_fail++; \
  printf("not ok %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } } while (0)
#define T_DONE(name) do { printf("# %s: %d passed, %d failed\n", name, t_pass, t_fail); \
  return t_fail ? 1 : 0; } while (0)
#endif
