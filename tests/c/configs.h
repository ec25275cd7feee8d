/* The seed's two configuration examples, with loopback addresses instead of the seed's
 * 192.168.19.x (nothing here ever connects anywhere). */
#ifndef CACIPHER_TEST_CONFIGS_H
#define CACIPHER_TEST_CONFIGS_H

#define SEED_FILE \
    "[LOGGER]\n" \
    "logsw=error\n" \
    "logPath=./\n" \
    "\n" \
    "[HOST1]\n" \
    "hsmModel=SJJ1310\n" \
    "linkNum=-15\n" \
    "host=127.0.0.1\n" \
    "port=8018\n" \
    "timeout=5\n" \
    "[HOST2]\n" \
    "hsmModel=SJJ1310\n" \
    "linkNum=-15\n" \
    "host=127.0.0.2\n" \
    "port=8018\n" \
    "timeout=5\n"

#define SEED_STRING \
    "{" \
    "[LOGGER];" \
    "logsw=error;logPath=./;" \
    "[HOST1];" \
    "hsmModel=SJJ1310;" \
    "host=127.0.0.1;" \
    "port=8018;" \
    "connTimeout=5;" \
    "[HOST2];" \
    "hsmModel=SJJ1310;" \
    "host=127.0.0.2;" \
    "port=8018;" \
    "connTimeout=5;" \
    "}"

#endif
