/* test_handles.c - SDF_OpenDevice in both vendor forms, sessions, closed and forged handles. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* A loopback port nothing listens on (bound, then closed). */
static int closed_port(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    bind(s, (struct sockaddr *)&a, sizeof a);
    getsockname(s, (struct sockaddr *)&a, &l);
    close(s);
    return ntohs(a.sin_port);
}

TASS_TEST(open_device_forms, "SDF_OpenDevice: 3 arguments, 4 arguments (message header 8), Tass_OpenDevice, address of the 3-argument form") {
    void *d = NULL, *s = NULL;
    char r[33];
    /* the previous vendor form: 4 arguments, an 8-byte '0' header, against an evsm expecting one */
    CHECK_RC(SDF_OpenDevice(&d, g_ip, g_port_header8, 8), 0);
    CHECK_RC(SDF_OpenSession(d, &s), 0);
    CHECK_RC(SDF_GenerateRandom(s, 16, r), 0);
    CHECK_LEN(r, 32);
    CHECK_RC(SDF_CloseSession(s), 0);
    CHECK_RC(SDF_CloseDevice(d), 0);
    CHECK_RC(Tass_OpenDevice(&d, g_ip, g_port_header8, 8 + 127), 0);
    CHECK_RC(Tass_OpenSession(d, &s), 0);
    CHECK_RC(SDF_GenerateRandom(s, 4, r), 0);
    CHECK_RC(Tass_CloseSession(s), 0);
    CHECK_RC(Tass_CloseDevice(d), 0);
    /* the function itself is the 3-argument form */
    int (*open3)(void **, char *, int) = SDF_OpenDevice;
    CHECK_RC(open3(&d, g_ip, g_port), 0);
    CHECK_RC(SDF_OpenSession(d, &s), 0);
    CHECK_RC(SDF_GenerateRandom(s, 4, r), 0);
    CHECK_RC(SDF_CloseDevice(d), 0);
}

TASS_TEST(handle_errors, "devices and sessions: unreachable HSM, NULL/bad arguments, closed and forged handles") {
    void *d = NULL, *s = NULL, *s2 = NULL;
    char r[33];
    CHECK_RC(SDF_OpenDevice(&d, g_ip, closed_port()), HAR_SOCK_CONNECT);
    CHECK_RC(SDF_OpenDevice(NULL, g_ip, g_port), HAR_PARAM_ISNULL);
    CHECK_RC(SDF_OpenDevice(&d, NULL, g_port), HAR_PARAM_ISNULL);
    CHECK_RC(SDF_OpenDevice(&d, g_ip, 0), HAR_PARAM_VALUE);
    CHECK_RC(SDF_OpenDevice(&d, g_ip, -5), HAR_PARAM_VALUE);
    CHECK_RC(SDF_OpenDevice(&d, g_ip, 70000), HAR_PARAM_VALUE);
    CHECK_RC(SDF_OpenDevice(&d, g_ip, g_port, -1), HAR_PARAM_VALUE);
    CHECK_RC(SDF_OpenSession(NULL, &s), HAR_DEVICEHANDLE_INVALID);
    CHECK_RC(SDF_OpenSession((void *)0x10, &s), HAR_DEVICEHANDLE_INVALID);
    /* the output argument's old value is not read */
    d = (void *)0x5555;
    CHECK_RC(SDF_OpenDevice(&d, g_ip, g_port), 0);
    CHECK(d != (void *)0x5555);
    CHECK_RC(SDF_OpenSession(d, NULL), HAR_PARAM_ISNULL);
    s = (void *)0x6666;
    CHECK_RC(SDF_OpenSession(d, &s), 0);
    CHECK_RC(SDF_OpenSession(d, &s2), 0);
    CHECK(s != s2);
    CHECK_RC(SDF_GenerateRandom(s, 4, r), 0);
    CHECK_RC(SDF_CloseSession(s2), 0);
    CHECK_RC(SDF_GenerateRandom(s2, 4, r), HAR_SESSIONHANDLE_INVALID);
    /* closing the device invalidates its sessions; closing twice is harmless */
    CHECK_RC(SDF_CloseDevice(d), 0);
    CHECK_RC(SDF_GenerateRandom(s, 4, r), HAR_SESSIONHANDLE_INVALID);
    CHECK_RC(SDF_OpenSession(d, &s2), HAR_DEVICEHANDLE_INVALID);
    CHECK_RC(SDF_CloseDevice(d), 0);
    CHECK_RC(SDF_CloseSession(s), 0);
    CHECK_RC(SDF_CloseSession(NULL), 0);
    CHECK_RC(SDF_CloseDevice(NULL), 0);
    /* the shared session still works */
    CHECK_RC(SDF_GenerateRandom(g_session, 4, r), 0);
}

TASS_TEST(init_utilities, "IsIpv4Address, GetKeyValue, SDF_HsmApiInit again (first configuration wins)") {
    CHECK_RC(IsIpv4Address("127.0.0.1"), 0);
    CHECK_RC(IsIpv4Address("127.0.0"), HAR_CFGFILE_VALUE_INVALID);
    CHECK_RC(IsIpv4Address("host.example"), HAR_CFGFILE_VALUE_INVALID);
    CHECK_RC(IsIpv4Address(" 127.0.0.1"), HAR_CFGFILE_VALUE_INVALID);
    CHECK_RC(IsIpv4Address(NULL), HAR_CFGFILE_VALUE_INVALID);
    CHECK_RC(SDF_HsmApiInit("/nonexistent/CfgTassHsmApi.ini"), 0);
    CHECK_RC(SDF_HsmApiInit(NULL), HAR_CFGFILE_NOEXIST);
}
