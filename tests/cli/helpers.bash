# helpers.bash: what every end-to-end test file loads. Each test runs its commands in
# private IPC, mount and PID namespaces, so nothing touches this machine's own IPC.

IPCADM=${IPCADM:-$BATS_TEST_DIRNAME/../../build/ipcadm}
IPCADM_BUILD=${IPCADM_BUILD:-$(dirname "$IPCADM")}
IPCTOOL="$IPCADM_BUILD/helpers/ipctool"
export IPCADM IPCADM_BUILD IPCTOOL

# ns SCRIPT: runs a bash script in fresh IPC, mount and PID namespaces, with a private
# /dev/shm and /dev/mqueue, and $IPCADM and $IPCTOOL set. Use with bats' `run`.
# Scratch files go to /dev/shm/t: a file directly in /dev/shm is a POSIX shm object.
ns() {
	unshare --ipc --mount --pid --fork --mount-proc --propagation private \
		bash -c 'mount -t tmpfs tmpfs /dev/shm 2>/dev/null; mkdir -p /dev/shm/t
			 mkdir -p /dev/mqueue && mount -t mqueue mqueue /dev/mqueue 2>/dev/null
			 set -e
			 '"$1"
}
