#pragma once
// ScaLAPACK's and LAPACK's reports of illegal arguments, caught.
//
// ScaLAPACK reports an illegal argument by calling PXERBLA, which prints and returns, so
// an outer driver may go on with garbage and INFO = 0 (p?syevd does not pass p?ormtr's
// INFO back). libtartan defines pxerbla_ and xerbla_ itself; it is loaded before
// libscalapack and the LAPACK library, whose own calls go through the PLT, so every report
// lands here, also from routines nested deep inside a driver. Inside a Tartan call
// (a ReportScope is open) the report is recorded for the kernel to agree on and throw;
// outside one it is printed as ScaLAPACK prints it, for users calling ScaLAPACK directly.

#include <string>

namespace tartan::detail {

/// The first report since the scope opened: the routine's name and the 1-based position of
/// the illegal argument (ScaLAPACK encodes descriptor entries as 100 * argument + entry).
struct ArgumentReport {
  bool seen = false;
  std::string routine;
  int argument = 0;
};

/// Records reports instead of printing them while alive, and clears the record on entry.
/// Scopes nest; ScaLAPACK is only ever called from the thread that called Tartan.
///
/// The outermost scope also puts PBLAS's broadcast and combine topologies back as it found
/// them. They are process-wide, and Debian's p?orgqr 2.2.1 returns with the row broadcast
/// left at 'D' (decreasing ring). On a grid of all ranks that harms nobody, but a process
/// that ran it on a smaller grid then broadcasts differently from the others on the next
/// grid it shares with them, and both hang (a QR on 1 rank, then a solve on 2, hung).
class ReportScope {
 public:
  ReportScope();
  ~ReportScope();
  ReportScope(const ReportScope&) = delete;
  ReportScope& operator=(const ReportScope&) = delete;
};

/// PBLAS's six topologies (broadcast and combine; row, column, all) as a string, e.g. for a
/// test that they are left as found.
std::string pblas_topologies();

/// The report recorded since the last call (or since the scope opened), and clears it.
ArgumentReport take_report();

/// Number of reports seen by this process since it started (recorded or printed).
long reports_seen();

}  // namespace tartan::detail
