/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Configuration of the host build of kernel/mm (passed with -imacros), in
 * place of the generated autoconf.h of a firmware build. Small on purpose:
 * 64 frames and a 512-page window, so that eviction, store exhaustion and
 * virtual-space exhaustion all happen within a few operations.
 *
 * The eviction algorithm, the store and ALLOW_IRQ are left to the build
 * command line (fuzz.yaml's variants): exactly one of
 * -DCONFIG_EVICTION_CLOCK_2Q=1, _LRU=1, _CLOCK=1, _NRU=1 (command-line macros are
 * defined before -imacros files are read).
 */
#define CONFIG_BOARD                   "host"
/* z_mm_state_digest() and the other test-build helpers of kernel/mm. */
#define CONFIG_ZTEST                   1
#define CONFIG_ASSERT                  1
#define CONFIG_PRINTK                  1
#define CONFIG_MM_INVARIANTS           1
#define CONFIG_SYS_CLOCK_TICKS_PER_SEC 100
#define CONFIG_MP_MAX_NUM_CPUS         1 /* <kernel_structs.h>: one CPU */
#define CONFIG_MMU_PAGE_SIZE           0x1000

/* Plain numbers: arch/host/image.c hands them to the assembler. */
#define CONFIG_SRAM_BASE_ADDRESS 0x100000
#define CONFIG_SRAM_SIZE         256 /* KiB: 64 frames */
/* Low enough to lie in AddressSanitizer's LowMem on x86_64. */
#define CONFIG_KERNEL_VM_BASE    0x40000000
#define CONFIG_KERNEL_VM_SIZE    0x200000 /* 512 pages */

#define CONFIG_DEMAND_PAGING                              1
#define CONFIG_DEMAND_MAPPING                             1
#define CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE          4
#define CONFIG_DEMAND_PAGING_STATS                        1
#define CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM             1
#define CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_NUM_BINS    10
#define CONFIG_DEMAND_PAGING_TIMING_HISTOGRAM_FIRST_BOUND 256
#define CONFIG_BACKING_STORE_PAGES                        96
#define CONFIG_MM_SHADOW_TAGS                             1
/* The store is the command line's choice too: the RAM store unless
 * -DCONFIG_BACKING_STORE_DISK=1 (the disk store over arch/host/disk.c);
 * so is -DCONFIG_DEMAND_PAGING_ALLOW_IRQ=1.
 */
#ifdef CONFIG_BACKING_STORE_DISK
#define CONFIG_BACKING_STORE_DISK_PAGES 96
#else
#define CONFIG_BACKING_STORE_RAM       1
#define CONFIG_BACKING_STORE_RAM_PAGES 96
#endif
#define CONFIG_EVICTION_NRU_PERIOD 100

/*
 * The host port (arch/host/cpu.c, host_port.h) as a fuzzer needs it: time
 * moves only when the test says (host_clock_advance_ms()), so a run depends
 * on its input alone, and the console is kept in memory for the failure
 * reports instead of flooding the output with "<err> mm:" lines. The host
 * unit tests leave both off.
 */
#define HOST_PORT_TEST_CLOCK    1
#define HOST_PORT_QUIET_CONSOLE 1

/* layout.c reads __data_start, which the C library's crt1.o defines too. */
#define __data_start __pagoda_data_start

#if defined(CONFIG_EVICTION_CLOCK_2Q) + defined(CONFIG_EVICTION_LRU) +                             \
		defined(CONFIG_EVICTION_CLOCK) + defined(CONFIG_EVICTION_NRU) !=                   \
	1
#error "define exactly one of CONFIG_EVICTION_CLOCK_2Q, _LRU, _CLOCK, _NRU"
#endif
