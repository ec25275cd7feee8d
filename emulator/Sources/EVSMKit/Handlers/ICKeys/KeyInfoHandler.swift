import HostProtocol

/// `KG`/`KH` information about a key stored at an index (by `A0`/`A6` with a store suffix,
/// `KR`, `KD`, `SI` or `AM`).
/// Request (`ICKeyInfoRequest`): index 4N (no `K`).
/// Response (`ICKeyInfoResponse`): key type 3H, scheme 1A, KCV 16H, label length 2N + label,
/// time length 2N + time (`YYYYMMDDhhmmss` UTC when stored; `00` for keys stored by an older
/// state that kept no time).
/// Errors: `12` nothing stored there, `27` an SM2 key pair there; besides `13`, `15`, `80`
/// from the request layout.
enum KeyInfoHandler {
    static let entry = (ICKeyInfoRequest.command, CommandHandler(run: Handlers.typed(info)))

    static func info(_ ctx: HandlerContext, _ r: ICKeyInfoRequest) throws -> ICKeyInfoResponse {
        guard let k = ctx.device.storedKey(r.index, kind: .symmetric) else { throw HostFailure(.noKeyAtIndex) }
        guard k.kind == .symmetric, let type = KeyType(k.keyType) else { throw HostFailure(.keyTypeNotPermitted) }
        var clear = try ctx.clearKey(.stored(index: r.index), type: type)
        defer { clear.wipe() }
        return ICKeyInfoResponse(keyType: type, scheme: clear.scheme, checkValue: try HandlerContext.checkValue(clear),
                                 label: k.label, time: k.storedAt ?? "")
    }
}
