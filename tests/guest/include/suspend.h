/* SPDX-License-Identifier: MIT */
/*
 * tests/guest/include/suspend.h - what makes the test kernel saveable as
 * Linux is (lib/suspend.c): its p2m published for toolstacks, and the
 * suspend hypercall with the work Linux does around it.
 */
#ifndef TESTKERNEL_SUSPEND_H
#define TESTKERNEL_SUSPEND_H

/*
 * Publish the p2m (start_info's mfn_list) as Linux does: the three-level
 * frame list under shared_info.arch.pfn_to_mfn_frame_list_list, and
 * arch.max_pfn.  0, or -E2BIG for more memory than the lists hold.
 */
long p2m_publish(void);

/*
 * SCHEDOP_shutdown(SHUTDOWN_suspend) with start_info's mfn in rdx, after
 * Linux's pre-suspend steps.  Returns what the hypercall returned, after
 * the matching resume: 0 = running in a new domain (vcpu_info, shared_info,
 * the p2m lists and the xenstore ring redone), non-zero = cancelled
 * (everything as it was); a negative value is an error from the call.
 */
long guest_suspend(void);

#endif /* TESTKERNEL_SUSPEND_H */
