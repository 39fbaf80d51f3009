/// Removes secrets from text before it is stored, logged or shown.
///
/// Replaced by ``placeholder``:
/// - tokens with a known secret prefix: OpenAI/Anthropic/DeepSeek `sk-`, Stripe `sk_`/`rk_`,
///   Google `AIza` and `ya29.`, GitHub `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_`/`github_pat_`, Slack
///   `xox?-`, AWS `AKIA`/`ASIA`, Groq `gsk_`, xAI `xai-`, Hugging Face `hf_`, Replicate `r8_`,
///   Perplexity `pplx-`, OpenRouter `sk-or-`, JWTs (`eyJ...`);
/// - the same glued inside a token (`/keys/xoxp-...`, `\nAKIA...` after a literal `\n`):
///   from the prefix to the token's end, when the byte before the prefix is not a letter of
///   the same case as the prefix's first (so `task-force` is not taken for `sk-`), or when the
///   token starts right after a backslash;
/// - the word after `Bearer` or `Basic`;
/// - the value after `key=`, `api_key=`, `token=`, `secret=`, `password=`, `Authorization:`
///   and similar `name=value` / `name: value` pairs, the name optionally quoted
///   (`"api_key": "..."`, `'token' => ...`, `\"x-api-key\":...`);
/// - after `Authorization:`, both words of any other `<scheme> <credential>` (`token <hex>`,
///   `Digest ...`) when the credential is 8 or more bytes or not only letters;
/// - any other run of 32 or more token characters that mixes upper case, lower case and
///   digits, or upper and lower case with at least an eighth of each (an unknown key format,
///   AWS secret keys without a digit), and masked keys such as `sk-****abcd`.
///
/// Invariants: the output never contains a run of token characters from the input that one of
/// these rules matched; redaction is idempotent (`redact(redact(x)) == redact(x)`), because a
/// placeholder already in the text counts as a redacted secret. Runs in O(n) over the UTF-8 bytes.
public enum SecretRedactor {
  /// What replaces each secret.
  public static let placeholder = "[REDACTED]"

  private static let placeholderBytes = Array(placeholder.utf8)

  /// `text` with every secret replaced by ``placeholder``.
  public static func redact(_ text: String) -> String {
    var text = text
    return text.withUTF8 { redact(UnsafeRawBufferPointer($0)) }
  }

