/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host port (fuzzer, unit tests) has no user mode and no generated
 * call list (scripts/gen_syscalls.py): the system calls of the code it
 * builds are their implementations, as the generated list makes them in
 * a kernel built without CONFIG_USERSPACE.
 */
#ifndef PAGODA_ARCH_HOST_SYSCALL_LIST_H
#define PAGODA_ARCH_HOST_SYSCALL_LIST_H

#define z_impl_k_mem_paging_stats_get              k_mem_paging_stats_get
#define z_impl_k_mem_paging_thread_stats_get       k_mem_paging_thread_stats_get
#define z_impl_k_mem_paging_histogram_eviction_get k_mem_paging_histogram_eviction_get
#define z_impl_k_mem_paging_histogram_backing_store_page_in_get                                    \
	k_mem_paging_histogram_backing_store_page_in_get
#define z_impl_k_mem_paging_histogram_backing_store_page_out_get                                   \
	k_mem_paging_histogram_backing_store_page_out_get

#endif /* PAGODA_ARCH_HOST_SYSCALL_LIST_H */
