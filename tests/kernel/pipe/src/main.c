/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pipes (the reference's k_pipe_* since its 4.1): bytes in order through
 * the ring, partial transfers, waiting on both sides, K_NO_WAIT, reset and
 * close, and from user mode the object and buffer checks.
 */
#include <kernel.h>
#include <string.h>
#include <ztest.h>

#define SIZE       8
#define STACK_SIZE 8192

K_PIPE_DEFINE(pipe, SIZE, 4);
K_PIPE_DEFINE(pipe_ungranted, SIZE, 4);
static struct k_pipe rt_pipe;
static uint8_t rt_buf[SIZE];

K_THREAD_STACK_DEFINE(peer_stack, STACK_SIZE);
static struct k_thread peer;
static volatile int peer_ret;
static uint8_t peer_data[24];

/* Kernel data: user mode may not hand it to a pipe. */
static uint32_t kernel_word = 0x12345678;

static void fill(uint8_t *p, size_t n, uint8_t first)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = (uint8_t)(first + i);
	}
}

static void before(void *fixture)
{
	ARG_UNUSED(fixture);
	k_pipe_reset(&pipe);
}

ZTEST(pipe, test_write_then_read_in_order)
{
	uint8_t in[5], out[5] = {0};

	fill(in, sizeof(in), 1);
	zassert_equal(k_pipe_write(&pipe, in, sizeof(in), K_NO_WAIT), 5);
	zassert_equal(k_pipe_read(&pipe, out, sizeof(out), K_NO_WAIT), 5);
	zassert_mem_equal(in, out, sizeof(in));
}

ZTEST(pipe, test_wraps_around_the_buffer)
{
	uint8_t in[SIZE + 6], out[SIZE + 6] = {0};

	fill(in, sizeof(in), 10);
	zassert_equal(k_pipe_write(&pipe, in, 6, K_NO_WAIT), 6);
	zassert_equal(k_pipe_read(&pipe, out, 4, K_NO_WAIT), 4);
	/* 2 left at offset 4: the next 6 end at the buffer's start. */
	zassert_equal(k_pipe_write(&pipe, in + 6, 6, K_NO_WAIT), 6);
	zassert_equal(k_pipe_read(&pipe, out + 4, 8, K_NO_WAIT), 8);
	zassert_mem_equal(in, out, 12);
}

ZTEST(pipe, test_no_wait_partial_and_eagain)
{
	uint8_t in[SIZE + 3], out[SIZE + 3];

	fill(in, sizeof(in), 0);
	zassert_equal(k_pipe_read(&pipe, out, 1, K_NO_WAIT), -EAGAIN, "empty pipe");
	zassert_equal(k_pipe_write(&pipe, in, sizeof(in), K_NO_WAIT), SIZE, "what fits");
	zassert_equal(k_pipe_write(&pipe, in, 1, K_NO_WAIT), -EAGAIN, "full pipe");
	zassert_equal(k_pipe_read(&pipe, out, sizeof(out), K_NO_WAIT), SIZE, "what is there");
	zassert_mem_equal(in, out, SIZE);
	zassert_equal(k_pipe_read(&pipe, out, 1, K_MSEC(20)), -EAGAIN, "timed out empty");
}

static void peer_write(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	peer_ret = k_pipe_write(&pipe, peer_data, (size_t)(uintptr_t)p1, K_FOREVER);
}

static void peer_read(void *p1, void *p2, void *p3)
{
	ARG_UNUSED(p2);
	ARG_UNUSED(p3);
	peer_ret = k_pipe_read(&pipe, peer_data, (size_t)(uintptr_t)p1, K_FOREVER);
}

static void start_peer(k_thread_entry_t fn, size_t len)
{
	peer_ret = 1000;
	zassert_not_null(k_thread_create(&peer, peer_stack, STACK_SIZE, fn, (void *)len, NULL, NULL,
					 K_PRIO_PREEMPT(0), 0, K_NO_WAIT));
	k_msleep(10); /* the peer runs until it waits */
}

