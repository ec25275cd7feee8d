/*
 * hsmapi_init.h - initialisation utilities of the TASS SJJ1310 interface (libcacipher-tass).
 * See hsmapi.h for the conventions.
 */
/* The vendor's include guard (__HSM_API_INIT_H_) is honoured and set too: a program that also
   includes its own copy of the vendor's header gets one set of definitions. */
#if !defined(CACIPHER_TASS_HSMAPI_INIT_H) && !defined(__HSM_API_INIT_H_)
#define CACIPHER_TASS_HSMAPI_INIT_H
#define __HSM_API_INIT_H_

#include "hsmapi_define.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 0 if pcIp is a dotted IPv4 address, else HAR_CFGFILE_VALUE_INVALID (also for NULL). */
int IsIpv4Address(const char *pcIp);

/* Reads one key of a vendor configuration file (flat key=value lines; a line matches when it
   starts with the key; the value is what follows the first '=', CR/LF removed). pcKeyValue
   must hold 128 bytes: at most 127 characters and a NUL are written. Returns 0,
   HAR_CFGFILE_OPEN, HAR_CFGFILE_KEY_NOEXIST, HAR_CFGFILE_VALUE_NOEXIST, HAR_PARAM_ISNULL. */
int GetKeyValue(char *pcFileName, char *pcKeyName, char *pcKeyValue);

/* Initialises with one HSM: pcIp (dotted IPv4), uiPort, uiTimeOut seconds (0: 30) for
   connecting and for each answer, errors logged in pcLogPath. Unlike SDF_HsmApiInit, a
   later call replaces the settings (devices already open keep theirs). Errors:
   HAR_PARAM_ISNULL, HAR_CFGFILE_VALUE_INVALID (address), HAR_PARAM_VALUE (port). */
int Tass_HsmApiInitByContent(char *pcIp, unsigned int uiPort, unsigned int uiTimeOut, char *pcLogPath);

#ifdef __cplusplus
}
#endif

#endif /* CACIPHER_TASS_HSMAPI_INIT_H */
