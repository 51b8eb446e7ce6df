/* SPDX-License-Identifier: Apache-2.0 */
/* The sample under gcc's own libgcov, which writes the .gcda at exit. */
int collatz(int n);

int main(void)
{
	return collatz(6) == 8 ? 0 : 1;
}