ZTEST(pipe, test_both_sides_wait)
{
	uint8_t out[sizeof(peer_data)] = {0};

	fill(peer_data, sizeof(peer_data), 40);
	/* Three times the buffer: the writer waits for room twice. */
	start_peer(peer_write, sizeof(peer_data));
	zassert_equal(peer_ret, 1000, "the writer finished with the pipe full");
	zassert_equal(k_pipe_read(&pipe, out, sizeof(out), K_FOREVER), sizeof(out));
	zassert_ok(k_thread_join(&peer, K_FOREVER));
	zassert_equal(peer_ret, sizeof(peer_data));
	zassert_mem_equal(peer_data, out, sizeof(out));

	/* A reader waits for all it asked for. */
	start_peer(peer_read, 6);
	zassert_equal(k_pipe_write(&pipe, out, 4, K_NO_WAIT), 4);
	k_msleep(10);
	zassert_equal(peer_ret, 1000, "the reader returned with 4 of 6 bytes");
	zassert_equal(k_pipe_write(&pipe, out + 4, 2, K_NO_WAIT), 2);
	zassert_ok(k_thread_join(&peer, K_FOREVER));
	zassert_equal(peer_ret, 6);
	zassert_mem_equal(peer_data, out, 6);
}

ZTEST(pipe, test_reset_cancels_waiters)
{
	uint8_t in[3] = {1, 2, 3}, out[3];

	start_peer(peer_read, 1);
	k_pipe_reset(&pipe);
	zassert_ok(k_thread_join(&peer, K_FOREVER));
	zassert_equal(peer_ret, -ECANCELED);
	zassert_equal(k_pipe_write(&pipe, in, 3, K_NO_WAIT), 3);
	k_pipe_reset(&pipe);
	zassert_equal(k_pipe_read(&pipe, out, 3, K_NO_WAIT), -EAGAIN, "reset empties the pipe");
}

ZTEST(pipe, test_close)
{
	uint8_t in[3] = {7, 8, 9}, out[SIZE] = {0};

	k_pipe_init(&rt_pipe, rt_buf, sizeof(rt_buf));
	zassert_equal(k_pipe_write(&rt_pipe, in, 3, K_NO_WAIT), 3);
	k_pipe_close(&rt_pipe);
	zassert_equal(k_pipe_write(&rt_pipe, in, 1, K_NO_WAIT), -EPIPE);
	zassert_equal(k_pipe_read(&rt_pipe, out, sizeof(out), K_FOREVER), 3, "drains first");
	zassert_mem_equal(in, out, 3);
	zassert_equal(k_pipe_read(&rt_pipe, out, 1, K_FOREVER), -EPIPE);

	/* A waiting reader is woken. */
	start_peer(peer_read, 1);
	k_pipe_close(&pipe);
	zassert_ok(k_thread_join(&peer, K_FOREVER));
	zassert_equal(peer_ret, -EPIPE);
	k_pipe_init(&pipe, pipe.buffer, pipe.size); /* open again for the other cases */
}

ZTEST_USER(pipe, test_user_roundtrip)
{
	uint8_t in[4] = {4, 3, 2, 1}, out[4] = {0};

	zassert_equal(k_pipe_write(&pipe, in, sizeof(in), K_NO_WAIT), 4);
	zassert_equal(k_pipe_read(&pipe, out, sizeof(out), K_NO_WAIT), 4);
	zassert_mem_equal(in, out, sizeof(in));
}

ZTEST_USER(pipe, test_user_read_into_kernel_data)
{
	uint8_t in[4] = {0};

	zassert_equal(k_pipe_write(&pipe, in, sizeof(in), K_NO_WAIT), 4);
	ztest_set_fault_valid(true);
	(void)k_pipe_read(&pipe, (uint8_t *)&kernel_word, sizeof(kernel_word), K_NO_WAIT);
	zassert_unreachable("a pipe wrote kernel data for user mode");
}

ZTEST_USER(pipe, test_user_write_from_kernel_data)
{
	ztest_set_fault_valid(true);
	(void)k_pipe_write(&pipe, (uint8_t *)&kernel_word, sizeof(kernel_word), K_NO_WAIT);
	zassert_unreachable("a pipe read kernel data for user mode");
}

ZTEST_USER(pipe, test_user_ungranted_pipe)
{
	uint8_t in[1] = {0};

	ztest_set_fault_valid(true);
	(void)k_pipe_write(&pipe_ungranted, in, 1, K_NO_WAIT);
	zassert_unreachable("an ungranted pipe was used");
}

ZTEST(pipe, test_user_faults_changed_nothing)
{
	zassert_equal(kernel_word, 0x12345678);
}

static void *setup(void)
{
	k_object_access_grant(&pipe, k_current_get());
	return NULL;
}

ZTEST_SUITE(pipe, NULL, setup, before, NULL, NULL);
