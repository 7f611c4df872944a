/* syscall-abi.h: the system calls that wait on a semaphore array or a queue, by number, in
 * every system call ABI a task may use on this architecture, and which ABI a task uses. */
#ifndef IPCADM_SYSCALL_ABI_H
#define IPCADM_SYSCALL_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "ipcadm.h"

/*
 * /proc/PID/syscall shows the number of the ABI the task entered the kernel through: a
 * 32-bit program on a 64-bit kernel reports its own numbers (i386 msgrcv is 401, or ipc(2),
 * 117, with the call in its first argument), an x32 one the x86-64 numbers with
 * __X32_SYSCALL_BIT set.
 */
enum syscall_abi {
	SYSCALL_ABI_UNKNOWN, /* the task's ABI could not be told */
	SYSCALL_ABI_NATIVE, /* another architecture: this build's own numbers */
	SYSCALL_ABI_X86_64,
	SYSCALL_ABI_I386,
	SYSCALL_ABI_X32,
	SYSCALL_ABI_AARCH64,
	SYSCALL_ABI_ARM, /* 32-bit arm (EABI), the compat ABI of arm64 */
};

/* The ABI of a task whose executable starts with this ELF header (the first bytes of
 * /proc/PID/exe); SYSCALL_ABI_UNKNOWN when it is none this architecture runs. */
enum syscall_abi syscall_abi_of_elf(const unsigned char *hdr, size_t len);

/* What a blocked system call waits on. */
struct syscall_wait {
	enum ipcadm_kind kind; /* IPCADM_SEM or IPCADM_MSG */
	int id;
};

/*
 * Whether a task of that ABI blocked in system call nr with args waits on an array or a
 * queue: 1 with *w filled, 0 when it does not. With SYSCALL_ABI_UNKNOWN, -EAGAIN when some
 * ABI of this architecture would read nr as such a wait (the task must be counted among
 * those that could not be inspected), 0 when none would.
 */
int syscall_abi_wait(enum syscall_abi abi, long nr, const uint64_t args[6],
		     struct syscall_wait *w);

#endif
