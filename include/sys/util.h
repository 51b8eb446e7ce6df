/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pagoda: general purpose helper macros.
 *
 * The names follow Zephyr (the reference RTOS) so that application code ports
 * unchanged. Everything here is a macro or a trivial inline function and
 * works in freestanding code as well as in host unit tests.
 */
#ifndef PAGODA_INCLUDE_SYS_UTIL_H_
#define PAGODA_INCLUDE_SYS_UTIL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- compiler attributes ---------------------------------------------- */

/* Guarded: a host C library may already provide some of these. */
#ifndef __aligned
#define __aligned(x) __attribute__((__aligned__(x)))
#endif
#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
#ifndef __section
#define __section(x) __attribute__((__section__(x)))
#endif
#ifndef __used
#define __used __attribute__((__used__))
#endif
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((__unused__))
#endif
#ifndef __weak
#define __weak __attribute__((__weak__))
#endif
#ifndef __noinline
#define __noinline __attribute__((__noinline__))
#endif
#ifndef ALWAYS_INLINE
#define ALWAYS_INLINE inline __attribute__((__always_inline__))
#endif
/* No stack canary (CONFIG_STACK_CANARIES) in a function whose frame spans
 * the guard's setting.
 */
#ifndef FUNC_NO_STACK_PROTECTOR
#define FUNC_NO_STACK_PROTECTOR __attribute__((__no_stack_protector__))
#endif

#ifndef FUNC_NORETURN
#define FUNC_NORETURN __attribute__((__noreturn__))
#endif
#ifndef __printf_like
#define __printf_like(fmt_idx, first_arg)                                                          \
	__attribute__((__format__(__printf__, fmt_idx, first_arg)))
#endif
#ifndef __fallthrough
#define __fallthrough __attribute__((__fallthrough__))
#endif
/* Keeps the compiler from moving memory accesses across it (no CPU fence). */
#ifndef compiler_barrier
#define compiler_barrier() __asm__ __volatile__("" ::: "memory")
#endif
/* Marks a system call's prototype (the reference's marker); no code. The
 * kernel's calls are defined by scripts/gen_syscalls.py (out of line: they
 * trap from user mode), an application's by scripts/gen_app_syscalls.py.
 */
#ifndef __syscall
#define __syscall
#define __syscall_always_inline
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#define CODE_UNREACHABLE __builtin_unreachable()

/* Compile-time assertion; the message is optional. */
#define BUILD_ASSERT(expr, ...) _Static_assert(expr, "" __VA_ARGS__)

/* ---- arithmetic --------------------------------------------------------- */

/*
 * Number of elements of an array. Refuses to compile when given a pointer
 * (the classic silent bug), by forming an array of negative size.
 */
#define Z_IS_ARRAY(a) (!__builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])))
#define ARRAY_SIZE(array)                                                                          \
	((size_t)(sizeof(array) / sizeof((array)[0])) +                                            \
	 0 * sizeof(char[Z_IS_ARRAY(array) ? 1 : -1]))

/* These evaluate their arguments twice but stay constant expressions. */
#define MIN(a, b)               (((a) < (b)) ? (a) : (b))
#define MAX(a, b)               (((a) > (b)) ? (a) : (b))
#define CLAMP(val, low, high)   (((val) <= (low)) ? (low) : MIN(val, high))
#define IN_RANGE(val, min, max) ((val) >= (min) && (val) <= (max))

/*
 * Rounding keeps the type of x (no cast to unsigned long), so 64-bit
 * physical addresses on a 32-bit build are not truncated.
 */
#define ROUND_UP(x, align)   ((((x) + ((align)-1)) / (align)) * (align))
#define ROUND_DOWN(x, align) (((x) / (align)) * (align))
#define DIV_ROUND_UP(n, d)   (((n) + ((d)-1)) / (d))

/*
 * align must be a power of two. Only the low bits matter, so converting a
 * 64-bit value to uintptr_t on a 32-bit build does not change the answer.
 */
#define IS_ALIGNED(x, align) ((((uintptr_t)(x)) & ((uintptr_t)(align)-1U)) == 0U)
#define IS_POWER_OF_TWO(x)   (((x) != 0U) && (((x) & ((x)-1U)) == 0U))
/* How many bits of x are set (an unsigned int). */
#define POPCOUNT(x)          __builtin_popcount(x)

#define CONTAINER_OF(ptr, type, field) ((type *)(((char *)(ptr)) - offsetof(type, field)))
#define SIZEOF_FIELD(type, member)     sizeof((((type *)0)->member))

