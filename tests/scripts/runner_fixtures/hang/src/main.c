/* SPDX-License-Identifier: Apache-2.0 */
/* Never finishes: the runner must kill QEMU after the scenario's timeout. */
#include <kernel.h>
#include <ztest.h>

ZTEST_SUITE(runner_hang, NULL, NULL, NULL, NULL, NULL);

ZTEST(runner_hang, test_spins_forever)
{
	volatile int spin = 1;

	while (spin) {
	}
}
