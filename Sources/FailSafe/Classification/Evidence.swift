/// Builds the short, redacted evidence text of a classification: the status, the identifier
/// that decided, and the start of the first message, such as
/// `429 insufficient_quota: You exceeded your current quota, please check your plan and...`.
enum Evidence {
  /// How far past the excerpt limit a word is finished before it is dropped instead.
  static let maximumWordExtension = 96

  /// Builds evidence quoting at most `limit` bytes of `message`, secrets redacted. The source
  /// is `bodySource` lower-cased when given (an identifier read from the body), else `source`.
  /// `messageIsCut` says that `message` itself ends inside a word that went on (the body's
  /// inspected prefix, a title's or message's length cap cut it): that last word is then a
  /// fragment, maybe of a key, and is dropped like a word the excerpt limit cuts.
  static func make(
    status: Int?, source: String, bodySource: UnsafeRawBufferPointer? = nil,
    message: UnsafeRawBufferPointer?, messageIsCut: Bool = false, limit: Int
  ) -> String {
    if let bodySource, containsNonASCII(bodySource) {
      // Non-ASCII: the source is cut as the repaired `String` it used to be.
      let text = String(decoding: bodySource.lazy.map(PackedWord.lowercased), as: UTF8.self)
      return make(
        status: status, source: text, message: message, messageIsCut: messageIsCut,
        limit: limit)
    }
    let limit = max(limit, 0)
    let messageCount = message?.count ?? 0
    // Status digits (with sign), separators, source, excerpt, finished word and "...": the
    // text is built in one temporary buffer (on the stack when small), never a growing array.
    let capacity = 24 + 64 + 2 + min(limit, messageCount) + maximumWordExtension + 3
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      var bytes = ByteWriter(buffer)
      if let status { appendDecimal(status, to: &bytes) }
      if let bodySource {
        if !bodySource.isEmpty {
          if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
          bytes.appendLowercased(
            UnsafeRawBufferPointer(rebasing: bodySource[0..<min(bodySource.count, 64)]))
        }
      } else if !source.isEmpty {
        if !bytes.isEmpty { bytes.append(UInt8(ascii: " ")) }
        var source = source
        source.withUTF8 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0.prefix(64))) }
      }
      if let message, !message.isEmpty {
        if !bytes.isEmpty {
          bytes.append(UInt8(ascii: ":"))
          bytes.append(UInt8(ascii: " "))
        }
        appendExcerpt(
          of: message.assumingMemoryBound(to: UInt8.self), endsCut: messageIsCut, limit: limit,
          to: &bytes)
      }
      // The excerpt never ends inside a word (see appendExcerpt), so the redactor always sees
      // a secret whole and no fragment of one can slip through.
      return SecretRedactor.redact(UnsafeRawBufferPointer(bytes.written))
    }
  }

  /// Whether any byte of `bytes` is 0x80 or above, eight bytes at a time: the same answer as
  /// testing each byte, since a byte's top bit survives the OR of the words it is in.
  private static func containsNonASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    var seen: UInt64 = 0
    while index &+ 8 <= bytes.count {
      seen |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      index &+= 8
    }
    while index < bytes.count {
      seen |= UInt64(bytes[index])
      index += 1
    }
    return seen & 0x8080_8080_8080_8080 != 0
  }

  /// Appends the decimal digits of `value` without building a `String`.
  private static func appendDecimal(_ value: Int, to bytes: inout ByteWriter) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    let first = bytes.count
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    bytes.reverseSuffix(from: first)
  }

  /// Appends up to `limit` bytes of `message`, whitespace runs collapsed to one space, cut on
  /// a UTF-8 character boundary, with `...` if cut. With `endsCut`, the message's own last
  /// word went on past it: it is dropped if the excerpt reaches it.
  private static func appendExcerpt(
    of message: UnsafeBufferPointer<UInt8>, endsCut: Bool, limit: Int,
    to bytes: inout ByteWriter
  ) {
    var written = 0
    var lastWasSpace = true
    var index = 0
    while index < message.count, written < limit {
      let byte = message[index]
      if byte <= 0x20 || byte == 0x7F {
        index += 1
        if !lastWasSpace {
          bytes.append(UInt8(ascii: " "))
          written += 1
        }
        lastWasSpace = true
      } else {
        // A run of other bytes, up to the limit, is copied at once, with the lone spaces
        // between its words (they collapse to themselves).
        let stop = min(message.count, index + (limit - written))
        var end = index + 1
        while end < stop {
          // Eight bytes at a time up to the first that may end the run (``runBreaks(_:)``);
          // that byte is then judged exactly below.
          if end &+ 8 <= stop {
            let breaks = runBreaks(
              UInt64(
                littleEndian: UnsafeRawBufferPointer(message).loadUnaligned(
                  fromByteOffset: end, as: UInt64.self)))
            if breaks == 0 {
              end &+= 8
              continue
            }
            end &+= breaks.trailingZeroBitCount &>> 3
          }
          let next = message[end]
          if next > 0x20, next != 0x7F {
            end += 1
          } else if next == 0x20, end + 1 < stop, message[end + 1] > 0x20, message[end + 1] != 0x7F
          {
            end += 2
          } else {
            break
          }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: message[index..<end]))
        written += end - index
        index = end
        lastWasSpace = false
      }
    }
    if index < message.count || endsCut {
      // Never cut inside a word: finish it (keys are shorter than this), or, if it
      // runs on (past the extension, or past the message when the message was cut), drop it
      // entirely.
      var extra = 0
      while index < message.count, message[index] > 0x20, extra < maximumWordExtension {
        bytes.append(message[index])
        index += 1
        extra += 1
      }
      if index < message.count ? message[index] > 0x20 : endsCut {
        while let last = bytes.last, last > 0x20 { bytes.removeLast() }
      }
      // Drop a partial multi-byte character, then mark the cut.
      while let last = bytes.last, last & 0xC0 == 0x80 { bytes.removeLast() }
      if let last = bytes.last, last >= 0xC0 { bytes.removeLast() }
      for _ in 0..<3 { bytes.append(UInt8(ascii: ".")) }
    }
    while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
  }

  /// Appends bytes to a buffer sized for the whole evidence text up front.
  ///
  /// Invariant: `written` is the initialised prefix of the buffer; callers never append more
  /// than the capacity computed in ``make(status:source:bodySource:message:limit:)``; `append` checks it
  /// anyway (one comparison), so a mistake traps instead of writing past the buffer.
  /// The bytes of `word` (eight message bytes, the first in the low bits) that may end a
  /// run the excerpt copies at once: bit 7 set for each control byte, space or DEL, except a
  /// space followed by a byte of none of those within the word (a lone space between words).
  /// A space in the last byte is always marked: what follows it is not in `word`.
  @inline(always)
  static func runBreaks(_ word: UInt64) -> UInt64 {
    let highs: UInt64 = 0x8080_8080_8080_8080
    let low7 = word & 0x7F7F_7F7F_7F7F_7F7F
    // ASCII bytes only (top bit clear); no sum carries into the next byte.
    let upToSpace = ~(low7 &+ 0x5F5F_5F5F_5F5F_5F5F) & ~word & highs
    let delete = (low7 &+ 0x0101_0101_0101_0101) & ~word & highs
    let other = upToSpace | delete
    let notSpace = word ^ 0x2020_2020_2020_2020
    let spaces = ~(((notSpace & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | notSpace) & highs
    let loneSpaces = spaces & ~(other &>> 8) & 0x0080_8080_8080_8080
    return other & ~loneSpaces
  }

  private struct ByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    var isEmpty: Bool { count == 0 }
    var last: UInt8? { count > 0 ? buffer[count - 1] : nil }
    var written: UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: buffer[..<count])
    }

    mutating func append(_ byte: UInt8) {
      precondition(count < buffer.count, "evidence buffer too small")
      buffer[count] = byte
      count += 1
    }

    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
      precondition(bytes.count <= buffer.count - count, "evidence buffer too small")
      guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
      (target + count).initialize(from: source, count: bytes.count)
      count += bytes.count
    }

    /// Appends `bytes` lower-cased (ASCII letters), eight bytes at a time as one word
    /// (``PackedWord/lowercased(word:)``, the same mapping per byte), then the rest one by one.
    mutating func appendLowercased(_ bytes: UnsafeRawBufferPointer) {
      precondition(bytes.count <= buffer.count - count, "evidence buffer too small")
      guard let target = buffer.baseAddress else { return }
      var index = 0
      while index &+ 8 <= bytes.count {
        let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        UnsafeMutableRawPointer(target + count + index).storeBytes(
          of: PackedWord.lowercased(word: UInt64(littleEndian: word)).littleEndian,
          as: UInt64.self)
        index &+= 8
      }
      if index < bytes.count, bytes.count >= 8 {
        // The last few bytes as the word that ends with them: the bytes it overlaps are
        // written again with the same lower-cased values.
        let last = bytes.count &- 8
        let word = bytes.loadUnaligned(fromByteOffset: last, as: UInt64.self)
        UnsafeMutableRawPointer(target + count + last).storeBytes(
          of: PackedWord.lowercased(word: UInt64(littleEndian: word)).littleEndian,
          as: UInt64.self)
        index = bytes.count
      }
      while index < bytes.count {
        target[count + index] = PackedWord.lowercased(bytes[index])
        index += 1
      }
      count += bytes.count
    }

    mutating func removeLast() { count -= 1 }

    /// Reverses `buffer[start..<count]` in place.
    mutating func reverseSuffix(from start: Int) {
      var low = start
      var high = count - 1
      while low < high {
        buffer.swapAt(low, high)
        low += 1
        high -= 1
      }
    }
  }
}
