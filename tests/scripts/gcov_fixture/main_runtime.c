/* SPDX-License-Identifier: Apache-2.0 */
/* The sample under Pagoda's gcov runtime: the dump goes to stdout. */
#include <stdio.h>

#include <coverage.h>

int collatz(int n);

void arch_coverage_putc(int c)
{
	putchar(c);
}

int main(void)
{
	int steps = collatz(6);

	z_coverage_dump();
	return steps == 8 ? 0 : 1;
}