  /// `bytes` (UTF-8, possibly invalid) as a `String` with every secret replaced.
  ///
  /// The output is the input with some token ranges replaced, so nothing is copied until the
  /// first secret is found: text without secrets becomes a `String` in one step.
  static func redact(_ bytes: UnsafeRawBufferPointer) -> String {
    var output: [UInt8] = []
    // `bytes[..<copied]` is already in `output` (once `output` is in use).
    var copied = 0
    var changed = false
    var index = 0
    var redactNext = false
    // Set with `redactNext` after `Authorization:`: the word redacted may be a scheme, and the
    // credential after it is redacted too.
    var schemeMayFollow = false
    let count = bytes.count
    let placeholderStart = UInt8(ascii: "[")
    // Read once per call, not once per token (each read of a lazy static is a call).
    let prefixesByFirstByte = Self.prefixesByFirstByte
    let secretPrefixes = Self.secretPrefixes
    let secretNameLengths = Self.secretNameLengths
    let lowercaseClass = ByteClass.of(UInt8(ascii: "a"))
    while index < count {
      let byte = bytes[index]
      var byteClass = ByteClass.of(byte)
      guard byteClass & ByteClass.token != 0 else {
        if byte == placeholderStart, startsWithPlaceholder(bytes, at: index) {
          // Already redacted (text that went through here before): keep it, and it satisfies
          // a pending `key=` so the placeholder is not wrapped in another one.
          index += placeholderBytes.count
          redactNext = false
          schemeMayFollow = false
        } else {
          index += 1
        }
        continue
      }
      // One pass over the token finds its end and what kinds of bytes it holds.
      let start = index
      var kinds: UInt8 = 0
      // 1 once a byte that is neither letter nor digit (`-_./+~*`) is seen: the only bytes
      // besides upper case after which a glued prefix is looked for.
      var punctuation: UInt8 = 0
      repeat {
        kinds |= byteClass
        punctuation |= ((byteClass & Self.letterOrDigit) &- 1) &>> 7
        index += 1
        // Runs of lower-case letters (most of a message) are passed eight bytes at a time.
        if index &+ 8 <= count {
          let run = ByteClass.leadingLowercaseCount(
            UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
          if run > 0 {
            kinds |= lowercaseClass
            index &+= run
          }
        }
        byteClass = index < count ? ByteClass.of(bytes[index]) : 0
      } while byteClass & ByteClass.token != 0
      let token = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
      if redactNext, let word = PackedWord(token, start: 0, count: token.count),
        word == bearer || word == basic
      {
        // "Authorization: Bearer x": the scheme is not the secret; the word after it is.
        schemeMayFollow = false
        continue
      }
      var secretStart = start
      if !redactNext
        && !isSecret(
          token, kinds: kinds, prefixesByFirstByte: prefixesByFirstByte,
          secretPrefixes: secretPrefixes)
      {
        // A prefix glued inside the token: only tokens that hold upper case or punctuation
        // can hold one (every prefix has such a byte), or one right after a backslash.
        if token.count >= 9,
          punctuation != 0 || kinds & ByteClass.upper != 0
            || (start > 0 && bytes[start - 1] == UInt8(ascii: "\\")),
          let offset = gluedSecretOffset(
            in: token, afterBackslash: start > 0 && bytes[start - 1] == UInt8(ascii: "\\"),
            prefixesByFirstByte: prefixesByFirstByte, secretPrefixes: secretPrefixes)
        {
          secretStart = start + offset
        } else {
          let introduced = introducesSecret(
            token, followedBy: bytes, at: index, start: start, nameLengths: secretNameLengths)
          redactNext = introduced != 0
          schemeMayFollow = introduced == Self.introducesScheme
          continue
        }
      }
      if !changed {
        output.reserveCapacity(count + 16)
        changed = true
      }
      output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<secretStart]))
      output.append(contentsOf: placeholderBytes)
      copied = index
      // After `Authorization:`, a word of letters followed by one space and a credential is
      // a scheme (`token <hex>`): the credential goes too.
      let redactsCredential =
        redactNext && schemeMayFollow && punctuation == 0 && kinds & ByteClass.digit == 0
        && credentialFollows(bytes, at: index)
      if redactsCredential {
        schemeMayFollow = false
      } else {
        // The word redacted may itself name a secret (`password: key=x`): its value goes too.
        let introduced = introducesSecret(
          token, followedBy: bytes, at: index, start: start, nameLengths: secretNameLengths)
        redactNext = introduced != 0
        schemeMayFollow = introduced == Self.introducesScheme
      }
    }
    guard changed else {
      return String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }
    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<count]))
    return String(decoding: output, as: UTF8.self)
  }

  /// Upper case, lower case and digit bits of ``ByteClass``.
  private static let letterOrDigit = ByteClass.upper | ByteClass.lower | ByteClass.digit

  /// What ``introducesSecret(_:followedBy:at:start:nameLengths:)`` returns for
  /// `Authorization:`, whose value may be `<scheme> <credential>`.
  private static let introducesScheme: UInt8 = 2

  /// Whether `bytes[index...]` is one space and then a credential: a token of 8 or more bytes,
  /// or one holding a byte that is not a letter.
  private static func credentialFollows(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: " ") else { return false }
    var end = index + 1
    while end < bytes.count {
      let byteClass = ByteClass.of(bytes[end])
      guard byteClass & ByteClass.token != 0 else { break }
      if byteClass & (ByteClass.upper | ByteClass.lower) == 0 { return true }
      end += 1
      if end - index > 8 { return true }
    }
    return false
  }

  /// The offset in `token` (never 0) where a secret with a known prefix starts, glued after
  /// other token bytes: the prefix must be preceded by a byte that is not a letter of the same
  /// case as the prefix's first byte, or, right after a backslash (`\nAKIA...`), be at
  /// offset 1. `nil` if there is none.
  private static func gluedSecretOffset(
    in token: UnsafeRawBufferPointer, afterBackslash: Bool, prefixesByFirstByte: [Range<Int>],
    secretPrefixes: [SecretPrefix]
  ) -> Int? {
    // The shortest secret is a three-byte prefix and six more bytes.
    let letters = ByteClass.upper | ByteClass.lower
    var before = ByteClass.of(token[0])
    var offset = 1
    while offset &+ 9 <= token.count {
      let byte = token[offset]
      let current = ByteClass.of(byte)
      // Inside a run of letters of one case (most of any word) no prefix may start: one
      // table load and a test per byte; only the other positions look the byte up.
      if before & current & letters == 0 || (offset == 1 && afterBackslash) {
        let candidates = prefixesByFirstByte[Int(byte)]
        if !candidates.isEmpty {
          let rest = UnsafeRawBufferPointer(rebasing: token[offset...])
          let first8 = UInt64(littleEndian: rest.loadUnaligned(as: UInt64.self))
          for index in candidates where secretPrefixes[index].matches(rest, head: first8) {
            return offset
          }
        }
      }
      before = current
      offset &+= 1
      // After a lower-case letter, the rest of its run is passed eight bytes at a time.
      if current & ByteClass.lower != 0, offset &+ 8 <= token.count {
        let run = ByteClass.leadingLowercaseCount(
          UInt64(littleEndian: token.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        offset &+= run
      }
    }
    return nil
  }

  private static func startsWithPlaceholder(_ bytes: UnsafeRawBufferPointer, at index: Int)
    -> Bool
  {
    guard bytes.count - index >= placeholderBytes.count else { return false }
    for offset in 0..<placeholderBytes.count where bytes[index + offset] != placeholderBytes[offset]
    {
      return false
    }
    return true
  }

  /// The known secret prefixes (case-sensitive); a token is a secret if it starts with one
  /// and has at least six more bytes.
  static let prefixes: [String] = [
    "sk-", "sk_", "rk_", "AIza", "ya29.", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
    "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-", "AKIA", "ASIA", "gsk_", "xai-", "hf_",
    "r8_", "pplx-", "eyJ", "pk_live_", "whsec_", "glpat-", "npm_", "pypi-",
  ]

  /// A secret prefix of up to 16 bytes as two masked 64-bit words, so it is compared with a
  /// few word operations (no array of bytes to walk, retain or release).
  struct SecretPrefix {
    /// Bytes 0..<8 of the prefix, byte `k` in bits `8k..<8k+8`, zero past its end.
    let head: UInt64
    /// Ones over the bytes of `head` that belong to the prefix.
    let headMask: UInt64
    /// Bytes 8..<16, likewise (`0` for prefixes of up to eight bytes).
    let tail: UInt64
    /// Ones over the bytes of `tail` that belong to the prefix.
    let tailMask: UInt64
    /// The shortest token that is a secret with this prefix: six bytes past it.
    let minimumCount: Int

    init(_ prefix: String) {
      var head: UInt64 = 0
      var headMask: UInt64 = 0
      var tail: UInt64 = 0
      var tailMask: UInt64 = 0
      for (offset, byte) in prefix.utf8.prefix(16).enumerated() {
        let shift = UInt64(offset % 8 * 8)
        if offset < 8 {
          head |= UInt64(byte) << shift
          headMask |= 0xFF << shift
        } else {
          tail |= UInt64(byte) << shift
          tailMask |= 0xFF << shift
        }
      }
      (self.head, self.headMask, self.tail, self.tailMask) = (head, headMask, tail, tailMask)
      minimumCount = prefix.utf8.count + 6
    }

    /// Whether `token` starts with this prefix and is at least ``minimumCount`` bytes long.
    /// Needs `token.count >= 8` (the first eight bytes are read as one word).
    @inline(always)
    func matches(_ token: UnsafeRawBufferPointer, head first8: UInt64) -> Bool {
      guard token.count >= minimumCount, first8 & headMask == head else { return false }
      guard tailMask != 0 else { return true }
      // `minimumCount` is more than 14 here, so bytes 8..<16 are readable.
      let next8 = UInt64(littleEndian: token.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
      return next8 & tailMask == tail
    }
  }

  /// ``prefixes`` as ``SecretPrefix``es, grouped by first byte (in their order otherwise), so
  /// a token is compared only with the prefixes that start with its first byte.
  private static let secretPrefixes = prefixes.sorted {
    ($0.utf8.first ?? 0) < ($1.utf8.first ?? 0)
  }.map(
    SecretPrefix.init)

  /// For each byte, the range of ``secretPrefixes`` that start with it (empty for most bytes,
  /// so most tokens are rejected with one lookup). Which prefix matches never matters, only
  /// whether one does, so comparing only these gives the same answer as comparing all.
  private static let prefixesByFirstByte: [Range<Int>] = {
    var table = [Range<Int>](repeating: 0..<0, count: 256)
    let firsts = prefixes.map { Int($0.utf8.first ?? 0) }.sorted()
    for (index, first) in firsts.enumerated() {
      let range = table[first]
      table[first] = range.isEmpty ? index..<(index + 1) : range.lowerBound..<(index + 1)
    }
    return table
  }()

  private static let secretNameList: [PackedWord] = [
    "key", "api_key", "apikey", "api-key", "x-api-key", "token", "access_token", "refresh_token",
    "id_token", "secret", "client_secret", "password", "passwd", "authorization", "sig",
    "signature", "x-goog-api-key", "session", "cookie", "credential", "credentials",
    "bearer", "basic",
  ].compactMap(PackedWord.init)

  /// ``secretNameList`` as a table, so a word that passes the first-letter and length filter
  /// is looked up with one hash probe instead of compared with every name.
  private static let secretNames = PackedWordTable(secretNameList.map { ($0, ()) })

  /// Whether `token` is a secret by its own look. `kinds` is the union of the
  /// ``ByteClass/of(_:)`` of its bytes; `prefixesByFirstByte` and `secretPrefixes` are
  /// ``prefixesByFirstByte`` and ``secretPrefixes``.
  @inline(always)
  private static func isSecret(
    _ token: UnsafeRawBufferPointer, kinds: UInt8, prefixesByFirstByte: [Range<Int>],
    secretPrefixes: [SecretPrefix]
  ) -> Bool {
    guard token.count >= 8 else { return false }
    let first = token[0]
    let candidates = prefixesByFirstByte[Int(first)]
    if !candidates.isEmpty {
      let first8 = UInt64(littleEndian: token.loadUnaligned(as: UInt64.self))
      for index in candidates where secretPrefixes[index].matches(token, head: first8) {
        return true
      }
    }
    guard token.count >= 12 else { return false }
    let mixed = ByteClass.upper | ByteClass.lower | ByteClass.digit
    if token.count >= 32, kinds & mixed == mixed { return true }
    let cases = ByteClass.upper | ByteClass.lower
    if token.count >= 32, kinds & cases == cases, hasBothCasesOften(token) { return true }
    // Masked keys (`sk-****abcd`): stars are counted only in the rare token that has one.
    guard kinds & ByteClass.star != 0 else { return false }
    var stars = 0
    for byte in token where byte == UInt8(ascii: "*") { stars += 1 }
    return stars >= 4
  }

  /// Whether at least an eighth of `token`'s bytes are upper case and an eighth lower case:
  /// a random key without digits (an AWS secret key has none about once in 900), not a long
  /// CamelCase name (`ProvisionedThroughputExceededException` has 4 capitals in 38).
  private static func hasBothCasesOften(_ token: UnsafeRawBufferPointer) -> Bool {
    var upper = 0
    var lower = 0
    for byte in token {
      let byteClass = ByteClass.of(byte)
      if byteClass & ByteClass.upper != 0 { upper += 1 }
      if byteClass & ByteClass.lower != 0 { lower += 1 }
    }
    let needed = (token.count + 7) / 8
    return upper >= needed && lower >= needed
  }

  /// Whether `token` is a word after which the next token is a secret: `Bearer x`,
  /// `Basic x`, `key=x`, `"api_key": x`, `Authorization: x`: 0 if not, 1 if so,
  /// ``introducesScheme`` for `Authorization` (whose value may be `<scheme> <credential>`).
  /// `nameLengths` is ``secretNameLengths``.
  /// Inlined into its one caller: it runs for every word, and most are rejected at once.
  @inline(always)
  private static func introducesSecret(
    _ token: UnsafeRawBufferPointer, followedBy bytes: UnsafeRawBufferPointer, at index: Int,
    start: Int, nameLengths: [UInt16]
  ) -> UInt8 {
    // Most words differ from every secret name in their first letter or their length: they
    // are rejected before packing.
    guard token.count >= 3, token.count <= PackedWord.maximumLength,
      PackedWord.lowercased(token[0]) >= 64,
      nameLengths[Int(token[0] & 31)] & (1 &<< UInt16(token.count & 15)) != 0,
      index < bytes.count,
      bytes[index] == 0x20 || bytes[index] == UInt8(ascii: "=")
        || bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: "\"")
        || bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\\"),
      let packed = PackedWord(bytes, start: start, count: token.count),
      secretNames[packed] != nil
    else { return 0 }
    if packed == bearer || packed == basic { return bytes[index] == UInt8(ascii: " ") ? 1 : 0 }
    // A quoted name (`"api_key":`, `\"token\":` inside an escaped string, `'key' =>`).
    var next = index
    if next < bytes.count, bytes[next] == UInt8(ascii: "\\") { next += 1 }
    if next < bytes.count, bytes[next] == UInt8(ascii: "\"") || bytes[next] == UInt8(ascii: "'") {
      next += 1
    }
    while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
    guard next < bytes.count,
      bytes[next] == UInt8(ascii: "=") || bytes[next] == UInt8(ascii: ":")
    else { return 0 }
    return packed == authorization ? introducesScheme : 1
  }

  /// For each first letter `l` (any case, as `l & 31`), bit `n` set if a secret name of
  /// length `n` starts with it: a filter that never rejects a secret name (all start with a
  /// letter and are shorter than 16 bytes).
  private static let secretNameLengths: [UInt16] = secretNameList.reduce(
    into: [UInt16](repeating: 0, count: 32)
  ) { table, name in
    let first = UInt8(truncatingIfNeeded: name.bits)
    var length = 0
    while length < 16, name.bits >> UInt128(length * 8) != 0 { length += 1 }
    table[Int(first & 31)] |= 1 &<< UInt16(length & 15)
  }

  private static let bearer = PackedWord("bearer")!
  private static let basic = PackedWord("basic")!
  private static let authorization = PackedWord("authorization")!
}
