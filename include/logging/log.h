/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging with the reference's macros (<zephyr/logging/log.h>) in its
 * minimal mode: each message goes out at once through printk() as
 * "E: ...", "W: ...", "I: ..." or "D: ...". A file registers (or declares)
 * its module first; the module's level (the macro's optional second
 * argument, else CONFIG_LOG_DEFAULT_LEVEL) drops the messages above it.
 * Without CONFIG_LOG nothing is printed, and the arguments are still
 * checked against the format.
 */
#ifndef PAGODA_INCLUDE_LOGGING_LOG_H
#define PAGODA_INCLUDE_LOGGING_LOG_H

#include <sys/printk.h>

#define LOG_LEVEL_NONE 0
#define LOG_LEVEL_ERR  1
#define LOG_LEVEL_WRN  2
#define LOG_LEVEL_INF  3
#define LOG_LEVEL_DBG  4

#ifdef CONFIG_LOG
#define Z_LOG_ON            1
#define Z_LOG_DEFAULT_LEVEL CONFIG_LOG_DEFAULT_LEVEL
#else
#define Z_LOG_ON            0
#define Z_LOG_DEFAULT_LEVEL LOG_LEVEL_NONE
#endif

/* The module's name and level, for this file (the name is not printed in minimal mode). */
#define Z_LOG_MODULE(name, level, ...)                                                             \
	static const char __log_module_name[] __attribute__((unused)) = #name;                     \
	enum { __log_level = (level) }
#define LOG_MODULE_REGISTER(...) Z_LOG_MODULE(__VA_ARGS__, Z_LOG_DEFAULT_LEVEL, ~)
#define LOG_MODULE_DECLARE(...)  Z_LOG_MODULE(__VA_ARGS__, Z_LOG_DEFAULT_LEVEL, ~)

#define Z_LOG(level, letter, fmt, ...)                                                             \
	do {                                                                                       \
		if (Z_LOG_ON && (level) <= __log_level) {                                          \
			printk(letter ": " fmt "\n", ##__VA_ARGS__);                               \
		}                                                                                  \
	} while (0)

#define LOG_ERR(fmt, ...) Z_LOG(LOG_LEVEL_ERR, "E", fmt, ##__VA_ARGS__)
#define LOG_WRN(fmt, ...) Z_LOG(LOG_LEVEL_WRN, "W", fmt, ##__VA_ARGS__)
#define LOG_INF(fmt, ...) Z_LOG(LOG_LEVEL_INF, "I", fmt, ##__VA_ARGS__)
#define LOG_DBG(fmt, ...) Z_LOG(LOG_LEVEL_DBG, "D", fmt, ##__VA_ARGS__)

/* Messages are never deferred: nothing is left to flush. */
#define LOG_PANIC() ((void)0)
static inline void log_panic(void)
{
}

#endif /* PAGODA_INCLUDE_LOGGING_LOG_H */
