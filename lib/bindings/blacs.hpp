#pragma once
// BLACS (process grids under ScaLAPACK) and OpenBLAS's thread controls, as C functions.

#include <mpi.h>

extern "C" {
int Csys2blacs_handle(MPI_Comm comm);
void Cfree_blacs_system_handle(int handle);
void Cblacs_gridinit(int* ctxt, const char* order, int nprow, int npcol);
void Cblacs_gridinfo(int ctxt, int* nprow, int* npcol, int* myrow, int* mycol);
void Cblacs_gridexit(int ctxt);
void Cblacs_exit(int notdone);
// PBLAS's broadcast and combine topologies: process-wide state (not per grid) that
// ScaLAPACK's routines set and are meant to restore. TOP "!" reads the current one.
char* PB_Ctop(int* ictxt, const char* op, const char* scope, const char* top);

void openblas_set_num_threads(int n);
int openblas_get_num_threads(void);
char* openblas_get_corename(void);
}
