import HostProtocol

/// `M0`/`M1` encrypt data.
/// Request (`EncryptDataRequest`): mode 2N (00 ECB, 01 CBC), input format 1N (0 binary,
/// 1 hex), output format 1N (0 binary, 1 hex), key type 3H (`00A` ZEK/DEK, `00B` TEK), key,
/// [CBC: IV 16H/32H], length 4H, data.
/// Response (`DataCipherResponse`): [CBC: IV out = last cipher block, hex], length 4H, data.
/// Errors: `27` key type, `10` parity, `15` hex or IV, `80` data not whole blocks (no
/// padding); besides `13`, `15`, `80` from the request layout.
/// The work is `DataHandlerSupport.crypt`, shared with `M2`.
enum EncryptDataHandler {
    static let entry = (EncryptDataRequest.command,
                        CommandHandler(run: Handlers.typed { (ctx, r: EncryptDataRequest) in
                            try DataHandlerSupport.crypt(ctx, r.fields, encrypt: true)
                        }))
}
