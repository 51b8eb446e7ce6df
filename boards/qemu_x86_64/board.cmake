# SPDX-License-Identifier: Apache-2.0
# x86_64 CPU: IA-32e four-level paging with execute-disable; SMEP and SMAP
# (CONFIG_X86_SMEP/SMAP turn them on).
set(PAGODA_ARCH x86_64)
set(PAGODA_CROSS_COMPILE "")
set(PAGODA_QEMU qemu-system-x86_64)
set(PAGODA_QEMU_FLAGS -machine pc -cpu qemu64,+nx,+smep,+smap)
