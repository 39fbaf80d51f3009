import FailSafe
import Foundation
import Synchronization

/// Where a command reads its input and writes its output, so tests can run commands in-process.
package struct CommandIO: Sendable {
  /// Reads the next line of standard input without its newline, or `nil` at end of input.
  package var readLine: @Sendable () -> String?
  /// Writes text to standard output as is (no newline is added).
  package var write: @Sendable (String) -> Void
  /// Writes text to standard error as is (no newline is added).
  package var writeError: @Sendable (String) -> Void

  /// Creates an I/O from its three operations.
  package init(
    readLine: @escaping @Sendable () -> String?,
    write: @escaping @Sendable (String) -> Void,
    writeError: @escaping @Sendable (String) -> Void
  ) {
    self.readLine = readLine
    self.write = write
    self.writeError = writeError
  }

  /// The process's standard input, output and error.
  package static let standard = CommandIO(
    readLine: { Swift.readLine(strippingNewline: true) },
    write: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
    writeError: { text in FileHandle.standardError.write(Data(text.utf8)) }
  )
}

/// An in-memory ``CommandIO`` for tests: feeds fixed input lines and records what is written.
package final class CapturedCommandIO: Sendable {
  private struct Buffers {
    var pendingInput: [String]
    var output = ""
    var error = ""
  }

  private let buffers: SanitizerVisibleMutex<Buffers>

  /// Creates a capture whose standard input yields `inputLines`, then end of input.
  package init(inputLines: [String] = []) {
    buffers = SanitizerVisibleMutex(Buffers(pendingInput: inputLines.reversed()))
  }

  /// Everything written to standard output so far.
  package var output: String { buffers.withLock { $0.output } }
  /// Everything written to standard error so far.
  package var error: String { buffers.withLock { $0.error } }

  /// The ``CommandIO`` that reads from and writes to this capture.
  package var io: CommandIO {
    CommandIO(
      readLine: { self.buffers.withLock { $0.pendingInput.popLast() } },
      write: { text in self.buffers.withLock { $0.output += text } },
      writeError: { text in self.buffers.withLock { $0.error += text } }
    )
  }
}
