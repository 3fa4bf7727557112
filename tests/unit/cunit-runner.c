/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/cunit-runner.c - the shared main() of the host unit tests.
 *
 * Why our own runner: CUnit's basic runner prints a summary table, while
 * "make test" wants one "TEST name: RESULT" line per test so that results
 * from CUnit, QEMU-booted guests and integration scripts add up the same way.
 * Optional argv[1] runs only the suite with that name.
 */
#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "cunit-runner.h"

static struct unit_suite *suites;
static unsigned int nr_failed;

void unit_register(struct unit_suite *s)
{
    struct unit_suite **p = &suites;

    /* Keep registration order so output is stable from run to run. */
    while (*p)
        p = &(*p)->next;
    *p = s;
}

static void test_done(const CU_pTest test, const CU_pSuite suite,
                      const CU_pFailureRecord failure)
{
    if (!failure) {
        printf("TEST %s/%s: PASS\n", suite->pName, test->pName);
    } else {
        nr_failed++;
        printf("TEST %s/%s: FAIL %s:%u %s\n", suite->pName, test->pName,
               failure->strFileName ? failure->strFileName : "?",
               failure->uiLineNumber,
               failure->strCondition ? failure->strCondition : "");
    }
    fflush(stdout);
}

static void suite_init_failed(const CU_pSuite suite)
{
    nr_failed++;
    printf("TEST %s/init: FAIL suite initialisation failed\n", suite->pName);
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    struct unit_suite *s;

    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "cunit: cannot initialise registry\n");
        return 2;
    }
    for (s = suites; s; s = s->next) {
        CU_pSuite cs;
        const struct unit_test *t;

        if (only && strcmp(only, s->name))
            continue;
        cs = CU_add_suite(s->name, s->init, s->cleanup);
        if (!cs)
            goto fail;
        for (t = s->tests; t->name; t++)
            if (!CU_add_test(cs, t->name, t->fn))
                goto fail;
    }
    CU_set_test_complete_handler(test_done);
    CU_set_suite_init_failure_handler(suite_init_failed);
    if (CU_run_all_tests() != CUE_SUCCESS)
        goto fail;
    CU_cleanup_registry();
    return nr_failed ? 1 : 0;

fail:
    fprintf(stderr, "cunit: %s\n", CU_get_error_msg());
    CU_cleanup_registry();
    return 2;
}
