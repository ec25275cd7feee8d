#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
/* The parts of OpenSSL 3 (libcrypto, libssl) this project uses. */
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/ec.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/param_build.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>
#endif
