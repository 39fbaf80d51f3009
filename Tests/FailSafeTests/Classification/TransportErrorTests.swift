import FailSafe
import FailSafeTesting
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@Suite("Transport errors", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct TransportErrorTests {
  let classifier = ProviderErrorClassifier()

  @Test func cancellationIsFatalAndNamedCancelled() {
    for error: any Error in [CancellationError(), URLError(.cancelled), POSIXError(.ECANCELED)] {
      let result = classifier.classify(error)
      #expect(result.disposition == .fatal)
      #expect(result.reason == .cancelled)
    }
  }

  @Test(arguments: [
    (URLError.Code.timedOut, Disposition.retryable, FailureReason.timeout),
    (.networkConnectionLost, .retryable, .connectionLost),
    (.cannotConnectToHost, .retryable, .connectionLost),
    (.cannotFindHost, .retryable, .connectionLost),
    (.notConnectedToInternet, .retryable, .connectionLost),
    (.badServerResponse, .retryable, .serverError),
    (.badURL, .fatal, .badRequest),
    (.serverCertificateUntrusted, .fatal, .badRequest),
    (.userAuthenticationRequired, .unauthorized, .credentialMissing),
  ])
  func urlErrors(code: URLError.Code, disposition: Disposition, reason: FailureReason) {
    let result = classifier.classify(URLError(code))
    #expect(result.disposition == disposition)
    #expect(result.reason == reason)
  }

  @Test func posixErrors() {
    #expect(classifier.classify(POSIXError(.ECONNRESET)).reason == .connectionLost)
    #expect(classifier.classify(POSIXError(.ECONNREFUSED)).disposition == .retryable)
    #expect(classifier.classify(POSIXError(.ETIMEDOUT)).reason == .timeout)
  }

  struct Unknown: Error {}

  @Test func unknownErrorsAreRetryableUnknown() {
    let result = classifier.classify(Unknown())
    #expect(result.disposition == .retryable)
    #expect(result.reason == .unknown)
  }
}
