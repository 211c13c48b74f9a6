// pxerbla_ and xerbla_: ScaLAPACK's and LAPACK's error reports, recorded or printed.

#include "bindings/reports.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdio>

#include "bindings/blacs.hpp"

namespace tartan::detail {

namespace {
int scope_depth = 0;
ArgumentReport pending;
long total_reports = 0;

constexpr const char* topology_ops = "BBBCCC";
constexpr const char* topology_scopes = "RCARCA";
char saved_topologies[6] = {};

char* topology(int k, const char* top) {
  int ctxt = 0;  // PB_Ctop ignores the context: the topologies are process-wide
  const char op[2] = {topology_ops[k], 0}, scope[2] = {topology_scopes[k], 0};
  return PB_Ctop(&ctxt, op, scope, top);
}

std::string trimmed(const char* name, std::size_t len) {
  std::string s(name, len);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

void record(std::string routine, int argument) {
  ++total_reports;
  if (!pending.seen) {
    pending.seen = true;
    pending.routine = std::move(routine);
    pending.argument = argument;
  }
}
}  // namespace

ReportScope::ReportScope() {
  if (scope_depth++ == 0) {
    pending = {};
    for (int k = 0; k < 6; ++k) saved_topologies[k] = *topology(k, "!");
  }
}
ReportScope::~ReportScope() {
  if (--scope_depth == 0)
    for (int k = 0; k < 6; ++k) {
      const char top[2] = {saved_topologies[k], 0};
      if (*topology(k, "!") != top[0]) topology(k, top);
    }
}

std::string pblas_topologies() {
  std::string s;
  for (int k = 0; k < 6; ++k) s += *topology(k, "!");
  return s;
}

ArgumentReport take_report() {
  ArgumentReport r = pending;
  pending = {};
  return r;
}

long reports_seen() { return total_reports; }

}  // namespace tartan::detail

namespace {
// Records the report inside a Tartan call; otherwise counts it and lets print() say it as
// the original routine would.
template <class Print>
void report(const char* srname, std::size_t len, int info, Print&& print) {
  using namespace tartan::detail;
  const std::string name = trimmed(srname, len);
  if (scope_depth > 0) {
    record(name, info);
    return;
  }
  ++total_reports;
  print(name);
}
}  // namespace

// Fortran: SUBROUTINE PXERBLA( ICTXT, SRNAME, INFO ), CHARACTER*(*) SRNAME.
extern "C" void pxerbla_(const int* ictxt, const char* srname, const int* info, std::size_t len) {
  report(srname, len, *info, [&](const std::string& name) {
    int nprow = 0, npcol = 0, myrow = 0, mycol = 0;
    Cblacs_gridinfo(*ictxt, &nprow, &npcol, &myrow, &mycol);
    std::fprintf(stderr, "{%5d,%5d}:  On entry to %s parameter number %4d had an illegal value\n", myrow, mycol,
                 name.c_str(), *info);
  });
}

// Fortran: SUBROUTINE XERBLA( SRNAME, INFO ), as LAPACK's serial routines call it.
extern "C" void xerbla_(const char* srname, const int* info, std::size_t len) {
  report(srname, len, *info, [&](const std::string& name) {
    std::fprintf(stderr, " ** On entry to %s parameter number %d had an illegal value\n", name.c_str(), *info);
  });
}
