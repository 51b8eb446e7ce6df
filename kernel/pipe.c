/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pipes: a ring buffer under the interrupt lock. The bytes move through a
 * small bounce buffer on the caller's stack, so that user memory is read
 * and written (with the user copies, which may page it in) with
 * interrupts enabled.
 */
#include <ksched.h>
#include <string.h>
#include <syscall_handler.h>

#define CHUNK 64U

void k_pipe_init(struct k_pipe *pipe, uint8_t *buffer, size_t buffer_size)
{
	pipe->buffer = buffer;
	pipe->size = buffer_size;
	pipe->head = 0;
	pipe->used = 0;
	pipe->flags = PIPE_FLAG_OPEN;
	z_waitq_init(&pipe->data);
	z_waitq_init(&pipe->space);
#ifdef CONFIG_USERSPACE
	k_object_init(pipe, K_OBJ_PIPE);
#endif
}

/* Interrupts locked: n bytes (at most the room left) in at the tail. */
static void ring_put(struct k_pipe *pipe, const uint8_t *src, size_t n)
{
	size_t tail = (pipe->head + pipe->used) % pipe->size;
	size_t first = MIN(n, pipe->size - tail);

	memcpy(&pipe->buffer[tail], src, first);
	memcpy(pipe->buffer, src + first, n - first);
	pipe->used += n;
}

/* Interrupts locked: n bytes (at most those there) out at the head. */
static void ring_get(struct k_pipe *pipe, uint8_t *dst, size_t n)
{
	size_t first = MIN(n, pipe->size - pipe->head);

	memcpy(dst, &pipe->buffer[pipe->head], first);
	memcpy(dst + first, pipe->buffer, n - first);
	pipe->head = (pipe->head + n) % pipe->size;
	pipe->used -= n;
}

/* The uptime tick at which timeout ends (K_TICKS_FOREVER: never). */
static k_ticks_t deadline(k_timeout_t timeout)
{
	return K_TIMEOUT_EQ(timeout, K_FOREVER) ? K_TICKS_FOREVER
						: k_uptime_ticks() + timeout.ticks;
}

/* What is left of the wait until end; K_NO_WAIT once it has passed. */
static k_timeout_t remaining(k_ticks_t end)
{
	if (end == K_TICKS_FOREVER) {
		return K_FOREVER;
	}

	k_ticks_t left = end - k_uptime_ticks();

	return left > 0 ? Z_TIMEOUT_TICKS(left) : K_NO_WAIT;
}

/* Bytes moved so far, or err when none were. */
static int result(size_t done, int err)
{
	return done > 0U ? (int)done : err;
}

/*
 * Nothing to move now (interrupts locked by key): wait on q until end.
 * 0 to try again; else what the call returns (the bytes moved so far, or
 * -EAGAIN, -ECANCELED, -EPIPE).
 */
static int pipe_wait(unsigned int key, _wait_q_t *q, k_ticks_t end, size_t done)
{
	k_timeout_t wait = remaining(end);

	if (K_TIMEOUT_EQ(wait, K_NO_WAIT) || k_is_in_isr()) {
		irq_unlock(key);
		return result(done, -EAGAIN);
	}

	int ret = z_pend_curr(key, q, wait);

	return (ret == -ECANCELED || ret == -EPIPE) ? ret : 0;
}

static void copy_in(uint8_t *dst, const uint8_t *src, size_t n, bool user)
{
#ifdef CONFIG_USERSPACE
	if (user) {
		/* Validated whole by the caller: only a vanished page fails here. */
		K_OOPS(k_usermode_from_copy(dst, src, n) != 0);
		return;
	}
#endif
	ARG_UNUSED(user);
	memcpy(dst, src, n);
}

static void copy_out(uint8_t *dst, const uint8_t *src, size_t n, bool user)
{
#ifdef CONFIG_USERSPACE
	if (user) {
		K_OOPS(k_usermode_to_copy(dst, src, n) != 0);
		return;
	}
#endif
	ARG_UNUSED(user);
	memcpy(dst, src, n);
}

