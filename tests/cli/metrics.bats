#!/usr/bin/env bats
# metrics.bats: `ipcadm metrics` is valid Prometheus text (promtool), counts what exists,
# writes --textfile atomically, and a real node_exporter serves it; the contrib alert
# rules and systemd units check out.

load helpers

FIXTURES="$BATS_TEST_DIRNAME/../fixtures"
CONTRIB="$BATS_TEST_DIRNAME/../../contrib"

@test "metrics: valid exposition format with the counts, limits and verdicts of the namespace" {
	run ns 'echo "250 32000 32 16" > /proc/sys/kernel/sem
		"$IPCTOOL" drop-to 1234 1234 -- "$IPCTOOL" fill sem 3 2 >/dev/null
		"$IPCTOOL" shm-create 4661 10000 600 >/dev/null
		"$IPCTOOL" msg-create 4660 600 >/dev/null
		head -c 8192 /dev/zero > /dev/shm/app-cache   # a POSIX segment on the private tmpfs
		"$IPCADM" metrics --all-visible > /tmp/metrics.$$.prom
		promtool check metrics < /tmp/metrics.$$.prom && echo promtool-ok
		grep -v "^#" /tmp/metrics.$$.prom; rm -f /tmp/metrics.$$.prom'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "promtool-ok" ]]
	[[ "$output" == *$'\nipcadm_objects{kind="sem"} 3\n'* ]]
	[[ "$output" == *$'\nipcadm_objects{kind="shm"} 1\n'* ]]
	[[ "$output" == *$'\nipcadm_objects_limit{kind="sem"} 16\n'* ]]
	[[ "$output" == *$'\nipcadm_sem_semaphores 6\n'* ]]
	[[ "$output" == *$'\nipcadm_shm_pages 3\n'* ]] # 10000 bytes take 3 pages
	[[ "$output" == *$'\nipcadm_verdict_objects{kind="sem",verdict="orphaned"} 3\n'* ]]
	[[ "$output" == *$'\nipcadm_verdict_objects{kind="msg",verdict="idle"} 1\n'* ]]
	[[ "$output" == *$'\nipcadm_verdicts_available 1\n'* ]]
	[[ "$output" == *$'\nipcadm_doctor_status 1\n'* ]] # the leak is a warning
	[[ "$output" == *$'\nipcadm_doctor_findings{severity="warning"} 1\n'* ]]
	[[ "$output" == *$'\nipcadm_objects{kind="pshm"} 1\n'* ]]
	[[ "$output" == *$'\nipcadm_objects{kind="pmq"} 0\n'* ]]
	[[ "$output" == *$'\nipcadm_dev_shm_objects_bytes 8192\n'* ]]
	[[ "$output" == *$'\nipcadm_verdict_objects{kind="pshm",verdict="idle"} 1\n'* ]]
}

