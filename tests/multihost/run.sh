#!/usr/bin/env bash
# Runs an MPI program across several "hosts" on this one machine: each host is a Linux
# network namespace with its own veth interface and address on a private bridge, and Open
# MPI reaches them the way it reaches a cluster's nodes: an rsh agent (here `ip netns exec`
# instead of ssh), TCP only, no shared memory between hosts.
#
#   tests/multihost/run.sh [--hosts H] [--per-host R] [--rate RATE] [--timeout S] -- PROGRAM [ARGS...]
#
#   --hosts H      hosts (namespaces), 2 to 8                           [2]
#   --per-host R   ranks per host                                       [1]
#   --rate RATE    cap every host's link with a tbf qdisc (tc syntax, for example 1gbit)
#                  [$TARTAN_MULTIHOST_RATE, else none]
#   --timeout S    mpirun's --timeout                                   [600]
#
# Extra mpirun options can be given in TARTAN_MPIRUN_ARGS (for example "-x TARTAN_SWEEP").
# Needs root, iproute2 (ip netns, veth, bridge) and, with --rate, tc. Without them it prints
# "skipped: <why>" and exits 77 (CTest's SKIP_RETURN_CODE): a skip never reports a pass.
# Everything it creates carries a per-run prefix and is removed on every exit path (trap),
# so concurrent runs do not collide and a failed run leaves nothing behind.
set -euo pipefail

hosts=2 per_host=1 rate=${TARTAN_MULTIHOST_RATE:-} timeout=600
while [[ $# -gt 0 ]]; do
  case "$1" in
    --hosts) hosts=$2; shift 2 ;;
    --per-host) per_host=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $# -eq 0 ]]; then echo "run.sh: no program given (see --help)" >&2; exit 2; fi
if ! [[ $hosts =~ ^[0-9]+$ && $hosts -ge 2 && $hosts -le 8 ]]; then echo "run.sh: --hosts $hosts, expected 2 to 8" >&2; exit 2; fi
if ! [[ $per_host =~ ^[0-9]+$ && $per_host -ge 1 ]]; then echo "run.sh: --per-host $per_host, expected 1 or more" >&2; exit 2; fi

skip() { echo "skipped: $*"; exit 77; }
[[ $(id -u) -eq 0 ]] || skip "network namespaces need root"
command -v ip > /dev/null || skip "iproute2's ip is not installed"
[[ -z $rate ]] || command -v tc > /dev/null || skip "--rate needs tc (iproute2)"
mpirun=$(command -v mpirun || true)
[[ -n $mpirun ]] || skip "mpirun is not installed"

