/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Configuration seen by host unit tests (passed with -imacros), standing in
 * for the generated include/generated/autoconf.h of a firmware build. The
 * host port (arch/host/cpu.c) keeps its defaults here: the host's clock, the
 * console on stdout (HOST_PORT_TEST_CLOCK and HOST_PORT_QUIET_CONSOLE are the
 * fuzzer's, arch/host/autoconf.h).
 */
#define CONFIG_ZTEST                   1
#define CONFIG_ASSERT                  1
#define CONFIG_PRINTK                  1
#define CONFIG_SYS_CLOCK_TICKS_PER_SEC 100
#define CONFIG_MP_MAX_NUM_CPUS         1 /* <kernel_structs.h>: one CPU */
#define CONFIG_MMU_PAGE_SIZE           0x1000
/* A small x86-like memory layout for tests of kernel/mm pieces. */
#define CONFIG_SRAM_BASE_ADDRESS       0x100000
#define CONFIG_SRAM_SIZE               4096
#define CONFIG_KERNEL_VM_BASE          0x100000
#define CONFIG_KERNEL_VM_SIZE          0x1000000
#define CONFIG_BOARD                   "unit_testing"
