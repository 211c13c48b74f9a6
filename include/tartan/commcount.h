/* tartan/commcount.h: bytes and messages each MPI rank receives, counted through the MPI
 * profiling interface (PMPI) by libtartan_commcount.
 *
 * The library defines MPI_Send, MPI_Bcast, ... and forwards each to its PMPI_ twin. It
 * sees every MPI call a process makes through the C bindings when it comes before libmpi
 * in the link (or is preloaded: LD_PRELOAD=libtartan_commcount.so). tartan-bench links it.
 *
 * Counting, per rank, between tartan_comm_start() and tartan_comm_stop():
 *   point to point  every send (blocking, nonblocking, Sendrecv) is counted at the sender
 *                   by destination; tartan_comm_collect() sums those over the ranks, so a
 *                   rank's received bytes and messages are exact.
 *   collectives     the payload a rank obtains from the others, as if delivered directly:
 *                   Bcast count*size at every rank but the root; Allgather(v), Alltoall(v,w),
 *                   Gather(v) at the root, Scatter(v) away from the root: the blocks from the
 *                   other ranks; Allreduce, Scan, Reduce (at the root), Reduce_scatter: one
 *                   vector of the result. The bytes of Open MPI's own algorithm (trees,
 *                   pipelines) differ with its tuning and are not what is counted; for a
 *                   broadcast, every rank of any algorithm does receive the payload once.
 *                   Each collective also counts ceil(log2 p) "rounds" of latency at every
 *                   participating rank (p = the communicator's size).
 * The Fortran bindings' sends and collectives (mpi_send_, mpi_bcast_, ... as ELPA calls
 * them) are wrapped as well, since Open MPI's Fortran layer calls PMPI_ directly. Not
 * counted: one-sided calls, persistent requests, and the nonblocking collectives other than
 * Ibcast and Iallreduce. Counting is off until tartan_comm_start().
 *
 * With TARTAN_COMMCOUNT=1 in the environment, counting starts in MPI_Init and each rank
 * prints its totals to stderr in MPI_Finalize: a way to measure any MPI program, e.g.
 *   mpirun -x LD_PRELOAD=libtartan_commcount.so -x TARTAN_COMMCOUNT=1 tartan-solve
 */
#ifndef TARTAN_COMMCOUNT_H
#define TARTAN_COMMCOUNT_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tartan_comm_counts {
  unsigned long long p2p_sent_bytes; /* point to point, sent by this rank */
  unsigned long long p2p_sent_messages;
  unsigned long long p2p_recv_bytes; /* point to point, addressed to this rank */
  unsigned long long p2p_recv_messages;
  unsigned long long coll_recv_bytes; /* collectives' payload from the other ranks */
  unsigned long long coll_calls;      /* collective calls with more than one rank */
  unsigned long long coll_rounds;     /* sum of ceil(log2 p) over those calls */
} tartan_comm_counts;

/* Zero this rank's counters and count from now on. Local. */
void tartan_comm_start(void);
/* Stop counting on this rank. Local. */
void tartan_comm_stop(void);
/* 1 when the counting library is linked in front of MPI (the wrappers see the calls). */
int tartan_comm_active(void);
/* This rank's counts since the last start. Collective over MPI_COMM_WORLD (it sums the
 * point-to-point sends by destination); call it on every rank after tartan_comm_stop().
 * Returns MPI_SUCCESS or the failing PMPI call's error code. */
int tartan_comm_collect(tartan_comm_counts* out);

#ifdef __cplusplus
}
#endif

#endif
