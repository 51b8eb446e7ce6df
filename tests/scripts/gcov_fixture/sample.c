/* SPDX-License-Identifier: Apache-2.0 */
/* Known counts for test_gcov_dump.py: collatz(6) takes 8 steps. */
int collatz(int n);
int never_called(int n);

int collatz(int n)
{
	int steps = 0;

	while (n != 1) {
		if (n % 2 == 0) {
			n /= 2;
		} else {
			n = 3 * n + 1;
		}
		steps++;
	}
	return steps;
}

int never_called(int n)
{
	return n + 1;
}
