/* syscall-abi.c: the numbers of semop, semtimedop, msgsnd, msgrcv (and ipc(2)) in each
 * system call ABI of this architecture, one table per ABI, and the ABI of an executable. */
#include "syscall-abi.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

/* What a number means. */
enum call {
	CALL_SEMOP,
	CALL_SEMTIMEDOP,
	CALL_MSGSND,
	CALL_MSGRCV,
	CALL_IPC, /* ipc(2): the call in the first argument, the object in the second */
};

/* ipc(2)'s calls that wait (include/uapi/linux/ipc.h); the top 16 bits are a version. */
#define IPC_CALL_SEMOP 1
#define IPC_CALL_SEMTIMEDOP 4
#define IPC_CALL_MSGSND 11
#define IPC_CALL_MSGRCV 12

/* e_ident[EI_CLASS] and e_machine (elf.h), as the ELF header spells them. */
#define ELF_CLASS32 1
#define ELF_CLASS64 2
#define ELF_EM_386 3
#define ELF_EM_ARM 40
#define ELF_EM_X86_64 62
#define ELF_EM_AARCH64 183

struct abi_call {
	long nr;
	enum call call;
};

struct abi_table {
	enum syscall_abi abi;
	unsigned char elf_class;
	unsigned int elf_machine; /* 0: any machine of that class */
	long bit; /* set in every number of this ABI (x32), 0 for none */
	const struct abi_call *calls;
	size_t n;
};

#define CALLS(v) v, sizeof(v) / sizeof(v[0])

#if defined(__x86_64__) || defined(__i386__)
/* arch/x86/entry/syscalls/syscall_64.tbl ("common": x32 uses them with the bit) */
static const struct abi_call x86_64_calls[] = {
	{ 65, CALL_SEMOP },
	{ 69, CALL_MSGSND },
	{ 70, CALL_MSGRCV },
	{ 220, CALL_SEMTIMEDOP },
};

/* arch/x86/entry/syscalls/syscall_32.tbl: no direct semop or time32 semtimedop */
static const struct abi_call i386_calls[] = {
	{ 117, CALL_IPC },
	{ 400, CALL_MSGSND },
	{ 401, CALL_MSGRCV },
	{ 420, CALL_SEMTIMEDOP }, /* semtimedop_time64 */
};

#define X32_SYSCALL_BIT 0x40000000L

static const struct abi_table tables[] = {
	{ SYSCALL_ABI_X86_64, ELF_CLASS64, ELF_EM_X86_64, 0, CALLS(x86_64_calls) },
	{ SYSCALL_ABI_I386, ELF_CLASS32, ELF_EM_386, 0, CALLS(i386_calls) },
	{ SYSCALL_ABI_X32, ELF_CLASS32, ELF_EM_X86_64, X32_SYSCALL_BIT, CALLS(x86_64_calls) },
};
#elif defined(__aarch64__) || defined(__arm__)
/* include/uapi/asm-generic/unistd.h */
static const struct abi_call aarch64_calls[] = {
	{ 188, CALL_MSGRCV },
	{ 189, CALL_MSGSND },
	{ 192, CALL_SEMTIMEDOP },
	{ 193, CALL_SEMOP },
};

/* arch/arm/tools/syscall.tbl, EABI (arm64's compat ABI has no OABI, so no ipc(2)) */
static const struct abi_call arm_calls[] = {
	{ 298, CALL_SEMOP },
	{ 301, CALL_MSGSND },
	{ 302, CALL_MSGRCV },
	{ 312, CALL_SEMTIMEDOP },
	{ 420, CALL_SEMTIMEDOP }, /* semtimedop_time64 */
};

