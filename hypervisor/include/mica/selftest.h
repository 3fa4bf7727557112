/* SPDX-License-Identifier: MIT */
/*
 * mica/selftest.h - boot-time self tests chosen with selftest=<names>.
 * Each prints "TEST hv/<name>: PASS|FAIL <why>" for the QEMU harness.
 */
#ifndef MICA_SELFTEST_H
#define MICA_SELFTEST_H

/* Run the tests named in opt_selftest; returns the number that failed. */
int run_selftests(void);

#endif
