#ifndef CLINUXIO_SHIM_H
#define CLINUXIO_SHIM_H
/* Linux interfaces Glibc's Swift module does not bring: epoll and eventfd (HSMNet's
   ReadinessReactor, the async API's reply waiter). */
#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
#endif
