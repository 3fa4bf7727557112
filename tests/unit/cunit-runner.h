/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/cunit-runner.h - one main() for every host unit-test binary.
 *
 * A test file declares its suites with UNIT_SUITE(); the runner registers
 * them with CUnit, runs everything and prints one line per test in the
 * project's common result format:
 *
 *     TEST <suite>/<test>: PASS
 *     TEST <suite>/<test>: FAIL <file>:<line> <failed condition>
 *
 * The top-level "make test" counts those lines, so a suite must not print
 * its own "N passed, N failed" summary.
 */
#ifndef TESTS_UNIT_CUNIT_RUNNER_H
#define TESTS_UNIT_CUNIT_RUNNER_H

#include <CUnit/CUnit.h>

struct unit_test {
    const char *name;
    CU_TestFunc fn;
};

struct unit_suite {
    const char *name;
    CU_InitializeFunc init;         /* may be NULL */
    CU_CleanupFunc cleanup;         /* may be NULL */
    const struct unit_test *tests;  /* terminated by { NULL, NULL } */
    struct unit_suite *next;
};

void unit_register(struct unit_suite *s);

/*
 * UNIT_SUITE(name, init, cleanup, tests): register a suite at start-up.
 * 'tests' is an array of struct unit_test ending in { NULL, NULL }.
 */
#define UNIT_SUITE(sname, sinit, sclean, stests)                            \
    static struct unit_suite unit_suite_##sname = {                         \
        #sname, sinit, sclean, stests, 0 };                                 \
    __attribute__((constructor)) static void unit_suite_ctor_##sname(void) \
    {                                                                       \
        unit_register(&unit_suite_##sname);                                 \
    }

#define UNIT_TEST(fn) { #fn, fn }
#define UNIT_END { 0, 0 }

#endif
