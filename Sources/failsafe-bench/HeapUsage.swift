import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Bytes the process's heap holds right now, summed over every malloc arena and including
/// glibc's per-chunk overhead and large `mmap`ed blocks; `nil` where glibc is not the allocator.
///
/// This is a snapshot, not a counter: it measures memory *retained* (such as idle breakers in a
/// registry), not memory allocated and freed within an operation; `ValgrindProbe` covers that.
///
/// How: glibc's `malloc_stats(3)` prints each arena's and the total "in use bytes" to standard
/// error. Swift's `Glibc` module does not include `<malloc.h>` (so neither `mallinfo2` nor
/// `malloc_stats` is visible), hence the symbol is looked up with `dlsym`; its C signature
/// `void malloc_stats(void)` is safe to call through a function pointer on every ABI. Standard
/// error is pointed at a pipe for the duration of the call and the total is parsed back.
/// Under valgrind this reports nothing useful (valgrind replaces malloc).
func heapBytesInUse() -> Int? {
  #if canImport(Glibc)
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_stats") else {
      return nil
    }
    let mallocStats = unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { return nil }
    let (readEnd, writeEnd) = (ends[0], ends[1])
    fflush(nil)
    let savedError = dup(STDERR_FILENO)
    guard savedError >= 0, dup2(writeEnd, STDERR_FILENO) >= 0 else {
      close(readEnd)
      close(writeEnd)
      if savedError >= 0 { close(savedError) }
      return nil
    }
    mallocStats()
    fflush(nil)
    dup2(savedError, STDERR_FILENO)
    close(savedError)
    close(writeEnd)
    // The report is a few hundred bytes per arena, far below the pipe's capacity.
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      output.append(contentsOf: buffer[..<count])
    }
    close(readEnd)
    return totalInUseBytes(in: String(decoding: output, as: UTF8.self))
  #else
    return nil
  #endif
}

/// The `in use bytes = N` figure following `Total (incl. mmap):` in a `malloc_stats` report.
func totalInUseBytes(in report: String) -> Int? {
  guard let total = report.range(of: "Total (incl. mmap):") else { return nil }
  for line in report[total.upperBound...].split(separator: "\n")
  where line.contains("in use bytes") {
    return line.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
  }
  return nil
}
