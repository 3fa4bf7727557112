/* SPDX-License-Identifier: MIT */
/*
 * tests/linux/evtchn-selftest.c - an event channel loop inside dom0,
 * driven through /dev/xen/evtchn.
 *
 * 1. IOCTL_EVTCHN_BIND_UNBOUND_PORT with remote domain 0 (ourselves, as we
 *    are dom0) gives port A, open for dom0 to bind to;
 * 2. IOCTL_EVTCHN_BIND_INTERDOMAIN to (0, A) gives port B, the other end
 *    (Xen marks a freshly bound interdomain port pending; that event is
 *    drained and unmasked first);
 * 3. IOCTL_EVTCHN_NOTIFY on B must make A readable from the device, and
 *    after A is unmasked (written back) a notify on A must deliver B;
 * 4. IOCTL_EVTCHN_UNBIND closes both.
 * Prints one line per step and "evtchn-selftest: OK" at the end; exits 0
 * on success, 1 on the first failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Linux's include/uapi/xen/evtchn.h: type 'E', direction _IOC_NONE. */
struct ioctl_evtchn_bind_interdomain {
	uint32_t remote_domain;
	uint32_t remote_port;
};
struct ioctl_evtchn_bind_unbound_port {
	uint32_t remote_domain;
};
struct ioctl_evtchn_port {	/* unbind and notify */
	uint32_t port;
};
#define IOCTL_EVTCHN_BIND_INTERDOMAIN  0x00084501UL
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT 0x00044502UL
#define IOCTL_EVTCHN_UNBIND            0x00044503UL
#define IOCTL_EVTCHN_NOTIFY            0x00044504UL

#define DOM0 0
#define WAIT_MS 2000

static int fail(const char *what)
{
	printf("evtchn-selftest: FAIL %s: %s\n", what, strerror(errno));
	return 1;
}

/* Wait for PORT to be reported by the device, unmasking every port read.
 * Returns 0 when seen, -1 on timeout or error (errno set). */
static int wait_port(int fd, uint32_t port)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint32_t got;
		int n = poll(&p, 1, WAIT_MS);

		if (n == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (n < 0)
			return -1;
		if (read(fd, &got, sizeof(got)) != sizeof(got))
			return -1;
		/* Writing the port back unmasks it (xenevtchn_unmask). */
		if (write(fd, &got, sizeof(got)) != sizeof(got))
			return -1;
		if (got == port)
			return 0;
		printf("evtchn-selftest: (event on port %u while waiting for %u)\n",
		       got, port);
	}
}

static int notify(int fd, uint32_t port)
{
	struct ioctl_evtchn_port n = { .port = port };

	return ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n);
}

int main(void)
{
	struct ioctl_evtchn_bind_unbound_port ub = { .remote_domain = DOM0 };
	struct ioctl_evtchn_bind_interdomain bi = { .remote_domain = DOM0 };
	struct ioctl_evtchn_port un;
	int fd, a, b;

	fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail("open /dev/xen/evtchn");

	a = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &ub);
	if (a < 0)
		return fail("bind unbound port");
	printf("evtchn-selftest: unbound port A=%d\n", a);

	bi.remote_port = (uint32_t)a;
	b = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bi);
	if (b < 0)
		return fail("bind interdomain to A");
	printf("evtchn-selftest: interdomain port B=%d\n", b);
	/* Drain B's bind-time event, if any, so later reads are ours. */
	{
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint32_t got;

		while (poll(&p, 1, 200) > 0 && read(fd, &got, sizeof(got)) == sizeof(got)) {
			printf("evtchn-selftest: initial event on port %u\n", got);
			if (write(fd, &got, sizeof(got)) != sizeof(got))
				return fail("unmask");
		}
	}

	if (notify(fd, (uint32_t)b) < 0)
		return fail("notify B");
	if (wait_port(fd, (uint32_t)a) < 0)
		return fail("event on A after notify B");
	printf("evtchn-selftest: notify B -> event on A\n");

	if (notify(fd, (uint32_t)a) < 0)
		return fail("notify A");
	if (wait_port(fd, (uint32_t)b) < 0)
		return fail("event on B after notify A");
	printf("evtchn-selftest: notify A -> event on B\n");

	if (notify(fd, (uint32_t)b) < 0)
		return fail("second notify B");
	if (wait_port(fd, (uint32_t)a) < 0)
		return fail("second event on A (unmask by write)");
	printf("evtchn-selftest: second notify B -> event on A\n");

	un.port = (uint32_t)b;
	if (ioctl(fd, IOCTL_EVTCHN_UNBIND, &un) < 0)
		return fail("unbind B");
	un.port = (uint32_t)a;
	if (ioctl(fd, IOCTL_EVTCHN_UNBIND, &un) < 0)
		return fail("unbind A");
	close(fd);
	printf("evtchn-selftest: OK\n");
	return 0;
}
