package org.cacipher;

/** The configuration of one HSM ({@code [HOSTn]}), as {@link CACipher#hostInfo} reports it. */
public record HostInfo(String section, String host, int port, int linkNum, int connTimeoutMs, int readTimeoutMs,
                       int headerLength, String hsmModel, String socketProtocol, int encodeType, boolean tlsVerify) {
}
