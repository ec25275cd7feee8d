import HostProtocol

/// `M2`/`M3` decrypt data.
/// Request (`DecryptDataRequest`): as `M0`: mode 2N (00 ECB, 01 CBC), input format 1N,
/// output format 1N, key type 3H (`00A` ZEK/DEK, `00B` TEK), key, [CBC: IV 16H/32H],
/// length 4H, data.
/// Response (`DataCipherResponse`): [CBC: IV out = last cipher block of the input, hex],
/// length 4H, data.
/// Errors: `27` key type, `10` parity, `15` hex or IV, `80` data not whole blocks (no
/// padding); besides `13`, `15`, `80` from the request layout.
/// The work is `DataHandlerSupport.crypt`, shared with `M0`.
enum DecryptDataHandler {
    static let entry = (DecryptDataRequest.command,
                        CommandHandler(run: Handlers.typed { (ctx, r: DecryptDataRequest) in
                            try DataHandlerSupport.crypt(ctx, r.fields, encrypt: false)
                        }))
}
