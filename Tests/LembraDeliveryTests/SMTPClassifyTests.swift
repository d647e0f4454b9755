import CCurl
@testable import LembraDelivery
import Testing

/// How a libcurl result maps to an outcome once the whole message was handed to libcurl: the
/// races a live server can't reproduce on demand (a write failing before the final dot went
/// out, a read failing after it).
@Suite struct SMTPClassifyTests {
    /// An upload libcurl has read to the end, as when the server hangs up after the last byte.
    private func finishedUpload() -> UploadSource {
        let upload = UploadSource(Array("Subject: x\r\n\r\nbody\r\n".utf8))
        var buffer = [CChar](repeating: 0, count: 64)
        _ = buffer.withUnsafeMutableBufferPointer { upload.read(into: $0.baseAddress!, capacity: $0.count) }
        return upload
    }

    /// "Send failure: Broken pipe": the final dot, written after the message, never reached the
    /// server, so it cannot have taken the message: retried, not in doubt.
    @Test func aFailedWriteOfTheEndIsRetriedAndNeverArrived() {
        let upload = finishedUpload()
        #expect(upload.finished)
        guard case .retry(let error, _) = SMTPTransfer.classify(CURLE_SEND_ERROR, "Send failure: Broken pipe", reply: 354, upload: upload) else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "data")
        #expect(error.curlCode == 55)
        #expect(!error.mayHaveArrived)
    }

    /// A timeout while connecting is the channel's failure (an unreachable relay): `connect`,
    /// retried, waiting for the channel; a timeout later in the session is not.
    @Test func aTimeoutWhileConnectingIsAChannelWideConnectFailure() {
        let connecting = SMTPTransfer.classify(CURLE_OPERATION_TIMEDOUT, "Connection timed out after 10001 milliseconds", reply: nil,
                                               upload: UploadSource([]))
        guard case .retry(let error, _) = connecting else { Issue.record("expected retry"); return }
        #expect(error.step == "connect" && error.isChannelWide && !error.mayHaveArrived)
        let later = SMTPTransfer.classify(CURLE_OPERATION_TIMEDOUT, "Operation timed out after 30000 milliseconds", reply: nil,
                                          upload: UploadSource([]))
        guard case .retry(let other, _) = later else { Issue.record("expected retry"); return }
        #expect(other.step == "timeout" && !other.isChannelWide)
    }

    /// A failed read or a timeout after the whole message went out: the server may have read the
    /// dot and taken the message, so it stays in doubt.
    @Test(arguments: [(CURLE_RECV_ERROR, "Recv failure: Connection reset by peer"),
                      (CURLE_OPERATION_TIMEDOUT, "Operation timed out")])
    func aFailureAfterTheEndIsUnknown(code: CURLcode, text: String) {
        guard case .unknown(let error) = SMTPTransfer.classify(code, text, reply: 354, upload: finishedUpload()) else {
            Issue.record("expected unknown")
            return
        }
        #expect(error.curlCode == Int(code.rawValue))
        #expect(error.mayHaveArrived)
    }

    /// 5xx to MAIL FROM, RCPT TO or DATA refuses this message for good; the same code from the
    /// session (the greeting, AUTH) is the channel's and is retried.
    @Test(arguments: [("MAIL failed: 553", CURLE_SEND_ERROR, false), ("RCPT failed: 550", CURLE_SEND_ERROR, false),
                      ("Got unexpected smtp-server response: 554", CURLE_WEIRD_SERVER_REPLY, true),
                      ("Login denied", CURLE_LOGIN_DENIED, true)])
    func onlyARefusalOfTheMessageIsPermanent(text: String, code: CURLcode, retried: Bool) {
        let reply = Int(text.split(separator: " ").last.flatMap { Int($0) } ?? 535)
        let outcome = SMTPTransfer.classify(code, text, reply: reply, upload: UploadSource([]))
        switch outcome {
        case .retry where retried, .failed where !retried: break
        default: Issue.record("unexpected \(outcome)")
        }
    }
}
