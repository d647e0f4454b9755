import Crypto
import Foundation

/// Content fingerprints: the inbox recognises a file it has already imported by its SHA-256.
enum SHA256Digest {
    static func hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
