/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the two files of the ztest self-test. */
#ifndef SELFTEST_H_
#define SELFTEST_H_

#include <stdbool.h>

/* The state passed to ztest_run_all() in the child process. */
extern const int selftest_child_marker;

/* Predicates: suites of the normal run, and suites only the child runs. */
bool selftest_normal_run(const void *state);
bool selftest_child_run(const void *state);

#endif
