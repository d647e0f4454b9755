import CCurl

/// The bytes libcurl reads during an upload (SMTP DATA), handed to the C read callback through
/// `CURLOPT_READDATA` as an unretained pointer; the transport keeps it alive for the transfer.
final class UploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }
    /// True once libcurl asked for data, i.e. the server accepted DATA: a later failure is a DATA failure.
    private(set) var started = false
    /// True once every byte was handed over: a later failure may mean the server has the message.
    var finished: Bool { started && offset == bytes.count }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        started = true
        let n = min(capacity, bytes.count - offset)
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// libcurl's read callback: a top-level, non-capturing function, as C function pointers require.
func uploadSourceRead(buffer: UnsafeMutablePointer<CChar>?, size: Int, count: Int,
                      context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    return Unmanaged<UploadSource>.fromOpaque(context).takeUnretainedValue()
        .read(into: buffer, capacity: size * count)
}