@test "metrics: every sample has HELP and TYPE, names follow the conventions" {
	run "$IPCADM" --root "$FIXTURES/doctor-shm" metrics
	[ "$status" -eq 0 ]
	# every sample's name was declared by a TYPE line before it; gauges only, no _total
	run awk '/^# TYPE / { t[$3] = $4; next } /^# HELP / { h[$3] = 1; next }
		 { n = $1; sub(/\{.*/, "", n)
		   if (!(n in t) || !(n in h)) { print "undeclared " n; bad = 1 }
		   if (n !~ /^ipcadm_[a-z_]+$/) { print "bad name " n; bad = 1 }
		   if (n ~ /_total$/ && t[n] != "counter") { print "_total gauge " n; bad = 1 } }
		 END { exit bad }' <<<"$output"
	[ "$status" -eq 0 ]
	run "$IPCADM" --root "$FIXTURES/doctor-shm" metrics
	[[ "$output" == *$'\nipcadm_shm_removed_segments 1\n'* ]]
	[[ "$output" == *$'\nipcadm_shm_segment_size_limit_bytes 65536\n'* ]]
	[[ "$output" == *$'\nipcadm_shm_orphaned_resident_bytes 45056\n'* ]] # the fixture's init is alive, its creators are not
	[[ "$output" == *$'\nipcadm_doctor_status 2\n'* ]]
}

@test "metrics: a limit that cannot be read is absent, not a made-up number" {
	run "$IPCADM" --root "$FIXTURES/doctor-unreadable" metrics --no-verdicts
	[ "$status" -eq 0 ]
	[[ "$output" != *"ipcadm_sem_semaphores_limit "* ]]
	[[ "$output" != *"ipcadm_objects_limit{kind=\"sem\"}"* ]]
	[[ "$output" == *$'\nipcadm_objects_limit{kind="shm"} 4096\n'* ]]
	[[ "$output" == *$'\nipcadm_verdicts_available 0\n'* ]]
	[[ "$output" != *"ipcadm_verdict_objects"* ]]
	promtool check metrics <<<"$output"
}

@test "metrics --textfile: written atomically, readable by others, replaces the old file" {
	dir=$(mktemp -d)
	echo "stale" > "$dir/ipcadm.prom"
	run "$IPCADM" --root "$FIXTURES/doctor-sem" metrics --textfile "$dir"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(stat -c %a "$dir/ipcadm.prom")" = 644 ]
	[ "$(ls -A "$dir")" = "ipcadm.prom" ] # no temporary file left behind
	promtool check metrics < "$dir/ipcadm.prom"
	diff <(grep -v last_run_timestamp "$dir/ipcadm.prom") \
		<("$IPCADM" --root "$FIXTURES/doctor-sem" metrics | grep -v last_run_timestamp)
	rm -rf "$dir"
}

@test "metrics --textfile: a missing directory or a file is an error, and nothing is written" {
	dir=$(mktemp -d)
	run "$IPCADM" --root "$FIXTURES/doctor-ok" metrics --textfile "$dir/missing"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot use '$dir/missing' as the textfile directory: No such file or directory"* ]]
	touch "$dir/file"
	run "$IPCADM" --root "$FIXTURES/doctor-ok" metrics --textfile "$dir/file"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Not a directory"* ]]
	[ "$(ls -A "$dir")" = "file" ]
	rm -rf "$dir"
	run "$IPCADM" metrics --all-visible extra
	[ "$status" -eq 2 ]
	run "$IPCADM" metrics --all-visible --crit 50 --warn 60
	[ "$status" -eq 2 ]
}

# A real node_exporter, in private network, IPC, mount and PID namespaces (its own
# loopback, so no port can clash and nothing listens outside), bounded by timeout and
# killed by its PID; the PID namespace ends with the test anyway.
@test "metrics: a real node_exporter serves the textfile when scraped" {
	command -v prometheus-node-exporter >/dev/null || skip "prometheus-node-exporter is not installed"
	run unshare --net --ipc --mount --pid --fork --mount-proc --propagation private bash -c '
		set -e
		ip link set lo up
		dir=$(mktemp -d)
		"$IPCTOOL" fill sem 2 >/dev/null
		"$IPCTOOL" set-owner-all sem 4242 4242   # this root shell may hold the objects of root
		"$IPCADM" metrics --all-visible --textfile "$dir"
		timeout 60 prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$dir" 2>/dev/null &
		pid=$!
		for i in $(seq 1 100); do
			curl -sf http://127.0.0.1:9100/metrics > "$dir/scrape" 2>/dev/null && break
			sleep 0.1
		done
		kill "$pid"; wait "$pid" 2>/dev/null || true
		grep -E "^(ipcadm_objects\{kind=\"sem\"\}|node_textfile_scrape_error|ipcadm_doctor_status)" "$dir/scrape"
		rm -rf "$dir"'
	[ "$status" -eq 0 ]
	[[ "$output" == *'ipcadm_objects{kind="sem"} 2'* ]]
	[[ "$output" == *"node_textfile_scrape_error 0"* ]]
	[[ "$output" == *"ipcadm_doctor_status 1"* ]] # two orphaned arrays: a warning
}

@test "contrib: the alert rules pass promtool check rules and their unit tests" {
	run promtool check rules "$CONTRIB/prometheus/ipcadm-alerts.yml"
	[ "$status" -eq 0 ]
	[[ "$output" == *"SUCCESS: 7 rules found"* ]]
	cd "$CONTRIB/prometheus"
	run promtool test rules ipcadm-alerts.test.yml
	[ "$status" -eq 0 ]
	[[ "$output" == *"SUCCESS"* ]]
}

@test "contrib: the systemd service and timer verify, running this ipcadm" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	dir=$(mktemp -d)
	sed "s|/usr/local/bin/ipcadm|$IPCADM|" "$CONTRIB/systemd/ipcadm-metrics.service" \
		> "$dir/ipcadm-metrics.service"
	cp "$CONTRIB/systemd/ipcadm-metrics.timer" "$dir/"
	run systemd-analyze verify --man=no "$dir/ipcadm-metrics.service" "$dir/ipcadm-metrics.timer"
	rm -rf "$dir"
	[ "$status" -eq 0 ]
	[ -z "$output" ] # not even a warning about an unknown setting
	grep -q '^ExecStart=/usr/local/bin/ipcadm metrics --textfile /var/lib/prometheus/node-exporter$' \
		"$CONTRIB/systemd/ipcadm-metrics.service"
}
