/* SPDX-License-Identifier: MIT */
/*
 * tests/bench/toolstack/tsb.c - the toolstack benchmark's clock in dom0:
 * times toolstack commands with CLOCK_MONOTONIC, without a shell between
 * the clock and the command (a busybox fork costs milliseconds under TCG).
 *
 *   tsb now                     monotonic time in µs
 *   tsb run CMD [ARG]...        run CMD (its output to /dev/null, or to
 *                               the file $TSB_OUT), print
 *                               "us=WALL rc=STATUS"
 *   tsb create LOG SECS CMD...  run CMD (a create) and poll LOG every 1 ms,
 *                               as the anchor figures of Xen were taken;
 *                               print "ret=US first=US rc=STATUS": when CMD
 *                               returned and when LOG first held a whole
 *                               non-empty line, both from CMD's start (-1:
 *                               not within SECS), and "at=" CMD's start by
 *                               CLOCK_REALTIME (s.ms), to line up with the
 *                               console daemon's own stamped log
 *
 * Static, so it runs in dom0's busybox initramfs.  Exit status 0 when the
 * timing was taken, even if CMD failed (rc= says so); 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Start CMD with stdin on /dev/null and its output there too, or in the
 * file $TSB_OUT (for the caller's error message); -errno on failure.
 */
static pid_t spawn(char **argv)
{
	const char *out = getenv("TSB_OUT");
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY), fd = -1;

		if (out && *out)
			fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			fd = open("/dev/null", O_WRONLY);
		if (in >= 0)
			dup2(in, 0);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int status_of(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

/*
 * Does PATH already hold a whole line with something on it?  Guests may
 * start with a bare CR or LF (Linux's console does), which is not output
 * anyone would call a line.
 */
static int has_line(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY), found = 0, seen = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	while (!found && (n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n && !found; i++) {
			if (buf[i] == '\n')
				found = seen;
			else if (buf[i] != '\r')
				seen = 1;
		}
	}
	close(fd);
	return found;
}

static int cmd_run(char **argv)
{
	int64_t t0 = now_us();
	pid_t pid = spawn(argv);
	int st;

	if (pid < 0) {
		fprintf(stderr, "tsb: fork: %s\n", strerror(-pid));
		return 1;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	printf("us=%lld rc=%d\n", (long long)(now_us() - t0), status_of(st));
	return 0;
}

static int cmd_create(const char *log, int secs, char **argv)
{
	const struct timespec ms = { 0, 1000000 };
	struct timespec rt;
	int64_t t0, ret = -1, first = -1, limit;
	pid_t pid;

	clock_gettime(CLOCK_REALTIME, &rt);
	t0 = now_us();
	pid = spawn(argv);
	int st = 0, rc = -1;

	if (pid < 0) {
		fprintf(stderr, "tsb: fork: %s\n", strerror(-pid));
		return 1;
	}
	limit = t0 + (int64_t)secs * 1000000;
	while (ret < 0 || first < 0) {
		if (ret < 0 && waitpid(pid, &st, WNOHANG) == pid) {
			ret = now_us() - t0;
			rc = status_of(st);
		}
		if (first < 0 && has_line(log))
			first = now_us() - t0;
		if (now_us() > limit || (rc > 0 && first < 0))
			break;
		nanosleep(&ms, NULL);
	}
	if (ret < 0) {
		/* Too slow: leave it to the caller's destroy, but reap it. */
		waitpid(pid, &st, 0);
		rc = status_of(st);
	}
	printf("ret=%lld first=%lld rc=%d at=%lld.%03ld\n", (long long)ret, (long long)first,
	       rc, (long long)rt.tv_sec, rt.tv_nsec / 1000000);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%lld\n", (long long)now_us());
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "run"))
		return cmd_run(argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "create"))
		return cmd_create(argv[2], atoi(argv[3]), argv + 4);
	fprintf(stderr, "usage: tsb now | tsb run CMD... | tsb create LOG SECS CMD...\n");
	return 2;
}
