/// Removes secrets from text before it is stored, logged or shown.
///
/// Replaced by ``placeholder``:
/// - tokens with a known secret prefix: OpenAI/Anthropic/DeepSeek `sk-`, Stripe `sk_`/`rk_`,
///   Google `AIza` and `ya29.`, GitHub `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_`/`github_pat_`, Slack
///   `xox?-`, AWS `AKIA`/`ASIA`, Groq `gsk_`, xAI `xai-`, Hugging Face `hf_`, Replicate `r8_`,
///   Perplexity `pplx-`, OpenRouter `sk-or-`, JWTs (`eyJ...`);
/// - the word after `Bearer` or `Basic`;
/// - the value after `key=`, `api_key=`, `token=`, `secret=`, `password=`, `Authorization:`
///   and similar `name=value` / `name: value` pairs;
/// - any other run of 32 or more token characters that mixes upper case, lower case and
///   digits (an unknown key format), and masked keys such as `sk-****abcd`.
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
    let count = bytes.count
    let placeholderStart = UInt8(ascii: "[")
    // Read once per call, not once per token (each read of a lazy static is a call).
    let prefixStarts = Self.prefixStarts
    let secretNameStarts = Self.secretNameStarts
    while index < count {
      if bytes[index] == placeholderStart, startsWithPlaceholder(bytes, at: index) {
        // Already redacted (text that went through here before): keep it, and it satisfies a
        // pending `key=` so the placeholder is not wrapped in another one.
        index += placeholderBytes.count
        redactNext = false
        continue
      }
      guard isTokenByte(bytes[index]) else {
        index += 1
        while index < count, !isTokenByte(bytes[index]), bytes[index] != placeholderStart {
          index += 1
        }
        continue
      }
      let start = index
      while index < count, isTokenByte(bytes[index]) { index += 1 }
      let token = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
      if redactNext, let word = PackedWord(token, start: 0, count: token.count),
        word == bearer || word == basic
      {
        // "Authorization: Bearer x": the scheme is not the secret; the word after it is.
        continue
      }
      if redactNext || isSecret(token, prefixStarts: prefixStarts) {
        if !changed {
          output.reserveCapacity(count + 16)
          changed = true
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<start]))
        output.append(contentsOf: placeholderBytes)
        copied = index
        redactNext = false
        continue
      }
      redactNext = introducesSecret(
        token, followedBy: bytes, at: index, start: start, nameStarts: secretNameStarts)
    }
    guard changed else {
      return String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }
    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<count]))
    return String(decoding: output, as: UTF8.self)
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

  private static let prefixes: [[UInt8]] = [
    "sk-", "sk_", "rk_", "AIza", "ya29.", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
    "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-", "AKIA", "ASIA", "gsk_", "xai-", "hf_",
    "r8_", "pplx-", "eyJ", "pk_live_", "whsec_", "glpat-", "npm_", "pypi-",
  ].map { Array($0.utf8) }

  /// Bytes that start some secret prefix, so most tokens are rejected with one lookup.
  private static let prefixStarts: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for prefix in prefixes { table[Int(prefix[0])] = true }
    return table
  }()

  private static let secretNames: [PackedWord] = [
    "key", "api_key", "apikey", "api-key", "x-api-key", "token", "access_token", "refresh_token",
    "id_token", "secret", "client_secret", "password", "passwd", "authorization", "sig",
    "signature", "x-goog-api-key", "session", "cookie", "credential", "credentials",
    "bearer", "basic",
  ].compactMap(PackedWord.init)

  /// Whether `token` is a secret by its own look; `prefixStarts` is ``prefixStarts``.
  private static func isSecret(_ token: UnsafeRawBufferPointer, prefixStarts: [Bool]) -> Bool {
    guard token.count >= 8 else { return false }
    let first = token[0]
    if prefixStarts[Int(first)] {
      for prefix in prefixes
      where prefix[0] == first && token.count >= prefix.count + 6 && token.starts(with: prefix) {
        return true
      }
    }
    guard token.count >= 12 else { return false }
    var stars = 0
    var upper = false
    var lower = false
    var digit = false
    for byte in token {
      if byte &- 65 < 26 {
        upper = true
      } else if byte &- 97 < 26 {
        lower = true
      } else if byte &- 48 < 10 {
        digit = true
      } else if byte == UInt8(ascii: "*") {
        stars += 1
      }
    }
    return stars >= 4 || (token.count >= 32 && upper && lower && digit)
  }

  /// Whether `token` is a word after which the next token is a secret: `Bearer x`,
  /// `Basic x`, `key=x`, `Authorization: x`. `secretNameStarts` is ``secretNameStarts``.
  private static func introducesSecret(
    _ token: UnsafeRawBufferPointer, followedBy bytes: UnsafeRawBufferPointer, at index: Int,
    start: Int, nameStarts secretNameStarts: UInt64
  ) -> Bool {
    // Most words start with a letter no secret name starts with: rejected before packing.
    guard token.count >= 3,
      secretNameStarts & (1 &<< UInt64(PackedWord.lowercased(token[0]) & 63)) != 0,
      PackedWord.lowercased(token[0]) >= 64, token.count <= PackedWord.maximumLength,
      index < bytes.count,
      bytes[index] == 0x20 || bytes[index] == UInt8(ascii: "=")
        || bytes[index] == UInt8(ascii: ":"),
      let packed = PackedWord(bytes, start: start, count: token.count),
      secretNames.contains(packed)
    else { return false }
    if packed == bearer || packed == basic { return bytes[index] == UInt8(ascii: " ") }
    var next = index
    while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
    return next < bytes.count
      && (bytes[next] == UInt8(ascii: "=") || bytes[next] == UInt8(ascii: ":"))
  }

  /// Bit `b & 63` set for the first byte `b` (lower case, 64...127) of every secret name.
  private static let secretNameStarts: UInt64 = secretNames.reduce(0) { mask, name in
    mask | 1 &<< UInt64(UInt8(truncatingIfNeeded: name.bits) & 63)
  }

  private static let bearer = PackedWord("bearer")!
  private static let basic = PackedWord("basic")!

  /// Letters, digits and the punctuation keys are made of (`-_.*+/~`), as a bitmap test.
  @inline(__always)
  private static func isTokenByte(_ byte: UInt8) -> Bool {
    // Low word: `*` 42, `+` 43, `-` 45, `.` 46, `/` 47, `0`-`9` 48-57.
    let low: UInt64 = 1 << 42 | 1 << 43 | 0x1F << 45 | 0x3FF << 48
    // High word: `A`-`Z` 65-90, `_` 95, `a`-`z` 97-122, `~` 126.
    let high: UInt64 = 0x3FF_FFFF << 1 | 1 << 31 | 0x3FF_FFFF << 33 | 1 << 62
    switch byte >> 6 {
    case 0: return low & (1 &<< UInt64(byte & 63)) != 0
    case 1: return high & (1 &<< UInt64(byte & 63)) != 0
    default: return false
    }
  }

}
