# shellcheck shell=bash
# Helpers to run local evsm devices from shell scripts (sourced by examples/ceremony.sh,
# examples/run.sh, scripts/demo.sh, bench/run.sh, java/run-tests.sh and the test suites'
# tests/*/run.sh). Loopback only.
#
#   evsm_start NAME OUTDIR EVSM_BINARY [evsm options...]
#       starts `EVSM_BINARY [options]` in the background (stdout to OUTDIR/NAME.out, stderr
#       to OUTDIR/NAME.log), waits (at most 10 s) for "evsm listening on HOST:PORT" and sets
#         EVSM_PID_<NAME>   the process id (also appended to the array EVSM_PIDS)
#         EVSM_ADDR_<NAME>  HOST:PORT of the host port
#         EVSM_MGMT_<NAME>  HOST:PORT of the management port (with --mgmt-port), else ""
#         EVSM_FP_<NAME>    the management certificate fingerprint SHA256:..., else ""
#         EVSM_TLS_<NAME>   HOST:PORT of the TLS host port (with --tls-port), else ""
#       Returns 1 (after printing the device's log) when it did not start.
#   evsm_stop_all [SIGNAL]
#       stops every process in EVSM_PIDS (SIGTERM by default), waits at most 5 s, then
#       SIGKILLs what is left; empties EVSM_PIDS. Resumes stopped (SIGSTOP) ones first.
#   evsm_kill NAME [SIGNAL]
#       stops the one device NAME (SIGTERM by default; SIGKILL after 5 s), reaps it, removes
#       it from EVSM_PIDS and clears EVSM_PID_<NAME>. NAME may then be started again with
#       evsm_start (e.g. on the same port, --port ${EVSM_ADDR_<NAME>##*:}): NAME.out is
#       rewritten, NAME.log is appended to.
#   evsm_single_ini FILE PORT LOGSW LOGPATH
#       writes a cacipher.ini naming the one local device on 127.0.0.1:PORT (header length
#       2, linkNum -2, connTimeout 2, readTimeout 5) with logsw=LOGSW into LOGPATH: the
#       configuration the C suites (typed, hostile, secrets), the examples and the Java
#       suite run against.
#   evsm_nc_check_value HOST:PORT
#       prints the DMK check value a device reports through NC on its host port.
#   evsm_wait_closed HOST:PORT [TENTHS]
#       waits until nothing accepts connections on HOST:PORT (default 50 tenths of a second).

EVSM_PIDS=()

evsm_start() {
    local name=$1 dir=$2 bin=$3
    shift 3
    local out=$dir/$name.out log=$dir/$name.log
    : >"$out"
    "$bin" "$@" >"$out" 2>>"$log" &
    local pid=$!
    EVSM_PIDS+=("$pid")
    printf -v "EVSM_PID_$name" '%s' "$pid"
    local i line=""
    for i in $(seq 1 200); do
        line=$(grep -m1 '^evsm listening on ' "$out" 2>/dev/null) && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if [ -z "$line" ]; then
        echo "device $name did not start:" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    printf -v "EVSM_ADDR_$name" '%s' "$(echo "$line" | awk '{print $4}')"
    local mline
    mline=$(grep -m1 '^evsm management on ' "$out" 2>/dev/null || true)
    printf -v "EVSM_MGMT_$name" '%s' "$(echo "$mline" | awk '{print $4}')"
    printf -v "EVSM_FP_$name" '%s' "$(echo "$mline" | awk '{print $6}')"
    local tline
    tline=$(grep -m1 '^evsm tls listening on ' "$out" 2>/dev/null || true)
    printf -v "EVSM_TLS_$name" '%s' "$(echo "$tline" | awk '{print $5}')"
    return 0
}

evsm_single_ini() {
    local file=$1 port=$2 logsw=$3 logpath=$4
    cat > "$file" <<INI
[LOGGER]
logsw=$logsw
logPath=$logpath

[HOST1]
host=127.0.0.1
port=$port
linkNum=-2
connTimeout=2
readTimeout=5
msgheadlength=2
INI
}

evsm_stop_all() {
    local sig=${1:-TERM} p i alive
    [ "${#EVSM_PIDS[@]}" -eq 0 ] && return 0
    for p in "${EVSM_PIDS[@]}"; do kill -CONT "$p" 2>/dev/null; kill "-$sig" "$p" 2>/dev/null; done
    for i in $(seq 1 50); do
        alive=0
        for p in "${EVSM_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && break
        sleep 0.1
    done
    for p in "${EVSM_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    for p in "${EVSM_PIDS[@]}"; do wait "$p" 2>/dev/null; done
    EVSM_PIDS=()
}

evsm_kill() {
    local pidvar="EVSM_PID_$1" sig=${2:-TERM} pid p i keep=()
    pid=${!pidvar:-}
    [ -n "$pid" ] || return 0
    {   # (stderr off: no "Killed" job notice from the shell)
        kill -CONT "$pid"; kill "-$sig" "$pid"
        for i in $(seq 1 50); do
            kill -0 "$pid" || break
            sleep 0.1
        done
        kill -KILL "$pid"
        wait "$pid"
    } 2>/dev/null
    for p in "${EVSM_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    EVSM_PIDS=("${keep[@]}")
    printf -v "$pidvar" '%s' ""
    return 0
}

# nc_check_value HOST:PORT: the DMK check value from the host port's NC command
# (frame: 2-byte length, "NC"; reply: length, "ND00", 16H, version, serial).
evsm_nc_check_value() {
    local host=${1%:*} port=${1##*:} reply
    exec 5<>"/dev/tcp/$host/$port" || return 1
    printf '\x00\x02NC' >&5
    reply=$(timeout 5 head -c 22 <&5 | tail -c 20)
    exec 5<&- 5>&-
    [ "${reply:0:4}" = "ND00" ] && echo "${reply:4:16}"
}

evsm_wait_closed() {
    local host=${1%:*} port=${1##*:} tenths=${2:-50} i
    for i in $(seq 1 "$tenths"); do
        (exec 6<>"/dev/tcp/$host/$port") 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}
