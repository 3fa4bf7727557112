/* SPDX-License-Identifier: MIT */
/*
 * tests/linux/xen-version.c - ask the hypervisor for its version through
 * dom0's privcmd driver (IOCTL_PRIVCMD_HYPERCALL) and print it.
 *
 * Issues xen_version(XENVER_version) and xen_version(XENVER_extraversion)
 * and prints "xen_version: MAJOR.MINOREXTRA" (e.g. 4.17.7).  With -q it prints just
 * the version (the test compares it with /sys/hypervisor/version).
 * Exits 0 on success, 1 if the device or a hypercall fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Linux's include/uapi/xen/privcmd.h: _IOC(_IOC_NONE, 'P', 0, 48). */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL 0x00305000UL

#define HYPERVISOR_xen_version 17
#define XENVER_version      0
#define XENVER_extraversion 1
#define XEN_EXTRAVERSION_LEN 16

static long hypercall(int fd, uint64_t op, uint64_t a0, uint64_t a1)
{
	struct privcmd_hypercall h = { .op = op, .arg = { a0, a1, 0, 0, 0 } };

	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

int main(int argc, char **argv)
{
	/* Static storage: resident and not shared, as the hypervisor reads it
	 * through dom0's page tables. */
	static char extra[XEN_EXTRAVERSION_LEN + 1];
	int quiet = argc > 1 && strcmp(argv[1], "-q") == 0;
	const char *dev = "/dev/xen/privcmd";
	long ver;
	int fd;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		dev = "/proc/xen/privcmd";
		fd = open(dev, O_RDWR | O_CLOEXEC);
	}
	if (fd < 0) {
		fprintf(stderr, "xen-version: open privcmd: %s\n", strerror(errno));
		return 1;
	}
	ver = hypercall(fd, HYPERVISOR_xen_version, XENVER_version, 0);
	if (ver < 0) {
		fprintf(stderr, "xen-version: XENVER_version: %s\n", strerror(errno));
		return 1;
	}
	memset(extra, 0, sizeof(extra));
	if (hypercall(fd, HYPERVISOR_xen_version, XENVER_extraversion,
		      (uint64_t)(uintptr_t)extra) < 0) {
		fprintf(stderr, "xen-version: XENVER_extraversion: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("%s%ld.%ld%s\n", quiet ? "" : "xen_version: ",
	       (ver >> 16) & 0xffff, ver & 0xffff, extra);
	return 0;
}
