/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The program plays the module: it calls secvec_core_init() and _exit()
 * itself (lib/kunit_util.c). The module's own init and exit are left
 * unused, so they are not compiled in.
 */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#define __init			__attribute__((__unused__))
#define __exit			__attribute__((__unused__))
#define module_init(fn)		_Static_assert(1, #fn)
#define module_exit(fn)		_Static_assert(1, #fn)
#define MODULE_DESCRIPTION(s)	_Static_assert(1, s)
#define MODULE_LICENSE(s)	_Static_assert(1, s)

#endif /* _SHIM_LINUX_MODULE_H */
