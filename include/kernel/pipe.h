/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pipes, with the reference RTOS's API (its pipes since 4.1): a byte ring
 * buffer between threads. Included by <kernel.h>.
 *
 * k_pipe_write() copies as much as fits and waits for room for the rest;
 * k_pipe_read() takes what is there and waits for the rest; both return
 * how many bytes they moved once done or timed out, -EAGAIN when they
 * moved none (K_NO_WAIT included), -ECANCELED when k_pipe_reset() woke
 * them, -EPIPE on a closed pipe (a read drains what is left first). From
 * an interrupt handler they never wait.
 *
 * Difference from the reference: k_pipe_init() is not a system call (a
 * pipe's buffer is kernel memory): user mode uses pipes defined with
 * K_PIPE_DEFINE() or initialised by a supervisor thread, once granted.
 */
#ifndef PAGODA_INCLUDE_KERNEL_PIPE_H
#define PAGODA_INCLUDE_KERNEL_PIPE_H

#include <kernel/sync.h>

#define PIPE_FLAG_OPEN BIT(0)

struct k_pipe {
	uint8_t *buffer;
	size_t size;
	size_t head;     /* where the next byte is read */
	size_t used;     /* bytes in the buffer */
	_wait_q_t data;  /* readers waiting for bytes */
	_wait_q_t space; /* writers waiting for room */
	uint8_t flags;   /* PIPE_FLAG_OPEN until k_pipe_close() */
};

#define Z_PIPE_INITIALIZER(obj, pipe_buffer, pipe_buffer_size)                                     \
	{                                                                                          \
		.buffer = (pipe_buffer), .size = (pipe_buffer_size), .head = 0, .used = 0,         \
		.data = Z_WAIT_Q_INIT(&(obj).data), .space = Z_WAIT_Q_INIT(&(obj).space),          \
		.flags = PIPE_FLAG_OPEN                                                            \
	}

/* A pipe of pipe_buffer_size bytes, its buffer aligned to pipe_align. */
#define K_PIPE_DEFINE(name, pipe_buffer_size, pipe_align)                                          \
	static unsigned char __aligned(pipe_align) _k_pipe_buf_##name[pipe_buffer_size];           \
	struct k_pipe name Z_KOBJ_STATIC(k_pipe, name) =                                           \
		Z_PIPE_INITIALIZER(name, _k_pipe_buf_##name, pipe_buffer_size)

/* An empty, open pipe over buffer (supervisor mode). */
void k_pipe_init(struct k_pipe *pipe, uint8_t *buffer, size_t buffer_size);
__syscall int k_pipe_write(struct k_pipe *pipe, const uint8_t *data, size_t len,
			   k_timeout_t timeout);
__syscall int k_pipe_read(struct k_pipe *pipe, uint8_t *data, size_t len, k_timeout_t timeout);
/* Empty the pipe; its waiters return -ECANCELED. */
__syscall void k_pipe_reset(struct k_pipe *pipe);
/* No more writes; waiters return -EPIPE, reads drain what is left. */
__syscall void k_pipe_close(struct k_pipe *pipe);

#endif /* PAGODA_INCLUDE_KERNEL_PIPE_H */