#define POINTER_TO_UINT(x) ((uintptr_t)(x))
#define UINT_TO_POINTER(x) ((void *)(uintptr_t)(x))
#define POINTER_TO_INT(x)  ((intptr_t)(x))
#define INT_TO_POINTER(x)  ((void *)(intptr_t)(x))

/* ---- bits --------------------------------------------------------------- */

#define BITS_PER_BYTE      __CHAR_BIT__
#define BITS_PER_LONG      (__CHAR_BIT__ * __SIZEOF_LONG__)
#define BITS_PER_LONG_LONG (__CHAR_BIT__ * __SIZEOF_LONG_LONG__)

#define BIT(n)                   (1UL << (n))
#define BIT64(n)                 (1ULL << (n))
/* Contiguous mask of bits l..h inclusive (h >= l). */
#define GENMASK(h, l)            ((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK64(h, l)          ((~0ULL << (l)) & (~0ULL >> (BITS_PER_LONG_LONG - 1 - (h))))
#define BIT_MASK(n)              (BIT(n) - 1UL)
#define BIT64_MASK(n)            (BIT64(n) - 1ULL)
#define WRITE_BIT(var, bit, set) ((var) = (set) ? ((var) | BIT(bit)) : ((var) & ~BIT(bit)))

#define KB(x) (((size_t)(x)) << 10)
#define MB(x) (KB(x) << 10)
#define GB(x) (MB(x) << 10)

/* 1-based index of the least / most significant set bit; 0 if none. */
static inline unsigned int find_lsb_set(uint32_t op)
{
	return (op == 0U) ? 0U : (unsigned int)__builtin_ctz(op) + 1U;
}

static inline unsigned int find_msb_set(uint32_t op)
{
	return (op == 0U) ? 0U : 32U - (unsigned int)__builtin_clz(op);
}

/* ---- preprocessor ------------------------------------------------------- */

#define Z_STRINGIFY(x) #x
#define STRINGIFY(s)   Z_STRINGIFY(s)

#define Z_CONCAT2(a, b)  a##b
#define CONCAT(a, b)     Z_CONCAT2(a, b)
#define _DO_CONCAT(a, b) a##b
#define _CONCAT(a, b)    _DO_CONCAT(a, b) /* the reference's name */

#define ARG_UNUSED(x) (void)(x)

/*
 * IS_ENABLED(CONFIG_FOO) is 1 when CONFIG_FOO is defined as 1 and 0 when it
 * is undefined (Kconfig never defines a disabled bool), usable both in C
 * expressions and in #if. The macro argument is expanded first; if it became
 * "1", pasting gives Z_ENABLED_PROBE_1 which expands to "~," and shifts the 1
 * into the selected position. Any other token leaves the 0 there.
 */
#define Z_ENABLED_PROBE_1          ~,
#define Z_PICK_SECOND(a, b, ...)   b
#define Z_IS_ENABLED_PASTE(m)      Z_IS_ENABLED_SELECT(Z_ENABLED_PROBE_##m)
#define Z_IS_ENABLED_SELECT(probe) Z_PICK_SECOND(probe 1, 0, ~)
#define IS_ENABLED(config_macro)   Z_IS_ENABLED_PASTE(config_macro)

/*
 * COND_CODE_1(FLAG, (code if 1), (code otherwise)) and the inverse
 * COND_CODE_0. The code arguments are parenthesised so they may contain
 * commas; the parentheses are removed.
 */
#define Z_DEBRACKET(...)                        __VA_ARGS__
#define Z_COND_PASTE(flag, yes, no)             Z_COND_SELECT(Z_ENABLED_PROBE_##flag, yes, no)
#define Z_COND_SELECT(probe, yes, no)           Z_PICK_SECOND(probe Z_DEBRACKET yes, Z_DEBRACKET no, ~)
#define COND_CODE_1(flag, if_1_code, else_code) Z_COND_PASTE(flag, if_1_code, else_code)
#define Z_ZERO_PROBE_0                          ~,
#define Z_COND0_PASTE(flag, yes, no)            Z_COND_SELECT(Z_ZERO_PROBE_##flag, yes, no)
#define COND_CODE_0(flag, if_0_code, else_code) Z_COND0_PASTE(flag, if_0_code, else_code)
#define IF_ENABLED(flag, code)                  COND_CODE_1(flag, code, ())

#endif /* PAGODA_INCLUDE_SYS_UTIL_H_ */
