/// EVSMServer: SwiftNIO listeners around EVSMKit.
import NIOCore
