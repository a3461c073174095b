/* SPDX-License-Identifier: GPL-2.0 */
/* No debugfs in userspace (CONFIG_DEBUG_FS off): only the type. */
#ifndef _SHIM_LINUX_DEBUGFS_H
#define _SHIM_LINUX_DEBUGFS_H

struct dentry;

#endif
