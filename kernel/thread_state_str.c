/* SPDX-License-Identifier: Apache-2.0 */
/* k_thread_state_str(): a thread's state bits as the reference names them. */

#include <ksched.h>

/*
 * In the reference's order (that of its bits). A thread created and not
 * started is "sleeping", as the reference's is. Pagoda's _THREAD_IDLE has no
 * word: the reference keeps no such bit. With one CPU no thread is ever
 * "suspending".
 */
static const struct {
	uint16_t bits;
	const char *str;
} state_words[] = {
	{_THREAD_DUMMY, "dummy"},
	{_THREAD_PENDING, "pending"},
	{_THREAD_SLEEPING | _THREAD_PRESTART, "sleeping"},
	{_THREAD_DEAD, "dead"},
	{_THREAD_SUSPENDED, "suspended"},
	{_THREAD_ABORTING, "aborting"},
	{_THREAD_QUEUED, "queued"},
};

/* Append str to buf at *off, keeping room for the NUL within size. */
static void append(char *buf, size_t size, size_t *off, const char *str)
{
	while (*str != '\0' && *off + 1U < size) {
		buf[(*off)++] = *str++;
	}
}

const char *k_thread_state_str(struct k_thread *thread, char *buf, size_t buf_size)
{
	size_t off = 0;
	uint16_t state;

	if (buf == NULL || buf_size == 0U) {
		return "";
	}
	state = thread->base.thread_state;
	for (size_t i = 0; i < ARRAY_SIZE(state_words); i++) {
		if ((state & state_words[i].bits) == 0U) {
			continue;
		}
		if (off != 0U) {
			append(buf, buf_size, &off, "+");
		}
		append(buf, buf_size, &off, state_words[i].str);
	}
	buf[off] = '\0';
	return buf;
}
