import HostProtocol

/// `NC`/`ND` device information; answers on a factory-fresh device too.
/// Request (`DeviceInfoRequest`): no fields.
/// Response (`DeviceInfoResponse`): DMK check value 16H, version 24A, serial 12A. On a
/// factory-fresh device the check value is sixteen `0`s.
/// Errors: only `15`, `80` from the request layout (never `13`).
enum DeviceInfoHandler {
    static let entry = (DeviceInfoRequest.command, CommandHandler(worksUninitialised: true, run: Handlers.typed(deviceInfo)))

    /// On a factory-fresh device the DMK check value is all zeros.
    static func deviceInfo(_ ctx: HandlerContext, _ r: DeviceInfoRequest) throws -> DeviceInfoResponse {
        DeviceInfoResponse(dmkCheckValue: ctx.keysOrNil?.dmkCheckValue ?? DeviceInfoResponse.noDMKCheckValue,
                           version: Device.version, serial: ctx.device.serial)
    }
}
