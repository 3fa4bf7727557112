/* SPDX-License-Identifier: MIT */
/*
 * mica/visibility.h - included first in every hypervisor file (see
 * hypervisor.mk).  The image is compiled position-independent so it can be
 * linked high in the address space, and everything in it is one static
 * link: marking every symbol hidden lets the compiler address all of them
 * RIP-relative instead of through a GOT the final link cannot resolve.
 */
#ifndef MICA_VISIBILITY_H
#define MICA_VISIBILITY_H
#if !defined(__ASSEMBLY__) && !defined(__ASSEMBLER__)
#pragma GCC visibility push(hidden)
#endif
#endif