static int pipe_write(struct k_pipe *pipe, const uint8_t *data, size_t len, k_timeout_t timeout,
		      bool user)
{
	uint8_t chunk[CHUNK];
	k_ticks_t end = deadline(timeout);
	size_t done = 0;

	while (done < len) {
		size_t n = MIN(len - done, CHUNK);

		copy_in(chunk, data + done, n, user);

		unsigned int key = irq_lock();

		if ((pipe->flags & PIPE_FLAG_OPEN) == 0U) {
			irq_unlock(key);
			return result(done, -EPIPE);
		}
		if (pipe->used < pipe->size) {
			size_t put = MIN(n, pipe->size - pipe->used);

			ring_put(pipe, chunk, put);
			done += put;
			(void)z_wake_all(&pipe->data, 0);
			z_reschedule(key);
			continue;
		}

		int ret = pipe_wait(key, &pipe->space, end, done);

		if (ret != 0) {
			return ret;
		}
	}
	return (int)done;
}

static int pipe_read(struct k_pipe *pipe, uint8_t *data, size_t len, k_timeout_t timeout, bool user)
{
	uint8_t chunk[CHUNK];
	k_ticks_t end = deadline(timeout);
	size_t done = 0;

	while (done < len) {
		unsigned int key = irq_lock();

		if (pipe->used > 0U) {
			size_t n = MIN(MIN(len - done, CHUNK), pipe->used);

			ring_get(pipe, chunk, n);
			(void)z_wake_all(&pipe->space, 0);
			z_reschedule(key);
			copy_out(data + done, chunk, n, user);
			done += n;
			continue;
		}
		if ((pipe->flags & PIPE_FLAG_OPEN) == 0U) {
			irq_unlock(key);
			return result(done, -EPIPE);
		}

		int ret = pipe_wait(key, &pipe->data, end, done);

		if (ret != 0) {
			return ret;
		}
	}
	return (int)done;
}

int z_impl_k_pipe_write(struct k_pipe *pipe, const uint8_t *data, size_t len, k_timeout_t timeout)
{
	return pipe_write(pipe, data, len, timeout, false);
}

int z_impl_k_pipe_read(struct k_pipe *pipe, uint8_t *data, size_t len, k_timeout_t timeout)
{
	return pipe_read(pipe, data, len, timeout, false);
}

void z_impl_k_pipe_reset(struct k_pipe *pipe)
{
	unsigned int key = irq_lock();

	pipe->head = 0;
	pipe->used = 0;
	(void)z_wake_all(&pipe->data, -ECANCELED);
	(void)z_wake_all(&pipe->space, -ECANCELED);
	z_reschedule(key);
}

void z_impl_k_pipe_close(struct k_pipe *pipe)
{
	unsigned int key = irq_lock();

	pipe->flags &= (uint8_t)~PIPE_FLAG_OPEN;
	(void)z_wake_all(&pipe->data, -EPIPE);
	(void)z_wake_all(&pipe->space, -EPIPE);
	z_reschedule(key);
}

#ifdef CONFIG_USERSPACE
int z_vrfy_k_pipe_write(struct k_pipe *pipe, const uint8_t *data, size_t len, k_timeout_t timeout)
{
	K_OOPS(K_SYSCALL_OBJ(pipe, K_OBJ_PIPE));
	K_OOPS(K_SYSCALL_MEMORY_READ(data, len));
	return pipe_write(pipe, data, len, timeout, true);
}

int z_vrfy_k_pipe_read(struct k_pipe *pipe, uint8_t *data, size_t len, k_timeout_t timeout)
{
	K_OOPS(K_SYSCALL_OBJ(pipe, K_OBJ_PIPE));
	K_OOPS(K_SYSCALL_MEMORY_WRITE(data, len));
	return pipe_read(pipe, data, len, timeout, true);
}

void z_vrfy_k_pipe_reset(struct k_pipe *pipe)
{
	K_OOPS(K_SYSCALL_OBJ(pipe, K_OBJ_PIPE));
	z_impl_k_pipe_reset(pipe);
}

void z_vrfy_k_pipe_close(struct k_pipe *pipe)
{
	K_OOPS(K_SYSCALL_OBJ(pipe, K_OBJ_PIPE));
	z_impl_k_pipe_close(pipe);
}
#endif /* CONFIG_USERSPACE */