static const struct abi_table tables[] = {
	{ SYSCALL_ABI_AARCH64, ELF_CLASS64, ELF_EM_AARCH64, 0, CALLS(aarch64_calls) },
	{ SYSCALL_ABI_ARM, ELF_CLASS32, ELF_EM_ARM, 0, CALLS(arm_calls) },
};
#else
/* Another architecture: this build's own numbers, for executables of its own class. */
static const struct abi_call native_calls[] = {
#ifdef SYS_semop
	{ SYS_semop, CALL_SEMOP },
#endif
#ifdef SYS_semtimedop
	{ SYS_semtimedop, CALL_SEMTIMEDOP },
#endif
#ifdef SYS_semtimedop_time64
	{ SYS_semtimedop_time64, CALL_SEMTIMEDOP },
#endif
#ifdef SYS_msgsnd
	{ SYS_msgsnd, CALL_MSGSND },
#endif
#ifdef SYS_msgrcv
	{ SYS_msgrcv, CALL_MSGRCV },
#endif
#ifdef SYS_ipc
	{ SYS_ipc, CALL_IPC },
#endif
	{ -1, CALL_IPC }, /* keeps the table non-empty; no task reports -1 as blocked */
};

static const struct abi_table tables[] = {
	{ SYSCALL_ABI_NATIVE, sizeof(long) == 8 ? ELF_CLASS64 : ELF_CLASS32, 0, 0,
	  CALLS(native_calls) },
};
#endif

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

enum syscall_abi syscall_abi_of_elf(const unsigned char *hdr, size_t len)
{
	unsigned int machine;

	if (len < 20 || memcmp(hdr, "\177ELF", 4) != 0 || (hdr[5] != 1 && hdr[5] != 2))
		return SYSCALL_ABI_UNKNOWN;
	/* e_machine, at offset 18, in the byte order of e_ident[EI_DATA] */
	machine = hdr[5] == 1 ? hdr[18] | (unsigned int)hdr[19] << 8
			      : (unsigned int)hdr[18] << 8 | hdr[19];
	for (size_t i = 0; i < NTABLES; i++)
		if (tables[i].elf_class == hdr[4] &&
		    (tables[i].elf_machine == 0 || tables[i].elf_machine == machine))
			return tables[i].abi;
	return SYSCALL_ABI_UNKNOWN;
}

/* The wait that a number of table t means (its ABI's bit, if any, cleared); 1 or 0. */
static int table_wait(const struct abi_table *t, long nr, const uint64_t args[6],
		      struct syscall_wait *w)
{
	const struct abi_call *c = NULL;
	unsigned int call;

	nr &= ~t->bit;
	for (size_t i = 0; i < t->n && c == NULL; i++)
		if (t->calls[i].nr == nr)
			c = &t->calls[i];
	if (c == NULL)
		return 0;
	if (c->call != CALL_IPC) {
		w->kind = c->call == CALL_SEMOP || c->call == CALL_SEMTIMEDOP ? IPCADM_SEM
									    : IPCADM_MSG;
		w->id = (int)(uint32_t)args[0];
		return 1;
	}
	call = (unsigned int)(args[0] & 0xffff);
	if (call == IPC_CALL_SEMOP || call == IPC_CALL_SEMTIMEDOP)
		w->kind = IPCADM_SEM;
	else if (call == IPC_CALL_MSGSND || call == IPC_CALL_MSGRCV)
		w->kind = IPCADM_MSG;
	else
		return 0;
	w->id = (int)(uint32_t)args[1];
	return 1;
}

int syscall_abi_wait(enum syscall_abi abi, long nr, const uint64_t args[6],
		     struct syscall_wait *w)
{
	struct syscall_wait any;

	/* A number carrying an ABI's own bit was made through that ABI, whatever the
	 * executable; without it, an x32 program's calls are x86-64 ones. */
	for (size_t i = 0; i < NTABLES; i++) {
		if (tables[i].bit == 0)
			continue;
		if (nr & tables[i].bit)
			return table_wait(&tables[i], nr, args, w);
		if (tables[i].abi == abi)
			return table_wait(&tables[i], nr, args, w);
	}
	for (size_t i = 0; i < NTABLES; i++)
		if (abi != SYSCALL_ABI_UNKNOWN && tables[i].abi == abi)
			return table_wait(&tables[i], nr, args, w);
	if (abi != SYSCALL_ABI_UNKNOWN)
		return 0; /* an ABI with no table here: a task of another architecture */
	for (size_t i = 0; i < NTABLES; i++)
		if (tables[i].bit == 0 && table_wait(&tables[i], nr, args, &any) > 0)
			return -EAGAIN;
	return 0;
}
