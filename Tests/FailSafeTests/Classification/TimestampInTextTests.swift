import FailSafe
import FailSafeTesting
import Foundation
import Testing

/// Issue #16: a timestamp in a message ("retry after 2026-02-12T08:18:19Z") was read as a wait
/// of as many seconds as its year. A time in text is a time, measured against the `date`
/// header, or no wait at all.
@Suite("Timestamps in text", .timeLimit(.minutes(SanitizerDetection.timeLimitMinutes(1))))
struct TimestampInTextTests {
  /// One generated time and its fields.
  struct Moment {
    let year, month, day, hour, minute, second: Int
    var fields: Set<Double> {
      Set([year, month, day, hour, minute, second, year % 100].map(Double.init))
    }
    var epoch: Double {
      var components = DateComponents()
      (components.year, components.month, components.day) = (year, month, day)
      (components.hour, components.minute, components.second) = (hour, minute, second)
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
      return calendar.date(from: components)?.timeIntervalSince1970 ?? 0
    }
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    /// The time of day alone, `hh:mm:ss`.
    var clock: String { "\(two(hour)):\(two(minute)):\(two(second))" }
    /// The ways a body writes it, and whether each names an exact instant (a zone and a time).
    var spellings: [(text: String, exact: Bool)] {
      let date = "\(year)-\(two(month))-\(two(day))"
      let time = clock
      return [
        ("\(date)T\(time)Z", true), ("\(date)T\(time).250Z", false),
        ("\(date)T\(time)+00:00", true),
        ("\(date) \(time) UTC", true), ("\(date)", false),
        ("\(date)T\(two(hour)):\(two(minute))Z", false),
        ("\(two(month))/\(two(day))/\(year) \(time)", false),
        ("\(two(day))-\(two(month))-\(year)", false),
        ("\(time)", false),
      ]
    }
  }

  /// Times spread over the years, months, days and clock fields (no randomness: the same
  /// cases every run).
  static let moments: [Moment] = (0..<60).map { step in
    Moment(
      year: 1_971 + (step * 37) % 128, month: 1 + (step * 5) % 12, day: 1 + (step * 11) % 28,
      hour: (step * 7) % 24, minute: (step * 13) % 60, second: (step * 17) % 60)
  }

  static let phrases = [
    "Rate limit exceeded. Retry after %@.", "Please try again in %@", "retry after \"%@\"",
    "Too many requests, retry at %@", "Your quota resets at %@.", "Blocked until %@",
    "Please wait %@ before retrying", "Try again after '%@'",
  ]

  func bodies(_ text: String) -> [String] {
    Self.phrases.flatMap { phrase -> [String] in
      let message = phrase.replacingOccurrences(of: "%@", with: text)
      let escaped = message.replacingOccurrences(of: "\"", with: "\\\"")
      return [
        #"{"error":{"message":"\#(escaped)"}}"#, message,
        "<html><head><title>Too Many Requests</title></head><body><p>\(message)</p></body></html>",
      ]
    }
  }

  func seconds(_ duration: Duration?) -> Double? {
    duration.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
  }

  @Test func noTimestampBecomesAWaitOfOneOfItsFields() {
    let classifier = ProviderErrorClassifier()
    for moment in Self.moments {
      // Measured from 7919 s before the time: a wait, if any, is never one of the fields.
      let date = Date(timeIntervalSince1970: moment.epoch - 7_919)
      let dateHeader = Self.httpDate(date)
      for (text, exact) in moment.spellings {
        // After "in", `hh:mm:ss` is a length of time, as Azure API Management writes it
        // ("replenished in 03:30:56"): `TimeSpanWaitTests` covers it.
        for body in bodies(text) where !(text == moment.clock && body.contains(" in \(text)")) {
          for headers in [[:], ["date": dateHeader]] {
            for status in [429, 503, 400] {
              let response = ProviderResponse(
                status: status, headers: HTTPHeaderFields(headers.map { ($0.key, $0.value) }),
                body: body)
              let wait = seconds(classifier.classify(response).retryAfter)
              // A time already past gives a wait of 0 ("now"), which is no field read as
              // seconds; any other wait must not be one of the fields.
              if let wait, wait != 0 {
                #expect(!moment.fields.contains(wait), "\(body) \(headers): wait \(wait)")
              }
              if headers.isEmpty {
                // Without a date header a time gives no wait: nothing to measure it from.
                #expect(wait == nil, "\(body): wait \(String(describing: wait))")
              } else if exact, status != 400 {
                // Measured exactly (a 400 is not retryable, so its wait is capped).
                #expect(wait == 7_919, "\(body): wait \(String(describing: wait))")
              }
            }
          }
        }
      }
    }
  }

  @Test func aTimeInTextIsMeasuredAgainstTheDateHeader() {
    let response = ProviderResponse(
      status: 429, headers: ["date": "Tue, 03 Mar 2026 10:00:00 GMT"],
      body: #"{"error":{"message":"Rate limit exceeded. Retry after 2026-03-03T10:05:00Z."}}"#)
    let result = ProviderErrorClassifier().classify(response)
    #expect(result.disposition == .retryable)
    #expect(result.retryAfter == .seconds(300))
  }

  @Test func anEpochInTextIsATime() {
    let response = ProviderResponse(
      status: 429, headers: ["date": "Tue, 03 Mar 2026 10:00:00 GMT"],
      body: #"{"message":"Too many requests, retry after 1772532030"}"#)
    #expect(ProviderErrorClassifier().classify(response).retryAfter == .seconds(30))
  }

  static func httpDate(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: date)
  }
}
