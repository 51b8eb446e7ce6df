/*
 * Configuration seen by host unit tests (passed with -imacros), standing in
 * for the generated include/generated/autoconf.h of a firmware build.
 */
#define CONFIG_ZTEST                   1
#define CONFIG_ASSERT                  1
#define CONFIG_PRINTK                  1
#define CONFIG_SYS_CLOCK_TICKS_PER_SEC 100
#define CONFIG_MMU_PAGE_SIZE           0x1000
#define CONFIG_BOARD                   "unit_testing"
