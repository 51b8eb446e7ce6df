# SPDX-License-Identifier: Apache-2.0
# i386 CPU without PAE: 32-bit two-level paging, no execute-disable bit;
# SMEP and SMAP (CONFIG_X86_SMEP/SMAP turn them on, with CONFIG_X86_KPTI).
set(PAGODA_ARCH ia32)
set(PAGODA_CROSS_COMPILE i686-linux-gnu-)
set(PAGODA_QEMU qemu-system-i386)
set(PAGODA_QEMU_FLAGS -machine pc -cpu qemu32,-pae,-nx,+smep,+smap)
