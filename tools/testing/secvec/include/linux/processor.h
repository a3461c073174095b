/* SPDX-License-Identifier: GPL-2.0 */
/* cpu_relax(): the pause of a spin-wait loop, as on x86. */
#ifndef _SHIM_LINUX_PROCESSOR_H
#define _SHIM_LINUX_PROCESSOR_H

#define cpu_relax()	__builtin_ia32_pause()

#endif
