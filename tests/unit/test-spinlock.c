/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test-spinlock.c - the spinlock knows its holder: taking a
 * lock the same CPU holds is caught as a self-deadlock, holding is
 * visible to the holder only, and letting go of a lock one does not hold
 * is caught.  Host threads play the CPUs.
 */
#include <pthread.h>
#include <string.h>
#include <asm/spinlock.h>
#include "harness.h"
#include "cunit-runner.h"

static spinlock_t lock = SPINLOCK_INIT;

/* What another "CPU" sees of the lock, and whether its unlock is caught. */
struct other_view {
    bool locked_by_me, took, unlock_caught;
};

static void *other_cpu(void *arg)
{
    struct other_view *o = arg;

    o->locked_by_me = spin_is_locked_by_me(&lock);
    o->took = spin_trylock(&lock);
    if (o->took)
        spin_unlock(&lock);
    else
        o->unlock_caught = EXPECT_PANIC(spin_unlock(&lock));
    return NULL;
}

static struct other_view run_other(void)
{
    struct other_view o = { true, true, false };
    pthread_t t;

    CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, other_cpu, &o), 0);
    CU_ASSERT_EQUAL(pthread_join(t, NULL), 0);
    return o;
}

static void test_holder_known(void)
{
    struct other_view o;

    CU_ASSERT_FALSE(spin_is_locked_by_me(&lock));
    spin_lock(&lock);
    CU_ASSERT_TRUE(spin_is_locked_by_me(&lock));
    o = run_other();
    CU_ASSERT_FALSE(o.locked_by_me);
    CU_ASSERT_FALSE(o.took);
    CU_ASSERT_TRUE(o.unlock_caught);
    CU_ASSERT_TRUE(spin_is_locked_by_me(&lock));     /* still ours */
    spin_unlock(&lock);
    CU_ASSERT_FALSE(spin_is_locked_by_me(&lock));

    o = run_other();                                /* free: it takes it */
    CU_ASSERT_TRUE(o.took);
    CU_ASSERT_FALSE(lock.locked);
}

static void test_self_deadlock_caught(void)
{
    unsigned long flags = spin_lock_irqsave(&lock);

    harness_panic_msg[0] = '\0';
    CU_ASSERT_TRUE(EXPECT_PANIC(spin_lock(&lock)));
    CU_ASSERT_PTR_NOT_NULL(strstr(harness_panic_msg, "self-deadlock"));
    harness_panic_msg[0] = '\0';
    CU_ASSERT_TRUE(EXPECT_PANIC(spin_trylock(&lock)));
    CU_ASSERT_PTR_NOT_NULL(strstr(harness_panic_msg, "self-deadlock"));
    CU_ASSERT_TRUE(spin_is_locked_by_me(&lock));    /* the catch took nothing */
    spin_unlock_irqrestore(&lock, flags);
}

static void test_unlock_unheld_caught(void)
{
    CU_ASSERT_TRUE(EXPECT_PANIC(spin_unlock(&lock)));
    spin_lock(&lock);
    spin_force_unlock(&lock);                       /* panic()'s way out */
    CU_ASSERT_FALSE(lock.locked);
    CU_ASSERT_PTR_NULL(lock.owner);
}

static const struct unit_test tests[] = {
    UNIT_TEST(test_holder_known),
    UNIT_TEST(test_self_deadlock_caught),
    UNIT_TEST(test_unlock_unheld_caught),
    UNIT_END
};
UNIT_SUITE(spinlock, NULL, NULL, tests)
