/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/tests/fuzz-gen.h - the fuzzer's per-hypercall generators,
 * shared by fuzz-gen.c (the table, the other hypercalls, issue and
 * restore) and fuzz-gen-mm.c (the memory hypercalls).  Each fills in a
 * call's arguments from the PRNG, building any structure it points to in
 * the vCPU's arena, and may set c->restore.
 */
#ifndef TESTKERNEL_FUZZ_GEN_H
#define TESTKERNEL_FUZZ_GEN_H

#include <lib.h>
#include <arch.h>
#include <hypercall.h>
#include "fuzz-lib.h"

typedef void fz_gen_fn(struct fz_rng *r, unsigned int cpu, struct fz_call *c);

fz_gen_fn gen_mmu_update, gen_mmuext_op, gen_update_va_mapping,
          gen_update_va_mapping_other, gen_memory_op, gen_grant_table_op;

#endif /* TESTKERNEL_FUZZ_GEN_H */
