/* SPDX-License-Identifier: MIT */
/*
 * include/public/errno.h - error numbers returned to guests by hypercalls.
 *
 * The guest-visible values are Linux's x86 errno numbers: PV Linux hands
 * hypercall results straight to its callers as -errno, so any other numbering
 * would turn into wrong errors inside the guest.
 *
 * The XEN_E* names are always defined.  The plain E* names are added only in
 * freestanding builds (hypervisor, test kernel) where no libc <errno.h>
 * exists; hosted builds get the same numbers from the C library on Linux.
 */
#ifndef MICA_PUBLIC_ERRNO_H
#define MICA_PUBLIC_ERRNO_H

#define XEN_EPERM            1  /* operation not permitted */
#define XEN_ENOENT           2  /* no such entry */
#define XEN_ESRCH            3  /* no such domain or process */
#define XEN_EINTR            4  /* hypervisor-internal, never returned */
#define XEN_EIO              5
#define XEN_ENXIO            6
#define XEN_E2BIG            7  /* argument list too long */
#define XEN_ENOEXEC          8
#define XEN_EBADF            9
#define XEN_ECHILD          10
#define XEN_EAGAIN          11  /* try again */
#define XEN_EWOULDBLOCK     XEN_EAGAIN
#define XEN_ENOMEM          12
#define XEN_EACCES          13
#define XEN_EFAULT          14  /* bad guest address */
#define XEN_EBUSY           16
#define XEN_EEXIST          17
#define XEN_EXDEV           18
#define XEN_ENODEV          19
#define XEN_ENOTDIR         20
#define XEN_EISDIR          21
#define XEN_EINVAL          22
#define XEN_ENFILE          23
#define XEN_EMFILE          24
#define XEN_ENOSPC          28
#define XEN_EROFS           30
#define XEN_EMLINK          31
#define XEN_EDOM            33
#define XEN_ERANGE          34
#define XEN_EDEADLK         35
#define XEN_EDEADLOCK       XEN_EDEADLK
#define XEN_ENAMETOOLONG    36
#define XEN_ENOLCK          37
#define XEN_ENOSYS          38  /* unknown hypercall or sub-op */
#define XEN_ENOTEMPTY       39
#define XEN_ELOOP           40
#define XEN_ENODATA         61
#define XEN_ETIME           62
#define XEN_EBADMSG         74
#define XEN_EOVERFLOW       75
#define XEN_EILSEQ          84
#define XEN_ERESTART        85  /* hypervisor-internal: continuation */
#define XEN_ENOTSOCK        88
#define XEN_EMSGSIZE        90
#define XEN_EOPNOTSUPP      95
#define XEN_EADDRINUSE      98
#define XEN_EADDRNOTAVAIL   99
#define XEN_ENOBUFS        105
#define XEN_EISCONN        106
#define XEN_ENOTCONN       107
#define XEN_ETIMEDOUT      110
#define XEN_ECONNREFUSED   111

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__ == 0
#define EPERM           XEN_EPERM
#define ENOENT          XEN_ENOENT
#define ESRCH           XEN_ESRCH
#define EINTR           XEN_EINTR
#define EIO             XEN_EIO
#define ENXIO           XEN_ENXIO
#define E2BIG           XEN_E2BIG
#define ENOEXEC         XEN_ENOEXEC
#define EBADF           XEN_EBADF
#define ECHILD          XEN_ECHILD
#define EAGAIN          XEN_EAGAIN
#define EWOULDBLOCK     XEN_EWOULDBLOCK
#define ENOMEM          XEN_ENOMEM
#define EACCES          XEN_EACCES
#define EFAULT          XEN_EFAULT
#define EBUSY           XEN_EBUSY
#define EEXIST          XEN_EEXIST
#define EXDEV           XEN_EXDEV
#define ENODEV          XEN_ENODEV
#define ENOTDIR         XEN_ENOTDIR
#define EISDIR          XEN_EISDIR
#define EINVAL          XEN_EINVAL
#define ENFILE          XEN_ENFILE
#define EMFILE          XEN_EMFILE
#define ENOSPC          XEN_ENOSPC
#define EROFS           XEN_EROFS
#define EMLINK          XEN_EMLINK
#define EDOM            XEN_EDOM
#define ERANGE          XEN_ERANGE
#define EDEADLK         XEN_EDEADLK
#define EDEADLOCK       XEN_EDEADLOCK
#define ENAMETOOLONG    XEN_ENAMETOOLONG
#define ENOLCK          XEN_ENOLCK
#define ENOSYS          XEN_ENOSYS
#define ENOTEMPTY       XEN_ENOTEMPTY
#define ELOOP           XEN_ELOOP
#define ENODATA         XEN_ENODATA
#define ETIME           XEN_ETIME
#define EBADMSG         XEN_EBADMSG
#define EOVERFLOW       XEN_EOVERFLOW
#define EILSEQ          XEN_EILSEQ
#define ERESTART        XEN_ERESTART
#define ENOTSOCK        XEN_ENOTSOCK
#define EMSGSIZE        XEN_EMSGSIZE
#define EOPNOTSUPP      XEN_EOPNOTSUPP
#define EADDRINUSE      XEN_EADDRINUSE
#define EADDRNOTAVAIL   XEN_EADDRNOTAVAIL
#define ENOBUFS         XEN_ENOBUFS
#define EISCONN         XEN_EISCONN
#define ENOTCONN        XEN_ENOTCONN
#define ETIMEDOUT       XEN_ETIMEDOUT
#define ECONNREFUSED    XEN_ECONNREFUSED
#endif

#endif /* MICA_PUBLIC_ERRNO_H */
