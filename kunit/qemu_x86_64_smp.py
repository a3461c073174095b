# SPDX-License-Identifier: GPL-2.0
#
# kunit.py --qemu_config for secvec's concurrency runs: the stock
# qemu_configs/x86_64.py with four vCPUs on multi-threaded TCG (KVM guests
# do not boot in the lab), a CPU model with every feature TCG emulates
# (cmpxchg16b for try_cmpxchg128) and room for KASAN's shadow. kunit.py
# passes "-m 1024" first; QEMU takes the last -m.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y''',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0',
			   # qboot is faster than SeaBIOS and doesn't mess up
			   # the terminal.
			   extra_qemu_params=['-bios', 'qboot.rom',
					      '-accel', 'tcg,thread=multi',
					      '-cpu', 'max',
					      '-smp', '4',
					      '-m', '2048'])
