/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/secvec (secvec_dev.c), registered by the module's init (secvec.c). */
#ifndef _SECVEC_DEV_H
#define _SECVEC_DEV_H

int secvec_dev_register(void);
void secvec_dev_unregister(void);

#endif /* _SECVEC_DEV_H */