# A prefix and a /24 of 10.0.0.0/8 of this run's own, from its process id.
id=$$
tag="tt$((id % 100000))"
net="10.$((100 + id / 250 % 150)).$((id % 250))"
work=$(mktemp -d "/tmp/${tag}.XXXX")
created_ns=() bridge=""
# Every process left in a namespace (a daemon or rank of a failed run) is killed before
# the namespace goes: a namespace with processes in it outlives `ip netns del`.
kill_in_namespaces() {
  local ns
  for ns in "${created_ns[@]}"; do
    ip netns pids "$ns" 2> /dev/null | xargs -r kill -9 2> /dev/null
  done
}
cleanup() {
  set +e
  [[ -n ${mpirun_pid:-} ]] && kill -9 "$mpirun_pid" 2> /dev/null
  kill_in_namespaces
  for ns in "${created_ns[@]}"; do ip netns del "$ns" 2> /dev/null; done
  [[ -n $bridge ]] && ip link del "$bridge" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Probe: can this machine make a namespace and a veth pair at all (containers may forbid it)?
if ! ip netns add "${tag}x" 2> "$work/err"; then skip "ip netns add failed: $(head -1 "$work/err")"; fi
created_ns+=("${tag}x")
if ! ip link add "${tag}bx" type bridge 2> "$work/err"; then skip "a bridge cannot be created: $(head -1 "$work/err")"; fi
bridge="${tag}bx"
ip addr add "$net.254/24" dev "$bridge"
ip link set "$bridge" up

for h in $(seq 1 "$hosts"); do
  ns="${tag}h$h" a="${tag}a$h" b="${tag}b$h"
  ip netns add "$ns"
  created_ns+=("$ns")
  ip link add "$a" type veth peer name "$b"
  ip link set "$b" master "$bridge" up
  ip link set "$a" netns "$ns"
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$net.$h/24" dev "$a"
  ip -n "$ns" link set "$a" up
  if [[ -n $rate ]]; then  # both directions of the host's link
    tc qdisc add dev "$b" root tbf rate "$rate" burst 256kb latency 50ms
    tc -n "$ns" qdisc add dev "$a" root tbf rate "$rate" burst 256kb latency 50ms
  fi
  echo "$net.$h slots=$per_host" >> "$work/hostfile"
  echo "$net.$h $ns" >> "$work/hosts"
done

# The rsh agent: Open MPI calls it as `agent HOST COMMAND...` to start its daemon there.
cat > "$work/agent" << EOF
#!/bin/sh
host=\$1; shift
ns=\$(awk -v h="\$host" '\$1 == h { print \$2 }' "$work/hosts")
[ -n "\$ns" ] || { echo "multihost agent: unknown host \$host" >&2; exit 1; }
exec ip netns exec "\$ns" sh -c "\$*"
EOF
chmod +x "$work/agent"

# Every host's bridge port forwarding before MPI starts (state 3 in sysfs; it takes a moment).
for h in $(seq 1 "$hosts"); do
  for t in $(seq 1 50); do
    [[ $(cat "/sys/class/net/${tag}b$h/brport/state" 2> /dev/null) == 3 ]] && break
    sleep 0.1
  done
done

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# The hosts share this machine's cores. Each sees all of them (--bind-to none), so split
# them among all the ranks (Environment would give every host all of them), and let idle
# ranks yield: Open MPI only does that by itself when it knows a node is oversubscribed,
# and without it a 2 x 2 LU of n = 2000 took 19 s instead of 0.5 s here.
ranks=$((hosts * per_host)) cores=$(nproc)
export TARTAN_NUM_THREADS=${TARTAN_NUM_THREADS:-$((cores > ranks ? cores / ranks : 1))}
yield=$((ranks > cores ? 1 : 0))
# Whether a rank has started in some host: a process there that is not Open MPI's daemon
# or the agent's shell.
rank_started() {
  local ns pid comm
  for ns in "${created_ns[@]}"; do
    for pid in $(ip netns pids "$ns" 2> /dev/null); do
      comm=$(cat "/proc/$pid/comm" 2> /dev/null) || continue
      case "$comm" in orted|sh|ip) ;; *) return 0 ;; esac
    done
  done
  return 1
}

# mpirun, watched: about 1 launch in 10 to 20 here stalled before any rank started (every
# daemon gone, mpirun waiting for them with its --timeout not yet running); two in a row
# failed a CI run once. A launch that works starts its ranks within a second or two, so a
# stalled one is killed after launch_wait seconds and tried again, up to 4 attempts; a
# stall after the ranks started is left to --timeout.
launch_wait=${TARTAN_MULTIHOST_LAUNCH_WAIT:-20}
attempts=4
for attempt in $(seq 1 $attempts); do
  # shellcheck disable=SC2086
  "$mpirun" --hostfile "$work/hostfile" -n "$ranks" --timeout "$timeout" --bind-to none -x TARTAN_NUM_THREADS \
    --mca mpi_yield_when_idle "$yield" \
    --mca plm_rsh_agent "$work/agent" --mca plm_rsh_no_tree_spawn 1 \
    --mca btl tcp,self --mca btl_tcp_if_include "$net.0/24" --mca oob_tcp_if_include "$net.0/24" \
    ${TARTAN_MPIRUN_ARGS:-} "$@" &
  mpirun_pid=$!
  started=0 stalled=0
  for ((tick = 0; ; ++tick)); do
    kill -0 "$mpirun_pid" 2> /dev/null || break
    if ((started == 0)); then
      if rank_started; then started=1
      elif ((tick >= launch_wait * 5)); then stalled=1; break
      fi
    fi
    sleep 0.2
  done
  if ((stalled == 0)); then
    status=0
    wait "$mpirun_pid" || status=$?
    mpirun_pid=""
    exit "$status"
  fi
  echo "multihost: no rank started within ${launch_wait} s of launch (attempt $attempt of $attempts)" >&2
  kill -9 "$mpirun_pid" 2> /dev/null
  wait "$mpirun_pid" 2> /dev/null || true
  mpirun_pid=""
  kill_in_namespaces
done
echo "multihost: the launch stalled $attempts times; giving up" >&2
exit 1
