/* SPDX-License-Identifier: MIT */
/* asm/cpu-sig.h - a CPU's family, model and stepping from CPUID leaf 1 EAX. */
#ifndef ASM_CPU_SIG_H
#define ASM_CPU_SIG_H

#include <mica/types.h>

/* The extended fields count from family 0xf (family) and 6 (model) up. */
static inline void cpu_signature(uint32_t eax, uint32_t *family, uint32_t *model,
                                 uint32_t *stepping)
{
    *family = (eax >> 8) & 0xf;
    if (*family == 0xf)
        *family += (eax >> 20) & 0xff;
    *model = (eax >> 4) & 0xf;
    if (*family >= 6)
        *model += ((eax >> 16) & 0xf) << 4;
    *stepping = eax & 0xf;
}

#endif
