# SPDX-License-Identifier: Apache-2.0
# Configuration limits that Kconfig ranges cannot express (they relate two
# options), checked at configure time, and the linker-script checks that
# depend on the image size (linker/limits.ld.in, filled in here with the
# configured values so that the link's message names them).
#
# Each failure names the options, their values and the limit. Included from
# CMakeLists.txt after the CONFIG_ variables are read from .config.

set(_limit_errors "")
macro(pagoda_limit_error text)
  string(APPEND _limit_errors "\n  ${text}")
endmacro()

# Decimal for the comparisons (if() reads decimal), hexadecimal for messages.
math(EXPR _ram_end "${CONFIG_SRAM_BASE_ADDRESS} + ${CONFIG_SRAM_SIZE} * 1024")
math(EXPR PAGODA_RAM_END "${_ram_end}" OUTPUT_FORMAT HEXADECIMAL)
math(EXPR _vm_end "${CONFIG_KERNEL_VM_BASE} + ${CONFIG_KERNEL_VM_SIZE}")
math(EXPR PAGODA_VM_END "${_vm_end}" OUTPUT_FORMAT HEXADECIMAL)
math(EXPR _page_mask "${CONFIG_MMU_PAGE_SIZE} - 1")

if(_ram_end GREATER 4294967296)
  pagoda_limit_error("CONFIG_SRAM_BASE_ADDRESS=${CONFIG_SRAM_BASE_ADDRESS} + CONFIG_SRAM_SIZE=${CONFIG_SRAM_SIZE} KiB ends at ${PAGODA_RAM_END}, beyond 4 GiB (0x100000000): the page-frame database and the 32-bit boot path address RAM below 4 GiB; lower CONFIG_SRAM_SIZE")
endif()
foreach(option SRAM_BASE_ADDRESS KERNEL_VM_BASE KERNEL_VM_SIZE)
  math(EXPR _rest "${CONFIG_${option}} & ${_page_mask}")
  if(NOT _rest EQUAL 0)
    pagoda_limit_error("CONFIG_${option}=${CONFIG_${option}} is not a multiple of the page size (${CONFIG_MMU_PAGE_SIZE})")
  endif()
endforeach()
if(CONFIG_X86_64)
  if(_vm_end GREATER 2147483648)
    pagoda_limit_error("CONFIG_KERNEL_VM_BASE=${CONFIG_KERNEL_VM_BASE} + CONFIG_KERNEL_VM_SIZE=${CONFIG_KERNEL_VM_SIZE} ends at ${PAGODA_VM_END}: the x86_64 kernel window must end at or below 2 GiB (0x80000000, small code model)")
  endif()
elseif(_vm_end GREATER 4294967296)
  pagoda_limit_error("CONFIG_KERNEL_VM_BASE=${CONFIG_KERNEL_VM_BASE} + CONFIG_KERNEL_VM_SIZE=${CONFIG_KERNEL_VM_SIZE} ends at ${PAGODA_VM_END}: a 32-bit kernel window must end at or below 4 GiB (0x100000000)")
endif()
math(EXPR _rest "${CONFIG_MAIN_STACK_SIZE} % 16")
if(NOT _rest EQUAL 0)
  pagoda_limit_error("CONFIG_MAIN_STACK_SIZE=${CONFIG_MAIN_STACK_SIZE} is not a multiple of 16 (the stack pointer starts 16-byte aligned at its top)")
endif()
if(CONFIG_BACKING_STORE_RAM)
  # The RAM store's slots are an array in the image's .bss.
  math(EXPR _store_kib "${CONFIG_BACKING_STORE_RAM_PAGES} * ${CONFIG_MMU_PAGE_SIZE} / 1024")
  if(NOT _store_kib LESS CONFIG_SRAM_SIZE)
    pagoda_limit_error("CONFIG_BACKING_STORE_RAM_PAGES=${CONFIG_BACKING_STORE_RAM_PAGES} (${_store_kib} KiB) does not fit in CONFIG_SRAM_SIZE=${CONFIG_SRAM_SIZE} KiB: the RAM backing store lives in the kernel image's .bss, so it must be smaller than the RAM (with room for the rest of the image and for paging); lower CONFIG_BACKING_STORE_RAM_PAGES or raise CONFIG_SRAM_SIZE")
  endif()
endif()
if(_limit_errors)
  message(FATAL_ERROR "Configuration limits:${_limit_errors}")
endif()

# Demand paging needs its two zero frames, the k_mem_free_get() reserve and
# a few frames to page through free after the image (kernel/mm/page_frames.c
# checks the same at boot, after the loader's reservations).
set(PAGODA_PAGING_MIN_FRAMES 0)
set(PAGODA_PAGING_RESERVE 0)
if(CONFIG_DEMAND_PAGING)
  set(PAGODA_PAGING_RESERVE ${CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE})
  math(EXPR PAGODA_PAGING_MIN_FRAMES "2 + ${CONFIG_DEMAND_PAGING_PAGE_FRAMES_RESERVE} + 4")
endif()
set(PAGODA_LIMITS_LD ${GENERATED_INCLUDE}/limits.ld)
configure_file(${PAGODA_BASE}/linker/limits.ld.in ${PAGODA_LIMITS_LD} @ONLY)
